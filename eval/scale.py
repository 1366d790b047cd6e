"""Scale simulation: FAISS exact vs HNSW vs IVF on synthetic clustered vectors.

The corpus is far too small to show how the dense index behaves at 100k or 1M passages, so
this builds each index over synthetic vectors that look like sentence embeddings (unit
norm, 384 dimensions, overlapping topics and groups of near-paraphrases, so nearest
neighbours exist and ANN recall means something; see Synthetic) and measures build time
(train + add), size, latency per query (batch of 1) and recall@10 against the exact index.

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
    """Deterministic unit vectors shaped like sentence embeddings; row i is the same on every call.

    Three levels: a direction every vector shares (embeddings of one domain are anisotropic),
    about sqrt(n) topics, and groups of `group` near-paraphrases around a point of their topic.
    Every random offset has a power-law spectrum (variance of the i-th of `dim` random
    directions ~ i^-2*decay) instead of being isotropic, so topics overlap the way real embeddings
    do rather than sitting apart as separate clusters that any index finds easily. The defaults
    were fitted at 50k vectors: a query's nearest neighbour at cosine ~0.89 and its 10th at
    ~0.84, any two vectors at ~0.55 (the served index, passage to passage: 0.90, 0.79, 0.60),
    where IVF (nprobe 16) finds ~0.76 and HNSW (efSearch 64) ~0.97 of the true top 10.
    """

    n: int
    dim: int = DIM
    seed: int = 1234
    shared: float = 1.3  # weight of the common direction
    spread: float = 1.5  # how far a group's centre strays from its topic
    noise: float = 0.8  # how far a vector strays from its group's centre
    decay: float = 0.7  # power-law exponent of the offsets' spectrum (0: isotropic)
    group: int = 4  # vectors per group

    @property
    def n_topics(self) -> int:
        return max(8, int(math.sqrt(self.n)))

    def _base(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rng = np.random.default_rng([self.seed, 0])
        scale = np.arange(1, self.dim + 1, dtype=np.float32) ** -self.decay
        scale /= np.sqrt((scale ** 2).mean())  # same total variance as an isotropic offset
        rotation = np.linalg.qr(rng.standard_normal((self.dim, self.dim)))[0].astype(np.float32)
        shape = scale[:, None] * rotation  # offsets = standard normal @ shape
        common = rng.standard_normal(self.dim).astype(np.float32)
        topics = rng.standard_normal((self.n_topics, self.dim), dtype=np.float32) @ shape
        return (common / np.linalg.norm(common), topics / np.linalg.norm(topics, axis=1, keepdims=True), shape)

    def _offsets(self, rng: np.random.Generator, count: int, shape: np.ndarray, size: float) -> np.ndarray:
        return (rng.standard_normal((count, self.dim), dtype=np.float32) @ shape) * (size / math.sqrt(self.dim))

    def _groups(self, k: int, count: int, topics: np.ndarray, shape: np.ndarray) -> np.ndarray:
        """Group centres of chunk k (each chunk has its own groups, so chunks can be made alone)."""
        rng = np.random.default_rng([self.seed, 1, k])
        n_groups = max(1, -(-count // self.group))
        centres = topics[rng.integers(0, len(topics), n_groups)] + self._offsets(rng, n_groups, shape, self.spread)
        return centres / np.linalg.norm(centres, axis=1, keepdims=True)

    def _draw(self, rng: np.random.Generator, common: np.ndarray, centres: np.ndarray, shape: np.ndarray) -> np.ndarray:
        x = self.shared * common + centres + self._offsets(rng, len(centres), shape, self.noise)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        return np.ascontiguousarray(x, dtype=np.float32)

    def _sizes(self, size: int):
        return [(k, min(size, self.n - start)) for k, start in enumerate(range(0, self.n, size))]

    def chunks(self, size: int = CHUNK):
        common, topics, shape = self._base()
        for k, count in self._sizes(size):
            centres = self._groups(k, count, topics, shape)
            rng = np.random.default_rng([self.seed, 2, k])
            members = rng.permutation(np.arange(count) // self.group)  # groups mixed within the chunk
            yield self._draw(rng, common, centres[members], shape)

    def sample(self, count: int) -> np.ndarray:
        """The first `count` rows (for training IVF), without generating the rest."""
        out, have = [], 0
        for chunk in self.chunks():
            out.append(chunk[: count - have])
            have += len(out[-1])
            if have >= count:
                break
        return np.concatenate(out)

    def queries(self, count: int, size: int = CHUNK) -> np.ndarray:
        """New points in groups of the data: each query has a few close paraphrases in the index."""
        common, topics, shape = self._base()
        rng = np.random.default_rng([self.seed, 3])
        picks = rng.integers(0, self.n, count)
        centres = np.empty((count, self.dim), dtype=np.float32)
        for k, chunk_count in self._sizes(size):
            inside = np.flatnonzero(picks // size == k)
            if len(inside):
                groups = self._groups(k, chunk_count, topics, shape)
                centres[inside] = groups[(picks[inside] % size) // self.group]
        return self._draw(rng, common, centres, shape)


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


def _build(spec: dict, data: Synthetic, progress) -> tuple[object, dict, float]:
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
        sample = data.sample(train_n)
        t0 = time.perf_counter()
        index.train(sample)
        extra = {"train_points": int(train_n), "train_s": round(time.perf_counter() - t0, 3)}
        del sample
    added, seconds = 0, extra.get("train_s", 0.0)
    for chunk in data.chunks():  # making the vectors is not timed, only train and add
        t0 = time.perf_counter()
        index.add(chunk)
        seconds += time.perf_counter() - t0
        added += len(chunk)
        progress(f"{spec['name']}: added {added}/{data.n}")
    return index, extra, seconds


def run_scale(sizes: list[int], *, queries: int = 200, k: int = 10, candidates: int = 100, hnsw_m: int = 32,
              ef_construction: int = 80,
              ef_search: list[int] | None = None, nprobe: list[int] | None = None, seed: int = 1234,
              workdir: str | None = None, log=print) -> dict:
    import faiss

    ef_search = ef_search or [64, 128]
    nprobe = nprobe or [16]
    workdir = workdir or tempfile.gettempdir()
    threads = faiss.omp_get_max_threads()
    shape = Synthetic(n=1, seed=seed)
    out = {"dimension": DIM, "queries": queries, "k": k, "seed": seed,
           "data": {"shared": shape.shared, "spread": shape.spread, "noise": shape.noise, "decay": shape.decay,
                    "group": shape.group, "topics": "sqrt(n)"},
           "faiss": faiss.__version__, "omp_threads": threads,
           "candidates": candidates,
           "latency": "one query per search call (batch of 1), after one warm-up call; latency_ms asks for k "
                      "results, latency_candidates_ms for `candidates` (what the engine asks FAISS for), both "
                      "with FAISS's default OpenMP threads (omp_threads, as in the service); latency_1thread_ms "
                      "asks for k with one thread",
           "sizes": []}
    last = [time.perf_counter()]

    def progress(message: str) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            log(f"scale n={n}: {message}")

    for n in sizes:
        data = Synthetic(n=n, seed=seed)
        q = data.queries(queries)
        entry = {"n": n, "topics": data.n_topics, "indexes": []}
        log(f"scale n={n}: generating data and building indexes")
        truth = None
        for spec in _specs(n, hnsw_m, ef_construction, ef_search, nprobe):
            gc.collect()
            rss0 = rss_bytes()
            index, extra, build_s = _build(spec, data, progress)
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
                more = _latencies(index, q, candidates)[0] if candidates and candidates != k else None
                faiss.omp_set_num_threads(1)  # OpenMP threads can cost more than they give on busy cores
                try:
                    single = _latencies(index, q, k)[0]
                finally:
                    faiss.omp_set_num_threads(threads)
                label = spec["name"] + "".join(f" {a}={b}" for a, b in setting.items())
                row = {"index": label, "kind": spec["kind"], "params": spec["params"] | setting,
                       "build_s": round(build_s, 4), "bytes": size, "rss_delta_bytes": int(rss_delta),
                       "latency_ms": {"p50": round(float(np.percentile(times, 50)), 4),
                                      "p95": round(float(np.percentile(times, 95)), 4),
                                      "mean": round(float(np.mean(times)), 4)},
                       "latency_candidates_ms": {"p50": round(float(np.percentile(more, 50)), 4),
                                                 "p95": round(float(np.percentile(more, 95)), 4)} if more else None,
                       "latency_1thread_ms": {"p50": round(float(np.percentile(single, 50)), 4),
                                              "p95": round(float(np.percentile(single, 95)), 4)},
                       f"recall_at_{k}": recall_at(found, truth, k)} | extra
                entry["indexes"].append(row)
                log(f"scale n={n}: {label}: build {build_s:.1f} s, {size / 2**20:.0f} MiB, "
                    f"p50 {row['latency_ms']['p50']:.3f} ms, recall@{k} {row[f'recall_at_{k}']}")
            del index
            gc.collect()
        out["sizes"].append(entry)
    return out
