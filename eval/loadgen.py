"""A bounded HTTP load generator for the bench: loopback only, stops by itself.

`run_load` sends GET /search requests from `concurrency` asyncio workers. Each worker holds
one keep-alive connection (its own httpx.AsyncClient, or with client="raw" a minimal
asyncio HTTP/1.1 client that takes far less of the CPUs the server shares) and takes the
next request number from a shared counter, cycling through the given queries, so the
request order is the same on every run. The run ends when `requests` requests are done,
or when `duration` seconds (the soak) or the time cap have passed, or `stop` is set, whichever
comes first; requests still in flight at the cap are abandoned after one request timeout.
Every request's start, latency and status is kept (`samples`), so a part can look at a
window (during a rebuild) or at refused requests (503 under overload) as well as successes.
Nothing here can target anything but 127.0.0.1 / localhost.
"""
from __future__ import annotations

import asyncio
import ipaddress
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import numpy as np

LOOPBACK_NAMES = {"localhost"}
CLIENTS = ("httpx", "raw")


class NotLoopback(ValueError):
    pass


def check_loopback(url: str) -> None:
    """Refuse any target that is not this machine's loopback interface."""
    host = urlsplit(url).hostname or ""
    if host in LOOPBACK_NAMES:
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise NotLoopback(f"the load generator only targets 127.0.0.1, not {host!r}")


def percentiles(values_ms, qs=(50, 95, 99)) -> dict[str, float]:
    """p50/p95/p99, mean and max in ms (linear interpolation); zeros when there is nothing."""
    arr = np.asarray(values_ms, dtype=float)
    out = {f"p{q}": 0.0 for q in qs} | {"mean": 0.0, "max": 0.0, "min": 0.0}
    if arr.size:
        out.update({f"p{q}": round(float(np.percentile(arr, q)), 3) for q in qs})
        out.update(mean=round(float(arr.mean()), 3), max=round(float(arr.max()), 3), min=round(float(arr.min()), 3))
    return out


@dataclass
class LoadResult:
    concurrency: int
    planned: int | None
    duration: float | None
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    exceptions: dict[str, int] = field(default_factory=dict)
    elapsed_s: float = 0.0
    capped: bool = False
    timeline: list[tuple[float, int, int]] = field(default_factory=list)  # (t, completed, errors)
    started_at: float = 0.0  # time.perf_counter() when the run began
    samples: list[tuple[float, float, int]] = field(default_factory=list)  # (start s from started_at, ms, status)

    def latencies_of(self, status: int | None = None, t0: float = float("-inf"), t1: float = float("inf")) -> list:
        """Latencies (ms) of the requests that started between t0 and t1 (perf_counter), of one status or all."""
        a, b = t0 - self.started_at, t1 - self.started_at
        return [ms for t, ms, st in self.samples if a <= t <= b and (status is None or st == status)]

    @property
    def completed(self) -> int:
        return sum(self.statuses.values()) + sum(self.exceptions.values())

    @property
    def ok(self) -> int:
        return self.statuses.get("200", 0)

    @property
    def errors(self) -> int:
        return self.completed - self.ok

    def summary(self) -> dict:
        return {
            "concurrency": self.concurrency,
            "planned_requests": self.planned,
            "duration_s": self.duration,
            "requests": self.completed,
            "ok": self.ok,
            "errors": self.errors,
            "statuses": dict(sorted(self.statuses.items())),
            "exceptions": dict(sorted(self.exceptions.items())),
            "elapsed_s": round(self.elapsed_s, 3),
            "qps": round(self.ok / self.elapsed_s, 2) if self.elapsed_s > 0 else 0.0,
            "latency_ms": percentiles(self.latencies_ms),
            "latency_all_ms": percentiles([ms for _, ms, _ in self.samples]),
            "capped": self.capped,
        }


