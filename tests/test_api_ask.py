"""/ask over real HTTP against the real index: a table by country when the evidence is a shared
recommendation (each country's own comment, cited), one country's detail as a single answer,
quoted words answered with their sentence, and what no response covers answered by none."""
from __future__ import annotations

import pytest

from indexer.text import clean, normalize_wording
from test_api import api, corpus_text  # noqa: F401 - the fixtures


def _comment_start(corpus_text, row):
    """Where the country's comment starts in its file: after the recommendation it answers."""
    text = corpus_text(row["citation"]["file"])
    return text.index("Comment", text.rfind("Recommendation", 0, row["citation"]["start"]))


def test_ask_across_countries_has_a_row_per_country_with_citations(api, corpus_text):
    body = api.get("/ask", params={"q": "which countries grant FIU access to police?"}).json()
    answer = body["answer"]
    assert answer["type"] == "by_country" and answer["recommendation"] == "Issue IV, Recommendation 1"
    rows = {row["country"]: row for row in answer["by_country"]}
    assert set(rows) == {"Belgium", "Luxembourg"}
    for row in rows.values():
        c = row["citation"]
        cited = clean(corpus_text(c["file"]), [(s["start"], s["end"]) for s in c["spans"]]).text
        # parts that do not stand together are joined by an ellipsis; each is cited by its own spans
        assert row["answered"] and normalize_wording(cited) == normalize_wording(row["sentence"].replace(" … ", " "))
        assert c["start"] > _comment_start(corpus_text, row)  # the country's words, not the recommendation's
    # Belgium's comment opens with its position, shown first, then the sentence closest to the
    # question; what stands between them is neither shown nor cited
    belgium = rows["Belgium"]
    opening, detail = belgium["sentence"].split(" … ")
    assert opening == "This kind of access is already implemented in Belgium (via Judicial authorities)."
    pieces = [corpus_text(belgium["citation"]["file"])[s["start"]:s["end"]] for s in belgium["citation"]["spans"]]
    assert pieces == [opening, detail]
    ref = answer["recommendation_ref"]
    assert ref["text"].startswith("In support of the investigation of money-laundering offences")
    assert body["results"]


@pytest.mark.parametrize("q", ["police training on internet investigations",
                               "sharing money-laundering risk assessment results with UNODC, by country",
                               "what did Belgium and Luxembourg say about gender-sensitive drug policies?"])
def test_ask_gives_a_table_when_the_evidence_is_a_shared_recommendation(api, corpus_text, q):
    """No "which countries" in the question: the evidence, answered by two responses, shapes the answer."""
    answer = api.get("/ask", params={"q": q}).json()["answer"]
    assert answer["type"] == "by_country", answer
    assert {r["country"] for r in answer["by_country"]} == {"Belgium", "Luxembourg"}
    for row in answer["by_country"]:
        if row["answered"]:
            assert row["citation"]["start"] > _comment_start(corpus_text, row)
            assert row["sentence"] not in answer["recommendation_ref"]["text"]
        else:
            assert row["sentence"] == "no comment reported"


@pytest.mark.parametrize("q, country, said", [
    ("when was the Tox programme launched?", "Luxembourg", "Tox programme"),
    ("what year did the Tox programme start", "Luxembourg", "Tox programme"),
    ("electronic bracelets as an alternative to prison", "Luxembourg", "electronic bracelets"),
    ("reporting illegal online content to social media platforms", "Belgium", "social media")])
def test_ask_about_a_detail_one_country_gave_is_a_single_answer(api, q, country, said):
    """The evidence is a shared recommendation, but the question matches one country's comment
    far better than the recommendation all were asked, and asks a fact (when, what year) or no
    other country's comment comes near it (Belgium left the bracelets' recommendation blank;
    Luxembourg's comment on the Internet Referral Unit's recommendation is on training): that
    comment answers, not a table."""
    answer = api.get("/ask", params={"q": q}).json()["answer"]
    assert answer["type"] == "single", answer
    first = answer["sentences"][0]
    assert first["country"] == country and said in first["text"], first


@pytest.mark.parametrize("q, first_country, said", [
    ("free contraception for women who use drugs", "Luxembourg", "implants free of charge"),
    ("cepol darknet courses", "Belgium", "CEPOL")])
