"""How a question names countries and States as people write them: in lower case, misspelt,
shortened, countries the index has no document of, and States a statement is attributed to."""
from __future__ import annotations

import pytest
from test_query import COUNTRIES, STEM, parse

from indexer.corpus import Country
from service.query import parse_query


@pytest.mark.parametrize("q, scope", [
    ("belgium fiu access for police", ["Belgium"]), ("luxembourg prisons drug treatment", ["Luxembourg"]),
    ("what did belgium say about alternatives to imprisonment", ["Belgium"]),
    ("belgian customs training", ["Belgium"]), ("LUXEMBOURG'S FIU", ["Luxembourg"]),
    ("turkey and chad on heroin routes", []),  # English words in lower case
    ("Turkey on heroin routes", ["Turkey"]), ("what can us police do", []), ("US police", ["United States"])])
def test_a_country_typed_in_lower_case_is_named_all_the_same(q, scope):
    """People type into a search box in lower case: "belgium fiu access" is scoped to Belgium
    as "Belgium FIU access" is (it had been read as a question across countries and answered
    with both countries' table). A name that is an English word ("turkey") or an alias in
    capitals ("US") names the country only as written."""
    world = [Country(name="Turkey"), Country(name="Chad"), Country(name="United States", aliases=("US",))]
    assert sorted(parse_query(q, COUNTRIES + world, {}, STEM).countries) == scope


@pytest.mark.parametrize("sentence, states", [
    ("100.1. Ratify the Optional Protocol (Czech Republic, United Kingdom, Norway, Spain, Brazil, Ecuador);",
     {"Czechia", "United Kingdom", "Norway", "Spain", "Brazil", "Ecuador"}),
    ("103.13. Consider lifting the ban on headscarves in schools (Malaysia);", {"Malaysia"}),
    ("Chair Asia-Pacific States Shambhu Kumaran (India)", {"India"}),
    ("Improve prison conditions (Islamic Republic of Iran and Palestine).", {"Iran", "the State of Palestine"}),
    ("Ratify it (United Kingdom of Great Britain and Northern Ireland, Trinidad and Tobago);",
     {"United Kingdom", "Trinidad and Tobago"}),  # names holding "and" are one State each
    ("Ratify it (Brazil, Venezuela (Bolivarian Republic of));", {"Brazil", "Venezuela"}),
    ("Ambassador of Spain to the United Nations (Vienna)", set()),  # a city, not who said it
    ("the draft resolution (E/CN.7/2025/L.8).", set()), ("statements by the observers (WHO).", set()),
    ("see the annex (Table 2)", set())])
def test_a_sentence_is_attributed_to_the_states_in_parentheses_that_end_it(sentence, states):
    from service.attribution import attributed_states

    assert attributed_states(sentence) == states


@pytest.mark.parametrize("sentence, states", [
    ("Belgium calls for support from other European countries to form an international task force.", {"Belgium"}),
    ("That being said, Belgium strongly believes that common standards must be put in place and urges other "
     "countries to promise their support.", {"Belgium"}),
    ("Sweden asked Belgium to elaborate on further measures for asylum-seekers.", {"Sweden"}),
    ("The Kingdom of Belgium has proposed a reference to child soldiers.", {"Belgium"}),
    ("The Commission took action on a draft resolution (E/CN.7/2025/L.6), sponsored by Belgium, Brazil, "
     "Netherlands (Kingdom of the), Norway and the United Kingdom.", {"Belgium", "Brazil", "Netherlands", "Norway",
                                                                     "United Kingdom"}),  # a passive's agents
    ("In Belgium, officers asked for more training.", set()),  # the name opens no clause
    ("Officers in Belgium asked for more training.", set()),
    ("Malaysia made recommendations.", set()),  # who spoke, not what was proposed
    ("Belgium accounts for a third of all cocaine seized in Europe.", set()),
    ("Afghanistan was urged by the Board to step up eradication.", set()),  # a passive: the State is urged
    ("Colombia reported that UNODC had recommended alternative development.", set()),  # another's clause
    ("Mexico is a member of the working group that proposed the guidelines.", set())])
