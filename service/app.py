"""The HTTP API and the web page: thin routes over the Engine, errors mapped to HTTP codes."""
from __future__ import annotations

import asyncio
import hmac
import logging
import math
import signal
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.concurrency import run_in_threadpool

from indexer import store
from indexer.settings import Settings, get_settings
from service.batcher import Batcher, Overloaded, ShedWhenFull
from service.engine import Engine, NotFound, QueryError, RequestError, Unauthorized
from service.jobs import JobConflict, RebuildJobs
from service import ask as answers
from service import export
from service.docs_assets import add_docs_routes
from service.params import only_parameters
from service.schemas import (AskResponse, CoverageGrid, DocumentFull, DocumentOut, PassageOut, SearchRequest,
                             SearchResponse)

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 64 * 1024
# corpus text is data: no inline script may run on the page, whatever a document contains
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


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
            return await JSONResponse({"detail": f"query string over {self.max_query} bytes (percent-encoded)"},
                                      414)(scope, receive, send)
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

    def __init__(self, settings: Settings, engine: Engine | None = None):
        """`engine`: one already open (a cluster front's), served as it is."""
        self.settings = settings
        self._engine: Engine | None = engine
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = Engine.open(self.settings)
        return self._engine

    def opened(self) -> Engine | None:
        return self._engine

    def reload(self) -> dict:
        if self._engine is None:
            self.engine()
            return {"reloaded": True, "build_id": self._engine.index.manifest["build_id"]}
        return self._engine.reload()


