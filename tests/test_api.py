"""The API as its three users rely on it, over real HTTP against the real index."""
from __future__ import annotations

import re

import httpx
import pytest

from indexer.text import clean, normalize_wording


@pytest.fixture(scope="module")
def api(live_server):
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def corpus_text(settings):
    return lambda name: (settings.corpus_dir / name).read_text("utf-8")


def search(api, **params):
    response = api.get("/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_search_contract_and_exact_citations(api, corpus_text):
    body = search(api, q="container control at seaports", k=5)
    assert body["query"] == "container control at seaports" and len(body["results"]) == 5
    for rank, r in enumerate(body["results"], 1):
        assert r["rank"] == rank
        assert {"score", "passage_id", "text", "heading", "document", "citation", "highlight", "also_in"} <= set(r)
        assert set(r["document"]) == {"id", "title", "country", "kind"}
        c = r["citation"]
        doc = corpus_text(c["file"])
        assert c["start"] == c["spans"][0]["start"] and c["end"] == c["spans"][-1]["end"]
        # the passage's first words stand at the cited offset of the verbatim file
        first_words = " ".join(r["text"].split()[:3])
        assert normalize_wording(doc[c["start"]:c["end"]]).startswith(normalize_wording(first_words)[:10])
        for h in r["highlight"]:  # verbatim pieces inside the passage's own spans
            assert any(s["start"] <= h["start"] < h["end"] <= s["end"] for s in c["spans"])
            assert normalize_wording(clean(doc, [(h["start"], h["end"])]).text) == normalize_wording(h["text"])
    assert body["results"][0]["passage_id"].startswith("unodc-drugs-and-crime:")
    assert "Container Control Programme" in body["results"][0]["heading"]


def test_post_search_takes_the_same_fields(api):
    get = search(api, q="darknet marketplaces", k=3, country="Belgium")
    post = api.post("/search", json={"q": "darknet marketplaces", "k": 3, "country": "Belgium"}).json()
    assert [r["passage_id"] for r in post["results"]] == [r["passage_id"] for r in get["results"]]


@pytest.mark.parametrize("field,value", [("country", "Luxembourg"), ("kind", "action-plan"),
                                         ("document", "unodc-drugs-and-crime")])
def test_filters(api, field, value):
    body = search(api, q="training of police", k=10, **{field: value})
    key = "id" if field == "document" else field
    assert body["results"] and all(r["document"][key] == value for r in body["results"])


@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_modes(api, mode):
    body = search(api, q="electronic bracelets", k=3, mode=mode)
    assert body["mode"] == mode and body["results"][0]["document"]["country"] == "Luxembourg"


def test_a_country_named_in_the_query_narrows_to_it(api):
    body = search(api, q="Luxembourg's code of criminal procedure on custodial sentences", k=5)
    assert body["interpreted"]["countries"] == ["Luxembourg"]
    assert all(r["document"]["country"] == "Luxembourg" for r in body["results"])
    assert search(api, q="Belgian customs and cash declarations", k=3)["results"][0]["passage_id"] == \
        "be-cnd-response:issue-IV:rec-1"


def test_acronyms_expand_both_ways(api):
    fiu = search(api, q="FIU access to police", k=5)
    assert "financial intelligence units" in fiu["interpreted"]["expansions"]
    assert any("financial intelligence unit" in r["text"].lower() for r in fiu["results"])
    thb = search(api, q="trafficking in human beings", k=10, mode="lexical")
    assert "THB" in thb["interpreted"]["expansions"]
    # passages that only say "THB", never "trafficking in human beings"
    assert any("THB" in r["text"] and "trafficking in human beings" not in r["text"].lower()
               for r in thb["results"])


@pytest.mark.parametrize("q", ["support for victims of drug trafficking", "drugs and crime", "human trafficking"])
def test_acronyms_are_not_added_for_a_few_shared_common_words(api, q):
    """EMCDDA's long name holds "drugs" and "drug"; UNODC's "drugs" and "crime": no query gains them."""
    assert search(api, q=q, k=3)["interpreted"]["expansions"] == []


def test_a_countrys_own_comment_is_never_folded_away(api, corpus_text):
    """Two responses share the recommendation's wording but not their comments: two results."""
    body = search(api, q="law enforcement agencies professionally trained and resourced for cyber-related offences",
                  k=5)
    top = {r["passage_id"] for r in body["results"]}
    assert {"be-cnd-response:issue-I:rec-1", "lu-cnd-response:issue-I:rec-1"} <= top
    for r in body["results"]:
        for folded in r["also_in"]:  # whatever is folded is cited whole, and shows what the result shows
            c = folded["citation"]
            assert c["spans"] and c["start"] == c["spans"][0]["start"]


def test_identical_evidence_is_shown_once_with_also_in(api):
    """A proposal's summary-table copy says what its section copy says: one result, also_in."""
    body = search(api, q="Updating of Circular Col 01/07 on investigations and prosecutions", k=5)
    top = body["results"][0]
    assert top["passage_id"] == "be-thb-action-plan:proposal-14"
    assert [a["passage_id"] for a in top["also_in"]] == ["be-thb-action-plan:proposal-14:summary"]
    shown = [r["passage_id"] for r in body["results"]]
    assert "be-thb-action-plan:proposal-14:summary" not in shown


def test_question_across_countries_shows_each_countrys_own_comment(api, corpus_text):
    body = search(api, q="which countries grant FIU access to police?", k=5)
    assert body["interpreted"]["across_countries"]
    top2 = body["results"][:2]
    assert {r["document"]["country"] for r in top2} == {"Belgium", "Luxembourg"}
    for r in top2:  # the highlight is the country's comment, not the shared recommendation text
        h = r["highlight"][0]
        assert h["start"] > r["citation"]["spans"][0]["end"]


def test_quoted_phrase_matches_exact_wording(api):
    body = search(api, q='"Board of Prosecutors General" deadline', k=20)
    assert body["interpreted"]["phrases"] == ["Board of Prosecutors General"]
    assert body["results"]
    for r in body["results"]:
        assert "board of prosecutors general" in normalize_wording(r["text"])
        assert normalize_wording(r["highlight"][0]["text"]) == "board of prosecutors general"
    assert search(api, q='"no such wording anywhere in the corpus"')["results"] == []


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


def test_ask_as_csv_opens_in_a_spreadsheet(api):
    import csv
    import io

    response = api.get("/ask", params={"q": "which countries grant FIU access to police?", "format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["country"] for r in rows} == {"Belgium", "Luxembourg"}
    assert all(r["sentence"] and r["file"].endswith(".txt") and int(r["end"]) > int(r["start"]) for r in rows)
    answer = api.get("/ask", params={"q": "which countries grant FIU access to police?"}).json()["answer"]
    for row, listed in zip(answer["by_country"], rows, strict=True):  # each cited piece, nothing between
        assert listed["spans"] == ";".join(f"{s['start']}-{s['end']}" for s in row["citation"]["spans"])
    belgium = next(r for r in rows if r["country"] == "Belgium")
    assert len(belgium["spans"].split(";")) == 2 and " … " in belgium["sentence"]


def test_asked_about_a_whole_issue_the_answer_has_a_table_for_each_recommendation(api):
    """"Issue IV comments by country" is about Issue IV's four recommendations: the best
    evidence's table, then the other three's in the questionnaire's order, with Belgium's blank
    responses (Recommendations 2 and 3, as /coverage says) marked; the CSV names each row's
    recommendation. Citing a recommendation, or no issue at all, gives one table."""
    import csv
    import io

    q = "issue IV comments by country"
    answer = api.get("/ask", params={"q": q}).json()["answer"]
    tables = [answer] + answer["issue_tables"]
    assert sorted(t["recommendation"] for t in tables) == [f"Issue IV, Recommendation {n}" for n in (1, 2, 3, 4)]
    rest = [int(t["recommendation"].rsplit(" ", 1)[1]) for t in answer["issue_tables"]]
    assert rest == sorted(rest)
    blank = {t["recommendation"] for t in tables for r in t["by_country"] if not r["answered"]}
    assert blank == {"Issue IV, Recommendation 2", "Issue IV, Recommendation 3"}
    assert all({r["country"] for r in t["by_country"]} == {"Belgium", "Luxembourg"} for t in tables)
    assert not set(answer["other_recommendations"]) & {t["recommendation"] for t in tables}
    rows = list(csv.DictReader(io.StringIO(
        api.get("/ask", params={"q": q, "format": "csv"}).content.decode("utf-8-sig"))))
    assert [(r["recommendation"], r["country"]) for r in rows] == [
        (t["recommendation"], r["country"]) for t in tables for r in t["by_country"]]
    for one in ("Issue II, Recommendation 3 by country", "which countries grant FIU access to police?"):
        assert api.get("/ask", params={"q": one}).json()["answer"]["issue_tables"] == []


def test_coverage_grid(api, corpus_text):
    grid = api.get("/coverage").json()
    assert grid["countries"] == ["Belgium", "Luxembourg"] and len(grid["rows"]) == 16
    assert [(r["issue"], r["recommendation"]) for r in grid["rows"][:4]] == [("I", 1), ("I", 2), ("I", 3), ("II", 1)]
    blank = {r["issue"] + "-" + str(r["recommendation"]) for r in grid["rows"] if not r["cells"]["Belgium"]["answered"]}
    assert blank == {"II-1", "II-2", "II-3", "II-4", "II-5", "II-6", "III-3", "IV-2", "IV-3"}
    for row in grid["rows"]:
        for cell in row["cells"].values():
            c = cell["citation"]
            cited = clean(corpus_text(c["file"]), [(s["start"], s["end"]) for s in c["spans"]]).text
            if cell["answered"]:
                assert normalize_wording(cited) == normalize_wording(cell["sentence"])
            else:
                assert cell["sentence"] == "no comment reported" and cited.startswith("Governments")


def test_coverage_as_csv(api):
    import csv
    import io

    response = api.get("/coverage", params={"format": "csv"})
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 32 and sum(r["answered"] == "no" for r in rows) == 9
    assert any("," in r["recommendation_text"] for r in rows)  # commas inside a field survive the round trip


@pytest.mark.parametrize("path", ["/ask?q=police&format=xml", "/coverage?format=xlsx"])
def test_unknown_format_is_a_400_listing_both(api, path):
    response = api.get(path)
    assert response.status_code == 400 and "json, csv" in response.text


def test_documents_and_passages(api, corpus_text):
    docs = api.get("/documents").json()
    assert {d["id"] for d in docs} == {"be-cnd-response", "lu-cnd-response", "be-thb-action-plan",
                                       "be-cnd-position-paper", "unodc-drugs-and-crime"}
    full = api.get("/documents/be-thb-action-plan").json()
    assert full["text"] == corpus_text(full["file"])
    assert any(s["passage_id"] == "be-thb-action-plan:proposal-14" for s in full["passage_spans"])
    p = api.get("/passages/be-thb-action-plan:proposal-14").json()
    assert p["fields"]["deadline"] == "31/12/2013" and p["previous"] and p["next"]
    assert api.get(f"/passages/{p['previous']}").json()["next"] == p["id"]


@pytest.mark.parametrize("document", ["be-cnd-response", "lu-cnd-response"])
def test_questionnaire_responses_read_in_order(api, document):
    """Previous and next follow the form: Issue I, Recommendation 1, then 2, …; the first has no previous."""
    spans = api.get(f"/documents/{document}").json()["passage_spans"]
    ids = [s["passage_id"] for s in sorted(spans, key=lambda s: s["spans"][0]["start"])]
    walked, current = [], api.get(f"/passages/{ids[0]}").json()
    assert current["previous"] is None
    while current:
        walked.append(current["id"])
        current = api.get(f"/passages/{current['next']}").json() if current["next"] else None
    assert walked == ids


def test_similar_finds_precedents_elsewhere(api):
    body = api.get("/passages/be-cnd-response:issue-I:rec-1/similar", params={"k": 5}).json()
    assert body["results"] and all(r["document"]["id"] != "be-cnd-response" for r in body["results"])
    assert body["results"][0]["passage_id"] == "lu-cnd-response:issue-I:rec-1"


def test_health_and_metrics(api):
    health = api.get("/health").json()
    assert health["model"]["name"] == "all-MiniLM-L6-v2" and health["counts"]["passages"] > 150
    metrics = api.get("/metrics")
    assert metrics.status_code == 200 and "precedent_requests_total" in metrics.text
    assert re.search(r'precedent_requests_total\{route="/search",status="200"\} \d', metrics.text)


@pytest.mark.parametrize("params,status,words", [
    ({"q": ""}, 400, "empty"),
    ({"q": "   "}, 400, "empty"),
    ({"q": "x" * 2001}, 400, "limit is 2000"),
    ({"q": "police", "k": 0}, 422, "greater than or equal to 1"),
    ({"q": "police", "k": 101}, 422, "less than or equal to 100"),
    ({"q": "police", "country": "France"}, 400, "valid values: Belgium, Luxembourg, UNODC"),
    ({"q": "police", "kind": "novel"}, 400, "valid values: questionnaire-response"),
    ({"q": "police", "document": "nope"}, 400, "valid values: be-cnd-position-paper"),
    ({"q": "police", "mode": "magic"}, 422, "hybrid"),
])
def test_bad_input_gets_a_clear_4xx(api, params, status, words):
    response = api.get("/search", params=params)
    assert response.status_code == status
    assert words in response.text


def test_malformed_json_and_unknown_ids(api):
    assert api.post("/search", content=b"{bad", headers={"content-type": "application/json"}).status_code == 422
    assert api.get("/passages/nope").status_code == 404
    assert api.get("/documents/nope").status_code == 404
    assert api.get("/passages/nope/similar").status_code == 404
    assert api.get("/ask", params={"q": ""}).status_code == 400


def test_ask_across_countries_about_something_no_response_covers(api):
    """No recommendation is about alternative development: no rows per country pretending otherwise."""
    body = api.get("/ask", params={"q": "which countries have alternative development programmes?"}).json()
    assert body["answer"]["type"] == "single"