class _RawConnection:
    """The least HTTP/1.1 a benchmark needs: keep-alive GETs, Content-Length or chunked bodies.

    Costs about 0.05 ms of client CPU per request against about 1 ms for httpx, which
    matters when client and server share two cores."""

    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.reader = self.writer = None

    async def get(self, target: str) -> tuple[int, bytes]:
        status, _, body = await self.request(target)
        return status, body

    async def request(self, target: str) -> tuple[int, dict, bytes]:
        """GET target: status, headers (lower-case names), body."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port),
                                                              self.timeout)
        try:
            return await asyncio.wait_for(self._exchange(target), self.timeout)
        except BaseException:
            self.close()
            raise

    async def _exchange(self, target: str) -> tuple[int, dict, bytes]:
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                          f"Accept: application/json\r\n\r\n".encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _load(base_url: str, path: str, queries: list[dict], concurrency: int, requests: int | None,
                duration: float | None, time_cap: float, timeout: float, offset: int, client: str,
                on_tick=None, stop: threading.Event | None = None, retry_after: bool = False) -> LoadResult:
    import httpx

    result = LoadResult(concurrency, requests, duration)
    targets = [f"{path}?{urlencode(q)}" for q in queries]  # encoded once, not per request
    counter = iter(range(offset, offset + requests) if requests is not None else _count(offset))
    started = result.started_at = time.perf_counter()
    stop_at = started + min(time_cap, duration if duration is not None else time_cap)
    split = urlsplit(base_url)

    async def worker() -> None:
        # one connection per worker: a shared httpx pool costs about 3x the client CPU per request
        if client == "raw":
            conn = _RawConnection(split.hostname, split.port or 80, timeout)
        else:
            conn = httpx.AsyncClient(base_url=base_url, timeout=timeout, trust_env=False,
                                     limits=httpx.Limits(max_connections=1, max_keepalive_connections=1))
        try:
            for i in counter:
                if time.perf_counter() >= stop_at or (stop is not None and stop.is_set()):
                    return
                t0 = time.perf_counter()
                try:
                    if client == "raw":
                        status, headers, _ = await conn.request(targets[i % len(targets)])
                    else:
                        response = await conn.get(targets[i % len(targets)])
                        status, headers = response.status_code, response.headers
                    key = str(status)
                    result.statuses[key] = result.statuses.get(key, 0) + 1
                    ms = (time.perf_counter() - t0) * 1000
                    result.samples.append((t0 - started, ms, status))
                    if status == 200:
                        result.latencies_ms.append(ms)
                    elif retry_after and status in (429, 503):  # a polite client waits as told (at most 5 s)
                        wait = headers.get("retry-after", "1")
                        await asyncio.sleep(min(5.0, float(wait) if wait.replace(".", "", 1).isdigit() else 1.0))
                except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
                    name = type(exc).__name__
                    result.exceptions[name] = result.exceptions.get(name, 0) + 1
        finally:
            if client == "raw":
                conn.close()
            else:
                await conn.aclose()

    async def ticker() -> None:
        while True:
            await asyncio.sleep(1.0)
            result.timeline.append((round(time.perf_counter() - started, 2), result.completed, result.errors))
            if on_tick:
                on_tick(result)

    tick = asyncio.create_task(ticker())
    tasks = [asyncio.create_task(worker()) for _ in range(concurrency)]
    remaining = max(0.0, stop_at - time.perf_counter()) + timeout + 1
    _, pending = await asyncio.wait(tasks, timeout=remaining)
    for task in pending:  # only after the cap plus one request timeout: give up on them
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    tick.cancel()
    await asyncio.gather(tick, return_exceptions=True)
    result.elapsed_s = time.perf_counter() - started
    planned_done = requests is not None and result.completed >= requests
    result.capped = bool(requests is not None and not planned_done) or bool(pending)
    return result


def _count(start: int):
    i = start
    while True:
        yield i
        i += 1


def run_load(base_url: str, queries: list[dict], concurrency: int, requests: int | None = None,
             duration: float | None = None, time_cap: float = 120.0, timeout: float = 30.0,
             path: str = "/search", offset: int = 0, client: str = "httpx", on_tick=None,
             stop: threading.Event | None = None, retry_after: bool = False) -> LoadResult:
    """Send `requests` requests (or keep going `duration` seconds) with `concurrency` clients.

    `queries` are query-string parameter dicts, e.g. {"q": "...", "k": 10}, used in turn.
    `client` is "httpx" (an httpx.AsyncClient per worker) or "raw" (a minimal asyncio client).
    Setting `stop` (from another thread) ends the run after the requests in flight. With
    `retry_after`, a client told 503 or 429 waits the Retry-After seconds before its next request.
    """
    check_loopback(base_url)
    if not queries:
        raise ValueError("no queries to send")
    if requests is None and duration is None:
        raise ValueError("give a number of requests or a duration")
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if client not in CLIENTS:
        raise ValueError(f"client must be one of {', '.join(CLIENTS)}")
    return asyncio.run(_load(base_url, path, queries, concurrency, requests, duration, time_cap, timeout, offset,
                             client, on_tick, stop, retry_after))
