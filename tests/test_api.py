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
