"""Per-passage tools on the web page, in Debian's Chromium against the real server: "Similar
passages", the passages before and after, an action-plan proposal's competence and deadline, stepping
through a document's passages, and a PDF's page image. (Browser fixtures: tests/test_web.py.)
"""
from __future__ import annotations

import re

import httpx

from test_web import SEARCH_Q, TIMEOUT_MS, api, browser, expect, page, search  # noqa: F401 (fixtures)


PROPOSAL_Q = "penalisation of clients who use intermediaries"  # an action-plan proposal ranks first


def proposal_search(page, api):
    page.goto("/?" + str(httpx.QueryParams({"q": PROPOSAL_Q, "kind": "action-plan"})))
    expected = api.get("/search", params={"q": PROPOSAL_Q, "kind": "action-plan"}).json()["results"]
    expect(page.locator("#results > li.result")).to_have_count(len(expected))
    return expected


def test_similar_passages_come_from_the_api_with_citations(page, api):
    results = search(page, SEARCH_Q)
    top = api.get("/search", params={"q": SEARCH_Q}).json()["results"][0]
    similar = api.get(f'/passages/{top["passage_id"]}/similar', params={"k": 5}).json()["results"]
    assert similar
    button = results.first.get_by_role("button", name="Similar passages")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    items = results.first.locator(".similar-panel li.similar")
    expect(items).to_have_count(len(similar))
    expect(items.locator("a.citation")).to_have_text([s["citation"]["label"] for s in similar])
    assert items.first.get_attribute("data-passage-id") == similar[0]["passage_id"]
    # a similar passage's citation opens it in the document view
    items.first.locator("a.citation").click()
    expect(page.locator("#doc-title")).to_have_text(similar[0]["document"]["title"])
    marked = "".join(page.locator("#doc-text mark.passage").all_text_contents())
    text = api.get(f'/documents/{similar[0]["document"]["id"]}').json()["text"]
    assert marked == "".join(text[s["start"]:s["end"]] for s in similar[0]["citation"]["spans"])
    button.click()  # closes again
    expect(results.first.locator(".similar-panel")).to_be_hidden()


def test_context_shows_the_passages_before_and_after(page, api):
    expected = proposal_search(page, api)
    r = expected[0]
    passage = api.get(f'/passages/{r["passage_id"]}').json()
    before, after = (api.get(f"/passages/{pid}").json() for pid in (passage["previous"], passage["next"]))
    li = page.locator("#results > li.result").first
    li.get_by_role("button", name="Context before and after").click()
    panel = li.locator(".context-panel")
    expect(panel.locator(".context-previous .context-text")).to_have_text(before["text"])
    expect(panel.locator(".context-next .context-text")).to_have_text(after["text"])
    expect(panel.locator(".context-previous a.citation")).to_have_text(before["citation"]["label"])
    expect(panel.locator(".context-next a.citation")).to_have_text(after["citation"]["label"])


def test_proposal_shows_competence_and_deadline_as_fields(page, api):
    expected = proposal_search(page, api)
    r = expected[0]
    assert r["type"] == "proposal" and r["fields"]["competence"] and r["fields"]["deadline"]
    fields = page.locator("#results > li.result").first.locator("dl.proposal-fields")
    expect(fields.locator("dt")).to_have_text(["Competence", "Deadline"])
    expect(fields.locator("dd")).to_have_text([r["fields"]["competence"], r["fields"]["deadline"]])
    # a section passage has no such fields
    section = next(i for i, x in enumerate(expected) if x["type"] != "proposal")
    expect(page.locator("#results > li.result").nth(section).locator("dl.proposal-fields")).to_have_count(0)


