"""Standard IR metrics computed by ranx, plus complete@5, averaged overall and per kind.

ranx counts a passage of grade >= 1 as relevant for recall and MRR and uses the grades
themselves as gains for nDCG (Järvelin's rel / log2(rank + 1)), so a grade-2 passage above a
grade-1 one scores higher.
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
from ranx import Qrels, evaluate

from eval.formats import ranked_run
from eval.gold import TOP_GRADE

METRICS = ("ndcg@10", "mrr@10", "recall@5", "recall@10")
COMPLETE = "complete@5"
COLUMNS = (*METRICS, COMPLETE)
LABELS = {"ndcg@10": "nDCG@10", "mrr@10": "MRR@10", "recall@5": "R@5", "recall@10": "R@10",
          COMPLETE: "complete@5"}

PerQuery = dict[str, dict[str, float]]  # metric -> question id -> score


def per_query(qrels: Mapping[str, Mapping[str, int]], rankings: Mapping[str, Sequence[str]]) -> PerQuery:
    """Each metric for each question; a question without results scores 0 everywhere."""
    qids = sorted(qrels)
    scores = _ranx(qrels, rankings, qids, list(METRICS))
    scores[COMPLETE] = complete_at_5(qrels, rankings)
    return scores


def complete_at_5(qrels: Mapping[str, Mapping[str, int]], rankings: Mapping[str, Sequence[str]]) -> dict[str, float]:
    """1.0 when every grade-2 passage of a question is in its top 5, else 0.0.

    ranx has no such metric: it is ranx's recall@5 over the qrels restricted to grade-2
    passages, complete iff that recall is 1. Questions with no grade-2 passage have no
    complete answer to find and are left out (not counted as complete).
    """
    top = {q: {p: g for p, g in graded.items() if g >= TOP_GRADE} for q, graded in qrels.items()}
    qids = sorted(q for q, graded in top.items() if graded)
    if not qids:
        return {}
    recall = _ranx(top, rankings, qids, ["recall@5"])["recall@5"]
    return {q: float(recall[q] == 1.0) for q in qids}


def _ranx(qrels: Mapping[str, Mapping[str, int]], rankings: Mapping[str, Sequence[str]], qids: list[str],
          metrics: list[str]) -> PerQuery:
    judged = Qrels.from_dict({q: {p: int(g) for p, g in qrels[q].items()} for q in qids})
    run = ranked_run({q: list(rankings.get(q, ())) for q in qids}, "eval").make_comparable(judged)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba's uint64 -> int64 cast notice inside ranx's nDCG
        scores = evaluate(judged, run, metrics, return_mean=False, threads=1, save_results_in_run=False)
    if len(metrics) == 1:
        scores = {metrics[0]: scores}
    # ranx returns arrays in the run's query order, which make_comparable sorted by id
    order = run.get_query_ids()
    return {m: {q: float(v) for q, v in zip(order, values)} for m, values in scores.items()}


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
