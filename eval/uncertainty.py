"""How far a figure could move with other questions like these: 95% intervals by resampling
questions (the percentile bootstrap), for one run and for the difference between two.

A split of 80 questions is a sample. sentence@1 = 0.713 on 80 questions could as well have been
0.61 or 0.81 on another 80 of the same kinds, and a change that moves dev by two questions may
move test the other way by chance alone. `eval run` prints intervals for hybrid search's
nDCG@10 and complete@5 and for the answer figures of /ask, and `eval compare` says whether a
change's difference in those is larger than that noise, question by question (paired), so that
a setting is kept for what it does, not for what the sample did.

Questions are what is resampled. rows right is a ratio over countries, not a mean over
questions: each resample sums its questions' right rows and their countries, so a question with
three countries weighs three times. Fixed seed and resample count: the same report gives the
same interval on every machine.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

RESAMPLES = 2000
SEED = 0
LEVEL = 0.95


def _resampled(n: int, resamples: int, seed: int) -> np.ndarray:
    """[resamples x n] question positions drawn with replacement, the same for a given n and seed."""
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n))


def _percentiles(statistics: np.ndarray, level: float) -> tuple[float, float]:
    tail = (1 - level) / 2 * 100
    low, high = np.nanpercentile(statistics, [tail, 100 - tail])
    return float(low), float(high)


def ratio_interval(numerators: Sequence[float], denominators: Sequence[float] | None = None,
                   resamples: int = RESAMPLES, seed: int = SEED, level: float = LEVEL) -> tuple[float, float] | None:
    """Interval of sum(numerators) / sum(denominators) over resampled questions; without
    denominators, of the mean. None for no questions."""
    top = np.asarray(numerators, dtype=np.float64)
    bottom = np.ones_like(top) if denominators is None else np.asarray(denominators, dtype=np.float64)
    if not len(top):
        return None
    picks = _resampled(len(top), resamples, seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        statistics = top[picks].sum(axis=1) / bottom[picks].sum(axis=1)
    return _percentiles(statistics, level)


def paired_difference(before: Mapping[str, tuple[float, float]], after: Mapping[str, tuple[float, float]],
                      resamples: int = RESAMPLES, seed: int = SEED, level: float = LEVEL) -> dict | None:
    """after − before over the questions both scored, each as (numerator, denominator), with the
    interval of the difference when the same questions are resampled for both (paired), and how
    many questions went up and down. None when no question is in both."""
    shared = sorted(set(before) & set(after))
    if not shared:
        return None
    a = np.array([before[q] for q in shared], dtype=np.float64)
    b = np.array([after[q] for q in shared], dtype=np.float64)
    picks = _resampled(len(shared), resamples, seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        statistics = (b[picks, 0].sum(axis=1) / b[picks, 1].sum(axis=1)
                      - a[picks, 0].sum(axis=1) / a[picks, 1].sum(axis=1))
    low, high = _percentiles(statistics, level)
    per_a, per_b = a[:, 0] / a[:, 1], b[:, 0] / b[:, 1]
    return {"questions": len(shared), "before": float(a[:, 0].sum() / a[:, 1].sum()),
            "after": float(b[:, 0].sum() / b[:, 1].sum()),
            "difference": float(b[:, 0].sum() / b[:, 1].sum() - a[:, 0].sum() / a[:, 1].sum()),
            "low": low, "high": high, "up": int((per_b > per_a + 1e-9).sum()),
            "down": int((per_b < per_a - 1e-9).sum())}


# ---- figures of a report (eval/run.py writes report.json) ----------------------------------
RETRIEVAL_FIGURES = (("nDCG@10", "ndcg@10"), ("complete@5", "complete@5"))
ANSWER_FIGURES = (("sentence@1", "sentence@1"), ("sentence@3", "sentence@3"), ("rows right", "rows_right"),
                  ("table shape", "table_shape"))


def per_question(report: Mapping, mode: str = "hybrid") -> dict[str, dict[str, tuple[float, float]]]:
    """figure label -> question id -> (numerator, denominator), for the figures the report has:
    the mode's retrieval figures and, when the report judged answers, the answer figures."""
    figures: dict[str, dict[str, tuple[float, float]]] = {}
    scores = report.get("modes", {}).get(mode, {}).get("per_query", {})
    for label, key in RETRIEVAL_FIGURES:
        if key in scores:
            figures[label] = {q: (float(v), 1.0) for q, v in scores[key].items()}
    answered = report.get("answers", {}).get("per_question", {})
    for label, key in ANSWER_FIGURES:
        if key == "rows_right":
            figures[label] = {q: (s["rows_right"] * s["rows_total"], float(s["rows_total"]))
                              for q, s in answered.items() if s.get("rows_right") is not None}
        elif answered:
            figures[label] = {q: (float(s[key]), 1.0) for q, s in answered.items()}
    return figures


def intervals(report: Mapping, mode: str = "hybrid") -> dict[str, tuple[int, float, float, float]]:
    """figure label -> (count, value, low, high) for each figure of the report: count is questions,
    or countries for rows right."""
    out = {}
    for label, scored in per_question(report, mode).items():
        if scored:
            top, bottom = [v[0] for v in scored.values()], [v[1] for v in scored.values()]
            low, high = ratio_interval(top, bottom)
            out[label] = (int(sum(bottom)) if label == "rows right" else len(scored), sum(top) / sum(bottom), low, high)
    return out


def report_of(scores: Mapping, answers: Mapping | None, mode: str = "hybrid") -> dict:
    """The parts of an `eval run` report the intervals read, from a mode's per-question scores
    and the answers' evaluation (for `eval reproduce`, which does not write reports)."""
    return {"modes": {mode: {"per_query": scores}}, **({"answers": answers} if answers else {})}


def intervals_table(report: Mapping, mode: str = "hybrid") -> str:
    """Markdown: each figure of the report, its value and its 95% interval ("" for none)."""
    lines = ["| figure | n | value | 95% interval |", "|---|---:|---:|---|"]
    for label, (count, value, low, high) in intervals(report, mode).items():
        unit = "countries" if label == "rows right" else "questions"
        lines.append(f"| {label} | {count} {unit} | {value:.3f} | {low:.3f} – {high:.3f} |")
    return "\n".join(lines) if len(lines) > 2 else ""
