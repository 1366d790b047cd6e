"""The front of the sharded service: a catalog over the shards and an Engine that fans out.

- `ShardSearcher` runs in each shard replica: the shard's own index (today's format), the
  filters the single process applies (`retrieval.admitted`), and its candidates: the nearest
  passage vectors, the nearest sentence vectors and the BM25 hits, all in global rowids.
- `merge_dense` / `merge_lexical` put the shards' candidates together exactly as
  `retrieval.dense` / `retrieval.lexical` rank them over one index: the same truncations
  (n passages, 3n sentences), the same max over passage and sentence similarity, ties broken on
  the global rowid as a stable sort over one index breaks them.
- `ClusterEngine` is the Engine with `rank` replaced by that fan-out; fusion, diversifying,
  grouping and result building are the Engine's own, over `ShardedIndex` (sharded.py), a
  read-only view of the shards' SQLite (passages, sentences, documents, pages) under global rowids.

A shard that does not answer in time (no live replica) is named in `missing_shards` and the
response has `partial: true`; a caller that asked for complete results gets 503 instead.
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from pydantic import Field

from indexer.cluster_build import ROWIDS, SENTENCE_IDS
from service import retrieval
from service.engine import EncodedBatch, Engine, RequestError, raise_failures
from service.cluster.sharded import ShardedIndex
from service.loaded import LoadedIndex
from service.schemas import SearchRequest, SearchResponse

log = logging.getLogger(__name__)


class ClusterSearchRequest(SearchRequest):
    complete: bool = Field(False, description="Refuse (503) rather than answer from fewer than all shards.")


class ClusterSearchResponse(SearchResponse):
    partial: bool = Field(False, description="True when some shard did not answer: the results miss its passages.")
    missing_shards: list[str] = Field(default_factory=list, description="The shards that did not answer.")


class ShardsUnavailable(RequestError):
    """Some shard has no live replica and the caller asked for complete results (503)."""

    status = 503

    def __init__(self, missing: list[str]):
        super().__init__(f"shard(s) {', '.join(missing)} unavailable: no replica answered; retry shortly")
        self.missing = missing


def shard_name(i: int) -> str:
    return f"shard-{i}"


# ---- the shard side --------------------------------------------------------------------------
class ShardSearcher:
    """One shard's index and the candidates it contributes, in global rowids."""

    def __init__(self, build_dir: Path, shard: int):
        import Stemmer

        self.shard = shard
        self.index = LoadedIndex(Path(build_dir))
        self.rowids = np.load(Path(build_dir) / ROWIDS)
        self.sentence_ids = np.load(Path(build_dir) / SENTENCE_IDS)
        self.stemmer = Stemmer.Stemmer("english")

    def candidates(self, request, parsed, vector: np.ndarray | None, n: int, sentences: bool = True,
                   exclude_document: str | None = None) -> dict:
        idx = self.index
        if exclude_document is not None:
            mask = idx.document_of != exclude_document
            mask = None if mask.all() else mask
        else:
            mask = retrieval.admitted(idx, request, parsed)
        out: dict = {}
        if vector is not None and request.mode != "lexical":
            hits = retrieval.dense_hits(idx, vector, mask, n, sentences)  # in global ids, for merge_dense
            out["dense_ids"], out["dense_scores"] = self.rowids[hits.ids], hits.scores
            if hits.sentence_ids is not None:
                out["sentence_ids"] = self.sentence_ids[hits.sentence_ids]
                out["sentence_passages"] = self.rowids[idx.passage_of_sentence[hits.sentence_ids]]
                out["sentence_scores"] = hits.sentence_scores
        if request.mode != "dense" and exclude_document is None:
            lexical = retrieval.lexical(idx, parsed.text, mask, n, self.stemmer, parsed.expansions)
            out["lexical_ids"], out["lexical_scores"] = self.rowids[lexical.rowids], lexical.scores
        return out

    def candidates_batch(self, queries: list[dict]) -> list[dict | Exception]:
        """`candidates` for each query of a batch (the front sends a batch in one call per shard);
        a query that fails gets its own error in its place, so only its request fails."""
        out: list = []
        for query in queries:
            try:
                out.append(self.candidates(**query))
            except Exception as exc:  # noqa: BLE001 - handed back to that request alone
                out.append(exc)
        return out