def json_safe(value):
    """`value` with every float JSON cannot write (inf, nan) written as a string."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def create_app(settings: Settings | None = None, builds_in_flight: int = 1, engine: Engine | None = None) -> FastAPI:
    """The app over `settings`; `builds_in_flight`: batches whose results are built at once
    (the batcher's docstring says why one, and a cluster front more); `engine`: one already
    open to serve (a cluster front's), else the index is opened at start-up."""
    settings = settings or get_settings()
    runtime = Runtime(settings, engine)
    registry = CollectorRegistry()
    requests_total = Counter("precedent_requests_total", "HTTP requests", ["route", "status"], registry=registry)
    latency = Histogram("precedent_request_seconds", "HTTP request latency", ["route"], registry=registry)
    batch_sizes = Histogram("precedent_query_batch_size", "Queries encoded per model call",
                            buckets=(1, 2, 4, 8, 16, 32, 64), registry=registry)
    restarts = Counter("precedent_batcher_restarts_total", "Times the batcher's task died and was restarted",
                       registry=registry)
    batcher = Batcher(runtime, settings.batch_max_size, settings.batch_wait_ms, settings.queue_max,
                      settings.request_deadline_s, batch_sizes, restarts,
                      builders={"search": lambda engine, encoded, ranked: engine.answer_batch(encoded,
                                                                                             ranked=ranked),
                                "ask": answers.ask_batch}, builds_in_flight=builds_in_flight)
    jobs = RebuildJobs(settings, runtime.reload)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        batcher.start()
        try:
            await run_in_threadpool(runtime.engine)
            log.info("serving index %s", runtime.engine().index.manifest["build_id"])
        except store.IndexUnavailable as exc:
            log.error("%s", exc)
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(_reload_logged()))
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread (tests run the server in one): reload via /admin/reload
        yield
        await batcher.stop()
        await jobs.stop()

    async def _reload_logged():
        try:
            log.info("SIGHUP: %s", await run_in_threadpool(runtime.reload))
        except store.IndexUnavailable as exc:
            log.error("reload refused, still serving the previous index: %s", exc)

    app = FastAPI(title="Precedent", version="0.1.0", lifespan=lifespan, max_body_size=MAX_BODY_BYTES,
                  docs_url=None, redoc_url=None,  # self-hosted below: they work with no network
                  description="Semantic search and answers over policy documents on drugs and crime, "
                              "with exact citations (character offsets into the verbatim corpus files).")
    add_docs_routes(app, "Precedent")
    app.state.runtime = runtime
    app.state.batcher, app.state.jobs = batcher, jobs

    app.add_middleware(ShedWhenFull, batcher=batcher)
    # a query of max_query_chars characters, each up to four UTF-8 bytes written as %XX, and the other parameters
    app.add_middleware(GuardAndMeasure, max_query=12 * settings.max_query_chars + 2048, requests_total=requests_total,
                       latency=latency)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        """FastAPI's 422, with what was sent made JSON ("k": 1e400 or NaN is echoed as a string;
        JSON has no infinity, and the default handler failed on it with a 500)."""
        return JSONResponse({"detail": json_safe(jsonable_encoder(exc.errors()))}, status_code=422)

    @app.exception_handler(RequestError)
    async def request_error(request: Request, exc: RequestError):
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    @app.exception_handler(Overloaded)
    async def overloaded(request: Request, exc: Overloaded):
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": str(exc.retry_after)})

    @app.exception_handler(store.IndexUnavailable)
    async def index_error(request: Request, exc: store.IndexUnavailable):
        return JSONResponse({"detail": str(exc)}, status_code=503)

    async def engine() -> Engine:
        """The open engine without a thread hop (a sync dependency costs one per request); the
        first open, which reads the index, runs in a worker thread."""
        return runtime.opened() or await run_in_threadpool(runtime.engine)

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

    def table_format(format: Annotated[str, Query(description="json or csv (UTF-8 with BOM).")] = "json") -> str:
        if format not in export.FORMATS:
            raise QueryError(f"unknown format {format!r}; valid values: {', '.join(export.FORMATS)}")
        return format

    def csv_response(body: bytes, name: str) -> Response:
        return Response(body, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})

    @app.get("/ask", response_model=AskResponse, tags=["search"])
    async def ask(q: Annotated[str, Query(description="A question.")],
                  k: Annotated[int, Query(ge=1, le=100)] = 10, country: str | None = None, kind: str | None = None,
                  document: str | None = None, format: str = Depends(table_format), engine: Engine = Depends(engine),
                  _: None = only_parameters("q", "k", "country", "kind", "document", "format")):
        """An answer from the corpus alone: the sentences that answer, cited. When the best evidence
        is a recommendation several countries answered, one row per country (`format=csv`: that table)."""
        request = answers.ask_request(q, k, country, kind, document)
        engine.validate(request, engine.index)
        response = await batcher.submit(request, kind="ask")  # one model call with the searches queued beside it
        return csv_response(export.answer_csv(response.answer), "answer") if format == "csv" else response

    @app.get("/coverage", response_model=CoverageGrid, tags=["corpus"])
    def coverage(format: str = Depends(table_format), engine: Engine = Depends(engine),
                 _: None = only_parameters("format")):
        """Every questionnaire recommendation against every country: commented or not, the comment's
        opening sentence and its citation (`format=csv`: one line per recommendation and country)."""
        grid = engine.coverage()
        return csv_response(export.coverage_csv(grid), "coverage") if format == "csv" else grid

    @app.get("/documents", response_model=list[DocumentOut], tags=["corpus"])
    def documents(engine: Engine = Depends(engine), _: None = only_parameters()):
        return engine.documents()

    @app.get("/documents/{document_id}", response_model=DocumentFull, tags=["corpus"])
    def document(document_id: str, engine: Engine = Depends(engine), _: None = only_parameters()):
        """Metadata, the verbatim text and every passage's spans."""
        return engine.document(document_id)

    @app.get("/passages/{passage_id}", response_model=PassageOut, tags=["corpus"])
    def passage(passage_id: str, engine: Engine = Depends(engine), _: None = only_parameters()):
        return engine.passage(passage_id)

    @app.get("/passages/{passage_id}/similar", response_model=SearchResponse, tags=["search"])
    def similar(passage_id: str, k: Annotated[int, Query(ge=1, le=100)] = 10, engine: Engine = Depends(engine),
                _: None = only_parameters("k")):
        """Passages elsewhere in the corpus closest in meaning to this one."""
        return engine.similar(passage_id, k)

    @app.api_route("/health", methods=["GET", "HEAD"], tags=["operations"])
    def health(engine: Engine = Depends(engine), _: None = only_parameters()):
        return engine.health()

    @app.get("/metrics", tags=["operations"], response_class=PlainTextResponse)
    def metrics():
        return PlainTextResponse(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    def admin(x_admin_token: Annotated[str | None, Header()] = None) -> None:
        if not settings.admin_token:
            raise NotFound("admin routes are off: set PRECEDENT_ADMIN_TOKEN to turn them on")
        if not x_admin_token or not hmac.compare_digest(x_admin_token.encode("utf-8", "surrogateescape"),
                                                        settings.admin_token.encode("utf-8")):
            raise Unauthorized("missing or wrong X-Admin-Token header")

    @app.post("/admin/reload", tags=["operations"], dependencies=[Depends(admin)])
    def reload():
        """Serve the build `index/current` points at now; a damaged one is refused, the old one kept."""
        return runtime.reload()

    @app.post("/admin/rebuild", tags=["operations"], dependencies=[Depends(admin)], status_code=202)
    async def rebuild():
        """Start building the index from the corpus folder in a separate process; 202 with the job
        at once, 409 while another rebuild runs. The service reloads when the build succeeds."""
        try:
            job = jobs.start()  # works before any index exists
        except JobConflict as exc:
            return JSONResponse({"detail": str(exc), "job": exc.running.public()}, status_code=409)
        return JSONResponse(job.public() | {"url": f"/admin/jobs/{job.id}"}, status_code=202,
                            headers={"Location": f"/admin/jobs/{job.id}"})

    @app.get("/admin/jobs/{job_id}", tags=["operations"], dependencies=[Depends(admin)])
    async def rebuild_job(job_id: str):
        """A rebuild job: state (queued, running, succeeded, failed), progress, build summary."""
        job = jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r} (the latest 20 are kept)")
        return job.public()

    @app.get("/", include_in_schema=False)
    def page():
        return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": PAGE_POLICY})

    from service.pages import add_page_route  # PDF pages rendered with the cited range boxed

    add_page_route(app, engine, settings)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
