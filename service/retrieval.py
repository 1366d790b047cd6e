"""Retrieval: the candidates a query admits, scored by dense and BM25 retrievers and fused.

Scores stay numpy arrays from the retrievers to the fused ranking: one query touches a
few hundred candidates, and building an object per candidate was a third of the service's
Python time under load.
"""
from __future__ import annotations

from collections.abc import Sequence

from dataclasses import dataclass, field

import numpy as np

from indexer.bm25_global import query_tokens
from indexer.text import normalize_wording
from service.loaded import LoadedIndex
from service.query import ParsedQuery
from service.schemas import SearchRequest


@dataclass
class Ranking:
    """Passage rowids, best first, with their scores (same length); `derived`: what a reader of
    the ranking works out from it once and reads again (evidence.pooled_responses)."""

    rowids: np.ndarray
    scores: np.ndarray
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def empty(cls) -> "Ranking":
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))

    def __len__(self) -> int:
        return len(self.rowids)

    def pairs(self) -> list[tuple[int, float]]:
        return list(zip(self.rowids.tolist(), self.scores.tolist()))


def admitted(index: LoadedIndex, request: SearchRequest, parsed: ParsedQuery) -> np.ndarray | None:
    """Which passages the query's filters, named countries and quoted wording admit (None: all)."""
    mask = np.ones(index.size, dtype=bool)
    if request.country:  # the filter: documents of that country only
        mask &= index.country_of == request.country
    elif parsed.countries:  # named in the question: its documents, and what documents of no country say of it
        mask &= np.isin(index.country_of, parsed.countries) | np.logical_or.reduce(
            [index.mentioning(c) for c in parsed.countries])
    if parsed.other_editions:  # a year tells a report's editions apart; every other document stays
        mask &= ~np.isin(index.document_of, parsed.other_editions)
    if request.kind:
        mask &= index.kind_of == request.kind
    if request.document:
        mask &= index.document_of == request.document
    for phrase in parsed.phrases:
        wanted = normalize_wording(phrase)
        hits = [r for r in index.phrase_rowids(phrase) if wanted in normalize_wording(index.passage(r).text)]
        phrase_mask = np.zeros(index.size, dtype=bool)
        phrase_mask[hits] = True
        mask &= phrase_mask
    return None if mask.all() else mask


