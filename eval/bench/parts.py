"""The parts that run in the bench's own process: index build, in-process search (with where a
query's time goes), and the FAISS scale comparison."""
from __future__ import annotations

import cProfile
import io
import logging
import os
import pstats
import shutil
import time
from pathlib import Path

import numpy as np

from eval.bench.common import dir_bytes, median_run
from eval.loadgen import percentiles

log = logging.getLogger("eval.bench")
APPENDED_SENTENCE = "\n\nThis sentence was appended by the benchmark to measure an incremental build.\n"


def settings_for(index_dir: Path, corpus_dir: Path):
    from indexer.settings import Settings

    return Settings(index_dir=index_dir, corpus_dir=corpus_dir)


def embedder() -> tuple[object, float]:
    t0 = time.perf_counter()
    from indexer.embed import shared_embedder

    shared = shared_embedder()
    return shared, time.perf_counter() - t0


def copy_index(source: Path, dest: Path) -> str:
    """Copy only the served build of `source` and point `current` at it."""
    from indexer import store

    build = store.resolve_build(source)
    shutil.copytree(build, dest / store.BUILDS / build.name)
    os.symlink(Path(store.BUILDS) / build.name, dest / store.CURRENT)
    return build.name


def append_sentence(path: Path) -> None:
    """Change a corpus file (the bench's copy; corpus files are read-only) so a build re-embeds it."""
    path.chmod(path.stat().st_mode | 0o200)
    with open(path, "a", encoding="utf-8") as f:
        f.write(APPENDED_SENTENCE)


def part_build(ws: Path) -> dict:
    """Cold build into an empty folder, then an incremental one after one changed document."""
    from indexer import store
    from indexer.build import build_index

    shared, model_s = embedder()
    settings = settings_for(ws / "index", ws / "corpus")
    log.info("build: cold build into an empty index folder")
    t0 = time.perf_counter()
    cold = build_index(settings, embedder=shared)
    cold_s = time.perf_counter() - t0
    cold_size = dir_bytes(store.resolve_build(ws / "index"))

    changed = sorted(p for p in (ws / "corpus").iterdir() if p.is_file() and p.suffix in {".txt", ".md"})[0]
    append_sentence(changed)
    log.info("build: incremental build after appending a sentence to %s", changed.name)
    t0 = time.perf_counter()
    incr = build_index(settings, embedder=shared)
    incr_s = time.perf_counter() - t0

    def summary(s, seconds):
        return {"seconds": round(seconds, 3), "documents": s.documents, "passages": s.passages,
                "embedded_passages": s.embedded_passages, "reused_passages": s.reused_passages,
                "embedded_documents": s.embedded_documents}

    return {"model_load_s": round(model_s, 3), "encoder": getattr(shared, "encoder", "torch"),
            "note": "in-process build_index() with the model already loaded (model_load_s is that load)",
            "cold": summary(cold, cold_s) | {"index_bytes": cold_size["total"]},
            "incremental": summary(incr, incr_s) | {"changed_file": changed.name},
            "index_bytes": dir_bytes(store.resolve_build(ws / "index"))}


def breakdown(engine, queries: list[str]) -> dict:
    """One pass over the queries with each stage timed: parse, encode, rank, results, JSON.

    Uses Engine.parse / embed_queries / rank / respond; if they change, the breakdown says so
    and the rest of the bench is unaffected."""
    from service.schemas import SearchRequest

    stages: dict[str, list[float]] = {k: [] for k in ("parse", "encode", "rank", "results", "serialize", "total")}
    try:
        index = engine.index
        for q in queries:
            request = SearchRequest(q=q)
            t0 = time.perf_counter()
            parsed = engine.parse(request, index)
            t1 = time.perf_counter()
            vector = engine.embed([request], [parsed])[0]  # as served: with late interaction's token vectors
            t2 = time.perf_counter()
            engine.rank(index, request, parsed, vector)
            t3 = time.perf_counter()
            _, response = engine.respond(index, request, parsed, vector)  # ranks again, then builds the results
            t4 = time.perf_counter()
            response.model_dump_json()
            t5 = time.perf_counter()
            results = max(0.0, (t4 - t3) - (t3 - t2))
            for name, value in (("parse", t1 - t0), ("encode", t2 - t1), ("rank", t3 - t2), ("results", results),
                                ("serialize", t5 - t4), ("total", (t3 - t0) + results + (t5 - t4))):
                stages[name].append(value)
    except Exception as exc:  # noqa: BLE001 - internals moved: report it, do not fail the bench
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {"queries": len(queries),
            "mean_ms": {k: round(1000 * float(np.mean(v)), 3) for k, v in stages.items()},
            "p50_ms": {k: round(1000 * float(np.median(v)), 3) for k, v in stages.items()},
            "note": "results = Engine.respond minus rank (highlights, also_in, result objects); "
                    "serialize = SearchResponse.model_dump_json()"}


def part_inprocess(settings, queries: list[str], requests: int, warmup: int, repeat: int,
                   profile_out: Path | None) -> dict:
    from service.engine import Engine
    from service.schemas import SearchRequest

    shared, model_s = embedder()
    t0 = time.perf_counter()
    engine = Engine.open(settings, embedder=shared)
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
    out = median_run(runs) | {"engine_open_s": round(open_s, 3), "model_load_s": round(model_s, 3),
                              "passages": engine.index.size, "encoder": getattr(shared, "encoder", "torch")}
    if repeat > 1:
        out["runs"] = runs
    batch = {}  # what the service's batcher gains from one model call for many queries
    for size in (1, 8, 32):
        reqs = [SearchRequest(q=queries[i % len(queries)]) for i in range(size)]
        engine.search_batch(reqs)
        t = time.perf_counter()
        engine.search_batch(reqs)
        batch[str(size)] = round((time.perf_counter() - t) * 1000 / size, 3)
    out["search_batch_ms_per_query"] = batch
    out["breakdown"] = breakdown(engine, queries[:requests])
    if profile_out is not None:
        out["profile"] = profile(engine, queries, profile_out)
    return out


def profile(engine, queries: list[str], path: Path) -> dict:
    from service.schemas import SearchRequest

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
    stats.sort_stats("tottime").print_stats(r"^(?!.*(torch|transformers|sentence_transformers|openvino)).*$", 30)
    (path.with_suffix(".txt")).write_text(text.getvalue(), "utf-8")
    return {"pstats": str(path), "text": str(path.with_suffix(".txt"))}


def part_scale(sizes: list[int], args, workdir: Path) -> dict:
    from eval.scale import run_scale
    from indexer.settings import Settings

    return run_scale(sizes, queries=args.scale_queries, k=10, candidates=Settings().candidates,
                     ef_construction=args.hnsw_ef_construction, seed=args.seed, workdir=str(workdir), log=log.info)
