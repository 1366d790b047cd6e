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
