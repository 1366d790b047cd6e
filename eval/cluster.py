"""`python -m eval cluster --queries FILE --out DIR`: the sharded service against the single process.

FILE holds `qid<TAB>query` lines. The command
- builds the corpus into a single index (one process, today's `build_index`) and serves it
  in-process (the Engine);
- starts a local 3-node Ray cluster in a private network namespace, builds the same corpus into
  `--shards` shards on it with Ray Data, and serves it with Ray Serve (`--replicas` per shard);
- runs every query against both, and writes DIR/single.trec and DIR/cluster.trec (TREC run
  format, top 10) and DIR/cluster.json (nodes, shards, whether every top 10 is identical, the
  queries that differ, build and embedding figures per node, latency, memory);
- stops everything it started, by PID, and exits 0 when it ran (1 when it could not).
"""
from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from eval import formats
from eval.loadgen import percentiles

log = logging.getLogger("eval.cluster")
TOP = 10


def read_queries(paths: list[Path]) -> list[tuple[str, str]]:
    """(qid, query) of every query of the files (read by eval/formats.py, as `eval run` reads them)."""
    return [(qid, text) for path in paths for qid, text, _ in formats.read_queries(Path(path))]


def trec_lines(qid: str, results: list[dict], run: str) -> list[str]:
    return [f"{qid} Q0 {r['passage_id']} {i + 1} {r['score']:.6f} {run}" for i, r in enumerate(results[:TOP])]


def latency(values_ms: list[float]) -> dict[str, float]:
    """p50, p95 and mean in ms, computed as the bench computes them (eval/loadgen.py)."""
    figures = percentiles(values_ms, qs=(50, 95))
    return {k: round(figures[k], 1) for k in ("p50", "p95", "mean")}


def cluster_memory_mb(name: str) -> float:
    import psutil

    from service.cluster.local import netns_pids

    total = 0
    for pid in netns_pids(name):
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.Error:
            pass
    return round(total / 2**20, 1)


def run(queries: list[tuple[str, str]], out: Path, corpus: Path, shards: int, replicas: int, nodes: int,
        workdir: Path, overload_clients: int = 0, overload_seconds: float = 15.0) -> dict:
    from indexer.build import build_index
    from indexer.settings import Settings
    from service.cluster.harness import ClusterHarness
    from service.engine import Engine
    from service.schemas import SearchRequest

    started = time.perf_counter()
    settings = Settings(corpus_dir=corpus, index_dir=workdir / "single-index")
    t = time.perf_counter()
    build_index(settings)
    single_build_s = time.perf_counter() - t
    engine = Engine.open(settings)
    single, single_ms = {}, []
    for qid, q in queries:
        t = time.perf_counter()
        response = engine.search(SearchRequest(q=q, k=TOP))
        single_ms.append((time.perf_counter() - t) * 1000)
        single[qid] = [r.model_dump() for r in response.results]

    harness = ClusterHarness(corpus, workdir / "cluster", shards=shards, replicas=replicas, nodes=nodes)
    with harness:
        manifest = harness.manifest()
        status = harness.status()
        cluster, cluster_ms, partial, errors = {}, [], [], []
        for qid, q in queries:
            code, body, seconds = harness.get("/search", {"q": q, "k": TOP})
            cluster_ms.append(seconds * 1000)
            if code != 200:
                errors.append({"qid": qid, "status": code, "detail": body})
                cluster[qid] = []
                continue
            if body.get("partial"):
                partial.append(qid)
            cluster[qid] = body["results"]
        memory_mb = cluster_memory_mb(harness.cluster.name)
        timings = dict(harness.timings)
        overload = past_capacity(harness, [q for _, q in queries], overload_clients, overload_seconds) \
            if overload_clients else None

    differ = [qid for qid, _ in queries
              if [r["passage_id"] for r in single[qid]] != [r["passage_id"] for r in cluster[qid]]]
    score_diff = max((abs(a["score"] - b["score"]) for qid, _ in queries if qid not in differ
                      for a, b in zip(single[qid], cluster[qid])), default=0.0)
    out.mkdir(parents=True, exist_ok=True)
    (out / "single.trec").write_text("".join(line + "\n" for qid, _ in queries
                                             for line in trec_lines(qid, single[qid], "single")))
    (out / "cluster.trec").write_text("".join(line + "\n" for qid, _ in queries
                                              for line in trec_lines(qid, cluster[qid], "cluster")))
    build = manifest.get("build", {})
    report = {
        "nodes": status.get("nodes"), "shards": len(manifest["shards"]), "replicas_per_shard": replicas,
        "identical": not differ and not errors and not partial, "queries": len(queries),
        "identical_queries": len(queries) - len(differ), "differing_queries": differ,
        "max_score_difference": score_diff, "partial_responses": partial, "errors": errors,
        "shard_passages": [s["passages"] for s in manifest["shards"]], "passages": manifest["passages"],
        "deployments": {name: {"running": d["running"], "nodes": sorted({r.get("node", "") for r in d["replicas"]})}
                        for name, d in status.get("deployments", {}).items()},
        "build": {"seconds": build.get("seconds"), "embed_seconds": build.get("embed_seconds"),
                  "embedded_passages": build.get("embedded_passages"),
                  "embedded_sentences": build.get("embedded_sentences"), "per_node": build.get("per_node"),
                  "single_process_build_seconds": round(single_build_s, 1)},
        "latency_ms": {"single_in_process": latency(single_ms), "cluster_http": latency(cluster_ms)},
        "cluster_memory_mb": memory_mb, "timings_s": timings, "overload": overload,
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out / "cluster.json").write_text(json.dumps(report, indent=2))
    return report


