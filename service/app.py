"""The HTTP API and the web page: thin routes over the Engine, errors mapped to HTTP codes."""
from __future__ import annotations

import asyncio
import hmac
import logging
import signal
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.concurrency import run_in_threadpool

from indexer import store
from indexer.embed import shared_embedder
from indexer.settings import Settings, get_settings
from service.engine import Engine, QueryError
from service.schemas import (AskResponse, DocumentFull, DocumentOut, PassageOut, SearchRequest, SearchResponse)

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 64 * 1024
# corpus text is data: no inline script may run on the page, whatever a document contains
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class Batcher:
    """Queries that arrive while the model is busy are encoded together in the next call.

    No timer: at low load a query goes straight through; under load the queue fills while a
    batch runs, so batch size grows with concurrency.
    """

    def __init__(self, runtime: "Runtime", max_size: int, wait_ms: float, histogram: Histogram):
        self.runtime, self.max_size, self.wait = runtime, max_size, wait_ms / 1000
        self.queue: asyncio.Queue = asyncio.Queue()
        self.histogram = histogram
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def submit(self, request: SearchRequest) -> SearchResponse:
        future = asyncio.get_running_loop().create_future()
        await self.queue.put((request, future))
        return await future

    async def _run(self) -> None:
        while True:
            batch = [await self.queue.get()]
            if self.wait:
                await asyncio.sleep(self.wait)
            while not self.queue.empty() and len(batch) < self.max_size:
                batch.append(self.queue.get_nowait())
            self.histogram.observe(len(batch))
            try:
                engine = self.runtime.engine()
                encoded = await run_in_threadpool(engine.encode_batch, [r for r, _ in batch])
            except Exception as exc:  # noqa: BLE001 - handed to each waiting request
                _fail(batch, exc)
                continue
            # results are built in another thread while the loop goes back to encode the next batch
            asyncio.get_running_loop().create_task(self._answer(engine, batch, encoded))

    @staticmethod
    async def _answer(engine: Engine, batch: list, encoded) -> None:
        try:
            results = await run_in_threadpool(engine.answer_batch, encoded)
        except Exception as exc:  # noqa: BLE001
            _fail(batch, exc)
            return
        for (_, future), result in zip(batch, results):
            if not future.done():
                future.set_result(result)


def _fail(batch: list, exc: Exception) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(exc)


