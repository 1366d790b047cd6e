"""The service's batcher: concurrent /search and /ask requests share one model call, and
overload is refused at once instead of queueing without end.

Why it is shaped like this:

- No timer: at low load a query goes straight through; under load requests queue while a
  batch runs, so batch size grows with concurrency.
- Bounded: at most `queue_max` requests are admitted and not yet answered. Past that a
  request gets 503 with Retry-After straight away (`ShedWhenFull` does it before routing and
  validation, so refusing costs next to nothing), which keeps latency, memory and the answer
  to "will I be served?" bounded however many clients come.
- Deadlines: every request has one; when it passes the client gets 503, and a request not
  yet encoded is dropped from its batch rather than computed for nobody.
- Supervised: if the batcher's task ends for any reason but shutdown, the requests it held
  get 503 (never silence) and a new task takes over the queue.
- Pipelined: the next batch is encoded while the previous batch's results are built, but
  only `builds_in_flight` batches are built at a time (one on one machine, where building is
  CPU work), so work in flight stays bounded too.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass

import numpy as np
from starlette.concurrency import run_in_threadpool

log = logging.getLogger(__name__)
SHED_PATHS = frozenset({"/search", "/ask"})


class Overloaded(Exception):
    """Answered 503 with Retry-After: nothing is wrong with the request; try again shortly."""

    def __init__(self, message: str, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(eq=False)
class Item:
    kind: str  # "search" or "ask"
    request: object  # service.schemas.SearchRequest
    future: asyncio.Future


class Batcher:
    def __init__(self, runtime, max_size: int, wait_ms: float, queue_max: int, deadline_s: float, histogram,
                 restarts=None, builders: dict | None = None, builds_in_flight: int = 1):
        """`builders`: for each kind, f(engine, encoded batch, ranked) -> one response (or that
        request's own exception) per request, where `ranked` is the engine's `respond_batch` of
        those requests: the batch is ranked once, whatever kinds it mixes (a cluster fans out once)."""
        self.runtime, self.max_size, self.wait = runtime, max(1, max_size), wait_ms / 1000
        self.builders = builders or {"search": lambda engine, encoded, ranked: engine.answer_batch(encoded,
                                                                                                    ranked=ranked)}
        self.queue_max, self.deadline = max(1, queue_max), deadline_s
        self.histogram, self.restarts = histogram, restarts
        self.queue: asyncio.Queue[Item] = asyncio.Queue()
        self.pending = 0  # admitted and not yet answered (queued, encoding or being built)
        self.held: list[Item] = []  # taken from the queue by the running task, not yet handed on
        self.task: asyncio.Task | None = None
        self._stopping = False
        # batches built at once: one on one machine, where building is CPU work; more where
        # building mostly waits (a cluster front waits on its shards)
        self.builds_in_flight = max(1, builds_in_flight)
        self._building: asyncio.Semaphore | None = None
        self._answering: set[asyncio.Task] = set()

    # ---- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        self._stopping = False
        self._building = self._building or asyncio.Semaphore(self.builds_in_flight)
        self.task = asyncio.get_running_loop().create_task(self._run(), name="batcher")
        self.task.add_done_callback(self._on_exit)

    async def stop(self) -> None:
        self._stopping = True
        if self.task:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        _fail(self.held, Overloaded("the service is shutting down"))
        while not self.queue.empty():
            _fail([self.queue.get_nowait()], Overloaded("the service is shutting down"))

    def _on_exit(self, task: asyncio.Task) -> None:
        if self._stopping:
            return
        reason = "cancelled" if task.cancelled() else repr(task.exception())
        log.error("the batcher stopped (%s); restarting it; %d request(s) it held get 503", reason, len(self.held))
        _fail(self.held, Overloaded("the service restarted its batcher while holding this request; try again"))
        self.held = []
        if self.restarts is not None:
            self.restarts.inc()
        self.start()

    # ---- admission ---------------------------------------------------------------------
    def full(self) -> bool:
        return self.pending >= self.queue_max

    async def submit(self, request, kind: str = "search"):
        """The response for one request, built in a batch with whatever else is queued."""
        if kind not in self.builders:
            raise ValueError(f"unknown kind {kind!r}")
        if self.full():
            raise Overloaded(f"the service is at capacity ({self.queue_max} requests waiting); try again")
        item = Item(kind, request, asyncio.get_running_loop().create_future())
        self.pending += 1
        try:
            self.queue.put_nowait(item)
            return await asyncio.wait_for(item.future, self.deadline)  # cancels the future when it times out
        except TimeoutError:
            raise Overloaded(f"not answered within {self.deadline:g} s; the service is busy, try again") from None
        finally:
            self.pending -= 1

    # ---- the batch loop ----------------------------------------------------------------
    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            first = await self.queue.get()
            self.held = [first]
            if self.wait:
                await asyncio.sleep(self.wait)
            while not self.queue.empty() and len(self.held) < self.max_size:
                self.held.append(self.queue.get_nowait())
            batch = [item for item in self.held if not item.future.done()]  # past deadline, or client gone
            if not batch:
                self.held = []
                continue
            self.histogram.observe(len(batch))
            try:
                engine = self.runtime.engine()
                encoded = await run_in_threadpool(engine.encode_batch, [item.request for item in batch])
            except Exception as exc:  # noqa: BLE001 - handed to each waiting request
                _fail(batch, exc)
                self.held = []
                continue
            await self._building.acquire()  # at most `builds_in_flight` batches wait to be built
            self.held = []
            task = loop.create_task(self._answer(engine, batch, encoded))
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)

    async def _answer(self, engine, batch: list[Item], encoded) -> None:
        try:
            results = await run_in_threadpool(_build, self.builders, engine, batch, encoded)
        except Exception as exc:  # noqa: BLE001
            _fail(batch, exc)
            return
        finally:
            self._building.release()
        for item, result in zip(batch, results):  # a builder puts a request's own error in its place
            if item.future.done():
                continue
            if isinstance(result, Exception):
                item.future.set_exception(result)
            else:
                item.future.set_result(result)


def _build(builders: dict, engine, batch: list[Item], encoded) -> list:
    """Results for one encoded batch, in the batch's order: the batch is ranked once, then each
    kind is built by its own builder from its share of the batch (one model call and one
    ranking served them all)."""
    ranked = engine.respond_batch(encoded)
    kinds = {item.kind for item in batch}
    if len(kinds) == 1:
        return builders[kinds.pop()](engine, encoded, ranked)
    out: list = [None] * len(batch)
    for kind in sorted(kinds):
        rows = [i for i, item in enumerate(batch) if item.kind == kind]
        share = builders[kind](engine, subset(encoded, rows, len(batch)), [ranked[i] for i in rows])
        for i, result in zip(rows, share):
            out[i] = result
    return out


def subset(encoded, rows: list[int], n: int):
    """The same encoded batch cut down to `rows`: every per-request field (a list or an array
    with one entry per request) is indexed, anything else (the index) kept."""
    changes = {}
    for field in dataclasses.fields(encoded):
        value = getattr(encoded, field.name)
        if isinstance(value, np.ndarray) and value.ndim and value.shape[0] == n:
            changes[field.name] = value[rows]
        elif isinstance(value, (list, tuple)) and len(value) == n:
            changes[field.name] = type(value)(value[i] for i in rows)
    return dataclasses.replace(encoded, **changes)


def _fail(batch: list[Item], exc: BaseException) -> None:
    for item in batch:
        if not item.future.done():
            item.future.set_exception(exc)


class ShedWhenFull:
    """Refuses /search and /ask with 503 before routing when the batcher is full: under
    overload most requests are refused, so refusing must cost far less than serving."""

    def __init__(self, app, batcher: Batcher, retry_after: int = 1):
        self.app, self.batcher = app, batcher
        self.body = b'{"detail":"the service is at capacity; try again"}'
        self.headers = [(b"content-type", b"application/json"), (b"content-length", str(len(self.body)).encode()),
                        (b"retry-after", str(retry_after).encode())]

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] in SHED_PATHS and self.batcher.full():
            await send({"type": "http.response.start", "status": 503, "headers": self.headers})
            await send({"type": "http.response.body", "body": self.body})
            return
        await self.app(scope, receive, send)
