"""Accessibility of the web page, checked by axe-core (the `axe-playwright-python` package ships
axe.min.js) in Debian's Chromium against the real server: no serious or critical violation on the
search, ask, document and coverage views, and highlights that a screen reader announces.
"""
from __future__ import annotations

import pytest

from test_web import ASK_Q, SEARCH_Q, api, browser, expect, page, search, submit  # noqa: F401 (fixtures)

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright",
                               reason="axe-playwright-python is not installed (pip install -e '.[test]')")

BLOCKING = {"serious", "critical"}


def violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    results = axe_sync.Axe().run(page, options={"resultTypes": ["violations"],
                                                "runOnly": {"type": "tag", "values": [
                                                    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    found = []
    for v in results.response["violations"]:
        if v["impact"] not in BLOCKING:
            continue
        for node in v["nodes"]:
            found.append(f'{v["id"]} ({v["impact"]}): {node["target"]} — {node.get("failureSummary", "")[:300]}')
    return found


def test_search_view_has_no_serious_violations(page):
    results = search(page, SEARCH_Q)
    # open the per-passage tools too: their panels are part of what a reader meets
    results.first.get_by_role("button", name="Similar passages").click()
    expect(results.first.locator(".similar-panel li.similar").first).to_be_visible()
    results.first.get_by_role("button", name="Context before and after").click()
    expect(results.first.locator(".context-panel .context").first).to_be_visible()
    assert violations(page) == []


def test_ask_view_has_no_serious_violations(page):
    page.goto("/")
    page.click("#tab-ask")
    submit(page, ASK_Q)
    expect(page.locator("table.by-country")).to_be_visible()
    expect(page.locator("#results > li.result").first).to_be_visible()
    assert violations(page) == []


def test_document_view_has_no_serious_violations(page):
    results = search(page, SEARCH_Q)
    results.first.locator("a.citation").first.click()
    expect(page.locator("#doc-text mark.sentence").first).to_be_visible()
    expect(page.locator("#doc-tools .passage-nav a").first).to_be_visible()
    page.locator("#doc-tools").get_by_role("button", name="Similar passages").click()
    expect(page.locator("#doc-tools li.similar").first).to_be_visible()
    assert violations(page) == []


def test_coverage_view_has_no_serious_violations(page):
    page.goto("/")
    page.click("#tab-coverage")
    expect(page.locator("table.coverage")).to_be_visible()
    assert violations(page) == []


def test_highlights_are_announced_to_screen_readers(page):
    """A <mark> alone is silent in most screen readers: the page adds "highlight start/end" to the
    accessibility tree (CSS generated content), while the text itself stays verbatim."""
    results = search(page, SEARCH_Q)
    mark = results.first.locator("mark.hl-sentence").first
    expect(mark).to_be_visible()
    before = mark.evaluate("m => getComputedStyle(m, '::before').content")
    after = mark.evaluate("m => getComputedStyle(m, '::after').content")
    assert "highlight start" in before and "highlight end" in after
    # what a screen reader gets: the accessible tree holds the words around the highlighted text
    snapshot = results.first.locator(".passage-text").aria_snapshot()
    assert "highlight start" in snapshot and "highlight end" in snapshot, snapshot
    # and the text a reader copies or a test reads is unchanged
    assert "highlight" not in (mark.text_content() or "")
    # invisible on screen: the generated words take no room
    assert mark.evaluate("m => getComputedStyle(m, '::before').position") == "absolute"