def test_a_sentence_is_attributed_to_the_state_it_says_proposes(sentence, states):
    """A delegate's paper and a review's dialogue say who proposed what in the sentence itself:
    the State opening its main clause, a proposing verb after it. Asked "what did Belgium
    propose …", that sentence answers before one that only shares the question's words."""
    from service.attribution import proposing_states

    assert proposing_states(sentence) == states


def test_a_question_asks_who_or_what_a_state_proposed():
    """"Who …" opening a question, or "which States" with a verb of proposing, asks who; a
    relative "who", the WHO, or "which countries grant …" (a question across countries) do not.
    States a question asks what they proposed are named in any case, and only with such a verb."""
    from service.attribution import asks_who

    assert asks_who("Which States recommended that Belgium ratify the Protocol?") and asks_who("who proposed it")
    assert asks_who("Who chaired the Commission?") and asks_who("which countries asked Belgium to act on prisons?")
    assert not asks_who("what did Malaysia recommend to Belgium?")
    assert not asks_who("treatment for people who inject drugs") and not asks_who("What does WHO recommend on HHC?")
    assert not asks_who("which countries grant FIU access to police?")
    assert parse("what did malaysia recommend to Belgium?").proposers == {"Malaysia", "Belgium"}
    assert parse("what did Belgium say about alternatives to imprisonment?").proposers == set()


def test_countries_named_that_no_document_is_of_are_told_apart():
    """"What did Brazil report …" over Belgium's and Luxembourg's documents: Brazil is named and
    absent; naming a country of the index as well ("Belgium and Brazil cooperation") is a
    question about that country, and nothing is said absent."""
    assert parse("What did Brazil report on FIU access?").absent_countries == ["Brazil"]
    assert parse("what did France and Germany say about darknet?").absent_countries == ["France", "Germany"]
    assert parse("Belgium and Brazil cooperation against labour exploitation").absent_countries == []
    assert parse("which countries grant FIU access to police?").absent_countries == []
    assert parse("what did brazil report on fiu access?").absent_countries == ["Brazil"]  # typed in lower case
    czech = [Country(name="Czech Republic")]  # a manifest's name for ISO's Czechia
    assert parse_query("What did Czechia report?", czech, {}, STEM).absent_countries == []


@pytest.mark.parametrize("word, country", [
    ("Belguim", "Belgium"), ("Luxemburg", "Luxembourg"), ("luxembourgh", "Luxembourg"), ("Belgain", "Belgium"),
    ("Belgium", None),  # written right: the name itself
    ("Iceland", None),  # a country of its own, not a misspelt Ireland
    ("hungry", None),  # too short to read as a misspelling (and a word)
    ("Belgica", None)])  # two letters off
def test_a_country_name_misspelt_by_one_letter_is_read_as_the_name(word, country):
    from indexer.countries import misspelt

    countries = (*COUNTRIES, Country(name="Ireland"), Country(name="Hungary"))
    found = misspelt(word, countries)
    assert (found.name if found else None) == country


def test_a_misspelt_name_that_stands_in_the_documents_is_a_word():
    from service.query import corrected

    assert corrected("what did Belguim report?", COUNTRIES, lambda w: False) == "what did Belgium report?"
    assert corrected("what did Belguim report?", COUNTRIES, lambda w: w == "Belguim") == "what did Belguim report?"


@pytest.mark.parametrize("word, country", [
    ("Lux", "Luxembourg"), ("Belg", "Belgium"), ("Bel", "Belgium"),
    ("lux", None),  # a shortening is capitalised
    ("Lu", None),  # two letters: initials or a word
    ("Iceland", None)])  # names a country of its own
