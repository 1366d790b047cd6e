"""Reliability: live updates under load, incremental rebuilds, faults that must leave the
last good index serving (or say how to fix things), admin guards, hostile input, and a
property test that nothing in the OpenAPI schema can provoke a 5xx.

Everything is real: the model, the FAISS/BM25/SQLite index, uvicorn on 127.0.0.1, and
`python -m indexer build` in a subprocess where a crash or a full disk is simulated.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from indexer import store
from indexer.build import BuildFailed, build_index
from service.engine import Engine
from service.loaded import LoadedIndex

from conftest import ROOT, LiveServer, wait_for

TOKEN = "test-token"
ADMIN = {"X-Admin-Token": TOKEN}
NEW_DOC_FILE = "netherlands-note.txt"
NEW_DOC_ID = "netherlands-note"
NEW_DOC_TEXT = ("# Netherlands — coastguard note\n\n"
                "The Dutch coastguard intercepted a submarine carrying cocaine near Zeeland. "
                "The semi-submersible vessel had crossed the Atlantic before it was boarded.\n")
CHANGED_DOC_FILE = "unodc-report-drugs-and-crime.txt"
CHANGED_DOC_ID = "unodc-drugs-and-crime"
APPENDED = ("\n\nA further paragraph: customs authorities reported a sharp rise in seizures of synthetic "
            "opioids shipped by express courier, and recommended joint risk profiling at mail hubs.\n")


# ---- helpers ---------------------------------------------------------------------------

def current_target(index_dir: Path) -> Path:
    return (index_dir / store.CURRENT).resolve()


def point_current(index_dir: Path, build_dir: Path) -> None:
    tmp = index_dir / ".current.test"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(Path(store.BUILDS) / build_dir.name, tmp)
    os.replace(tmp, index_dir / store.CURRENT)


def clone_current_as_new_build(index_dir: Path, name: str) -> Path:
    """A byte-identical copy of the served build under a new id, made `current`."""
    clone = index_dir / store.BUILDS / name
    shutil.copytree(current_target(index_dir), clone)
    point_current(index_dir, clone)
    return clone


def partials(index_dir: Path) -> list[Path]:
    return sorted((index_dir / store.BUILDS).glob("*.partial"))


def indexer_env(workspace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRECEDENT_")}
    env.update(PRECEDENT_CORPUS_DIR=str(workspace.corpus), PRECEDENT_INDEX_DIR=str(workspace.index),
               HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", PYTHONUNBUFFERED="1")
    return env


def touch_document(workspace, text: str = APPENDED) -> None:
    with open(workspace.corpus / CHANGED_DOC_FILE, "a", encoding="utf-8") as f:
        f.write(text)


def wait_out_server_traceback(status: int) -> None:
    """After a 5xx the server thread is still logging the traceback. On Python 3.11.7, threads share the
    AST constructor's recursion counter (CPython gh-106905, fixed in 3.11.8); pytest formatting this test's
    failure at that same moment dies with `INTERNALERROR SystemError: AST constructor recursion depth
    mismatch`. A pause before the assertion lets the failure be reported normally (no timing is asserted)."""
    if status >= 500:
        time.sleep(2)


def client_for(base_url: str, timeout: float = 60) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=timeout,
                        event_hooks={"response": [lambda r: wait_out_server_traceback(r.status_code)]})


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


def build_of(client: httpx.Client) -> str:
    r = client.get("/health")
    assert r.status_code == 200, r.text
    return r.json()["build_id"]


# ---- 1. live update under load ---------------------------------------------------------

def test_new_document_goes_live_under_load_without_a_failed_request(live_workspace_server, embedder):
    server, ws = live_workspace_server, live_workspace_server.workspace
    queries = ["cannabis seizures at the port", "money laundering investigations", "victims of human trafficking",
               "darknet drug markets", "precursor chemicals control"]
    with client_for(server.url) as client:
        passage_ids = [r["passage_id"] for r in client.get("/search", params={"q": "cannabis", "k": 8}).json()["results"]]
    # mostly searches, and the routes that read the served build's SQLite from worker threads
    requests = [("/search", {"q": q, "k": 5}) for q in queries] + [
        (f"/passages/{passage_ids[0]}", {}), (f"/documents/{CHANGED_DOC_ID}", {}),
        (f"/passages/{passage_ids[1]}/similar", {"k": 5}), ("/ask", {"q": "Which countries report cannabis seizures?"})]
    stop = threading.Event()
    deadline = time.monotonic() + 60
    lock = threading.Lock()
    done: list[int] = [0, 0, 0, 0]
    failures: list[str] = []

    def client_loop(n: int) -> None:
        with client_for(server.url, timeout=30) as client:
            i = n
            while not stop.is_set() and time.monotonic() < deadline:
                path, params = requests[i % len(requests)]
                i += 1
                try:
                    r = client.get(path, params=params)
                    if r.status_code != 200 or (path == "/search" and not r.json()["results"]):
                        with lock:
                            failures.append(f"{path} {params}: {r.status_code} {r.text[:200]}")
                except Exception as exc:  # noqa: BLE001 - every failure counts
                    with lock:
                        failures.append(f"{path} {params}: {type(exc).__name__}: {exc}")
                with lock:
                    done[n] += 1

    def wait_for_each_client(more: int) -> None:
        with lock:
            target = [d + more for d in done]
        while time.monotonic() < deadline:
            with lock:
                if all(d >= t for d, t in zip(done, target)):
                    return
            time.sleep(0.05)

    threads = [threading.Thread(target=client_loop, args=(n,), daemon=True) for n in range(4)]
    for t in threads:
        t.start()
    try:
        wait_for_each_client(2)  # the load is really running
        with client_for(server.url, timeout=60) as admin:
            old_build = build_of(admin)
            (ws.corpus / NEW_DOC_FILE).write_text(NEW_DOC_TEXT, encoding="utf-8")
            # as operators build (`precedent build`, or /admin/rebuild): in a process of its own,
            # niced, one model thread; a build inside the server's process would hold its GIL
            from service.jobs import BUILD_NICE, build_env

            build = subprocess.Popen([sys.executable, "-m", "indexer", "build"], env=build_env(ws.settings),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            os.setpriority(os.PRIO_PROCESS, build.pid, BUILD_NICE)
            output, _ = build.communicate(timeout=600)
            assert build.returncode == 0, output
            assert "from 1 changed document(s)" in output, output  # the new document alone was embedded
            new_build = store.current_build(ws.index).name
            r = admin.post("/admin/reload", headers=ADMIN)
            assert r.status_code == 200, r.text
            assert r.json() == {"reloaded": True, "build_id": new_build}
            wait_for_each_client(3)  # and keeps running on the new build
            assert build_of(admin) != old_build
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert sum(done) >= 2 * len(requests)
    assert failures == [], f"{len(failures)} of {sum(done)} requests failed: {failures[:5]}"

    with client_for(server.url) as client:
        r = client.get("/search", params={"q": "Dutch coastguard submarine cocaine Zeeland", "k": 3})
    assert r.status_code == 200
    top = r.json()["results"][0]
    assert top["document"]["id"] == NEW_DOC_ID
    assert "submarine carrying cocaine near Zeeland" in top["text"]


# ---- 2. incremental rebuild --------------------------------------------------------------

def test_touching_one_document_re_embeds_only_that_document(workspace, embedder):
    before = current_target(workspace.index)
    old_manifest = store.read_manifest(before)
    touch_document(workspace)

    summary = build_index(workspace.settings, embedder=embedder)

    manifest = store.read_manifest(summary.build_dir)
    doc_passages = manifest["documents"][CHANGED_DOC_ID]["passages"]
    assert summary.embedded_documents == [CHANGED_DOC_ID]
    assert summary.embedded_passages == doc_passages
    assert summary.reused_passages == summary.passages - doc_passages
    assert manifest["embedded_this_build"] == {"passages": doc_passages, "documents": [CHANGED_DOC_ID]}
    assert manifest["documents"][CHANGED_DOC_ID]["content_key"] != old_manifest["documents"][CHANGED_DOC_ID][
        "content_key"]

    def vectors(build: Path) -> dict[str, bytes]:
        conn = sqlite3.connect(f"file:{build / store.SQLITE}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT id, embedding FROM passages WHERE document_id != ?", (CHANGED_DOC_ID,)))
        finally:
            conn.close()

    old, new = vectors(before), vectors(summary.build_dir)  # the other documents' vectors: the very same bytes
    assert len(new) == summary.reused_passages and old == new
    assert current_target(workspace.index) == summary.build_dir


# ---- 3a. missing index -------------------------------------------------------------------

def test_no_index_answers_503_saying_how_to_build_then_serves_once_one_appears(tmp_path, settings):
    empty = tmp_path / "index"
    empty.mkdir()
    ws_settings = settings.model_copy(update={"index_dir": empty})
    with pytest.raises(store.IndexMissing, match=r"precedent build"):
        Engine.open(ws_settings)
    with LiveServer(ws_settings) as server, client_for(server.url, timeout=30) as client:
        for method, path, kwargs in [("GET", "/search", {"params": {"q": "cannabis"}}),
                                     ("POST", "/search", {"json": {"q": "cannabis"}}),
                                     ("GET", "/ask", {"params": {"q": "cannabis"}}),
                                     ("GET", "/documents", {}), ("GET", "/health", {}),
                                     ("POST", "/admin/reload", {"headers": ADMIN})]:
            r = client.request(method, path, **kwargs)
            assert r.status_code == 503, (path, r.status_code, r.text)
            assert "precedent build" in r.json()["detail"], r.text
        assert client.get("/").status_code == 200  # the page itself is served
        # an index appears (built elsewhere): a reload serves it without a restart
        shutil.copytree(settings.index_dir, empty, symlinks=True, dirs_exist_ok=True)
        r = client.post("/admin/reload", headers=ADMIN)
        assert r.status_code == 200 and r.json()["reloaded"] is True, r.text
        r = client.get("/search", params={"q": "cannabis"})
        assert r.status_code == 200 and r.json()["results"]


def test_admin_rebuild_can_create_the_first_index(tmp_path, settings):
    """With no index yet, /admin/rebuild is the way out the 503 could point to: it must not need an index."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / NEW_DOC_FILE).write_text(NEW_DOC_TEXT, encoding="utf-8")  # one small document: a cheap build
    fresh = settings.model_copy(update={"corpus_dir": corpus, "index_dir": tmp_path / "index"})
    with LiveServer(fresh) as server, client_for(server.url) as client:
        assert client.get("/search", params={"q": "submarine"}).status_code == 503
        r = client.post("/admin/rebuild", headers=ADMIN)
        assert r.status_code == 202, r.text
        job = r.json()["url"]
        done = wait_for(lambda: (j := client.get(job, headers=ADMIN).json())["state"] in ("succeeded", "failed") and j,
                         "the rebuild job to finish")
        assert done["state"] == "succeeded", done
        assert done["reload"]["reloaded"] is True
        r = client.get("/search", params={"q": "submarine carrying cocaine"})
        assert r.status_code == 200 and r.json()["results"][0]["document"]["id"] == NEW_DOC_ID