def past_capacity(harness, queries: list[str], clients: int, seconds: float) -> dict:
    """`clients` clients sending unique queries to the cluster's front for `seconds`, each sending
    its next request as soon as it has an answer (a 30 s client timeout): what they got."""
    from eval.loadgen import run_load
    from service.cluster.harness import SERVE_PORT

    params = [{"q": f"{queries[i % len(queries)]} {i}", "k": TOP} for i in range(200_000)]
    result = harness.pool().submit(run_load, f"http://127.0.0.1:{SERVE_PORT}", params, clients, duration=seconds,
                                   time_cap=seconds + 60, timeout=30.0, client="raw").result()
    return {"clients": clients, "seconds": seconds, "statuses": dict(result.statuses),
            "exceptions": dict(result.exceptions), "ms_200": percentiles(result.latencies_of(200)),
            "ms_503": percentiles(result.latencies_of(503))}


def main(argv: list[str] | None = None) -> int:
    from indexer.settings import get_settings

    parser = argparse.ArgumentParser(prog="python -m eval cluster", description=__doc__, epilog=SCALE_DOC,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=Path, action="append",
                        help="qid<TAB>query lines, BEIR or gold JSONL; repeat for several files")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=None, help="default: the configured corpus folder")
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--scale", type=int, default=None, metavar="N",
                        help="instead: N synthetic passages over --shards shards (DIR/scale.json)")
    parser.add_argument("--scale-queries", type=int, default=200)
    parser.add_argument("--overload-clients", type=int, default=0, metavar="N",
                        help="also N clients past capacity for --overload-seconds (cluster.json: overload)")
    parser.add_argument("--overload-seconds", type=float, default=15.0)
    parser.add_argument("--scale-driver", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale_driver:
        scale_driver(args.scale, args.shards, args.scale_queries, args.out)
        return 0
    if args.scale:
        return scale(args.scale, max(args.shards, 1), args.scale_queries, args.out, args.nodes)
    if args.queries is None:
        parser.error("--queries is required (or --scale N)")
    if args.shards < 2:
        parser.error("--shards must be at least 2")
    try:
        queries = read_queries(args.queries)
    except (OSError, ValueError) as exc:  # a bad line is a GoldError, a ValueError
        print(f"error: {exc}", file=sys.stderr)
        return 1
    logging.getLogger("httpx").setLevel(logging.WARNING)
    corpus = (args.corpus or get_settings().corpus_dir).resolve()
    workdir = Path(tempfile.mkdtemp(prefix="precedent-cluster-eval-"))
    try:
        report = run(queries, args.out, corpus, args.shards, args.replicas, args.nodes, workdir,
                     args.overload_clients, args.overload_seconds)
    except Exception as exc:  # noqa: BLE001 - said plainly; the harness has stopped the cluster
        log.error("cluster evaluation failed: %s", exc)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps({k: report[k] for k in ("nodes", "shards", "identical", "queries", "identical_queries",
                                             "latency_ms", "cluster_memory_mb", "overload", "seconds")}, indent=2))
    print(f"wrote {args.out}/single.trec, cluster.trec and cluster.json")
    return 0




# ---- scale: synthetic passages over shards, inside the cluster ---------------------------------------
SCALE_DOC = """`python -m eval cluster --scale N --out DIR`: N synthetic passage vectors (eval/scale.py's
Synthetic: 384-d, clustered like sentence embeddings) spread over --shards shard actors, one per
node, each with the HNSW index the build uses above `exact_index_max` (M=32, efConstruction 80,
efSearch 128); queries fan out from a driver inside the cluster and the shards' top 10 are
merged. Writes DIR/scale.json: build seconds and memory per shard, p50/p95 latency of a fanned-out
query, recall@10 against exact search over all N."""