def test_a_capitalised_shortening_of_one_country_name_is_read_as_the_name(word, country):
    from indexer.countries import abbreviated

    found = abbreviated(word, tuple(COUNTRIES))
    assert (found.name if found else None) == country


def test_a_shortened_name_narrows_unless_it_stands_in_the_documents_as_a_word():
    from service.query import corrected

    assert corrected("Lux: any problems with ISPs?", COUNTRIES, lambda w: False) == "Luxembourg: any problems with ISPs?"
    assert corrected("Lux awards for prisons", COUNTRIES, lambda w: w == "Lux") == "Lux awards for prisons"


@pytest.mark.parametrize("word, country", [
    ("LU", "Luxembourg"), ("BE", "Belgium"),
    ("lu", None), ("Be", None),  # a code is written in capitals
    ("NO", None),  # Norway's code: no country of these documents
    ("LUX", None)])  # ISO's three-letter codes are words or drugs too often (CAN, PER, MDA)
def test_a_two_letter_iso_code_in_capitals_is_read_as_its_country(word, country):
    from indexer.countries import coded

    found = coded(word, tuple(COUNTRIES))
    assert (found.name if found else None) == country


def test_codes_narrow_unless_the_documents_write_the_word_in_capitals():
    """Staff write "BE and LU"; "NO" of an action-taken mark ("[X] NO") is a word the documents
    write, not Norway; a question in capitals throughout ("WHAT IS BE DOING") writes no code."""
    from service.query import corrected

    norway = COUNTRIES + [Country(name="Norway")]
    assert corrected("BE and LU: FIU access for police?", COUNTRIES, lambda w: False) == \
        "Belgium and Luxembourg: FIU access for police?"
    assert corrected("NO comments on Issue II", norway, lambda w: w == "NO") == "NO comments on Issue II"
    assert corrected("WHAT IS BE DOING ON FIU", COUNTRIES, lambda w: False) == "WHAT IS BE DOING ON FIU"
    # a code standing alone is an acronym as often: read only joined to another name or code
    italy = COUNTRIES + [Country(name="Italy")]
    for q in ("Which IT systems does the FIU use?", "What did Belgium report on IT security?", "LU FIU access"):
        assert corrected(q, italy, lambda w: False) == q
    assert corrected("BE/LU FIU access", COUNTRIES, lambda w: False) == "Belgium/Luxembourg FIU access"
    assert corrected("Belgium and LU on FIU", COUNTRIES, lambda w: False) == "Belgium and Luxembourg on FIU"


def test_a_misspelling_the_documents_write_in_another_case_is_a_word():
    """Whether a document holds a misspelt-looking word is asked in any case ("indiana" typed,
    "Indiana" written); whether it writes a code, in capitals only ("NO" written, "no" everywhere)."""
    from service.query import corrected

    india = [Country(name="India", adjectives=("Indian",))]
    assert corrected("indiana drug courts", india, lambda w: w.lower() == "indiana",
                     lambda w: w == "indiana") == "indiana drug courts"


def test_a_question_naming_countries_by_code_is_answered_by_country(engine):
    """Over the corpus: "BE and LU" are Belgium and Luxembourg, answered with the two countries'
    table; "LU" alone narrows nothing (a lone two-capital word is an acronym as often). The
    passages write "EU" in capitals, and never "LU" or "BE" ("be" in lower case, often)."""
    from service import ask

    assert engine.index.writes("EU") and engine.index.writes("be")
    assert not engine.index.writes("LU") and not engine.index.writes("BE")
    table = ask.ask(engine, "what are BE and LU doing for women who use drugs?").answer
    assert table.type == "by_country" and {r.country for r in table.by_country} == {"Belgium", "Luxembourg"}
    assert engine.parse(ask.ask_request("LU FIU access for police")).countries == []
    pair = ask.ask(engine, "BE/LU: alternatives to imprisonment").answer
    assert pair.type == "by_country" and {r.country for r in pair.by_country} == {"Belgium", "Luxembourg"}
