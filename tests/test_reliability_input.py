"""Reliability against what callers send: admin routes off without a token and refusing a
missing or wrong one, path traversal that finds nothing, bounded input (body size, chunked
bodies, query length, values JSON cannot carry, text that is no text), hostile text in the
corpus served back as plain JSON text, and a property test that no request the OpenAPI schema
allows gets a 5xx from the real server.
"""
from __future__ import annotations

import http.client
import json

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from indexer.build import build_index

from conftest import LiveServer
from test_reliability_builds import ADMIN, TOKEN, client_for, wait_out_server_traceback


def raw_get(base_url: str, target: str) -> tuple[int, bytes]:
    """GET with the request target sent byte for byte (httpx would resolve `..` itself)."""
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.putrequest("GET", target, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
        wait_out_server_traceback(response.status)
        return response.status, body
    finally:
        conn.close()


# ---- 4. admin endpoints --------------------------------------------------------------------

def test_admin_routes_are_off_without_a_token(settings):
    with LiveServer(settings.model_copy(update={"admin_token": None})) as server, \
            client_for(server.url, timeout=30) as client:
        for path in ("/admin/reload", "/admin/rebuild"):
            for headers in ({}, ADMIN):
                r = client.post(path, headers=headers)
                assert r.status_code == 404, (path, r.text)
                assert "PRECEDENT_ADMIN_TOKEN" in r.json()["detail"]


@pytest.mark.parametrize("headers", [{}, {"X-Admin-Token": ""}, {"X-Admin-Token": "wrong"},
                                     {"X-Admin-Token": TOKEN + "x"}, {"X-Admin-Token": "t\xf6k\xe9n".encode("latin-1")}],
                         ids=["missing", "empty", "wrong", "longer", "non-ascii"])
def test_admin_routes_refuse_a_missing_or_wrong_token(live_server, headers):
    with client_for(live_server.url, timeout=30) as client:
        for path in ("/admin/reload", "/admin/rebuild"):
            r = client.post(path, headers=headers)
            assert r.status_code == 401, (path, r.status_code, r.text)
            assert "X-Admin-Token" in r.json()["detail"]


def test_admin_reload_works_with_the_right_token(live_server):
    with client_for(live_server.url) as client:
        r = client.post("/admin/reload", headers=ADMIN)
    assert r.status_code == 200, r.text
    assert r.json()["reloaded"] is False and r.json()["build_id"]


# ---- 5. path traversal ---------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/documents/..%2F..%2Fetc%2Fpasswd",
    "/documents/../../etc/passwd",
    "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/..%2F..%2Findexer%2Fsettings.py",
    "/static/../../indexer/settings.py",
    "/static/%2e%2e/%2e%2e/indexer/settings.py",
    "/static/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/passages/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/passages/..%2F..%2Fetc%2Fpasswd/similar",
])
def test_path_traversal_finds_nothing(live_server, target):
    status, body = raw_get(live_server.url, target)
    assert status == 404, (status, body[:300])
    assert b"root:" not in body and b"BaseSettings" not in body


# ---- 6. bounded input --------------------------------------------------------------------

