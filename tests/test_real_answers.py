"""Answers over the real documents (../shared/real-documents: four UN PDFs and two Markdown
treaties) indexed beside the corpus: the sentence /ask puts first for questions whose answer
stands in a UN report, a treaty or a follow-up record, each for a rule that follows the
documents' form (a definition, a count, a source note, a document of no country).
"""
from __future__ import annotations

import pytest

from conftest import REAL_DOCUMENTS

pytestmark = pytest.mark.skipif(not list(REAL_DOCUMENTS.glob("*.pdf")),
                                reason=f"{REAL_DOCUMENTS} is absent: the real documents are not beside this checkout")


def test_asked_which_countries_a_document_of_no_country_keeps_its_rank(real_engine):
    """"Which countries …" puts each country's best passage first; a UN body's report belongs to
    no country and had been put below them all, so the answer opened with a Belgian passage.
    Documents of no country lead as a group of their own, by score."""
    from service import ask

    question = "which countries host the common back offices that UNDP leads?"
    first = ask.ask(real_engine, question).answer.sentences[0]
    assert "launched in Brazil and Viet Nam" in first.text, first.text
    assert first.citation.file == "undp_audit_recs_status_DP-2025-3.pdf"


def test_a_footnote_citing_a_source_is_read_after_the_text(real_engine):
    """A footnote that only cites a news report ("Haiti Libre, “Mirebalais under attack …”,
    available at …") can match a question word for word; the report's own paragraph answers."""
    from service import ask

    question = "How many prisoners escaped when gangs attacked Mirebalais on 31 March 2025?"
    answer = ask.ask(real_engine, question).answer
    assert answer.sentences[0].citation.file == "unodc_haiti_report_S-2025-303.pdf"
    assert not answer.sentences[0].passage_id.split(":")[-1].startswith("footnote"), answer.sentences[0]


def test_asked_how_many_the_sentence_counting_what_was_asked_answers(real_engine):
    """"How many firearms": of the Nieto case's sentences, the one that counts firearms ("at least
    58 firearms"), not the one whose number is an age ("a 31-year-old former police officer"),
    which shares more of the question's words."""
    from service import ask

    question = "how many firearms did the former police officer in the Nieto case buy?"
    first = ask.ask(real_engine, question).answer.sentences[0]
    assert "at least 58 firearms" in first.text, first.text


def test_asked_how_many_a_passage_counting_it_is_read_before_one_giving_no_count(engine, real_engine):
    """"How many languages …": the first result (on victims who speak no national language)
    gives no count at all; the footnote "drafted in 40 different languages" counts what was
    asked, and is read first. A first result that gives a count of its own stays first: "37
    firearms" answers "how many guns …", though it does not say "guns"."""
    from service import ask

    first = ask.ask(engine, "how many languages does the victim registration tool support").answer.sentences[0]
    assert first.text.startswith("It involves a series of basic questions drafted in 40 different languages")
    question = "How many guns were found hidden in compressor tanks at the port of Haina in January 2025?"
    assert "37 firearms" in ask.ask(real_engine, question).answer.sentences[0].text



def test_asked_how_many_a_count_spelt_out_answers_not_a_range_of_days(real_engine):
    """"How many ratifications before the Palermo protocol takes effect": its article 16 ranks
    first, but "open for signature from 12 to 15 December 2000" gives days, no count; article 17's
    "the fortieth instrument of ratification", spelt out as treaties spell numbers, counts what
    was asked and answers."""
    from service import ask

    question = "how many ratifications before the palermo trafficking protocol takes effect"
    first = ask.ask(real_engine, question).answer.sentences[0]
    assert "fortieth instrument of ratification" in first.text, first.text


