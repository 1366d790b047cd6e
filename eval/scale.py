"""Scale simulation: FAISS exact vs HNSW vs IVF on synthetic clustered vectors.

The corpus is far too small to show how the dense index behaves at 100k or 1M passages, so
this builds each index over synthetic vectors that look like sentence embeddings (unit
norm, 384 dimensions, grouped around topic centroids so nearest neighbours exist and ANN
recall means something) and measures build time, size, latency per query (batch of 1)
and recall@10 against the exact index.

Memory stays near one index plus one chunk: vectors are generated in seeded chunks and
regenerated for each index instead of being kept, so 1M x 384 needs about 2 GB at peak
(flat 1.5 GB, HNSW M=32 about 1.8 GB).
"""
from __future__ import annotations

import gc
import math
import os
import tempfile
import time
from dataclasses import dataclass

import numpy as np

DIM = 384
CHUNK = 50_000


@dataclass(frozen=True)
class Synthetic:
    """Deterministic clustered unit vectors: row i is the same on every call and every machine."""

    n: int
    dim: int = DIM
    clusters: int = 0  # 0: about sqrt(n) topics
    noise: float = 1.0  # norm of the within-topic offset relative to the unit centroid
    seed: int = 1234

    @property
    def n_clusters(self) -> int:
        return self.clusters or max(8, int(math.sqrt(self.n)))

    def centroids(self) -> np.ndarray:
        rng = np.random.default_rng([self.seed, 0])
        c = rng.standard_normal((self.n_clusters, self.dim), dtype=np.float32)
        return c / np.linalg.norm(c, axis=1, keepdims=True)

    def _draw(self, rng: np.random.Generator, count: int, centroids: np.ndarray) -> np.ndarray:
        # topic sizes are skewed (some topics are much larger), like real document collections
        weights = 1.0 / np.arange(1, len(centroids) + 1) ** 0.5
        topic = rng.choice(len(centroids), size=count, p=weights / weights.sum())
        offset = rng.standard_normal((count, self.dim), dtype=np.float32) * (self.noise / math.sqrt(self.dim))
        x = centroids[topic] + offset
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        return np.ascontiguousarray(x, dtype=np.float32)

    def chunks(self, size: int = CHUNK):
        centroids = self.centroids()
        for k, start in enumerate(range(0, self.n, size)):
            rng = np.random.default_rng([self.seed, 1, k])
            yield self._draw(rng, min(size, self.n - start), centroids)

    def sample(self, count: int) -> np.ndarray:
        """The first `count` rows (for training IVF), without generating the rest."""
        out, have = [], 0
        for chunk in self.chunks():
            out.append(chunk[: count - have])
            have += len(out[-1])
            if have >= count:
                break
        return np.concatenate(out)

    def queries(self, count: int) -> np.ndarray:
        """Fresh points from the same topics: not in the index, like real queries."""
        return self._draw(np.random.default_rng([self.seed, 2]), count, self.centroids())


def rss_bytes() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def index_bytes(index, workdir: str) -> int:
    """Serialized size, written to a temp file so a 1.8 GB index is not copied in memory."""
    import faiss

    fd, path = tempfile.mkstemp(suffix=".faiss", dir=workdir)
    os.close(fd)
    try:
        faiss.write_index(index, path)
        return os.path.getsize(path)
    finally:
        os.unlink(path)


def _latencies(index, queries: np.ndarray, k: int) -> tuple[list[float], np.ndarray]:
    ids = np.empty((len(queries), k), dtype=np.int64)
    times = []
    index.search(queries[:1], k)  # warm up
    for i in range(len(queries)):
        t0 = time.perf_counter()
        _, found = index.search(queries[i:i + 1], k)
        times.append((time.perf_counter() - t0) * 1000)
        ids[i] = found[0]
    return times, ids


def recall_at(found: np.ndarray, truth: np.ndarray, k: int) -> float:
    hits = sum(len(set(f[:k]) & set(t[:k])) for f, t in zip(found, truth))
    return round(hits / (len(truth) * k), 4)