def test_a_topic_other_countries_comments_speak_to_is_every_countrys_table(api, q, first_country, said):
    """A topic, not a fact, that one comment matches best but the other country's comment on the
    recommendation speaks to as well (Luxembourg's officers trained by the EU's law enforcement
    training agency, named in full; Belgium's study of treatment for women): the table, the best
    match's country first."""
    answer = api.get("/ask", params={"q": q}).json()["answer"]
    assert answer["type"] == "by_country", answer
    rows = answer["by_country"]
    assert {r["country"] for r in rows} == {"Belgium", "Luxembourg"} and rows[0]["country"] == first_country
    assert said in rows[0]["sentence"]
    assert all(r["answered"] and not r["sentence"].startswith("Governments") for r in rows)


@pytest.mark.parametrize("q, fragment", [
    ("work together to overcome the obstacles … expedite information-sharing", "overcome the obstacles encountered"),
    ("precedent for 'suitably resourced so as to be effective'", "suitably resourced so as to be effective")])
def test_ask_with_a_quoted_or_elided_fragment_answers_with_the_wording(api, corpus_text, q, fragment):
    """A delegate pasting a fragment (single quotes, or '…' for what was left out) wants the
    text and where it stands, not each country's comment on it."""
    answer = api.get("/ask", params={"q": q}).json()["answer"]
    assert answer["type"] == "single", answer
    first = answer["sentences"][0]
    c = first["citation"]
    assert fragment in first["text"] and fragment in corpus_text(c["file"])[c["start"]:c["end"]]
    assert first["text"].startswith("Governments")  # the recommendation's own text, not a comment


def test_ask_with_quoted_words_answers_with_the_sentence_that_holds_them(api, corpus_text):
    """Quoted words are answered with the whole sentence they stand in and its citation, not the
    words typed back; /search still highlights exactly the quoted words."""
    q = '"suitably resourced"'
    first = api.get("/ask", params={"q": q}).json()["answer"]["sentences"][0]
    c = first["citation"]
    cited = corpus_text(c["file"])[c["start"]:c["end"]]
    assert cited.startswith("Governments should be encouraged") and cited.endswith("illicit trafficking.")
    assert "suitably resourced" in first["text"] and len(first["text"]) > 100
    hit = api.get("/search", params={"q": q}).json()["results"][0]
    assert [h["text"] for h in hit["highlight"]] == ["suitably resourced"]


def test_ask_reports_countries_that_said_nothing(api, corpus_text):
    body = api.get("/ask", params={"q": "which countries use alternatives to imprisonment for drug users "
                                        "at arrest and pretrial?"}).json()
    rows = {row["country"]: row for row in body["answer"]["by_country"]}
    assert rows["Belgium"]["answered"] is False and rows["Belgium"]["sentence"] == "no comment reported"
    blank = rows["Belgium"]["citation"]  # cited to the recommendation it left blank
    assert corpus_text(blank["file"])[blank["start"]:blank["end"]].startswith("Governments are encouraged")
    assert rows["Luxembourg"]["answered"] is True
    assert body["answer"]["recommendation"].startswith("Issue II")


def test_ask_about_one_country_reads_its_comment(api, corpus_text):
    body = api.get("/ask", params={"q": "what does Luxembourg do about electronic bracelets?"}).json()
    answer = body["answer"]
    assert answer["type"] == "single"
    first = answer["sentences"][0]
    assert first["country"] == "Luxembourg" and "electronic bracelet" in first["text"]
    c = first["citation"]
    pieces = [corpus_text(c["file"])[s["start"]:s["end"]] for s in c["spans"]]
    assert normalize_wording(" ".join(pieces)) == normalize_wording(first["text"].replace(" … ", " "))


def test_ask_single_answer(api):
    body = api.get("/ask", params={"q": "How many NPS had been reported by December 2014?"}).json()
    assert body["answer"]["type"] == "single"
    assert "543" in body["answer"]["sentences"][0]["text"]


def test_ask_about_a_proposal_cites_its_row(api):
    """Who and by when: the proposal's table row answers whole (proposal, competence, deadline)."""
    first = api.get("/ask", params={"q": "who must update circular Col 01/07 and by when?"}).json()["answer"][
        "sentences"][0]
    assert "Board of Prosecutors General" in first["text"] and "31/12/2013" in first["text"]


def test_ask_across_countries_about_something_no_response_covers(api):
    """No recommendation is about alternative development: no rows per country pretending otherwise."""
    body = api.get("/ask", params={"q": "which countries have alternative development programmes?"}).json()
    assert body["answer"]["type"] == "single"