# ---- merging ---------------------------------------------------------------------------------
def _cat(parts: list[dict], key: str, dtype) -> np.ndarray:
    arrays = [np.asarray(p[key]) for p in parts if key in p]
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype=dtype)


def _top(ids: np.ndarray, scores: np.ndarray, n: int) -> np.ndarray:
    """Positions of the n best, by score then by global id (a stable sort over one index)."""
    return np.lexsort((ids, -scores.astype(np.float64)))[:n]


def merge_dense(size: int, parts: list[dict], n: int) -> retrieval.Ranking:
    """What `retrieval.dense` gives over one index holding every shard's passages."""
    best = np.full(size, -np.inf, dtype=np.float32)
    ids, scores = _cat(parts, "dense_ids", np.int64), _cat(parts, "dense_scores", np.float32)
    top = _top(ids, scores, n)
    best[ids[top]] = scores[top]
    sids = _cat(parts, "sentence_ids", np.int64)
    if len(sids):
        spass, sscores = _cat(parts, "sentence_passages", np.int64), _cat(parts, "sentence_scores", np.float32)
        stop = _top(sids, sscores, 3 * n)
        np.maximum.at(best, spass[stop], sscores[stop])
    found = np.flatnonzero(np.isfinite(best))
    order = found[np.argsort(-best[found], kind="stable")][:n]
    return retrieval.Ranking(order, best[order])


def merge_lexical(parts: list[dict], n: int) -> retrieval.Ranking:
    """What `retrieval.lexical` gives over one index (the shards' BM25 scores are global)."""
    ids, scores = _cat(parts, "lexical_ids", np.int64), _cat(parts, "lexical_scores", np.float32)
    top = _top(ids, scores, n)
    return retrieval.Ranking(ids[top].astype(np.int64), scores[top].astype(np.float32))


# ---- fan-out ---------------------------------------------------------------------------------
class Fanout:
    """Calls every shard, in parallel, within a deadline. `call(i, **kw)` returns a future-like
    object with `.result(timeout_s)`; a call that fails because its replica died is retried
    (the router picks a live replica) until the deadline. Returns (answers, missing shard names)."""

    RETRYABLE = ("RayActorError", "ActorDiedError", "ActorUnavailableError", "ActorUnschedulableError",
                 "DeploymentUnavailableError", "WorkerCrashedError", "ObjectLostError",
                 "BackPressureError")

    def __init__(self, shards: int, call, timeout_s: float = 2.0):
        self.shards, self.call, self.timeout_s = shards, call, timeout_s

    def __call__(self, **kwargs) -> tuple[list[dict], list[str]]:
        deadline = time.monotonic() + self.timeout_s
        pending = {i: self._start(i, kwargs) for i in range(self.shards)}
        answers, missing = [], []
        for i in range(self.shards):
            future = pending[i]
            while True:
                left = deadline - time.monotonic()
                if left <= -0.05:  # past the deadline: still take an answer that is already there
                    missing.append(shard_name(i))
                    _cancel(future)
                    break
                left = max(left, 0.05)
                try:
                    answers.append(future.result(timeout_s=left))
                    break
                except Exception as exc:  # noqa: BLE001 - a dead replica, a timeout, a lost object
                    if type(exc).__name__ in ("TimeoutError", "GetTimeoutError") or isinstance(exc, TimeoutError):
                        missing.append(shard_name(i))
                        _cancel(future)
                        break
                    if not any(name in type(exc).__name__ for name in self.RETRYABLE) and \
                            not any(name in repr(exc) for name in self.RETRYABLE):
                        raise
                    log.warning("shard %s: %s; retrying on another replica", shard_name(i), type(exc).__name__)
                    time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
                    future = self._start(i, kwargs)
        return answers, missing

    def _start(self, i: int, kwargs: dict):
        try:
            return self.call(i, **kwargs)
        except Exception as exc:  # noqa: BLE001 - raised when the result is asked for, and retried there
            return _Failed(exc)


