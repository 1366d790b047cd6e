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
    thb = search(api, q="human trafficking", k=10, mode="lexical")
    assert "THB" in thb["interpreted"]["expansions"]
    # passages that only say "THB", never "human trafficking" nor "trafficking in human beings"
    assert any("THB" in r["text"] and "trafficking in human beings" not in r["text"].lower()
               for r in thb["results"])


def test_identical_wording_is_shown_once_with_also_in(api):
    wording = ("enable access by their law enforcement authorities to the information held by their "
               "financial intelligence units")
    body = search(api, q=wording, k=5)
    top = body["results"][0]
    assert top["type"] == "recommendation"
    others = {a["document"]["id"] for a in top["also_in"]}
    assert others == {"lu-cnd-response", "be-cnd-response"} - {top["document"]["id"]}
    shown = [r["passage_id"] for r in body["results"]]
    assert not {a["passage_id"] for a in top["also_in"]} & set(shown)


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


def test_ask_across_countries_has_a_row_per_country_with_citations(api, corpus_text):
    body = api.get("/ask", params={"q": "which countries grant FIU access to police?"}).json()
    answer = body["answer"]
    assert answer["type"] == "by_country" and answer["recommendation"] == "Issue IV, Recommendation 1"
    rows = {row["country"]: row for row in answer["by_country"]}
    assert set(rows) == {"Belgium", "Luxembourg"}
    for row in rows.values():
        c = row["citation"]
        assert row["answered"] and corpus_text(c["file"])[c["start"]:c["end"]] == row["sentence"]
    assert body["results"]


def test_ask_reports_countries_that_said_nothing(api):
    body = api.get("/ask", params={"q": "which countries use alternatives to imprisonment for drug users "
                                        "at arrest and pretrial?"}).json()
    rows = {row["country"]: row for row in body["answer"]["by_country"]}
    assert rows["Belgium"]["answered"] is False and rows["Belgium"]["sentence"] == "no comment reported"
    assert rows["Luxembourg"]["answered"] is True
    assert body["answer"]["recommendation"].startswith("Issue II")


def test_ask_single_answer(api):
    body = api.get("/ask", params={"q": "How many NPS had been reported by December 2014?"}).json()
    assert body["answer"]["type"] == "single"
    assert any("543" in s["text"] for s in body["answer"]["sentences"])


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