def test_sighup_reloads_a_good_build_and_refuses_a_damaged_one(workspace, embedder, tmp_path):
    """`python -m service serve` as deployed: SIGHUP swaps in a new build; a damaged one is refused, logged,
    and the previous build keeps answering."""
    from conftest import free_port

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = indexer_env(workspace)
    env.update(PRECEDENT_HOST="127.0.0.1", PRECEDENT_PORT=str(port))
    log_path = tmp_path / "serve.log"

    def health():
        try:
            r = httpx.get(f"{url}/health", timeout=10)
        except httpx.HTTPError:
            return None
        return r.json()["build_id"] if r.status_code == 200 else None

    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "service", "serve"], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    try:
        def started():
            if proc.poll() is not None:
                pytest.fail(f"the service exited ({proc.returncode}):\n{log_path.read_text()[-3000:]}")
            return health()

        wait_for(started, "the service to start")

        (workspace.corpus / NEW_DOC_FILE).write_text(NEW_DOC_TEXT, encoding="utf-8")
        good = build_index(workspace.settings, embedder=embedder).build_dir
        proc.send_signal(signal.SIGHUP)
        wait_for(lambda: health() == good.name, "SIGHUP to swap in the new build")
        r = httpx.get(f"{url}/search", params={"q": "Dutch coastguard submarine cocaine Zeeland"}, timeout=60)
        assert r.status_code == 200 and r.json()["results"][0]["document"]["id"] == NEW_DOC_ID

        bad = clone_current_as_new_build(workspace.index, "29990101T000000-1-000003")
        _truncate_vectors(bad)
        proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "reload refused" in log_path.read_text(), "the refused reload to be logged")
        assert proc.poll() is None
        assert health() == good.name
        assert "damaged" in log_path.read_text() and store.REBUILD_HINT in log_path.read_text()
        r = httpx.get(f"{url}/search", params={"q": "cannabis"}, timeout=60)
        assert r.status_code == 200 and r.json()["results"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---- 3b. damaged build -------------------------------------------------------------------

def _truncate_vectors(build: Path) -> str:
    path = build / store.VECTORS
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)
    return store.VECTORS