def test_document_view_steps_through_passages_and_finds_similar(page, api):
    passage = api.get("/passages/be-thb-action-plan:s1.2:p3").json()
    nxt = api.get(f'/passages/{passage["next"]}').json()
    text = api.get("/documents/be-thb-action-plan").json()["text"]
    page.goto(f'/#doc=be-thb-action-plan&passage={passage["id"]}')
    marked = lambda: "".join(page.locator("#doc-text mark.passage").all_text_contents())  # noqa: E731
    expect(page.locator("#doc-cited")).to_contain_text(passage["citation"]["label"])
    page.get_by_role("link", name="Next passage →").click()
    expect(page.locator("#doc-cited")).to_contain_text(nxt["citation"]["label"])
    assert marked() == "".join(text[s["start"]:s["end"]] for s in nxt["citation"]["spans"])
    expect(page.locator("#doc-tools dl.proposal-fields dd")).to_have_text(
        [nxt["fields"]["competence"], nxt["fields"]["deadline"]])
    page.get_by_role("link", name="← Previous passage").click()
    expect(page.locator("#doc-cited")).to_contain_text(passage["citation"]["label"])
    # questionnaire responses too: the API names no neighbours there, the document's order does
    doc = api.get("/documents/be-cnd-response").json()
    ids = [p["passage_id"] for p in doc["passage_spans"]]
    page.goto(f"/#doc=be-cnd-response&passage={ids[1]}")
    expect(page.get_by_role("link", name="Next passage →")).to_have_attribute("href", re.compile(re.escape(
        str(httpx.QueryParams({"passage": ids[2]})))))
    similar = api.get(f"/passages/{ids[1]}/similar", params={"k": 5}).json()["results"]
    page.locator("#doc-tools").get_by_role("button", name="Similar passages").click()
    expect(page.locator("#doc-tools li.similar a.citation")).to_have_text([s["citation"]["label"] for s in similar])


def test_pdf_document_shows_its_page_with_the_citation(browser, live_workspace_server, embedder):
    """A PDF's document view offers "Show page N": the page image (GET /documents/{id}/pages/{n}.png)
    with the cited range boxed, N being the page the highlight starts on."""
    from indexer.build import build_index
    from test_formats import make_pdf, seed_pages

    server = live_workspace_server
    pages = seed_pages("belgium-cnd-position-paper-online-drug-trafficking.txt", per_page=2)
    (server.workspace.corpus / "paper.pdf").write_bytes(make_pdf(pages))
    build_index(server.workspace.settings, embedder=embedder)
    assert httpx.post(f"{server.url}/admin/reload", headers={"X-Admin-Token": "test-token"}, timeout=60).status_code == 200
    doc = httpx.get(f"{server.url}/documents/paper", timeout=60).json()
    assert len(doc["pages"]) == len(pages)
    passage = doc["passage_spans"][-1]  # on a later page than the first
    start = passage["spans"][0]["start"]
    number = next(p["number"] for p in doc["pages"] if p["start"] <= start < p["end"])
    assert number > 1
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f'/#doc=paper&passage={passage["passage_id"]}')
        toggle = page.get_by_role("button", name=f"Show page {number}")
        with page.expect_response(re.compile(rf"/documents/paper/pages/{number}\.png")) as response:
            toggle.click()
        assert response.value.status == 200 and response.value.headers["content-type"] == "image/png"
        boxed = ",".join(f'{s["start"]}-{s["end"]}' for s in passage["spans"][:16])  # each span, none between
        assert f"spans={boxed}" in response.value.url.replace("%2C", ",")
        image = page.locator("#doc-tools img.page-image")
        expect(image).to_be_visible()
        expect(image).to_have_attribute("alt", re.compile(rf"^Page {number} of "))
        page.wait_for_function("img => img.complete && img.naturalWidth > 300", arg=image.element_handle())
        toggle.click()
        expect(image).to_be_hidden()
    finally:
        context.close()
    # an unpaged document offers no page
    page = browser.new_context(base_url=server.url).new_page()
    page.goto("/#doc=be-cnd-response&passage=be-cnd-response:issue-I:rec-1")
    expect(page.locator("#doc-tools .passage-nav a").first).to_be_visible()
    expect(page.locator("#doc-tools .page-toggle")).to_have_count(0)
    page.context.close()