def _scale_actor_class():
    import ray

    @ray.remote(num_cpus=0.25)
    class ScaleShard:
        def __init__(self, n: int, shard: int, shards: int, threads: int):
            import faiss

            from eval.scale import CHUNK, Synthetic
            from indexer.faiss_index import build_faiss

            faiss.omp_set_num_threads(threads)
            started = time.perf_counter()
            mine, ids = [], []
            for k, chunk in enumerate(Synthetic(n).chunks()):  # passage i lives on shard i % shards
                rows = np.arange(k * CHUNK, k * CHUNK + len(chunk), dtype=np.int64)
                keep = rows % shards == shard
                mine.append(chunk[keep])
                ids.append(rows[keep])
            vectors = np.concatenate(mine)
            self.ids = np.concatenate(ids)
            del mine
            self.generate_s = time.perf_counter() - started
            started = time.perf_counter()
            self.index = build_faiss(vectors, exact_max=0)  # HNSW, as a build above exact_index_max makes
            self.build_s = time.perf_counter() - started
            self.exact = faiss.IndexFlatIP(vectors.shape[1])
            self.exact.add(vectors)
            del vectors
            self.exact_bytes = self.exact.ntotal * self.exact.d * 4

        def info(self) -> dict:
            import psutil
            import ray as _ray

            rss = psutil.Process().memory_info().rss
            return {"passages": int(self.index.ntotal), "generate_s": round(self.generate_s, 1),
                    "build_s": round(self.build_s, 1), "node": _ray.get_runtime_context().get_node_id()[:12],
                    "rss_mb": round(rss / 2**20), "served_mb": round((rss - self.exact_bytes) / 2**20),
                    "hnsw": {"M": 32, "efConstruction": self.index.hnsw.efConstruction,
                             "efSearch": self.index.hnsw.efSearch}}

        def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
            scores, found = self.index.search(query.reshape(1, -1), k)
            keep = found[0] >= 0
            return self.ids[found[0][keep]], scores[0][keep]

        def exact_search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
            scores, found = self.exact.search(queries, k)
            return self.ids[found], scores

    return ScaleShard


def scale_driver(n: int, shards: int, queries: int, out: Path, k: int = 10) -> dict:
    """Runs inside the cluster's network: builds the shard actors, measures, writes DIR/scale.json."""
    import ray

    from eval.scale import Synthetic

    ray.init(address="auto", logging_level="ERROR", log_to_driver=False)
    nodes = [n_ for n_ in ray.nodes() if n_.get("Alive")]
    ScaleShard = _scale_actor_class()
    started = time.perf_counter()
    actors = [ScaleShard.options(resources={f"node{i % len(nodes)}": 0.01}).remote(n, i, shards, 1)
              for i in range(shards)]
    infos = ray.get([a.info.remote() for a in actors])
    build_s = time.perf_counter() - started
    q = Synthetic(n).queries(queries)
    latencies, found = [], []
    for i in range(len(q)):
        t = time.perf_counter()
        parts = ray.get([a.search.remote(q[i], k) for a in actors])
        ids = np.concatenate([p[0] for p in parts])
        scores = np.concatenate([p[1] for p in parts])
        found.append(ids[np.lexsort((ids, -scores))[:k]])
        latencies.append((time.perf_counter() - t) * 1000)
    exact = ray.get([a.exact_search.remote(q, k) for a in actors])
    recall = []
    for i in range(len(q)):
        ids = np.concatenate([e[0][i] for e in exact])
        scores = np.concatenate([e[1][i] for e in exact])
        truth = set(ids[np.lexsort((ids, -scores))[:k]].tolist())
        recall.append(len(truth & set(found[i].tolist())) / k)
    lat = latencies[5:] or latencies  # the first calls warm up
    report = {"passages": n, "shards": shards, "nodes": len(nodes), "queries": len(q), "k": k,
              "latency_ms": latency(lat),
              "recall_at_10": round(float(np.mean(recall)), 4), "build_wall_s": round(build_s, 1),
              "per_shard": infos,
              "note": "latency: one query fanned out to every shard actor and merged, measured by a driver "
                      "inside the cluster (2 cores shared by 3 nodes); served_mb: shard RSS less the exact "
                      "index kept only to measure recall"}
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(report, indent=2))
    for a in actors:
        ray.kill(a)
    return report


def scale(n: int, shards: int, queries: int, out: Path, nodes: int = 3) -> int:
    from service.cluster.local import LocalCluster

    cluster = LocalCluster(f"prs{__import__('os').getpid()}", nodes)
    cluster.start()
    try:
        result = cluster.python("-m", "eval.cluster", "--scale-driver", "--scale", str(n), "--shards", str(shards),
                                "--scale-queries", str(queries), "--out", str(out.resolve()), timeout=7200)
    finally:
        cluster.stop()
    if result.returncode:
        return 1
    print((out / "scale.json").read_text())
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    sys.exit(main())