def _flip_sqlite_bytes(build: Path) -> str:
    path = build / store.SQLITE
    with open(path, "r+b") as f:  # in the middle of the file: embedding blobs SQLite itself would not notice
        f.seek(path.stat().st_size // 2)
        chunk = f.read(16)
        f.seek(-16, os.SEEK_CUR)
        f.write(bytes(b ^ 0xFF for b in chunk))
    return store.SQLITE


def _delete_bm25(build: Path) -> str:
    files = sorted((build / store.BM25_DIR).iterdir())
    assert files
    for p in files:
        p.unlink()
    return store.BM25_DIR


DAMAGE = {"truncated-vectors": _truncate_vectors, "flipped-sqlite": _flip_sqlite_bytes, "deleted-bm25": _delete_bm25}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_new_build_is_refused_with_a_rebuild_hint(workspace, embedder, damage):
    good = current_target(workspace.index)
    bad = clone_current_as_new_build(workspace.index, "29990101T000000-1-000001")
    culprit = DAMAGE[damage](bad)
    with pytest.raises(store.IndexDamaged) as info:
        Engine.open(workspace.settings, embedder=embedder)
    message = str(info.value)
    assert store.REBUILD_HINT in message and culprit in message
    # the previous build is untouched and still loads
    assert LoadedIndex(good).size > 0


def test_damaged_build_is_refused_on_reload_while_the_old_one_keeps_serving(live_workspace_server, embedder):
    server, ws = live_workspace_server, live_workspace_server.workspace
    with client_for(server.url, timeout=60) as client:
        served = build_of(client)
        touch_document(ws)
        summary = build_index(ws.settings, embedder=embedder)  # a real new build, then damaged on disk
        assert current_target(ws.index) == summary.build_dir
        _flip_sqlite_bytes(summary.build_dir)

        r = client.post("/admin/reload", headers=ADMIN)
        assert r.status_code == 503, r.text
        assert "damaged" in r.json()["detail"] and store.REBUILD_HINT in r.json()["detail"]
        for q in ("cannabis seizures", "money laundering"):
            r = client.get("/search", params={"q": q})
            assert r.status_code == 200 and r.json()["results"], r.text
        assert build_of(client) == served


# ---- 3c. model mismatch ------------------------------------------------------------------

def test_build_from_another_model_is_refused_with_a_rebuild_hint(workspace, embedder):
    build = clone_current_as_new_build(workspace.index, "29990101T000000-1-000002")
    manifest = json.loads((build / store.MANIFEST).read_text("utf-8"))
    manifest["model"]["name"] = "all-mpnet-base-v2"  # the manifest is not among the checksummed files
    (build / store.MANIFEST).write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(store.IndexModelMismatch) as info:
        Engine.open(workspace.settings, embedder=embedder)
    message = str(info.value)
    assert "all-mpnet-base-v2" in message and "all-MiniLM-L6-v2" in message and store.REBUILD_HINT in message


# ---- 3d. full disk -----------------------------------------------------------------------

FULL_DISK_BUILD = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)       # a write past the limit fails with EFBIG instead
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from indexer.__main__ import main
sys.exit(main(["build"]))
"""


def test_full_disk_during_a_build_fails_cleanly_and_keeps_the_previous_build(workspace):
    before = current_target(workspace.index)
    limit = (before / store.SQLITE).stat().st_size // 2  # the new SQLite file cannot be written whole
    touch_document(workspace)
    proc = subprocess.run([sys.executable, "-c", FULL_DISK_BUILD, str(limit)], cwd=ROOT, env=indexer_env(workspace),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, f"a crash, not a clear message:\n{proc.stderr[-3000:]}"
    assert "could not be written" in proc.stderr and "previous index is still served" in proc.stderr, \
        proc.stderr[-3000:]
    assert current_target(workspace.index) == before
    assert LoadedIndex(before).size > 0
    assert partials(workspace.index) == []


# ---- 3e. build killed half-way ---------------------------------------------------------

PAUSED_BUILD = """
import os, signal, sys
def pause_half_way(event, args):
    # the SQLite file and the vectors are in the .partial folder; the BM25 files are being written
    if event == "open" and isinstance(args[1], str) and "w" in args[1] and ".partial" in str(args[0]) \\
            and "bm25" in str(args[0]):
        os.kill(os.getpid(), signal.SIGSTOP)
