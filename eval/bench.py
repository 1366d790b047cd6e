"""`python -m eval bench`: how fast Precedent builds, starts, answers and grows.

Parts (choose with --parts; default build,startup,inprocess,http):

  build      cold build into an empty index folder, then an incremental build after one
             sentence is appended to (a copy of) one corpus file; index size on disk
  startup    `python -m service serve` started as a subprocess on a free 127.0.0.1 port;
             seconds until the first /search answer succeeds
  inprocess  Engine.search latency on the gold queries, plus a breakdown of where one query's
             time goes (parse, encode, rank, results/highlights, JSON)
  http       GET /search against that subprocess at each --concurrency level: a fixed number
             of requests (--requests), a time cap, latency percentiles, queries/s, errors,
             server CPU per request, model batch size, peak RSS (psutil, sampled)
  soak       --soak SECONDS of 32 concurrent clients: requests, errors, RSS start/end/max
  scale      --scale 100000,1000000: FAISS exact vs HNSW vs IVF on synthetic vectors

Everything runs on temporary copies of the corpus and index (never the originals) and
only ever sends requests to 127.0.0.1. Results: Markdown on stdout, JSON (and the same
Markdown) in --out. Numbers are only comparable between runs on a quiet machine; the JSON
records the load average before and after so a noisy run can be recognised.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import logging
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from eval.loadgen import CLIENTS, percentiles, run_load

log = logging.getLogger("eval.bench")

ROOT = Path(__file__).resolve().parents[1]
GOLD = Path(__file__).resolve().parent / "gold" / "questions.jsonl"
DEFAULT_OUT = ROOT / "results" / "bench"
DEFAULT_PARTS = ("build", "startup", "inprocess", "http")
ALL_PARTS = DEFAULT_PARTS + ("soak", "scale")
SERVER_PARTS = {"startup", "http", "soak"}
TARGET_P50_C1_MS = 30.0
TARGET_QPS_C32 = 150.0
APPENDED_SENTENCE = "\n\nThis sentence was appended by the benchmark to measure an incremental build.\n"


# ---- small helpers ------------------------------------------------------------------------

def _int_list(text: str) -> list[int]:
    try:
        values = [int(float(x)) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive numbers, got {text!r}")
    return values


def _parts(text: str) -> list[str]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in parts if p not in ALL_PARTS]
    if unknown or not parts:
        raise argparse.ArgumentTypeError(f"unknown part(s) {', '.join(unknown) or text!r}; "
                                         f"choose from {','.join(ALL_PARTS)}")
    return parts


def load_queries(path: Path = GOLD) -> list[str]:
    queries = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            queries.append(json.loads(line)["query"])
    if not queries:
        raise SystemExit(f"no queries in {path}")
    return queries


def dir_bytes(path: Path) -> dict:
    """Size on disk of a build folder: total, and per top-level file or folder."""
    by_entry = {}
    for entry in sorted(path.iterdir()):
        files = [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
        by_entry[entry.name] = sum(p.stat().st_size for p in files)
    return {"total": sum(by_entry.values()), "by_file": by_entry}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _mib(n: float | int | None) -> float | None:
    return None if n is None else round(n / 2**20, 1)


def _git() -> dict:
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True,
                               timeout=10).stdout.strip()
        return {"commit": commit or None, "dirty": bool(dirty)}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def _machine() -> dict:
    import psutil

    return {"cpus": os.cpu_count(), "cpu_model": platform.processor() or platform.machine(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "loadavg": [round(x, 2) for x in os.getloadavg()], "python": platform.python_version(),
            "platform": platform.platform()}


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("torch", "sentence-transformers", "faiss-cpu", "fastapi", "uvicorn", "httpx", "numpy", "psutil",
                 "uvloop", "httptools"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


class RssSampler:
    """Samples a process's RSS (with its children) in a background thread."""

    def __init__(self, pid: int, interval: float = 0.1):
        import psutil

        self.process = psutil.Process(pid)
        self.interval = interval
        self._children: list = []
        self._children_at = 0.0
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def rss(self) -> int | None:
        import psutil

        try:
            total = self.process.memory_info().rss
            if time.perf_counter() - self._children_at > 5:  # scanning /proc for children is not free
                self._children = self.process.children(recursive=True)
                self._children_at = time.perf_counter()
            for child in self._children:
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            return None
        self.samples.append((time.perf_counter(), total))  # every reading counts towards the peak
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.rss()
            self._stop.wait(self.interval)

    def start(self) -> "RssSampler":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def max_between(self, t0: float, t1: float) -> int | None:
        values = [v for t, v in self.samples if t0 <= t <= t1]
        return max(values) if values else None

    def peak(self) -> int | None:
        return max((v for _, v in self.samples), default=None)

    def cpu_seconds(self) -> float:
        import psutil

        try:
            t = self.process.cpu_times()
            return t.user + t.system
        except psutil.Error:
            return 0.0