def test_bounded_input(live_server):
    with client_for(live_server.url, timeout=30) as client:
        big = json.dumps({"q": "cannabis"}) + " " * (65 * 1024)
        r = client.post("/search", content=big, headers={"Content-Type": "application/json"})
        assert r.status_code == 413, r.text

        long_q = "cannabis " * 223  # 2007 characters
        for r in (client.get("/search", params={"q": long_q}), client.post("/search", json={"q": long_q}),
                  client.get("/ask", params={"q": long_q})):
            assert r.status_code == 400, r.text
            assert "2000" in r.json()["detail"]
        assert client.get("/search", params={"q": "x" * 30000}).status_code == 414
        # the limit is in characters, whatever their bytes: 1,500 emoji, percent-encoded, are a query
        assert client.get("/search", params={"q": "FIU " + "🔍" * 1500}).status_code == 200
        # a value JSON cannot write back (1e400 is infinity) is a 422 saying so, not a 500
        for k in ("1e400", "NaN"):
            r = client.post("/search", content='{"q": "FIU", "k": %s}' % k, headers={"Content-Type": "application/json"})
            assert r.status_code == 422, r.text
        # nothing but invisible characters, quotes or a star: no words to search for
        for q in ("\u200b", "\x00", '"', '""', "*", "\ufeff"):
            assert client.get("/search", params={"q": q}).status_code == 400, repr(q)
            assert client.get("/ask", params={"q": q}).status_code == 400, repr(q)

        for k in (0, 101, -1):
            assert client.get("/search", params={"q": "cannabis", "k": k}).status_code == 422
            assert client.post("/search", json={"q": "cannabis", "k": k}).status_code == 422
        assert client.get("/search", params={"q": "cannabis", "k": "many"}).status_code == 422

        for body in ('{"q": "cannabis"', "not json", '{"q": 5, }', "[]", '"cannabis"'):
            r = client.post("/search", content=body, headers={"Content-Type": "application/json"})
            assert 400 <= r.status_code < 500, (body, r.status_code, r.text)
        assert client.post("/search", json={"q": "cannabis", "unknown": 1}).status_code == 422
        r = client.get("/ask", params={"q": "cannabis", "mode": "dense"})  # /ask takes no mode: not run as hybrid
        assert r.status_code == 422 and "valid parameters: q, k, country, kind, document, format" in r.text
        assert client.get("/coverage", params={"fromat": "csv"}).status_code == 422
        # every GET route refuses a parameter it does not take (these four had answered 200)
        passage = client.get("/search", params={"q": "cannabis"}).json()["results"][0]["passage_id"]
        for path in ("/documents", "/health", f"/passages/{passage}", f"/passages/{passage}/similar"):
            r = client.get(path, params={"x": "1"})
            assert r.status_code == 422 and "valid parameters" in r.text, (path, r.status_code)
        assert client.get(f"/passages/{passage}/similar", params={"k": 3}).status_code == 200
        assert client.head("/health").status_code == 200
        assert client.get("/search", params={"q": "   "}).status_code == 400
        r = client.post("/search", content='{"q": "\\ud800 police"}', headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and "U+D800" in r.json()["detail"], r.text

        r = client.get("/search", params={"q": "cannabis", "country": "Atlantis"})
        assert r.status_code == 400
        assert "Atlantis" in r.json()["detail"] and "Belgium" in r.json()["detail"] \
            and "Luxembourg" in r.json()["detail"]
        r = client.get("/search", params={"q": "cannabis", "kind": "novel"})
        assert r.status_code == 400 and "questionnaire-response" in r.json()["detail"]


def test_a_query_that_is_no_text_fails_alone_in_its_batch(engine):
    """A lone surrogate ("\\ud800" in JSON, or a latin-1 terminal's bytes on the command line)
    cannot be tokenized; sent beside other queries, it had failed the model call they share, and
    every one of them with a 500. It now fails alone, with its own QueryError."""
    from service.engine import QueryError
    from service.schemas import SearchRequest

    batch = engine.encode_batch([SearchRequest(q="\ud800 police"), SearchRequest(q="FIU access for police"),
                                 SearchRequest(q="\u200b")])
    bad, good, invisible = engine.answer_batch(batch)
    assert isinstance(bad, QueryError) and "U+D800" in str(bad)
    assert isinstance(invisible, QueryError) and "empty" in str(invisible)
    assert good.results and good.results[0].passage_id.startswith(("be-cnd-response:", "lu-cnd-response:"))


def test_a_chunked_body_is_held_to_the_same_size_limit(live_server):
    """No Content-Length (Transfer-Encoding: chunked) must not bypass the 64 KiB limit."""
    body = (json.dumps({"q": "cannabis"}) + " " * (65 * 1024)).encode()

    def chunks():
        for i in range(0, len(body), 4096):
            yield body[i:i + 4096]

    with client_for(live_server.url) as client:
        r = client.post("/search", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.request.headers.get("transfer-encoding") == "chunked"
    assert r.status_code == 413, (r.status_code, r.text[:200])


# ---- hostile text in the corpus ------------------------------------------------------------

def test_script_tags_in_a_document_come_back_as_plain_json_text(live_workspace_server, embedder):
    server, ws = live_workspace_server, live_workspace_server.workspace
    payload = "<script>alert(1)</script>"
    (ws.corpus / "xss-note.txt").write_text(
        "# Notes on hostile uploads\n\nCustoms in Antwerp logged a cannabis consignment; the clerk typed "
        f"{payload} into the remarks field of the seizure report.\n", encoding="utf-8")
    build_index(ws.settings, embedder=embedder)
    with client_for(server.url, timeout=60) as client:
        assert client.post("/admin/reload", headers=ADMIN).json()["reloaded"] is True
        r = client.get("/documents/xss-note")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        assert payload in r.json()["text"]
        r = client.get("/search", params={"q": "clerk typed into the remarks field", "document": "xss-note"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        result = r.json()["results"][0]
        assert payload in result["text"]
        start, end = result["citation"]["start"], result["citation"]["end"]
        assert payload in (ws.corpus / "xss-note.txt").read_text("utf-8")[start:end]


# ---- 7. never a 500 ------------------------------------------------------------------------

def _own_schema() -> dict:
    """The app's own OpenAPI document; building the app opens no index, so this is cheap at import."""
    from indexer.settings import Settings
    from service.app import create_app

    return create_app(Settings(admin_token=TOKEN)).openapi()


# (schemathesis.pytest.from_fixture fails under pytest 9: it sets Function._nodeid, which pytest 9 no longer has)
schema = schemathesis.openapi.from_dict(_own_schema()).exclude(path_regex=r"^/admin")


@schema.parametrize()
@hypothesis_settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_no_request_the_schema_allows_gets_a_5xx(case, live_server):
    response = case.call(base_url=live_server.url, timeout=60)
    wait_out_server_traceback(response.status_code)
    assert response.status_code < 500, \
        f"{response.status_code} {response.text[:500]}\nreproduce: {case.as_curl_command(base_url=live_server.url)}"


def test_the_fuzzed_schema_is_the_one_the_server_publishes(live_server):
    served = httpx.get(f"{live_server.url}/openapi.json", timeout=30).json()
    assert served == _own_schema()
    paths = {result.ok().path for result in schema.get_all_operations()}
    assert paths >= {"/search", "/ask", "/documents/{document_id}", "/passages/{passage_id}", "/passages/{passage_id}/similar"}
    assert not any(p.startswith("/admin") for p in paths)
