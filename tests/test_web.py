"""The web page at `/`, driven in a real browser (Debian's Chromium through Playwright) against
the real server (`live_server`: uvicorn on 127.0.0.1 over the session index).

Never `playwright install`: the browser is the system one, /usr/bin/chromium (`make chromium`), or
the one PRECEDENT_TEST_CHROMIUM names.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from conftest import require_chromium

CHROMIUM = require_chromium()
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install -e '.[test]')")
expect = sync_api.expect

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
STATIC = Path(__file__).resolve().parents[1] / "service" / "static"
TIMEOUT_MS = 45_000  # two shared CPUs: the first query also warms the model

SEARCH_Q = "FIU access to police"
ASK_Q = "which countries grant FIU access to police?"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error"
            and "status of 4" not in msg.text and "status of 5" not in msg.text else None)
    page.js_errors = errors
    yield page
    context.close()
    assert not errors, errors  # the page never throws, even on the error paths


@pytest.fixture(scope="module")
def api(live_server):
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        yield client


def submit(page, query: str) -> None:
    page.fill("#q", query)
    page.press("#q", "Enter")


def search(page, query: str):
    page.goto("/")
    submit(page, query)
    results = page.locator("#results > li.result")
    expect(results.first).to_be_visible()
    return results


def test_search_shows_ranked_results_with_citation_and_highlight(page, api):
    results = search(page, SEARCH_Q)
    expected = api.get("/search", params={"q": SEARCH_Q}).json()["results"]
    expect(results).to_have_count(len(expected))
    first = results.first
    top = expected[0]
    expect(first.locator(".rank")).to_have_text("1")
    expect(first.locator("a.citation").first).to_have_text(top["citation"]["label"])
    expect(first.locator(".heading-path")).to_have_text(" › ".join(top["heading"]))
    expect(first.locator("mark.hl-sentence")).to_have_text(top["highlight"][0]["text"])
    expect(first.locator(".offsets")).to_contain_text(
        f'{top["citation"]["file"]} · chars {top["citation"]["start"]}–{top["citation"]["end"]}')
    if top["also_in"]:
        expect(first.locator(".also-in")).to_contain_text(top["also_in"][0]["citation"]["label"])
    assert "q=FIU+access+to+police" in page.url  # the query is in the URL, so it can be shared


def test_citation_opens_the_document_at_the_exact_sentence(page, api, settings):
    results = search(page, SEARCH_Q)
    top = api.get("/search", params={"q": SEARCH_Q}).json()["results"][0]
    hl = top["highlight"][0]
    file_text = (settings.corpus_dir / top["citation"]["file"]).read_text(encoding="utf-8")
    served = api.get(f'/documents/{top["document"]["id"]}').json()
    assert served["text"] == file_text

    results.first.locator("a.citation").first.click()
    sentence = page.locator("#doc-text mark.sentence")
    expect(sentence.first).to_be_visible()
    expect(sentence.first).to_be_in_viewport()  # scrolled to
    expect(page.locator("#doc-title")).to_have_text(top["document"]["title"])
    # A sentence joined across a page break comes as several verbatim pieces: one mark each.
    pieces = top["highlight"]
    assert sentence.count() == len(pieces)
    dom_text = sentence.first.text_content()
    assert dom_text == file_text[hl["start"]:hl["end"]]
    assert dom_text == served["text"][hl["start"]:hl["end"]]
    assert dom_text.strip()
    assert sentence.all_text_contents() == [file_text[p["start"]:p["end"]] for p in pieces]

    # The cited passage is marked span by span; the sentence nests in it when it lies in one span.
    spans = top["citation"]["spans"]
    if all(any(s["start"] <= p["start"] and p["end"] <= s["end"] for s in spans) for p in pieces):
        marked = page.locator("#doc-text mark.passage").all_text_contents()
        assert "".join(marked) == "".join(file_text[s["start"]:s["end"]] for s in spans)
    # The whole document is shown verbatim.
    assert page.locator("#doc-text").text_content() == file_text

    # The document view is in the URL: reloading (or sharing) the link shows the same thing.
    assert f'doc={top["document"]["id"]}' in page.url and f's={hl["start"]}-{hl["end"]}' in page.url.replace("%2C", ",")
    page.reload()
    expect(page.locator("#doc-text mark.sentence")).to_have_text(file_text[hl["start"]:hl["end"]])
    expect(page.locator("#results > li.result").first).to_be_visible()
    page.screenshot(path="/tmp/precedent-web-document.png")  # for a person to look at

    page.click("#doc-close")
    expect(page.locator("#doc-view")).to_be_hidden()
    assert "#doc=" not in page.url


def test_document_marks_any_pieces_and_spans_exactly(page, api, settings):
    """A shared link with a sentence in several pieces, one inside a span and one across the gap
    between two spans: every mark holds exactly its file range, and the text stays verbatim."""
    doc = api.get("/documents/be-cnd-response").json()
    passage = next(p for p in doc["passage_spans"] if len(p["spans"]) >= 2)
    a, b = passage["spans"][0], passage["spans"][1]
    inside = {"start": a["start"] + 3, "end": a["start"] + 40}
    across = {"start": a["end"] - 10, "end": b["start"] + 10}
    s = f'{inside["start"]}-{inside["end"]},{across["start"]}-{across["end"]}'
    page.goto(f'/#doc=be-cnd-response&passage={passage["passage_id"]}&s={s}')
    marks = page.locator("#doc-text mark.sentence")
    expect(marks).to_have_count(2)
    text = doc["text"]
    assert marks.all_text_contents() == [text[inside["start"]:inside["end"]], text[across["start"]:across["end"]]]
    assert page.locator("#doc-text").text_content() == text
    assert (settings.corpus_dir / doc["file"]).read_text(encoding="utf-8") == text
    # Passage marks cover the spans minus the piece that crossed out of them.
    covered = "".join(page.locator("#doc-text > mark.passage").all_text_contents())
    expected = "".join(text[sp["start"]:sp["end"]] for sp in passage["spans"])
    assert len(covered) == len(expected) - (a["end"] - across["start"]) - (across["end"] - b["start"])
    expect(page.locator("#doc-cited")).to_contain_text(passage["label"])


def test_back_button_restores_the_previous_search_and_closes_the_document(page):
    results = search(page, SEARCH_Q)
    results.first.locator("a.citation").first.click()
    expect(page.locator("#doc-view")).to_be_visible()
    page.go_back()
    expect(page.locator("#doc-view")).to_be_hidden()
    submit(page, "container control")
    expect(page.locator("#status .query-echo")).to_have_text("container control")
    page.go_back()
    expect(page.locator("#q")).to_have_value(SEARCH_Q)
    expect(page.locator("#status .query-echo")).to_have_text(SEARCH_Q)


def test_ask_shows_a_row_per_country(page, api, settings):
    page.goto("/")
    page.click("#tab-ask")
    expect(page.locator("#submit")).to_have_text("Ask")
    submit(page, ASK_Q)
    table = page.locator("table.by-country")
    expect(table).to_be_visible()
    expect(table.locator('tbody tr[data-country="Belgium"]')).to_be_visible()
    expect(table.locator('tbody tr[data-country="Luxembourg"]')).to_be_visible()
    expect(table.locator("thead th")).to_have_text(["Country", "Answer", "Citation"])

    answer = api.get("/ask", params={"q": ASK_Q}).json()["answer"]
    assert answer["type"] == "by_country"
    for row in answer["by_country"]:
        tr = table.locator(f'tbody tr[data-country="{row["country"]}"]')
        expect(tr.locator("a.citation")).to_have_text(row["citation"]["label"])
        if row["answered"]:
            expect(tr.locator("td.answer-sentence")).to_have_text(row["sentence"])
        else:
            expect(tr).to_have_class(re.compile(r"\bno-comment-row\b"))
            expect(tr).to_contain_text("No comment reported")
    assert "view=ask" in page.url

    # An answer's citation opens the document at the quoted sentences: Belgium's row shows its
    # comment's opening sentence and the detail, two pieces
    row = next(r for r in answer["by_country"] if r["country"] == "Belgium")
    assert len(row["citation"]["spans"]) == 2
    table.locator(f'tbody tr[data-country="{row["country"]}"] a.citation').click()
    mark = page.locator("#doc-text mark.sentence" if row["answered"] else "#doc-text mark.passage").first
    expect(mark).to_be_visible()
    if row["answered"]:  # every cited piece is marked (an opening sentence and the detail: two), nothing between
        text = (settings.corpus_dir / row["citation"]["file"]).read_text(encoding="utf-8")
        pieces = [text[s["start"]:s["end"]] for s in row["citation"]["spans"]]
        expect(page.locator("#doc-text mark.sentence")).to_have_text(pieces)
        assert " ".join(pieces).split() == row["sentence"].replace(" … ", " ").split()


def test_unanswered_recommendations_are_marked(page, api):
    """Belgium left Issue II blank: its row is marked "no comment reported" visibly."""
    q = "which countries use alternatives to imprisonment for drug users at arrest and pretrial?"
    answer = api.get("/ask", params={"q": q}).json()["answer"]
    blank = [r for r in answer["by_country"] if not r["answered"]]
    assert [r["country"] for r in blank] == ["Belgium"]
    page.goto("/?" + str(httpx.QueryParams({"q": q, "view": "ask"})))
    tr = page.locator(f'table.by-country tbody tr[data-country="{blank[0]["country"]}"]')
    expect(tr).to_have_class(re.compile(r"\bno-comment-row\b"))
    expect(tr.locator(".badge")).to_have_text("No comment reported")


def test_coverage_tab_shows_the_grid_and_opens_cited_sentences(page, api):
    grid = api.get("/coverage").json()
    page.goto("/")
    page.click("#tab-coverage")
    table = page.locator("table.coverage")
    expect(table).to_be_visible()
    expect(table.locator("thead th")).to_have_text(["Recommendation", *grid["countries"]])
    expect(table.locator("tbody tr")).to_have_count(len(grid["rows"]))
    assert "view=coverage" in page.url
    blank = table.locator('td.coverage-cell[data-answered="false"]')
    expect(blank).to_have_count(sum(not c["answered"] for r in grid["rows"] for c in r["cells"].values()))
    expect(blank.first).to_contain_text("No comment reported")
    # an answered cell shows the comment's opening sentence and opens the document at it
    cell = grid["rows"][0]["cells"]["Luxembourg"]
    td = table.locator("tbody tr").first.locator("td").nth(grid["countries"].index("Luxembourg"))
    expect(td.locator(".coverage-sentence")).to_have_text(cell["sentence"])
    td.locator("a.citation").click()
    expect(page.locator("#doc-text mark.sentence").first).to_have_text(cell["sentence"])
    expect(page.locator('a[href="coverage?format=csv"]')).to_be_visible()


def test_country_filter_narrows_results(page, api):
    search(page, SEARCH_Q)
    page.select_option("#f-country", "Luxembourg")
    expect(page).to_have_url(re.compile(r"country=Luxembourg"))
    expected = api.get("/search", params={"q": SEARCH_Q, "country": "Luxembourg"}).json()["results"]
    assert expected and all(r["document"]["country"] == "Luxembourg" for r in expected)
    page.wait_for_function(
        """n => { const r = [...document.querySelectorAll('#results > li.result')];
                  return r.length === n && r.every(li => li.dataset.country === 'Luxembourg'); }""",
        arg=len(expected))
    countries = page.locator("#results > li.result .tag-country").all_text_contents()
    assert set(countries) == {"Luxembourg"}
    # The document list narrows to that country too.
    options = page.locator("#f-document option").all_text_contents()
    assert all(o.startswith("Luxembourg") or o == "All documents" for o in options)


def test_filter_selects_are_filled_from_the_documents(page, api):
    docs = api.get("/documents").json()
    page.goto("/")
    expect(page.locator("#f-document option")).to_have_count(len(docs) + 1)
    countries = page.locator("#f-country option").evaluate_all("os => os.map(o => o.value)")
    assert countries == [""] + sorted({d["country"] for d in docs if d["country"]})
    kinds = page.locator("#f-kind option").evaluate_all("os => os.map(o => o.value)")
    assert kinds == [""] + sorted({d["kind"] for d in docs})
    for label in ("Country", "Kind", "Document", "Mode"):
        expect(page.locator("#filters").get_by_label(label, exact=True)).to_be_visible()


def test_empty_query_shows_a_message(page):
    page.goto("/")
    for query in ["", "   "]:
        submit(page, query)
        error = page.locator("#error")
        expect(error).to_be_visible()
        expect(error).to_contain_text("Type some words to search for")
        expect(page.locator("#results > li")).to_have_count(0)
        expect(page.locator("#q")).to_have_attribute("aria-invalid", "true")


def test_api_errors_are_shown_readably(page):
    page.goto("/?q=police&country=Atlantis")  # a 400 from the API
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("unknown country 'Atlantis'", ignore_case=True)
    expect(page.locator("#results > li")).to_have_count(0)

    page.goto("/#doc=no-such-document")  # a 404 in the document view
    expect(page.locator("#doc-error")).to_contain_text("no document 'no-such-document'", ignore_case=True)


def test_no_index_shows_the_detail(page):
    detail = "no index at index/current; build one with `python -m indexer build`"
    page.route(re.compile(r"/search\?"), lambda route: route.fulfill(
        status=503, content_type="application/json", body=json.dumps({"detail": detail})))
    page.goto("/")
    submit(page, "police")
    expect(page.locator("#error")).to_contain_text(detail)
    expect(page.locator("#error")).to_contain_text("index is not available")


def test_corpus_markup_is_shown_as_text_never_run(page, api, live_server):
    """A corpus document containing markup renders it literally: nothing is parsed as HTML."""
    payload = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"><b>bold</b>'
    doc = api.get("/documents/be-cnd-response").json()
    doc["text"] = doc["text"] + "\n" + payload + "\n"
    page.route("**/documents/be-cnd-response", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(doc)))
    page.goto("/#doc=be-cnd-response")
    text = page.locator("#doc-text")
    expect(text).to_contain_text(payload)
    assert text.locator("script, img, b").count() == 0
    submit(page, '<img src=x onerror="window.__pwned = 3">')
    expect(page.locator("#status .query-echo")).to_have_text('<img src=x onerror="window.__pwned = 3">')
    assert page.locator("#main img").count() == 0
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None


def test_page_never_builds_html_from_strings():
    modules = sorted(STATIC.glob("*.js"))  # the page's own modules (vendored files live in vendor/)
    assert {"app.js", "dom.js", "results.js", "documentview.js"} <= {m.name for m in modules}
    for module in modules:
        source = re.sub(r"^\s*//.*$", "", module.read_text(encoding="utf-8"), flags=re.M)  # not comments
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in source, f"{module.name} uses {sink}"
        assert len(module.read_text(encoding="utf-8").splitlines()) < 400, f"{module.name}: split it"


def test_copy_citation(page, api):
    results = search(page, SEARCH_Q)
    c = api.get("/search", params={"q": SEARCH_Q}).json()["results"][0]["citation"]
    button = results.first.locator("button.copy-citation")
    button.click()
    expect(button).to_have_text("Copied")
    ranges = ", ".join(f'{s["start"]}–{s["end"]}' for s in c["spans"])  # each cited range, none between
    assert page.evaluate("navigator.clipboard.readText()") == f'{c["label"]} ({c["file"]}, chars {ranges})'


def test_api_docs_work_with_no_network(browser, live_server):
    """/docs (Swagger UI) and /redoc (ReDoc) load every script and style from this server: with the
    browser cut off from every other host they still list the operations, and none is even tried."""
    context = browser.new_context(base_url=live_server.url)
    outside: list[str] = []

    def only_this_server(route):
        host = httpx.URL(route.request.url).host
        if host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_server)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto("/docs")
        search_op = page.locator(".opblock", has=page.locator(".opblock-summary-path", has_text=re.compile(r"^/search$")))
        expect(search_op.first).to_be_visible()
        expect(page.locator(".opblock-summary-path", has_text="/passages/{passage_id}/similar")).to_be_visible()
        search_op.first.locator(".opblock-summary").click()  # an operation opens with its parameters
        expect(search_op.first.locator(".parameters")).to_contain_text("The query.")

        page.goto("/redoc")
        expect(page.get_by_role("heading", name="Precedent (0.1.0)")).to_be_visible()
        expect(page.get_by_role("heading", name="Search Get").first).to_be_attached()
        expect(page.locator("body")).to_contain_text("Passages elsewhere in the corpus closest in meaning")
        assert outside == []
        page.goto("/")  # the page's own link points at them
        expect(page.locator("footer a", has_text="API documentation")).to_have_attribute("href", "docs")
    finally:
        context.close()


def test_a_cited_label_comes_first_and_the_status_says_what_was_cited(page, api):
    """"Issue II, Recommendation 3" names where a passage stands: both countries' responses to it
    come first, and the status line reads the citation back (or says no heading carries it)."""
    results = search(page, "Issue II, Recommendation 3")
    expect(results.first.locator(".heading-path")).to_contain_text("Recommendation 3")
    expect(page.locator("#status .interp")).to_contain_text("cited: Issue 2, Recommendation 3")
    search(page, "Issue I, Recommendation 4")
    expect(page.locator("#status .interp")).to_contain_text("Recommendation 4: no passage is headed so")
