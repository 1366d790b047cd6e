"""Standard IR metrics computed by ranx, plus complete@5, averaged overall and per kind.

ranx counts a passage of grade >= 1 as relevant for recall and MRR and uses the grades
themselves as gains for nDCG (Järvelin's rel / log2(rank + 1)), so a grade-2 passage above a
grade-1 one scores higher.
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
from ranx import evaluate

from eval.formats import make_qrels, ranked_run
from eval.gold import TOP_GRADE

METRICS = ("ndcg@10", "mrr@10", "recall@5", "recall@10")
COMPLETE = "complete@5"
TOP_RECALL = f"recall@5-l{TOP_GRADE}"  # ranx: only grades >= TOP_GRADE count as relevant
COLUMNS = (*METRICS, COMPLETE)
LABELS = {"ndcg@10": "nDCG@10", "mrr@10": "MRR@10", "recall@5": "R@5", "recall@10": "R@10",
          COMPLETE: "complete@5"}

PerQuery = dict[str, dict[str, float]]  # metric -> question id -> score


def per_query(qrels: Mapping[str, Mapping[str, int]], rankings: Mapping[str, Sequence[str]]) -> PerQuery:
    """Each metric for each question, in one ranx call; a question without results scores 0."""
    qids = sorted(qrels)
    scores = _ranx(qrels, rankings, qids, [*METRICS, TOP_RECALL])
    scores[COMPLETE] = complete_at_5(qrels, scores.pop(TOP_RECALL))
    return scores


def complete_at_5(qrels: Mapping[str, Mapping[str, int]], top_recall: Mapping[str, float]) -> dict[str, float]:
    """1.0 when every grade-2 passage of a question is in its top 5, else 0.0.

    ranx has no such metric: it is ranx's recall@5 counting only grade-2 passages as
    relevant ("recall@5-l2", the same as recall@5 over qrels restricted to grade 2),
    complete iff that recall is 1. Questions with no grade-2 passage have no complete answer
    to find and are left out (ranx would score them 0).
    """
    return {q: float(top_recall[q] == 1.0) for q, graded in qrels.items()
            if any(g >= TOP_GRADE for g in graded.values())}


def _ranx(qrels: Mapping[str, Mapping[str, int]], rankings: Mapping[str, Sequence[str]], qids: list[str],
          metrics: list[str]) -> PerQuery:
    """Per-question scores from ranx (give it two metrics or more: with one it returns a bare array)."""
    judged = make_qrels({q: {p: int(g) for p, g in qrels[q].items()} for q in qids})
    run = ranked_run({q: list(rankings.get(q, ())) for q in qids}, "eval").make_comparable(judged)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba's uint64 -> int64 cast notice inside ranx's nDCG
        scores = evaluate(judged, run, metrics, return_mean=False, threads=1, save_results_in_run=False)
    # ranx returns arrays in the run's query order, which make_comparable sorted by id
    order = run.get_query_ids()
    return {m: {q: float(v) for q, v in zip(order, values, strict=True)} for m, values in scores.items()}


def mean(scores: Mapping[str, float], qids: Sequence[str] | None = None) -> float | None:
    """Mean over the given questions that have a score; None when none has."""
    values = [scores[q] for q in (scores if qids is None else qids) if q in scores]
    return float(np.mean(values)) if values else None


def summarize(scores: PerQuery, kinds: Mapping[str, str]) -> dict:
    """Overall means and means per question kind."""
    by_kind: dict[str, list[str]] = {}
    for qid, kind in kinds.items():
        by_kind.setdefault(kind, []).append(qid)
    return {"overall": {m: mean(scores[m]) for m in COLUMNS},
            "by_kind": {k: {"n": len(q), **{m: mean(scores[m], q) for m in COLUMNS}}
                        for k, q in sorted(by_kind.items())}}
