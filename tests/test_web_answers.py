"""The page in a real browser (Chromium): whole-issue tables, a query typed before the page
has finished loading, and a link straight to the coverage grid."""
from __future__ import annotations

import re

import httpx

from test_web import api, browser, expect, page  # noqa: F401 (fixtures)


def test_asked_about_a_whole_issue_the_page_shows_each_recommendations_table(page, api):
    q = "issue IV comments by country"
    answer = api.get("/ask", params={"q": q}).json()["answer"]
    page.goto("/?" + str(httpx.QueryParams({"q": q, "view": "ask"})))
    assert len(answer["issue_tables"]) == 3  # Issue IV has four recommendations
    expect(page.locator("table.by-country")).to_have_count(4)
    sections = page.locator("section.issue-table")
    expect(sections.locator("h3")).to_have_text([t["recommendation"] for t in answer["issue_tables"]])
    for t in answer["issue_tables"]:
        section = page.locator(f'section.issue-table[data-recommendation="{t["recommendation"]}"]')
        for row in t["by_country"]:
            tr = section.locator(f'tbody tr[data-country="{row["country"]}"]')
            expect(tr.locator("a.citation")).to_have_text(row["citation"]["label"])
            if not row["answered"]:
                expect(tr).to_contain_text("No comment reported")


def test_words_typed_while_the_page_loads_are_kept(page):
    """The page reads the documents' list before it reads the URL: words typed meanwhile are
    not wiped by the URL's empty query, and Enter searches them."""
    held = []
    page.route(re.compile(r"/documents$"), lambda route: held.append(route))
    with page.expect_request(re.compile(r"/documents$")):
        page.goto("/")
    page.fill("#q", "FIU access")
    assert held, "the documents' list was requested"
    held[0].continue_()
    expect(page.locator("body.ready")).to_be_attached()
    expect(page.locator("#q")).to_have_value("FIU access")
    page.press("#q", "Enter")
    expect(page.locator("#results > li.result").first).to_be_visible()


def test_a_link_to_the_coverage_view_opens_the_grid(page, api):
    """A bookmarked or shared "?view=coverage" (or a reload on the Coverage tab) shows the grid,
    which needs no query."""
    grid = api.get("/coverage").json()
    page.goto("/?view=coverage")
    table = page.locator("table.coverage")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(len(grid["rows"]))
    page.reload()
    expect(page.locator("table.coverage tbody tr")).to_have_count(len(grid["rows"]))


def test_a_country_whose_response_lacks_the_recommendation_has_a_row_saying_so(browser, workspace, embedder):
    """Staff want to know who reported nothing: a reply that stops before Issue IV,
    Recommendation 4 is that country's row too, marked as not in its response, in the page's
    table, the JSON and the CSV."""
    from conftest import LiveServer
    from indexer.build import build_index
    from test_web import TIMEOUT_MS

    text = (workspace.corpus / "luxembourg-cnd-questionnaire-response.txt").read_text("utf-8")
    text = text[:text.rfind("Recommendation 4")].replace("Luxembourg", "Chile")  # Issue IV's is the last
    (workspace.corpus / "chile-cnd-questionnaire-response.txt").write_text(text, "utf-8")
    build_index(workspace.settings, embedder=embedder)
    q = "which countries share their money-laundering risk assessment with UNODC?"
    with LiveServer(workspace.settings) as server:
        answer = httpx.get(f"{server.url}/ask", params={"q": q}, timeout=60).json()["answer"]
        assert answer["recommendation"] == "Issue IV, Recommendation 4" and answer["not_in_response"] == ["Chile"]
        assert "Chile" not in {r["country"] for r in answer["by_country"]}
        csv = httpx.get(f"{server.url}/ask", params={"q": q, "format": "csv"}, timeout=60).content.decode("utf-8-sig")
        assert "\r\nChile,not in response," in csv
        context = browser.new_context(base_url=server.url)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto("/?" + str(httpx.QueryParams({"q": q, "view": "ask"})))
        row = page.locator('table.by-country tr.not-in-response-row[data-country="Chile"]')
        expect(row).to_contain_text("Not in its response", timeout=TIMEOUT_MS)
        expect(page.locator("table.by-country tbody tr")).to_have_count(len(answer["by_country"]) + 1)
        context.close()


def test_a_question_about_a_country_no_document_is_of_says_so_over_the_answer(page, api):
    """"What did Brazil report on FIU access?": no document of the index is Brazil's, so the
    answer (Belgium's and Luxembourg's table) opens by saying so, in the JSON, on the page and
    in the search view's reading of the question; a question naming Belgium says nothing."""
    q = "What did Brazil report on FIU access for police?"
    assert api.get("/ask", params={"q": q}).json()["answer"]["countries_absent"] == ["Brazil"]
    assert api.get("/search", params={"q": q}).json()["interpreted"]["countries_absent"] == ["Brazil"]
    assert api.get("/ask", params={"q": "What did Belgium report on FIU access?"}).json()["answer"][
        "countries_absent"] == []
    page.goto("/?" + str(httpx.QueryParams({"q": q, "view": "ask"})))
    expect(page.locator("#answer .countries-absent")).to_have_text(
        "No document in the index is of Brazil: this is what the other documents say.")
    page.goto("/?" + str(httpx.QueryParams({"q": q})))
    expect(page.locator(".interp")).to_contain_text("no document in the index is of Brazil")
    expect(page.locator("#answer .weak-evidence")).to_have_count(0)


def test_a_question_the_documents_do_not_come_near_says_so_over_the_nearest(page, api):
    q = "how tall is the Eiffel tower"
    assert api.get("/ask", params={"q": q}).json()["answer"]["weak_evidence"] is True
    page.goto("/?" + str(httpx.QueryParams({"q": q, "view": "ask"})))
    expect(page.locator("#answer .weak-evidence")).to_contain_text("The documents may not answer this question")
    assert api.get("/search", params={"q": q}).json()["interpreted"]["weak_evidence"] is True
    page.goto("/?" + str(httpx.QueryParams({"q": q})))
    expect(page.locator(".interp")).to_contain_text("nothing in the documents comes near this question")


def test_a_question_citing_a_recommendation_no_passage_is_headed_with_gets_no_answer(page, api):
    """"Issue II, Recommendation 99": nothing is headed so. /ask had answered with other
    recommendations' blank comments, saying nothing of it; the answer now has no sentences, and
    says so in the JSON, the page and the command line. An existing one is answered as before."""
    q = "Issue II, Recommendation 99 by country"
    answer = api.get("/ask", params={"q": q}).json()["answer"]
    assert answer["cited_missing"] == ["Issue 2, Recommendation 99"] and answer["sentences"] == []
    assert answer["type"] == "single" and answer["by_country"] == []
    found = api.get("/ask", params={"q": "Issue II, Recommendation 1 by country"}).json()["answer"]
    assert found["cited_missing"] == [] and found["type"] == "by_country"
    page.goto("/?" + str(httpx.QueryParams({"q": q, "view": "ask"})))
    expect(page.locator("#answer .cited-missing")).to_have_text(
        "No passage is headed Issue 2, Recommendation 99. Below are the nearest passages.")