@pytest.mark.parametrize("question, file, opens", [
    ("how does the Council of Europe convention define a victim?", "treaty_coe_convention_action_against_thb_2005.md",
     "e) “Victim” shall mean"),
    ("how is a child defined in the trafficking protocol", "treaty_palermo_trafficking_protocol_2000.md",
     "d) ``Child\" shall mean"),
    ("what is GRETA?", "treaty_coe_convention_action_against_thb_2005.md",
     "1. The Group of experts on action against trafficking in human beings (hereinafter referred to as “GRETA”)"),
])
def test_asked_what_a_term_means_the_sentence_defining_it_answers(real_engine, question, file, opens):
    """A treaty's "Use of terms" article defines its terms (“Victim” shall mean …), and is
    outranked by articles that use them ("… not dependent upon the report … made by a victim");
    asked how the instrument defines a term, its definition is the answer."""
    from service import ask

    first = ask.ask(real_engine, question).answer.sentences[0]
    assert first.text.startswith(opens) and first.citation.file == file, (first.text, first.citation.file)


def test_a_question_about_an_acronym_that_is_no_definition_question_keeps_its_answer(real_engine):
    """"What is GRETA?" is answered by the sentence setting GRETA up; "how many members does
    GRETA have" still by the one that counts them, not by that definition."""
    from service import ask

    first = ask.ask(real_engine, "how many members does GRETA have").answer.sentences[0]
    assert "minimum of 10 members and a maximum of 15 members" in first.text, first.text


def test_a_question_naming_a_country_reads_what_documents_of_no_country_say_of_it(real_engine):
    """Scoped to Belgium by its name, a question had read Belgium's own documents only, and a UN
    body's report recording a resolution "sponsored by Belgium, Brazil, …" was never read. A
    document of no country that names the country is read too; the filter `country=Belgium`
    still keeps to Belgium's own documents."""
    from service import ask

    question = "Which resolutions did Belgium sponsor at the Commission on Narcotic Drugs in 2025?"
    first = ask.ask(real_engine, question).answer.sentences[0]
    assert first.citation.file == "un_cnd_report_68th_session_E-2025-28.pdf", first
    assert "Strengthening the international drug control system" in first.text, first.text
    filtered = ask.ask(real_engine, question, country="Belgium")
    assert {r.document.country for r in filtered.results} == {"Belgium"}
    assert "un-cnd-report-68th-session-e-2025-28" not in {r.document.id for r in filtered.results}


@pytest.mark.parametrize("question, opens", [
    ("Which states recommended that Belgium ratify the Optional Protocol to the Convention against Torture?",
     "100.1. Ratify the Optional Protocol to the Convention against Torture"),
    ("what did Malaysia recommend to Belgium?", "103.13. Consider lifting the ban on headscarves in schools (Malaysia)"),
])
def test_asked_who_proposed_it_the_item_attributed_to_states_answers(real_engine, question, opens):
    """A UN review lists each recommendation with the States that made it, in parentheses.
    "Which States recommended …" had been answered by the paragraph in which Belgium says it
    looks forward to ratifying, which shares more of the words; "what did Malaysia recommend"
    by "Malaysia made recommendations."."""
    from service import ask

    first = ask.ask(real_engine, question).answer.sentences[0]
    assert first.text.startswith(opens), first.text
    assert first.citation.file == "upr_wg_report_belgium2011.pdf"


def test_an_acronyms_expansion_weighs_as_one_word_of_the_question(real_engine):
    """"UPR" gains "universal periodic review": three words that, counted as three, outweighed
    "Salduz", the word that says what is asked, and put the report's introduction (which spells
    the name out) first. Counted as one word, the recommendation on Salduz leads."""
    from service import ask
    from service.schemas import SearchRequest

    top = real_engine.search(SearchRequest(q="UPR recommendation on Salduz", mode="lexical", k=1)).results[0]
    assert top.passage_id == "upr-wg-report-belgium2011:ii:p10", top.passage_id
    question = "text of UPR recommendation to Belgium on Salduz and access to a lawyer"
    first = ask.ask(real_engine, question).answer.sentences[0]
    assert first.text.startswith("100.46. Adapt procedural law to the requirements established in the Salduz"), first.text