class GuardAndMeasure:
    """Bounds what a client may send and counts every response (a plain ASGI middleware:
    Starlette's BaseHTTPMiddleware doubled the cost of the HTTP layer in `eval bench`)."""

    def __init__(self, app, max_query: int, requests_total: Counter, latency: Histogram):
        self.app, self.max_query, self.requests_total, self.latency = app, max_query, requests_total, latency

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"").decode("latin-1")
        if length and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return await JSONResponse({"detail": f"request body over {MAX_BODY_BYTES} bytes"}, 413)(scope, receive, send)
        if len(scope.get("query_string", b"")) > self.max_query:
            return await JSONResponse({"detail": "query string too long"}, 414)(scope, receive, send)
        status = 500

        async def send_and_note(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = getattr(scope.get("route"), "path", "other")
            self.requests_total.labels(route, str(status)).inc()
            self.latency.labels(route).observe(time.perf_counter() - started)


class Runtime:
    """Holds the engine; opens it lazily so the service starts, and says how, with no index yet."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = Engine.open(self.settings)
        return self._engine

    def reload(self) -> dict:
        if self._engine is None:
            self.engine()
            return {"reloaded": True, "build_id": self._engine.index.manifest["build_id"]}
        return self._engine.reload()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    runtime = Runtime(settings)
    registry = CollectorRegistry()
    requests_total = Counter("precedent_requests_total", "HTTP requests", ["route", "status"], registry=registry)
    latency = Histogram("precedent_request_seconds", "HTTP request latency", ["route"], registry=registry)
    batch_sizes = Histogram("precedent_query_batch_size", "Queries encoded per model call",
                            buckets=(1, 2, 4, 8, 16, 32, 64), registry=registry)
    batcher = Batcher(runtime, settings.batch_max_size, settings.batch_wait_ms, batch_sizes)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        batcher.start()
        try:
            await run_in_threadpool(runtime.engine)
            log.info("serving index %s", runtime.engine().index.manifest["build_id"])
        except store.IndexError_ as exc:
            log.error("%s", exc)
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(_reload_logged()))
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread (tests run the server in one): reload via /admin/reload
        yield
        batcher.task.cancel()

    async def _reload_logged():
        try:
            log.info("SIGHUP: %s", await run_in_threadpool(runtime.reload))
        except store.IndexError_ as exc:
            log.error("reload refused, still serving the previous index: %s", exc)

    app = FastAPI(title="Precedent", version="0.1.0", lifespan=lifespan, max_body_size=MAX_BODY_BYTES,
                  description="Semantic search and answers over policy documents on drugs and crime, "
                              "with exact citations (character offsets into the verbatim corpus files).")
    app.state.runtime = runtime

    app.add_middleware(GuardAndMeasure, max_query=4 * settings.max_query_chars, requests_total=requests_total,
                       latency=latency)

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError):
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    @app.exception_handler(store.IndexError_)
    async def index_error(request: Request, exc: store.IndexError_):
        return JSONResponse({"detail": str(exc)}, status_code=503)

    def engine() -> Engine:
        return runtime.engine()

    async def search(request: SearchRequest, engine: Engine) -> SearchResponse:
        engine.validate(request, engine.index)  # a bad request fails alone, not its whole batch
        return await batcher.submit(request)

    @app.get("/search", response_model=SearchResponse, tags=["search"])
    async def search_get(request: Annotated[SearchRequest, Query()], engine: Engine = Depends(engine)):
        """Ranked passages with citations. Put words in double quotes to match exact wording."""
        return await search(request, engine)

    @app.post("/search", response_model=SearchResponse, tags=["search"])
    async def search_post(request: SearchRequest, engine: Engine = Depends(engine)):
        return await search(request, engine)

    @app.get("/ask", response_model=AskResponse, tags=["search"])
    async def ask(q: Annotated[str, Query(description="A question.")],
                  k: Annotated[int, Query(ge=1, le=100)] = 10, engine: Engine = Depends(engine)):
        """An answer from the corpus alone: one row per country for questions across countries."""
        engine.validate(SearchRequest(q=q, k=k), engine.index)
        return await run_in_threadpool(engine.ask, q, k)

    @app.get("/documents", response_model=list[DocumentOut], tags=["corpus"])
    def documents(engine: Engine = Depends(engine)):
        return engine.documents()

    @app.get("/documents/{document_id}", response_model=DocumentFull, tags=["corpus"])
    def document(document_id: str, engine: Engine = Depends(engine)):
        """Metadata, the verbatim text and every passage's spans."""
        return engine.document(document_id)

    @app.get("/passages/{passage_id}", response_model=PassageOut, tags=["corpus"])
    def passage(passage_id: str, engine: Engine = Depends(engine)):
        return engine.passage(passage_id)

    @app.get("/passages/{passage_id}/similar", response_model=SearchResponse, tags=["search"])
    def similar(passage_id: str, k: Annotated[int, Query(ge=1, le=100)] = 10, engine: Engine = Depends(engine)):
        """Passages elsewhere in the corpus closest in meaning to this one."""
        return engine.similar(passage_id, k)

    @app.get("/health", tags=["operations"])
    def health(engine: Engine = Depends(engine)):
        return engine.health()

    @app.get("/metrics", tags=["operations"], response_class=PlainTextResponse)
    def metrics():
        return PlainTextResponse(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    def admin(x_admin_token: Annotated[str | None, Header()] = None) -> None:
        if not settings.admin_token:
            raise QueryError("admin routes are off: set PRECEDENT_ADMIN_TOKEN to turn them on", 404)
        if not x_admin_token or not hmac.compare_digest(x_admin_token.encode("utf-8", "surrogateescape"),
                                                        settings.admin_token.encode("utf-8")):
            raise QueryError("missing or wrong X-Admin-Token header", 401)

    @app.post("/admin/reload", tags=["operations"], dependencies=[Depends(admin)])
    def reload():
        """Serve the build `index/current` points at now; a damaged one is refused, the old one kept."""
        return runtime.reload()

    @app.post("/admin/rebuild", tags=["operations"], dependencies=[Depends(admin)])
    def rebuild():
        """Build the index from the corpus folder, then reload it."""
        from indexer.build import BuildFailed, build_index

        try:
            summary = build_index(settings, embedder=shared_embedder())  # works before any index exists
        except BuildFailed as exc:
            raise QueryError(str(exc), 409) from None
        return {"summary": summary.lines(), **runtime.reload()}

    @app.get("/", include_in_schema=False)
    def page():
        return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": PAGE_POLICY})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
