"""Late interaction: hybrid search's top re-ranked by how well each word of the question meets
a word of the passage, not only by one vector per text.

Each query token's contextual vector (MiniLM's last layer, from the model call that gives the
query vector) is matched with its most similar token vector in the passage, and the mean of
those maxima (ColBERT's MaxSim) scores the passage. A paraphrase whose words differ from the
passage's ("shipping boxes" for "containers") is matched word by word, where the passage's one
vector is about something broader.

Cost is kept to a fraction of a millisecond a query: token vectors are reduced from 384 to 64
dimensions by the principal directions of the index's own token vectors (found once per loaded
index; on dev 64 dimensions ranked as well as 384), and only the fused top `depth` is scored.
The build stores the full vectors (float16), so a rebuild that changes the corpus changes the
directions, and a cluster front, holding every shard's tokens in global order, finds the same
directions as one index.
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import numpy as np

from service.retrieval import Ranking, minmax


@dataclass
class LateTable:
    vectors: np.ndarray  # every passage's token vectors, reduced and of unit length
    starts: np.ndarray  # passage rowid i's: vectors[starts[i]:starts[i + 1]]
    basis: np.ndarray  # [model dimension x dims]: the principal directions

    def of(self, row: int) -> np.ndarray:
        return self.vectors[self.starts[row]:self.starts[row + 1]]

    def project(self, tokens: np.ndarray) -> np.ndarray:
        return _unit(np.asarray(tokens, dtype=np.float32) @ self.basis)


def reduced(table, dims: int) -> LateTable:
    """The table's vectors on their top `dims` principal directions (eigenvectors of XᵀX, in
    float64, so the same tokens give the same directions wherever they are loaded)."""
    x = table.vectors
    _, eigenvectors = np.linalg.eigh(x.T.astype(np.float64) @ x.astype(np.float64))
    basis = np.ascontiguousarray(eigenvectors[:, ::-1][:, :dims], dtype=np.float32)
    return LateTable(_unit(x @ basis), table.starts, basis)


_tables: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # index -> {dims: LateTable or NONE}
_lock = threading.Lock()  # guards _tables only: a table is made outside it, so a reload never stalls queries
NONE = object()  # the build has no token vectors


def table_for(index, dims: int) -> LateTable | None:
    """The loaded index's reduced token table, made once (Engine.prepare does it before the index
    serves) and dropped with the index; None when its build has no token vectors."""
    with _lock:
        made = _tables.get(index, {}).get(dims)
    if made is None:
        raw = index.token_table()  # full vectors, dropped once reduced
        made = NONE if raw is None else reduced(raw, dims)
        with _lock:
            made = _tables.setdefault(index, {}).setdefault(dims, made)
    return None if made is NONE else made


def late_rerank(index, ranking: Ranking, query_tokens: np.ndarray | None, weight: float, depth: int,
                dims: int) -> Ranking:
    """The top `depth` re-ordered by the fused score plus `weight` × MaxSim, each min-max
    normalised over that top. Scores stay on the fused scale, within the range the fused top
    spanned, so the rest keeps its order and its scores below the top."""
    top = ranking.rowids[:depth]
    if weight <= 0 or query_tokens is None or not len(query_tokens) or len(top) < 2:
        return ranking
    table = table_for(index, dims)
    if table is None:  # a build made before token vectors were stored
        return ranking
    query = table.project(query_tokens)
    maxsim = np.array([float((table.of(r) @ query.T).max(axis=0).mean()) if table.starts[r + 1] > table.starts[r]
                       else 0.0 for r in top.tolist()])
    fused = ranking.scores[:len(top)].astype(np.float64)
    combined = minmax(fused) + weight * minmax(maxsim)
    order = np.argsort(-combined, kind="stable")
    floor, ceiling = float(fused.min()), float(fused.max())  # every score of the rest is at most floor
    scores = floor + (ceiling - floor) * combined[order] / (1 + weight)
    return Ranking(np.concatenate([top[order], ranking.rowids[len(top):]]),
                   np.concatenate([scores, ranking.scores[len(top):]]).astype(np.float32))


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.clip(np.linalg.norm(x, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)