sys.addaudithook(pause_half_way)
from indexer.__main__ import main
sys.exit(main(["build"]))
"""


def test_build_killed_half_way_keeps_current_and_a_fresh_build_succeeds(workspace, embedder, tmp_path):
    before = current_target(workspace.index)
    touch_document(workspace)  # so the build has real work to do
    with open(tmp_path / "build.stderr", "w+") as stderr:
        proc = subprocess.Popen([sys.executable, "-c", PAUSED_BUILD], cwd=ROOT, env=indexer_env(workspace),
                                stdout=subprocess.DEVNULL, stderr=stderr)
        watchdog = threading.Timer(600, proc.kill)
        watchdog.start()
        try:
            _, status = os.waitpid(proc.pid, os.WUNTRACED)  # the build stops itself half-way (SIGSTOP)...
            if not os.WIFSTOPPED(status):
                proc.returncode = os.waitstatus_to_exitcode(status)
                stderr.seek(0)
                pytest.fail(f"the build ended before it was half-way ({proc.returncode}):\n{stderr.read()[-3000:]}")
            [partial] = partials(workspace.index)
            assert (partial / store.SQLITE).exists() and (partial / store.VECTORS).exists()
            with pytest.raises(BuildFailed, match="another build is running"):  # its lock is real while it lives
                build_index(workspace.settings, embedder=embedder)
            os.kill(proc.pid, signal.SIGKILL)  # ...and is killed there, as by the OOM killer or a power cut
            assert proc.wait(timeout=60) == -signal.SIGKILL
        finally:
            watchdog.cancel()
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    assert current_target(workspace.index) == before
    assert LoadedIndex(before).size > 0
    assert Engine.open(workspace.settings, embedder=embedder).index.build_dir == before
    assert (workspace.index / ".build.lock").exists()  # the lock file stays behind; its flock died with the process
    summary = build_index(workspace.settings, embedder=embedder)
    assert summary.embedded_documents == [CHANGED_DOC_ID]
    assert current_target(workspace.index) == summary.build_dir != before
    assert LoadedIndex(summary.build_dir).size == summary.passages


# ---- published builds the service has not reloaded yet -----------------------------------

def test_builds_published_without_a_reload_do_not_break_the_served_index(live_workspace_server, embedder):
    """Two builds land (e.g. a cron job) before anyone reloads: the served build must keep answering."""
    server, ws = live_workspace_server, live_workspace_server.workspace
    served = current_target(ws.index)
    with client_for(server.url, timeout=60) as client:
        passage_ids = [p["passage_id"] for p in
                       client.get("/search", params={"q": "cannabis", "k": 20}).json()["results"]]
    assert passage_ids
    for _ in range(2):
        build_index(ws.settings, embedder=embedder)
    # concurrent requests run in fresh worker threads, which open their own SQLite connection
    results: list[tuple[int, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(12)

    def fetch(n: int) -> None:
        with client_for(server.url, timeout=60) as client:
            barrier.wait()
            for path in (f"/passages/{passage_ids[n % len(passage_ids)]}", f"/documents/{CHANGED_DOC_ID}"):
                r = client.get(path)
                with lock:
                    results.append((r.status_code, path if r.status_code == 200 else f"{path}: {r.text[:200]}"))

    threads = [threading.Thread(target=fetch, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    failed = [p for s, p in results if s != 200]
    assert len(results) == 24 and not failed, \
        f"{len(failed)} failed; served build {served.name} still on disk: {served.exists()}; {failed[:3]}"


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