class Server:
    """`python -m service serve` as a subprocess on a free loopback port, over the bench's copies."""

    def __init__(self, index_dir: Path, corpus_dir: Path, log_path: Path, timeout: float,
                 command: list[str] | None = None):
        self.index_dir, self.corpus_dir, self.log_path, self.timeout = index_dir, corpus_dir, log_path, timeout
        self.command = command or [sys.executable, "-m", "service", "serve"]
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.url = ""
        self.sampler: RssSampler | None = None
        self.startup: dict = {}

    def env(self, port: int) -> dict:
        env = dict(os.environ)
        env.pop("PRECEDENT_ADMIN_TOKEN", None)
        env.update(PRECEDENT_INDEX_DIR=str(self.index_dir), PRECEDENT_CORPUS_DIR=str(self.corpus_dir),
                   PRECEDENT_HOST="127.0.0.1", PRECEDENT_PORT=str(port), HF_HUB_OFFLINE="1",
                   TOKENIZERS_PARALLELISM="false", PYTHONUNBUFFERED="1",
                   PYTHONPATH=os.pathsep.join([str(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p]))
        return env

    def start(self, first_query: str) -> dict:
        for attempt in range(3):  # a free port can be taken between choosing it and binding it
            try:
                return self._start_once(first_query)
            except _PortTaken:
                log.warning("port taken, retrying with another one")
        raise RuntimeError("could not start the service on a free port")

    def _start_once(self, first_query: str) -> dict:
        import httpx

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        logfile = open(self.log_path, "ab")
        started = time.perf_counter()
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env(self.port),
                                        stdout=logfile, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        logfile.close()
        self.sampler = RssSampler(self.process.pid).start()
        connected = None
        with httpx.Client(base_url=self.url, timeout=30, trust_env=False) as client:
            while True:
                elapsed = time.perf_counter() - started
                if self.process.poll() is not None:
                    tail = self.log_tail()
                    self.stop()
                    if "address already in use" in tail.lower():
                        raise _PortTaken()
                    raise RuntimeError(f"the service exited with code {self.process.returncode}:\n{tail}")
                if elapsed > self.timeout:
                    self.stop()
                    raise RuntimeError(f"no /search answer within {self.timeout:.0f} s:\n{self.log_tail()}")
                try:
                    t0 = time.perf_counter()
                    response = client.get("/search", params={"q": first_query})
                    connected = connected or (t0 - started)
                    if response.status_code == 200:
                        first_ms = (time.perf_counter() - t0) * 1000
                        break
                    log.info("startup: /search answered %s; retrying", response.status_code)
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        total = time.perf_counter() - started
        self.startup = {"first_answer_s": round(total, 3), "first_connection_s": round(connected, 3),
                        "first_request_ms": round(first_ms, 1), "rss_after_first_answer_bytes": self.sampler.rss(),
                        "port": self.port, "pid": self.process.pid,
                        "note": "from spawning `python -m service serve` to the first 200 from /search (interpreter, "
                                "imports, model and index load, first query); the OS file cache is warm"}
        return self.startup

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return ""

    def metrics(self) -> dict[str, float]:
        """The Prometheus counters the bench reads: batch sizes and server-side /search time."""
        import httpx

        wanted = {}
        try:
            text = httpx.get(self.url + "/metrics", timeout=10, trust_env=False).text
        except httpx.HTTPError:
            return wanted
        for line in text.splitlines():
            m = re.match(r'^(precedent_query_batch_size_(?:sum|count))\s+(\S+)', line)
            if m:
                wanted[m.group(1)] = float(m.group(2))
            m = re.match(r'^(precedent_request_seconds_(?:sum|count))\{route="/search"\}\s+(\S+)', line)
            if m:
                wanted[m.group(1)] = float(m.group(2))
        return wanted

    def stop(self) -> None:
        if self.sampler:
            self.sampler.stop()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class _PortTaken(Exception):
    pass


@contextmanager
def _cpu_delta(sampler: RssSampler | None):
    import psutil

    me = psutil.Process()
    box: dict = {}
    s0 = sampler.cpu_seconds() if sampler else 0.0
    c0 = sum(me.cpu_times()[:2])
    t0 = time.perf_counter()
    yield box
    box.update(server_cpu_s=(sampler.cpu_seconds() - s0) if sampler else None,
               client_cpu_s=sum(me.cpu_times()[:2]) - c0, wall_s=time.perf_counter() - t0, t0=t0,
               t1=time.perf_counter())


# ---- the parts ----------------------------------------------------------------------------

def _settings(index_dir: Path, corpus_dir: Path):
    from indexer.settings import Settings

    return Settings(index_dir=index_dir, corpus_dir=corpus_dir)


def _embedder() -> tuple[object, float]:
    t0 = time.perf_counter()
    from indexer.embed import shared_embedder

    embedder = shared_embedder()
    return embedder, time.perf_counter() - t0


def part_build(ws: Path) -> dict:
    """Cold build into an empty folder, then an incremental one after one changed document."""
    from indexer import store
    from indexer.build import build_index

    embedder, model_s = _embedder()
    settings = _settings(ws / "index", ws / "corpus")
    log.info("build: cold build into an empty index folder")
    t0 = time.perf_counter()
    cold = build_index(settings, embedder=embedder)
    cold_s = time.perf_counter() - t0
    cold_size = dir_bytes(store.resolve_build(ws / "index"))

    files = sorted(p for p in (ws / "corpus").iterdir() if p.is_file() and p.suffix in {".txt", ".md"})
    changed = files[0]
    changed.chmod(changed.stat().st_mode | 0o200)  # corpus files are read-only; this is the bench's copy
    with open(changed, "a", encoding="utf-8") as f:
        f.write(APPENDED_SENTENCE)
    log.info("build: incremental build after appending a sentence to %s", changed.name)
    t0 = time.perf_counter()
    incr = build_index(settings, embedder=embedder)
    incr_s = time.perf_counter() - t0
    size = dir_bytes(store.resolve_build(ws / "index"))

    def summary(s, seconds):
        return {"seconds": round(seconds, 3), "documents": s.documents, "passages": s.passages,
                "embedded_passages": s.embedded_passages, "reused_passages": s.reused_passages,
                "embedded_documents": s.embedded_documents}

    return {"model_load_s": round(model_s, 3),
            "note": "in-process build_index() with the model already loaded (model_load_s is that load)",
            "cold": summary(cold, cold_s) | {"index_bytes": cold_size["total"]},
            "incremental": summary(incr, incr_s) | {"changed_file": changed.name},
            "index_bytes": size}


def _copy_index(source: Path, dest: Path) -> str:
    """Copy only the served build of `source` and point `current` at it."""
    from indexer import store

    build = store.resolve_build(source)
    target = dest / store.BUILDS / build.name
    shutil.copytree(build, target)
    os.symlink(Path(store.BUILDS) / build.name, dest / store.CURRENT)
    return build.name


def _breakdown(engine, queries: list[str]) -> dict:
    """One pass over the queries with each stage timed separately, and the SQLite calls counted.

    Uses Engine internals (rank, _search_one) and so is best effort: if they change, the
    breakdown says so and the rest of the bench is unaffected."""
    from service.engine import SearchRequest
    from service.query import parse_query

    index = engine.index
    calls: dict[str, list[float]] = {}
    originals = {}

    def wrap(name):
        original = getattr(index, name)
        originals[name] = original

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                calls.setdefault(name, []).append(time.perf_counter() - t0)
        setattr(index, name, timed)

    stages: dict[str, list[float]] = {k: [] for k in ("parse", "encode", "rank", "results", "serialize", "total")}
    try:
        for q in queries:
            request = SearchRequest(q=q)
            t0 = time.perf_counter()
            parsed = parse_query(q, index.countries, index.glossary, engine._stemmer.stemWord)
            t1 = time.perf_counter()
            vector = engine.embed_queries([parsed.expanded])[0]
            t2 = time.perf_counter()
            engine.rank(index, request, parsed, vector)
            t3 = time.perf_counter()
            for name in ("passage", "sentences", "same_wording", "phrase_rowids"):
                if hasattr(index, name):
                    wrap(name)
            t4 = time.perf_counter()
            response = engine._search_one(index, request, parsed, vector)  # rank again, then the results
            t5 = time.perf_counter()
            for name, original in originals.items():
                setattr(index, name, original)
            originals.clear()
            response.model_dump_json()
            t6 = time.perf_counter()
            stages["parse"].append(t1 - t0)
            stages["encode"].append(t2 - t1)
            stages["rank"].append(t3 - t2)
            stages["results"].append(max(0.0, (t5 - t4) - (t3 - t2)))
            stages["serialize"].append(t6 - t5)
            stages["total"].append((t3 - t0) + max(0.0, (t5 - t4) - (t3 - t2)) + (t6 - t5))
    except Exception as exc:  # noqa: BLE001 - internals moved: report it, do not fail the bench
        return {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        for name, original in originals.items():
            setattr(index, name, original)
    n = len(queries)
    return {"queries": n,
            "mean_ms": {k: round(1000 * float(np.mean(v)), 3) for k, v in stages.items()},
            "p50_ms": {k: round(1000 * float(np.median(v)), 3) for k, v in stages.items()},
            "calls_per_query": {k: round(len(v) / n, 2) for k, v in calls.items()},
            "call_ms_per_query": {k: round(1000 * sum(v) / n, 3) for k, v in calls.items()},
            "note": "results = Engine._search_one minus rank (highlights, also_in, result objects); "
                    "serialize = SearchResponse.model_dump_json()"}


def part_inprocess(settings, queries: list[str], requests: int, warmup: int, repeat: int,
                   profile_out: Path | None) -> dict:
    from service.engine import Engine, SearchRequest

    embedder, model_s = _embedder()
    t0 = time.perf_counter()
    engine = Engine.open(settings, embedder=embedder)
    open_s = time.perf_counter() - t0
    for i in range(warmup):
        engine.search(SearchRequest(q=queries[i % len(queries)]))
    runs = []
    for r in range(repeat):
        latencies, errors = [], 0
        started = time.perf_counter()
        for i in range(requests):
            t = time.perf_counter()
            try:
                engine.search(SearchRequest(q=queries[i % len(queries)]))
                latencies.append((time.perf_counter() - t) * 1000)
            except Exception:  # noqa: BLE001 - counted
                errors += 1
        elapsed = time.perf_counter() - started
        runs.append({"requests": requests, "ok": len(latencies), "errors": errors, "elapsed_s": round(elapsed, 3),
                     "qps": round(len(latencies) / elapsed, 2) if elapsed else 0.0,
                     "latency_ms": percentiles(latencies)})
        log.info("inprocess run %d: p50 %.1f ms, %.1f q/s", r + 1, runs[-1]["latency_ms"]["p50"], runs[-1]["qps"])
    out = _median_run(runs) | {"engine_open_s": round(open_s, 3), "model_load_s": round(model_s, 3),
                               "passages": engine.index.size}
    if repeat > 1:
        out["runs"] = runs
    # batching: what the service's Batcher gains from one model call for many queries
    batch = {}
    for size in sorted({1, 8, 32}):
        reqs = [SearchRequest(q=queries[i % len(queries)]) for i in range(size)]
        engine.search_batch(reqs)
        t = time.perf_counter()
        engine.search_batch(reqs)
        batch[str(size)] = round((time.perf_counter() - t) * 1000 / size, 3)
    out["search_batch_ms_per_query"] = batch
    out["breakdown"] = _breakdown(engine, queries[:requests])
    if profile_out is not None:
        out["profile"] = _profile(engine, queries, profile_out)
    return out


def _profile(engine, queries: list[str], path: Path) -> dict:
    from service.engine import SearchRequest

    profiler = cProfile.Profile()
    profiler.enable()
    for q in queries:
        engine.search(SearchRequest(q=q))
    profiler.disable()
    path.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(str(path))
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(25)
    text.write("\n--- the same, outside the model (by own time) ---\n")
    stats.sort_stats("tottime").print_stats(r"^(?!.*(torch|transformers|sentence_transformers)).*$", 30)
    (path.with_suffix(".txt")).write_text(text.getvalue(), "utf-8")
    return {"pstats": str(path), "text": str(path.with_suffix(".txt"))}


def _median_run(runs: list[dict]) -> dict:
    """The run with the median throughput: one whole run, so its numbers belong together."""
    ordered = sorted(runs, key=lambda r: r["qps"])
    return dict(ordered[(len(ordered) - 1) // 2])


def part_http(server: Server, queries: list[dict], levels: list[int], requests: int, warmup: int, repeat: int,
              time_cap: float, timeout: float, client: str) -> dict:
    out = {"requests_per_level": requests, "time_cap_s": time_cap, "client": client, "levels": []}
    for c in levels:
        if warmup:
            run_load(server.url, queries, c, requests=max(warmup, c), time_cap=time_cap, timeout=timeout,
                     offset=len(queries) // 2, client=client)
        runs = []
        for r in range(repeat):
            m0 = server.metrics()
            with _cpu_delta(server.sampler) as cpu:
                result = run_load(server.url, queries, c, requests=requests, time_cap=time_cap, timeout=timeout,
                                  client=client)
            m1 = server.metrics()
            row = result.summary()
            row.update(_server_stats(server, cpu, m0, m1, result.completed))
            runs.append(row)
            log.info("http c=%d run %d: %d ok, %d errors, p50 %.1f ms, %.1f q/s", c, r + 1, row["ok"], row["errors"],
                     row["latency_ms"]["p50"], row["qps"])
        level = _median_run(runs)
        if repeat > 1:
            level["runs"] = runs
        out["levels"].append(level)
    return out


def _server_stats(server: Server, cpu: dict, m0: dict, m1: dict, completed: int) -> dict:
    def delta(name):
        return m1.get(name, 0.0) - m0.get(name, 0.0)

    batches = delta("precedent_query_batch_size_count")
    served = delta("precedent_request_seconds_count")
    return {
        "rss_max_bytes": server.sampler.max_between(cpu["t0"], cpu["t1"]) if server.sampler else None,
        "server_cpu_ms_per_request": round(1000 * cpu["server_cpu_s"] / completed, 2) if completed else None,
        "server_cpu_util": round(cpu["server_cpu_s"] / cpu["wall_s"], 2) if cpu["wall_s"] else None,
        "client_cpu_ms_per_request": round(1000 * cpu["client_cpu_s"] / completed, 2) if completed else None,
        "model_calls": int(batches),
        "mean_batch_size": round(delta("precedent_query_batch_size_sum") / batches, 2) if batches else None,
        "server_mean_ms": round(1000 * delta("precedent_request_seconds_sum") / served, 2) if served else None,
    }


def part_soak(server: Server, queries: list[dict], seconds: float, concurrency: int, timeout: float,
              client: str) -> dict:
    sampler = server.sampler
    rss_start = sampler.rss()
    samples_before = len(sampler.samples)
    m0 = server.metrics()
    with _cpu_delta(sampler) as cpu:
        result = run_load(server.url, queries, concurrency, duration=seconds, time_cap=seconds, timeout=timeout,
                          client=client)
    m1 = server.metrics()
    rss_end = sampler.rss()
    window = [(t - cpu["t0"], v) for t, v in sampler.samples[samples_before:] if cpu["t0"] <= t <= cpu["t1"]]
    step = max(1.0, seconds / 12)
    timeline, next_t = [], 0.0
    for t, v in window:
        if t >= next_t:
            timeline.append([round(t, 1), v])
            next_t += step
    rss_max = max([v for _, v in window] + [x for x in (rss_start, rss_end) if x is not None], default=None)
    growth = (rss_end - rss_start) if rss_start and rss_end else None
    # the first quarter is warm-up (new connections, bigger batches, allocator arenas): memory is
    # flat when, after it, RSS grew by no more than 2% or 16 MiB, whichever is more
    settled = next((v for t, v in window if t >= seconds / 4), None)
    late_growth = (rss_end - settled) if settled and rss_end else None
    flat = late_growth is not None and late_growth <= max(0.02 * settled, 16 * 2**20)
    row = result.summary()
    row.pop("planned_requests", None)
    row.update(_server_stats(server, cpu, m0, m1, result.completed))
    row.update(rss_start_bytes=rss_start, rss_end_bytes=rss_end, rss_max_bytes=rss_max, rss_growth_bytes=growth,
               rss_after_warmup_bytes=settled, rss_growth_after_warmup_bytes=late_growth, memory_flat=flat,
               rss_timeline=timeline,
               requests_timeline=[list(x) for x in result.timeline[:: max(1, int(step))]])
    return row


def part_scale(sizes: list[int], args, workdir: Path) -> dict:
    from eval.scale import run_scale

    from indexer.settings import Settings

    return run_scale(sizes, queries=args.scale_queries, k=10, candidates=Settings().candidates,
                     ef_construction=args.hnsw_ef_construction, seed=args.seed, workdir=str(workdir), log=log.info)


# ---- reporting ----------------------------------------------------------------------------

def _fmt(x, digits=1) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_fmt(c) if not isinstance(c, str) else c for c in row) + " |" for row in rows]
    return "\n".join(lines)


def targets(results: dict) -> dict:
    levels = {lv["concurrency"]: lv for lv in results.get("http", {}).get("levels", [])}
    out = {}
    if 1 in levels:
        p50 = levels[1]["latency_ms"]["p50"]
        out["http_p50_ms_at_c1"] = {"target": f"<= {TARGET_P50_C1_MS:g}", "measured": p50,
                                    "met": p50 <= TARGET_P50_C1_MS and levels[1]["errors"] == 0}
    if 32 in levels:
        qps, errors = levels[32]["qps"], levels[32]["errors"]
        out["http_qps_at_c32"] = {"target": f">= {TARGET_QPS_C32:g}, no errors", "measured": qps, "errors": errors,
                                  "met": qps >= TARGET_QPS_C32 and errors == 0}
    return out


def markdown(results: dict) -> str:
    meta = results["meta"]
    out = [f"## Precedent bench — {meta['started_at']}",
           f"{meta['machine']['cpus']} CPUs, load average {meta['machine']['loadavg']} at start, "
           f"{meta['loadavg_end']} at end; commit {(meta['git']['commit'] or '?')[:10]}"
           f"{' (dirty)' if meta['git']['dirty'] else ''}; parts: {','.join(meta['parts'])}"]
    if "build" in results:
        b = results["build"]
        rows = [["cold (empty index folder)", b["cold"]["seconds"], b["cold"]["passages"],
                 b["cold"]["embedded_passages"], b["cold"]["reused_passages"]],
                [f"incremental ({b['incremental']['changed_file']} + 1 sentence)", b["incremental"]["seconds"],
                 b["incremental"]["passages"], b["incremental"]["embedded_passages"],
                 b["incremental"]["reused_passages"]]]
        out += ["### Index build", _table(["build", "seconds", "passages", "embedded", "reused"], rows),
                f"Model load before building: {b['model_load_s']:.1f} s. Index on disk: "
                f"{b['index_bytes']['total'] / 2**20:.2f} MiB ("
                + ", ".join(f"{k} {v / 2**10:.0f} KiB" for k, v in b["index_bytes"]["by_file"].items()) + ")"]
    if "startup" in results:
        s = results["startup"]
        out += ["### Service cold start",
                _table(["first /search answer (s)", "first connection (s)", "first request (ms)", "RSS after (MiB)"],
                       [[s["first_answer_s"], s["first_connection_s"], s["first_request_ms"],
                         _mib(s["rss_after_first_answer_bytes"])]])]
    if "inprocess" in results:
        p = results["inprocess"]
        lat = p["latency_ms"]
        out += ["### In-process (Engine.search, gold queries)",
                _table(["requests", "errors", "p50 ms", "p95 ms", "p99 ms", "mean ms", "queries/s"],
                       [[p["requests"], p["errors"], lat["p50"], lat["p95"], lat["p99"], lat["mean"], p["qps"]]])]
        bd = p.get("breakdown", {})
        if "mean_ms" in bd:
            stages = list(bd["mean_ms"])
            out += ["Where one query's time goes (mean ms): "
                    + ", ".join(f"{k} {bd['mean_ms'][k]:.2f}" for k in stages)
                    + "; per query " + ", ".join(f"{k}() × {v} ({bd['call_ms_per_query'][k]:.2f} ms)"
                                                 for k, v in bd["calls_per_query"].items())]
        if p.get("search_batch_ms_per_query"):
            out += ["search_batch ms per query at batch size "
                    + ", ".join(f"{k}: {v:.1f}" for k, v in p["search_batch_ms_per_query"].items())]
    if "http" in results:
        rows = []
        for lv in results["http"]["levels"]:
            lat = lv["latency_ms"]
            rows.append([lv["concurrency"], lv["requests"], lv["errors"], lat["p50"], lat["p95"], lat["p99"],
                         lv["qps"], lv["mean_batch_size"], lv["server_cpu_ms_per_request"], lv["server_mean_ms"],
                         lv["client_cpu_ms_per_request"], _mib(lv["rss_max_bytes"]), "yes" if lv["capped"] else "no"])
        out += [f"### HTTP GET /search (127.0.0.1, {results['http']['client']} client)",
                _table(["concurrency", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "queries/s", "batch size",
                        "server CPU ms/req", "server ms", "client CPU ms/req", "peak RSS MiB", "time-capped"], rows),
                "batch size: queries per model call (from /metrics); server ms: the service's own mean /search "
                "time; CPU per request counts every thread (the load generator shares the machine's CPUs)."]
    if results.get("targets"):
        rows = [[k, v["target"], v["measured"], v["met"]] for k, v in results["targets"].items()]
        out += ["### Targets", _table(["target", "wanted", "measured", "met"], rows)]
    if "soak" in results:
        s = results["soak"]
        out += [f"### Soak: {s['concurrency']} clients for {s['duration_s']:.0f} s",
                _table(["requests", "errors", "queries/s", "p50 ms", "p99 ms", "RSS start MiB", "RSS end MiB",
                        "RSS max MiB", "growth MiB", "growth after first 25% MiB", "memory flat"],
                       [[s["requests"], s["errors"], s["qps"], s["latency_ms"]["p50"], s["latency_ms"]["p99"],
                         _mib(s["rss_start_bytes"]), _mib(s["rss_end_bytes"]), _mib(s["rss_max_bytes"]),
                         _mib(s["rss_growth_bytes"]), _mib(s["rss_growth_after_warmup_bytes"]), s["memory_flat"]]]),
                "RSS over the soak (s: MiB): " + ", ".join(f"{t:.0f}: {_mib(v)}" for t, v in s["rss_timeline"])]
    if "server" in results and results["server"].get("rss_peak_bytes"):
        out += [f"Service peak RSS over the whole run: {_mib(results['server']['rss_peak_bytes'])} MiB"]
    if "scale" in results:
        sc = results["scale"]
        rows = []
        for size in sc["sizes"]:
            for ix in size["indexes"]:
                more = ix.get("latency_candidates_ms") or {}
                rows.append([size["n"], ix["index"], ix["build_s"], _mib(ix["bytes"]), _mib(ix["rss_delta_bytes"]),
                             f"{ix['latency_ms']['p50']:.3f}", f"{ix['latency_ms']['p95']:.3f}",
                             f"{more['p50']:.3f}" if more else "–", f"{ix['latency_1thread_ms']['p50']:.3f}",
                             f"{ix['recall_at_10']:.4f}"])
        out += [f"### Scale: synthetic {sc['dimension']}-d clustered unit vectors, {sc['queries']} queries, "
                f"faiss {sc['faiss']} ({sc['omp_threads']} threads)",
                _table(["n", "index", "build s", "size MiB", "RSS delta MiB", "p50 ms k=10 (batch 1)", "p95 ms k=10",
                        f"p50 ms k={sc.get('candidates')}", "p50 ms k=10, 1 thread", "recall@10"], rows),
                f"Latency is one query per search call with FAISS's default {sc['omp_threads']} OpenMP threads (as "
                "in the service) unless marked 1 thread; the engine asks FAISS for "
                f"{sc.get('candidates')} candidates per query. Recall@10 is against the exact (flat) answers."]
    if results.get("errors"):
        out += ["### Parts that failed"] + [f"- {k}: {v}" for k, v in results["errors"].items()]
    return "\n\n".join(out) + "\n"


# ---- main ---------------------------------------------------------------------------------

def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m eval bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--parts", type=_parts, default=None,
                   help=f"comma list of {','.join(ALL_PARTS)} (default: {','.join(DEFAULT_PARTS)}, plus soak "
                        "and scale when --soak / --scale are given)")
    p.add_argument("--requests", type=int, default=400, help="requests per concurrency level and in-process run")
    p.add_argument("--concurrency", type=_int_list, default=[1, 8, 32], help="HTTP concurrency levels, e.g. 1,8,32")
    p.add_argument("--soak", type=float, default=None, metavar="SECONDS", help="run the soak for this long")
    p.add_argument("--soak-concurrency", type=int, default=32)
    p.add_argument("--scale", type=_int_list, default=None, metavar="N,N", help="synthetic sizes, e.g. 100000,1000000")
    p.add_argument("--scale-queries", type=int, default=200, help="queries per index in the scale part")
    p.add_argument("--hnsw-ef-construction", type=int, default=80,
                   help="HNSW efConstruction in the scale part (80 = what indexer/faiss_index.py builds)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for bench.json and bench.md")
    p.add_argument("--index", "--index-dir", dest="index", type=Path, default=None,
                   help="index to copy and serve when the build part is not run (default: PRECEDENT_INDEX_DIR)")
    p.add_argument("--corpus", "--corpus-dir", dest="corpus", type=Path, default=None,
                   help="corpus to copy (default: PRECEDENT_CORPUS_DIR)")
    p.add_argument("--gold", type=Path, default=GOLD, help="JSONL whose `query` fields are the bench queries")
    p.add_argument("--k", type=int, default=10, help="results per query")
    p.add_argument("--warmup", type=int, default=20, help="unmeasured requests before each run / level")
    p.add_argument("--repeat", type=int, default=1,
                   help="runs per HTTP level and in-process; the run with the median queries/s is reported")
    p.add_argument("--client", choices=CLIENTS, default="httpx",
                   help="load generator client: httpx (an httpx.AsyncClient per worker) or raw (a minimal asyncio "
                        "HTTP/1.1 client, ~10x less client CPU: use it to measure server capacity on 2 shared cores)")
    p.add_argument("--unique-queries", action="store_true",
                   help="append the request number to each query so that no cache can answer a repeat")
    p.add_argument("--time-cap", type=float, default=120.0, help="seconds at most per HTTP level")
    p.add_argument("--request-timeout", type=float, default=30.0, help="seconds before one HTTP request fails")
    p.add_argument("--startup-timeout", type=float, default=300.0)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--profile", action="store_true", help="also cProfile the in-process searches into --out")
    p.add_argument("--workdir", type=Path, default=None, help="where the temporary copies go (default: system temp)")
    p.add_argument("--keep", action="store_true", help="keep the temporary copies and the server log")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed or any request failed")
    args = p.parse_args(argv)
    if args.parts is None:
        args.parts = list(DEFAULT_PARTS) + (["soak"] if args.soak else []) + (["scale"] if args.scale else [])
    if "soak" in args.parts and not args.soak:
        args.soak = 60.0
    if "scale" in args.parts and not args.scale:
        args.scale = [100_000]
    if args.requests < 1:
        p.error("--requests must be at least 1")
    return args


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    for noisy in ("httpx", "httpcore"):  # one line per request otherwise
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from indexer.settings import Settings

    defaults = Settings()
    source_index = Path(args.index or defaults.index_dir).resolve()
    source_corpus = Path(args.corpus or defaults.corpus_dir).resolve()
    parts = args.parts
    queries = load_queries(args.gold)
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    results: dict = {"meta": {"started_at": started, "argv": list(argv if argv is not None else sys.argv[1:]),
                              "parts": parts, "requests": args.requests, "concurrency": args.concurrency,
                              "k": args.k, "warmup": args.warmup, "client": args.client,
                              "unique_queries": args.unique_queries, "repeat": args.repeat, "queries": len(queries),
                              "gold": str(args.gold), "source_index": str(source_index),
                              "source_corpus": str(source_corpus), "machine": _machine(), "git": _git(),
                              "versions": _versions(),
                              "precedent_env": {k: v for k, v in os.environ.items()
                                                if k.startswith("PRECEDENT_") and k != "PRECEDENT_ADMIN_TOKEN"}},
                     "errors": {}}
    ws = Path(tempfile.mkdtemp(prefix="precedent-bench-", dir=args.workdir))
    server: Server | None = None
    previous_sigterm = None
    if threading.current_thread() is threading.main_thread():  # a killed bench still stops its server
        previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    log.info("bench workspace %s; parts %s", ws, ",".join(parts))
    try:
        needs_index = bool(set(parts) & (SERVER_PARTS | {"inprocess"})) or "build" in parts
        if needs_index or "build" in parts:
            shutil.copytree(source_corpus, ws / "corpus")
        if "build" in parts:
            results["build"] = part_build(ws)
        elif needs_index:
            (ws / "index").mkdir()
            try:
                results["meta"]["served_build"] = _copy_index(source_index, ws / "index")
            except Exception as exc:  # noqa: BLE001 - no usable index: build one (not timed)
                log.warning("no index to copy from %s (%s); building one", source_index, exc)
                from indexer.build import build_index

                shutil.rmtree(ws / "index")
                build_index(_settings(ws / "index", ws / "corpus"), embedder=_embedder()[0])
        settings = _settings(ws / "index", ws / "corpus")

        if "inprocess" in parts:
            log.info("inprocess: %d searches", args.requests)
            results["inprocess"] = part_inprocess(settings, queries, args.requests, args.warmup, args.repeat,
                                                  args.out / "inprocess.pstats" if args.profile else None)
            gc.collect()

        if set(parts) & SERVER_PARTS:
            server = Server(ws / "index", ws / "corpus", ws / "server.log", args.startup_timeout)
            log.info("startup: starting the service")
            results["startup"] = server.start(queries[0])
            log.info("startup: first answer after %.1f s", results["startup"]["first_answer_s"])
            http_queries = [{"q": q, "k": args.k} for q in queries]
            if args.unique_queries:  # as many distinct queries as any level sends, all different
                total = max(args.requests, args.warmup, max(args.concurrency)) * 4
                http_queries = [{"q": f"{queries[i % len(queries)]} {i}", "k": args.k} for i in range(total)]
            if "http" in parts:
                results["http"] = part_http(server, http_queries, args.concurrency, args.requests, args.warmup,
                                            args.repeat, args.time_cap, args.request_timeout, args.client)
                results["targets"] = targets(results)
            if "soak" in parts:
                log.info("soak: %d clients for %.0f s", args.soak_concurrency, args.soak)
                results["soak"] = part_soak(server, http_queries, args.soak, args.soak_concurrency,
                                            args.request_timeout, args.client)
            results["server"] = {"rss_peak_bytes": server.sampler.peak(), "pid": server.process.pid,
                                 "log": str(server.log_path) if args.keep else None}
            server.stop()
            server = None

        if "scale" in parts:
            results["scale"] = part_scale(args.scale, args, ws)
    except KeyboardInterrupt:
        results["errors"]["interrupted"] = "stopped by the user"
    except Exception as exc:  # noqa: BLE001 - write what was measured, then fail
        log.exception("bench failed")
        results["errors"]["bench"] = f"{type(exc).__name__}: {exc}"
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            shutil.rmtree(ws, ignore_errors=True)
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)
    results["meta"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["meta"]["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    if not results["errors"]:
        del results["errors"]
    text = markdown(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    (args.out / "bench.md").write_text(text, "utf-8")
    print(text)
    print(f"JSON: {args.out / 'bench.json'}", file=sys.stderr)
    if results.get("errors"):
        return 1
    if args.strict:
        failed = [k for k, v in results.get("targets", {}).items() if not v["met"]]
        failed += [f"c={lv['concurrency']} errors" for lv in results.get("http", {}).get("levels", []) if lv["errors"]]
        if results.get("soak", {}).get("errors"):
            failed.append("soak errors")
        if failed:
            print("missed: " + ", ".join(failed), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
