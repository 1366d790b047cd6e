"""The FAISS index type, chosen by size behind one function so the corpus can grow.

Exact inner-product search up to `exact_max` vectors (every answer is the true nearest
neighbour, and at 200k x 384 a scan still takes a few ms); HNSW above, which the scale
benchmark (`python -m eval bench --scale`) showed keeps recall@10 near 0.99 at a fraction
of the latency, with no training step to go stale as documents are added.
"""
from __future__ import annotations

import faiss
import numpy as np


def index_type_for(n: int, exact_max: int) -> str:
    return "flat" if n <= exact_max else "hnsw"


def build_faiss(vectors: np.ndarray, exact_max: int) -> faiss.Index:
    n, dim = vectors.shape if vectors.size else (0, vectors.shape[1] if vectors.ndim == 2 else 384)
    if index_type_for(n, exact_max) == "flat":
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index