def _specs(n: int, hnsw_m: int, ef_construction: int, ef_search: list[int], nprobe: list[int]) -> list[dict]:
    nlist = max(1, int(round(math.sqrt(n) * 4)))
    return ([{"name": "flat", "kind": "flat", "params": {}}]
            + [{"name": "hnsw", "kind": "hnsw", "params": {"M": hnsw_m, "efConstruction": ef_construction},
                "search": [{"efSearch": e} for e in ef_search]}]
            + [{"name": "ivf", "kind": "ivf", "params": {"nlist": nlist}, "search": [{"nprobe": p} for p in nprobe]}])


def _build(spec: dict, data: Synthetic, progress) -> tuple[object, dict]:
    import faiss

    extra = {}
    if spec["kind"] == "flat":
        index = faiss.IndexFlatIP(data.dim)
    elif spec["kind"] == "hnsw":
        index = faiss.IndexHNSWFlat(data.dim, spec["params"]["M"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = spec["params"]["efConstruction"]
    else:
        nlist = spec["params"]["nlist"]
        quantizer = faiss.IndexFlatIP(data.dim)
        index = faiss.IndexIVFFlat(quantizer, data.dim, nlist, faiss.METRIC_INNER_PRODUCT)
        train_n = min(data.n, max(nlist * 39, 10_000), 256 * nlist)
        t0 = time.perf_counter()
        index.train(data.sample(train_n))
        extra = {"train_points": int(train_n), "train_s": round(time.perf_counter() - t0, 3)}
    added = 0
    for chunk in data.chunks():
        index.add(chunk)
        added += len(chunk)
        progress(f"{spec['name']}: added {added}/{data.n}")
    return index, extra


def run_scale(sizes: list[int], *, queries: int = 200, k: int = 10, hnsw_m: int = 32, ef_construction: int = 80,
              ef_search: list[int] | None = None, nprobe: list[int] | None = None, seed: int = 1234,
              noise: float = 1.0, workdir: str | None = None, log=print) -> dict:
    import faiss

    ef_search = ef_search or [64, 128]
    nprobe = nprobe or [16]
    workdir = workdir or tempfile.gettempdir()
    out = {"dimension": DIM, "queries": queries, "k": k, "seed": seed, "noise": noise,
           "faiss": faiss.__version__, "omp_threads": faiss.omp_get_max_threads(),
           "latency": "one query per search call (batch of 1), after one warm-up call", "sizes": []}
    last = [0.0]

    def progress(message: str) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            log(f"scale n={n}: {message}")

    for n in sizes:
        data = Synthetic(n=n, seed=seed, noise=noise)
        q = data.queries(queries)
        entry = {"n": n, "clusters": data.n_clusters, "indexes": []}
        log(f"scale n={n}: generating data and building indexes")
        truth = None
        for spec in _specs(n, hnsw_m, ef_construction, ef_search, nprobe):
            gc.collect()
            rss0 = rss_bytes()
            t0 = time.perf_counter()
            index, extra = _build(spec, data, progress)
            build_s = time.perf_counter() - t0
            rss_delta = rss_bytes() - rss0
            size = index_bytes(index, workdir)
            if truth is None:  # the flat index comes first: its answers are the ground truth
                _, truth = index.search(q, k)
            for setting in spec.get("search") or [{}]:
                for name, value in setting.items():
                    if name == "efSearch":
                        index.hnsw.efSearch = value
                    elif name == "nprobe":
                        index.nprobe = value
                times, found = _latencies(index, q, k)
                label = spec["name"] + "".join(f" {a}={b}" for a, b in setting.items())
                row = {"index": label, "kind": spec["kind"], "params": spec["params"] | setting,
                       "build_s": round(build_s, 3), "bytes": size, "rss_delta_bytes": int(rss_delta),
                       "latency_ms": {"p50": round(float(np.percentile(times, 50)), 4),
                                      "p95": round(float(np.percentile(times, 95)), 4),
                                      "mean": round(float(np.mean(times)), 4)},
                       f"recall_at_{k}": recall_at(found, truth, k)} | extra
                entry["indexes"].append(row)
                log(f"scale n={n}: {label}: build {build_s:.1f} s, {size / 2**20:.0f} MiB, "
                    f"p50 {row['latency_ms']['p50']:.3f} ms, recall@{k} {row[f'recall_at_{k}']}")
            del index
            gc.collect()
        out["sizes"].append(entry)
    return out
