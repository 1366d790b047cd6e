"""Reliability of builds: a new document goes live under load without a failed request, a
rebuild re-embeds only the document that changed, a full disk or a build killed half-way
leaves the last good index serving, and builds published without a reload do not break the
one being served. Everything is real: the model, the FAISS/BM25/SQLite index, uvicorn on
127.0.0.1, and `python -m indexer build` in a subprocess where a crash or a full disk is
simulated. The corpus constants and helpers here are shared with the other test_reliability_*
modules.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from indexer import store
from indexer.build import BuildFailed, build_index
from service.engine import Engine
from service.loaded import LoadedIndex

from conftest import ROOT

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
