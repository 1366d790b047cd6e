"""`precedent eval compare BEFORE AFTER`: what a change did, question by question, and whether
that is more than the sample's noise.

BEFORE and AFTER are two `eval run` outputs (folders holding report.json, or the files) on the
same questions: the engine before and after a change, or under two settings. For each figure:
both values, the difference, its paired 95% interval (eval/uncertainty.py) and how many
questions went up and down. An interval that spans 0 means the change is not distinguishable
from chance on these questions; that is the case for most single-setting changes on 70-100
questions, which is why the README reports the test split beside the dev ones.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from eval.uncertainty import LEVEL, RESAMPLES, SEED, paired_difference, per_question

log = logging.getLogger(__name__)


class ReportError(ValueError):
    """A report that cannot be read or compared; the message names the file."""


def read_report(path: Path) -> dict:
    file = path / "report.json" if path.is_dir() else path
    try:
        report = json.loads(file.read_text("utf-8"))
    except FileNotFoundError:
        raise ReportError(f"{file}: no such report; give a folder `precedent eval run --out` wrote, "
                          "or its report.json") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{file}: not a readable report ({exc})") from None
    modes, answers = report.get("modes") if isinstance(report, dict) else None, \
        report.get("answers", {}) if isinstance(report, dict) else None
    if not isinstance(modes, dict) or not all(isinstance(m, dict) and isinstance(m.get("per_query", {}), dict)
                                              for m in modes.values()) or not isinstance(answers, dict):
        raise ReportError(f"{file}: not a report of `precedent eval run` (no 'modes' with per-question scores)")
    report["file"] = str(file)
    return report


def comparison(before: dict, after: dict, mode: str) -> list[tuple[str, dict]]:
    """(figure, paired difference) for every figure both reports have for the mode."""
    shared = sorted(set(before["modes"]) & set(after["modes"]))
    for report in (before, after):
        if mode not in report["modes"]:
            raise ReportError(f"{report['file']} has no mode {mode!r}; valid values (in both reports): "
                              f"{', '.join(shared) or '(none)'}")
    a, b = per_question(before, mode), per_question(after, mode)
    rows = [(label, paired_difference(a[label], b[label])) for label in a if label in b]
    if not any(d for _, d in rows):
        raise ReportError("the two reports share no question: compare runs on the same question set")
    return [(label, d) for label, d in rows if d]


def table(rows: list[tuple[str, dict]]) -> str:
    lines = [f"| figure | questions | before | after | difference | {LEVEL:.0%} interval (paired) | up / down |",
             "|---|---:|---:|---:|---:|---|---|"]
    for label, d in rows:
        lines.append(f"| {label} | {d['questions']} | {d['before']:.3f} | {d['after']:.3f} | {d['difference']:+.3f} | "
                     f"{d['low']:+.3f} – {d['high']:+.3f} | {d['up']} / {d['down']} |")
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="precedent eval compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="an `eval run --out` folder (or its report.json)")
    parser.add_argument("after", type=Path, help="the same, for the changed engine")
    parser.add_argument("--mode", default="hybrid", help="the search mode whose retrieval figures are compared")
    args = parser.parse_args(list(argv))
    try:
        rows = comparison(read_report(args.before), read_report(args.after), args.mode)
    except ReportError as exc:
        log.error("%s", exc)
        return 1
    sys.stdout.write(f"AFTER − BEFORE: nDCG@10 and complete@5 of {args.mode}, the rest of /ask's answers; questions "
                     f"resampled {RESAMPLES} times (seed {SEED}); up / down: questions whose own score rose / fell"
                     "\n\n" + table(rows) + "\n")
    return 0
