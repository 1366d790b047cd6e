"""Reliability when the index is missing or damaged: with no index every route answers 503
saying how to build one (and /admin/rebuild can make the first), SIGHUP to `python -m service
serve` swaps in a good build and refuses a damaged one, and a build that is damaged (truncated
vectors, flipped SQLite bytes, deleted BM25 files) or made by another model is refused with a
rebuild hint while the last good build keeps serving.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from indexer import store
from indexer.build import build_index
from service.engine import Engine
from service.loaded import LoadedIndex

from conftest import ROOT, LiveServer, wait_for
from test_reliability_builds import (ADMIN, NEW_DOC_FILE, NEW_DOC_ID, NEW_DOC_TEXT, build_of, client_for,
                                     current_target, indexer_env, touch_document)


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
