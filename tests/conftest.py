"""Shared fixtures: the real corpus, a real index built once, a real HTTP server.

Tests that change the corpus or the index get their own copies (`workspace`), which
start from the session build so a rebuild only embeds what the test changed.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
# The browser the page tests drive: Debian's Chromium by default (`make chromium`), never a
# browser Playwright downloads. Elsewhere, point this at any Chromium.
CHROMIUM = Path(os.environ.get("PRECEDENT_TEST_CHROMIUM", "/usr/bin/chromium"))


def require_chromium() -> Path:
    """The Chromium path, or a skip that says how to get one; in CI (`CI` set, as `.ci/run` does)
    a missing browser fails the run instead, so the page is never silently untested there."""
    if CHROMIUM.exists():
        return CHROMIUM
    message = (f"no Chromium at {CHROMIUM} (PRECEDENT_TEST_CHROMIUM): install it with `make chromium` "
               "(Debian's chromium through apt) or set PRECEDENT_TEST_CHROMIUM to a Chromium binary")
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)


@pytest.fixture(scope="session")
def embedder():
    from indexer.embed import shared_embedder

    return shared_embedder()


@pytest.fixture(scope="session")
def settings(tmp_path_factory, embedder):
    """Settings over a session copy of the corpus with an index built from it."""
    from indexer.build import build_index
    from indexer.settings import Settings

    base = tmp_path_factory.mktemp("session")
    shutil.copytree(CORPUS, base / "corpus")
    s = Settings(corpus_dir=base / "corpus", index_dir=base / "index", admin_token="test-token")
    build_index(s, embedder=embedder)
    return s


@pytest.fixture(scope="session")
def engine(settings, embedder):
    from service.engine import Engine

    return Engine.open(settings, embedder=embedder)


@dataclass
class Workspace:
    root: Path
    settings: object

    @property
    def corpus(self) -> Path:
        return self.settings.corpus_dir

    @property
    def index(self) -> Path:
        return self.settings.index_dir


@pytest.fixture
def workspace(tmp_path, settings) -> Workspace:
    """A private corpus and index (copied from the session build) that a test may change."""
    shutil.copytree(settings.corpus_dir, tmp_path / "corpus")
    shutil.copytree(settings.index_dir, tmp_path / "index", symlinks=True)
    return Workspace(tmp_path, settings.model_copy(update={"corpus_dir": tmp_path / "corpus",
                                                           "index_dir": tmp_path / "index"}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The real app under uvicorn on 127.0.0.1, in a background thread."""

    def __init__(self, settings):
        import uvicorn

        from service.app import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(settings)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.time() + 60
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(settings, engine):
    with LiveServer(settings) as server:
        yield server


@pytest.fixture
def live_workspace_server(workspace, engine):
    """A server over a private workspace, for tests that rebuild or damage the index."""
    with LiveServer(workspace.settings) as server:
        server.workspace = workspace
        yield server


def wait_for(predicate, what: str, seconds: float = 240, interval: float = 0.1):
    """Poll until predicate() is truthy (readiness, not a timing assertion); fail with `what` if it never is."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"gave up waiting for {what}")


REAL_DOCUMENTS = Path(__file__).resolve().parents[1].parent / "shared" / "real-documents"  # see its SOURCES.md


@pytest.fixture(scope="session")
def real(tmp_path_factory, settings, embedder):
    """Settings over the corpus plus the real documents, built from a copy of the session
    build (only the new documents are embedded)."""
    from indexer.build import build_index

    base = tmp_path_factory.mktemp("real")
    shutil.copytree(settings.corpus_dir, base / "corpus")
    for path in REAL_DOCUMENTS.iterdir():
        if path.suffix in (".pdf", ".md") and path.name != "SOURCES.md":
            shutil.copy(path, base / "corpus" / path.name)
    shutil.copytree(settings.index_dir, base / "index", symlinks=True)
    s = settings.model_copy(update={"corpus_dir": base / "corpus", "index_dir": base / "index"})
    summary = build_index(s, embedder=embedder)
    return s, summary


@pytest.fixture(scope="session")
def real_engine(real, embedder):
    from service.engine import Engine

    return Engine.open(real[0], embedder=embedder)


BELGIUM = CORPUS / "belgium-cnd-questionnaire-response.txt"  # the reply the form-reply tests read the form from


@pytest.fixture(scope="module")
def form():
    """The questionnaire's form as the Belgian reply holds it (tests/test_form_replies*.py)."""
    from indexer.models import Document
    from indexer.parsers.questionnaire import parse_questionnaire
    from indexer.parsers.form_places import form_of

    doc = Document(id="be", file=BELGIUM.name, title="Belgium", kind="questionnaire-response")
    return form_of(parse_questionnaire(BELGIUM.read_text("utf-8"), doc))


@pytest.fixture(scope="module")
def texts(form):
    """The form's recommendation texts by (issue, number), as the Belgian reply writes them."""
    from indexer.models import Document
    from indexer.parsers.questionnaire import parse_questionnaire

    doc = Document(id="be", file=BELGIUM.name, title="Belgium", kind="questionnaire-response")
    return {(p.fields["issue"], p.fields["recommendation"]): p.fields["recommendation_text"]
            for p in parse_questionnaire(BELGIUM.read_text("utf-8"), doc)}
