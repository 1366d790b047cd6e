"""How a query is read: what it narrows to, and which of its words a sentence must share."""
from __future__ import annotations

import pytest
import Stemmer

from indexer.corpus import Country
from service.query import parse_query

COUNTRIES = [Country(name="Belgium", adjectives=("Belgian",), aliases=("Kingdom of Belgium",)),
             Country(name="Luxembourg", adjectives=("Luxembourgish",), aliases=("Grand Duchy of Luxembourg",))]
STEM = Stemmer.Stemmer("english").stemWord


def parse(q: str):
    return parse_query(q, COUNTRIES, {}, STEM)


def test_a_named_country_is_the_scope_not_a_word_the_answer_must_share():
    """Every sentence of Luxembourg's response may say "Luxembourg": the sentence that answers
    is the one about bracelets, so the country's names do not count towards it."""
    parsed = parse("what does Luxembourg's criminal law say about electronic bracelets?")
    assert parsed.countries == ["Luxembourg"]
    assert {"bracelet", "electron", "crimin"} <= parsed.stems
    assert "luxembourg" not in parsed.stems
    belgian = parse("Belgian position on darknet markets, Kingdom of Belgium")
    assert belgian.countries == ["Belgium"] and not {"belgian", "belgium", "kingdom"} & belgian.stems
    assert "darknet" in belgian.stems


def test_only_the_words_that_name_the_country_leave_not_the_same_words_elsewhere():
    """"grand" names Luxembourg only inside "Grand Duchy of Luxembourg"; as content it stays."""
    parsed = parse("What does Luxembourg say about the grand-ducal regulation and the Kingdom's law?")
    assert parsed.countries == ["Luxembourg"]
    assert {"grand", "ducal", "regul", "kingdom"} <= parsed.stems and "luxembourg" not in parsed.stems
    alias = parse("reports of the Grand Duchy of Luxembourg on drug checking")
    assert alias.countries == ["Luxembourg"] and not {"grand", "duchi", "luxembourg"} & alias.stems
    assert {"report", "drug", "check"} <= alias.stems


def test_a_query_that_is_only_a_country_keeps_its_words():
    assert parse("Luxembourg").stems == frozenset({"luxembourg"})
    assert "luxembourg" in parse("Luxembourg's").stems  # the possessive alone is no content either


@pytest.mark.parametrize("q", [
    "which countries grant FIU access to police?", "what did each country report on prison health care",
    "money laundering investigations involving drug proceeds, by country", "drug checking per country",
    "country-by-country overview of alternatives to imprisonment", "compare the responses on darknet training",
    "who did not answer the recommendation on gender-sensitive cooperation", "who has reported on police referral"])
def test_phrases_that_ask_for_an_answer_per_country_read_as_across_countries(q):
    assert parse(q).across


@pytest.mark.parametrize("q", [
    "how many countries ratified the protocol", "agencies working with each other",
    "data broken down by age and sex", "sold country wide through social media",
    "who checks shipping containers at ports"])
def test_phrases_that_merely_mention_countries_or_a_breakdown_do_not(q):
    assert not parse(q).across