def faiss_search(faiss_index, vector: np.ndarray, mask: np.ndarray | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(ids, scores) of the n nearest vectors among those the mask admits."""
    import faiss

    params = None
    if mask is not None:
        ids = np.flatnonzero(mask).astype(np.int64)
        if not len(ids):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(ids))
        n = min(n, len(ids))
    n = min(n, faiss_index.ntotal)
    if n <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    scores, ids = faiss_index.search(vector.reshape(1, -1).astype(np.float32), n, params=params)
    keep = ids[0] >= 0
    return ids[0][keep].astype(np.int64), scores[0][keep]


@dataclass
class DenseHits:
    """The n nearest passages and the 3n nearest sentences (ids local to the index searched):
    what `dense` ranks, and what a cluster shard sends its front to merge."""

    ids: np.ndarray
    scores: np.ndarray
    sentence_ids: np.ndarray | None = None
    sentence_scores: np.ndarray | None = None


def dense_hits(index: LoadedIndex, vector: np.ndarray, mask: np.ndarray | None, n: int,
               sentences: bool = True) -> DenseHits:
    ids, scores = faiss_search(index.faiss, vector, mask, n)
    hits = DenseHits(ids, scores)
    if sentences and index.sentence_faiss.ntotal:
        sentence_mask = mask[index.passage_of_sentence] if mask is not None else None
        hits.sentence_ids, hits.sentence_scores = faiss_search(index.sentence_faiss, vector, sentence_mask, 3 * n)
    return hits


def dense(index: LoadedIndex, vector: np.ndarray, mask: np.ndarray | None, n: int,
          sentences: bool = True) -> Ranking:
    """Passages by max(passage similarity, best sentence similarity).

    A passage is embedded whole, but the model reads only its first 256 wordpieces; its
    sentences, embedded one by one, let the rest of a long passage be found too.
    """
    best = np.full(index.size, -np.inf, dtype=np.float32)
    hits = dense_hits(index, vector, mask, n, sentences)
    best[hits.ids] = hits.scores
    if hits.sentence_ids is not None:
        np.maximum.at(best, index.passage_of_sentence[hits.sentence_ids], hits.sentence_scores)
    found = np.flatnonzero(np.isfinite(best))
    order = found[np.argsort(-best[found], kind="stable")][:n]
    return Ranking(order, best[order])


def lexical(index: LoadedIndex, text: str, mask: np.ndarray | None, n: int, stemmer,
            expansions: Sequence[str] = ()) -> Ranking:
    """BM25 over the query's words, each expansion counting as one word of the query (its words'
    scores shared among them): "UPR recommendation on Salduz" gains "universal periodic review"
    as one more word, not three that outweigh "Salduz", the word that says what is asked."""
    # [:size]: an empty shard's BM25 holds one placeholder document (bm25s cannot index nothing)
    scores = np.zeros(index.size)
    for words, weight in [(text, 1.0), *((e, None) for e in expansions)]:
        tokens = query_tokens(words, stemmer)
        if tokens:
            scores = scores + (weight or 1.0 / len(tokens)) * index.bm25.get_scores(tokens)[:index.size]
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    top = np.argsort(-scores, kind="stable")[:n]
    top = top[scores[top] > 0]
    return Ranking(top.astype(np.int64), scores[top].astype(np.float32))


def fuse(size: int, dense_ranking: Ranking, lexical_ranking: Ranking, fusion: str, dense_weight: float,
         rrf_k: int) -> Ranking:
    """Weighted sum of min-max normalised scores by default: on the dev split it beat
    reciprocal-rank fusion (README, retrieval table), because it keeps how far apart
    candidates score, which RRF throws away by using ranks only."""
    fused = np.zeros(size, dtype=np.float64)
    seen = np.zeros(size, dtype=bool)
    for ranking, weight in ((dense_ranking, dense_weight), (lexical_ranking, 1 - dense_weight)):
        if not len(ranking):
            continue
        if fusion == "rrf":
            fused[ranking.rowids] += 1.0 / (rrf_k + np.arange(1, len(ranking) + 1))
        else:
            fused[ranking.rowids] += weight * minmax(ranking.scores)
        seen[ranking.rowids] = True
    found = np.flatnonzero(seen)
    order = found[np.argsort(-fused[found], kind="stable")]
    return Ranking(order.astype(np.int64), fused[order].astype(np.float32))


def minmax(values: np.ndarray) -> np.ndarray:
    """Scores on [0, 1] by their own lowest and highest (all 1 when they are equal)."""
    lo, hi = float(values.min()), float(values.max())
    return (values - lo) / (hi - lo) if hi > lo else np.ones(len(values))


def diversify(ranking: Ranking, index: LoadedIndex, window: int = 50) -> Ranking:
    """For a question across countries: each country's best passage first, then the rest by score.
    Documents of no country (a treaty, a UN body's report) lead as one more group: their best
    passage keeps its place by score among the leaders, not below them all ("in which countries
    were the common back offices launched?" is answered by the UNDP report, not by Haiti's)."""
    leaders: dict[str, int] = {}
    for position, rowid in enumerate(ranking.rowids[:window].tolist()):
        leaders.setdefault(index.country_of[rowid] or "", position)
    first = sorted(leaders.values(), key=lambda p: -ranking.scores[p])
    chosen = set(first)
    rest = [p for p in range(len(ranking)) if p not in chosen]
    order = np.array(first + rest, dtype=np.int64)
    return Ranking(ranking.rowids[order], ranking.scores[order]) if len(order) else ranking


def cited(index: LoadedIndex, request: SearchRequest, parsed: ParsedQuery) -> np.ndarray:
    """The passages the question cites by their labels ("Issue II, Recommendation 3") that its
    filters admit."""
    rowids = index.cited_rowids(parsed.citation)
    if len(rowids):
        mask = admitted(index, request, parsed)
        rowids = rowids[mask[rowids]] if mask is not None else rowids
    return rowids


def pin(ranking: Ranking, rowids: np.ndarray, limit: int) -> Ranking:
    """The given passages (those the question cites) first, at most `limit` of them: scored
    ones by their scores, then unscored ones in reading order; then the rest as ranked. The
    pinned are scored just above the best of the rest, so the ranking stays in score order
    for what reads it next (the evidence for a table, the order across countries). None is
    dropped: a citation puts what it names first, it does not hide the evidence around it."""
    if not len(rowids):
        return ranking
    score = dict(zip(ranking.rowids.tolist(), ranking.scores.tolist()))
    first = sorted(rowids.tolist(), key=lambda r: (r not in score, -score.get(r, 0.0), r))[:limit]
    chosen = set(first)
    rest = [i for i, r in enumerate(ranking.rowids.tolist()) if r not in chosen]
    top = float(ranking.scores[rest].max()) if rest else 0.0
    spread = (top - float(ranking.scores[rest].min())) if len(rest) > 1 else 1.0
    step = max(spread, 1e-3) / (10 * len(first))  # pinned: above `top`, in their own order
    lifted = [top + step * (len(first) - i) for i in range(len(first))]
    order = np.array(first + ranking.rowids[rest].tolist(), dtype=np.int64)
    return Ranking(order, np.array(lifted + ranking.scores[rest].tolist(), dtype=np.float32))