class _Failed:
    def __init__(self, exc: Exception):
        self.exc = exc

    def result(self, timeout_s=None):
        raise self.exc


def _cancel(future) -> None:
    try:
        future.cancel()
    except Exception:  # noqa: BLE001
        pass


class ClusterEngine(Engine):
    """The Engine over shards: the query is encoded once here, each shard ranks its own
    candidates, and the merge, fusion and results are the single process's."""

    def __init__(self, settings, index: ShardedIndex, embedder, fanout: Fanout):
        super().__init__(settings, index, embedder)
        self.fanout = fanout

    def reload(self) -> dict:
        return {"reloaded": False, "build_id": self.index.manifest["build_id"],
                "detail": "a cluster reloads by redeploying: python -m service.cluster serve"}

    def rank_batch(self, batch: EncodedBatch, fusion=None) -> list[retrieval.Ranking | Exception]:
        """The whole batch goes to every shard in one call per shard, so a slow or dead shard
        costs the batch one shard timeout, not one per request; each request's candidates are
        then merged and fused as one index would. A request that needs every shard (complete=true,
        or a route that cannot say partial) fails alone when one is missing."""
        asked = [i for i, p in enumerate(batch.parsed) if not isinstance(p, Exception)]  # others failed parsing
        queries = [dict(request=batch.requests[i],
                        parsed=replace(batch.parsed[i], token_vectors=None, cited=None),  # front-only
                        n=self.depth(batch.requests[i]),
                        vector=batch.vectors[i] if batch.requests[i].mode != "lexical" else None) for i in asked]
        out: list = list(batch.parsed)  # a parse error stays in its place
        if not queries:
            return out
        try:
            answers, missing = self.fanout(queries=queries)
        except Exception as exc:  # noqa: BLE001 - every request sent gets it
            for i in asked:
                out[i] = exc
            return out
        for j, (i, query) in enumerate(zip(asked, queries)):
            request = query["request"]
            if missing and (getattr(request, "complete", False) or not isinstance(request, ClusterSearchRequest)):
                out[i] = ShardsUnavailable(missing)
                continue
            parts, n = [answer[j] for answer in answers], query["n"]
            failed = next((part for part in parts if isinstance(part, Exception)), None)
            if failed is not None:
                out[i] = failed
                continue
            dense = merge_dense(batch.index.size, parts, n) if request.mode != "lexical" else retrieval.Ranking.empty()
            lexical = merge_lexical(parts, n) if request.mode != "dense" else retrieval.Ranking.empty()
            ranking = self.combine(batch.index, request, batch.parsed[i], dense, lexical, fusion)
            ranking.missing = missing
            out[i] = ranking
        return out

    def rank(self, index, request, parsed, vector, fusion=None) -> retrieval.Ranking:
        batch = EncodedBatch(index, [request], [parsed], np.asarray(vector).reshape(1, -1))
        return raise_failures(self.rank_batch(batch, fusion))[0]

    def build_response(self, index, request, parsed, vector, ranking):
        ranking, response = super().build_response(index, request, parsed, vector, ranking)
        missing = list(getattr(ranking, "missing", []))
        return ranking, ClusterSearchResponse(**dict(response), partial=bool(missing), missing_shards=missing)

    def similar_ranking(self, index, row, vector, k: int) -> retrieval.Ranking:
        request = ClusterSearchRequest(q="similar", k=k, mode="dense")
        answers, missing = self.fanout(queries=[dict(request=request, parsed=None, vector=vector, n=k, sentences=False,
                                                     exclude_document=row.document_id)])
        if missing:  # its route answers a plain SearchResponse, which cannot say partial: refuse
            raise ShardsUnavailable(missing)
        return merge_dense(index.size, [answer[0] for answer in answers], k)

    def health(self) -> dict:
        out = super().health()
        out["cluster"] = self.index.manifest.get("cluster")
        return out
