"""`precedent eval reproduce`: re-run every retrieval and answer figure the README reports; OK or FAIL each.

The figures live in eval/reproduce.toml, one condition per mode and question set, with the
command that prints them and the score expected. A change that moves a score fails here
until the README table and the expectation are updated together (tests/test_docs.py checks
the README quotes these expectations).
"""
from __future__ import annotations

import argparse
import logging
import sys
import tomllib
from pathlib import Path

log = logging.getLogger(__name__)
CONDITIONS = Path(__file__).with_name("reproduce.toml")


def load_conditions(path: Path = CONDITIONS) -> dict:
    return tomllib.loads(path.read_text("utf-8"))


def check(conditions: dict, measured: dict[tuple[tuple[str, bool], str], dict[str, float]]) -> list[tuple[str, str, float, float, bool]]:
    """(condition, metric, expected, measured, ok) for every expected figure."""
    tolerance = conditions["tolerance"]
    rows = []
    for condition in conditions["condition"]:
        got = measured[question_set(condition), condition["mode"]]
        for metric, expected in condition["expected"].items():
            value = got.get(metric)
            ok = value is not None and abs(value - expected) <= tolerance
            rows.append((condition["name"], metric, expected, value if value is not None else float("nan"), ok))
    return rows


def question_set(condition: dict) -> tuple[str, bool]:
    """The questions a condition asks: its gold file, and whether they are lower-cased."""
    return condition["gold"], bool(condition.get("lowercase"))


def interval_figures(scores: dict, judged: dict | None) -> dict[str, float]:
    """The 95% intervals `eval run` prints (hybrid's per-question scores, the answers'
    evaluation), as figures named "<figure> low" and "<figure> high"."""
    from eval.uncertainty import intervals, report_of

    found = intervals(report_of(scores, judged))
    return {f"{label} {end}": value for label, (_, _, low, high) in found.items()
            for end, value in (("low", low), ("high", high))}


def version_drift(recorded: dict[str, str], installed: dict[str, str]) -> list[str]:
    """Libraries whose installed version differs from the one the served index was built with.
    Figures measured with other versions may move; constraints.txt pins the README's."""
    return [f"{name} {recorded[name]} (index) vs {installed.get(name, 'not installed')} (installed)"
            for name in sorted(recorded) if name != "precedent" and recorded[name] != installed.get(name)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="precedent eval reproduce", description=__doc__)
    parser.add_argument("--conditions", type=Path, default=CONDITIONS)
    args = parser.parse_args(argv)
    from eval.gold import load_questions, lowercased
    from eval.answers import evaluate_answers
    from eval.run import open_engine, run_modes

    conditions = load_conditions(args.conditions)
    from indexer.build import library_versions

    engine = open_engine(None)
    for drift in version_drift(engine.index.manifest.get("libraries", {}), library_versions()):
        log.warning("version differs from the index's build: %s", drift)
    measured: dict[tuple[tuple[str, bool], str], dict[str, float]] = {}
    by_set: dict[tuple[str, bool], list[str]] = {}
    for condition in conditions["condition"]:
        by_set.setdefault(question_set(condition), []).append(condition["mode"])
    for (gold, lower), modes in by_set.items():
        questions = load_questions(Path(gold))
        questions = lowercased(questions) if lower else questions
        search_modes = sorted(set(modes) - {"answers", "intervals"} | ({"hybrid"} if "intervals" in modes else set()))
        results = run_modes(engine, questions, search_modes).results
        for mode, result in results.items():
            measured[(gold, lower), mode] = result.summary["overall"]
        judged = evaluate_answers(engine, questions) if {"answers", "intervals"} & set(modes) else None
        if "answers" in modes:
            measured[(gold, lower), "answers"] = judged["overall"]
        if "intervals" in modes:
            measured[(gold, lower), "intervals"] = interval_figures(results["hybrid"].scores, judged)
    rows = check(conditions, measured)
    print("| condition | metric | expected | measured | |\n|---|---|---:|---:|---|")
    for name, metric, expected, value, ok in rows:
        print(f"| {name} | {metric} | {expected:.3f} | {value:.3f} | {'OK' if ok else 'FAIL'} |")
    failed = sum(1 for r in rows if not r[4])
    print(f"\n{len(rows) - failed} OK, {failed} FAIL (tolerance ±{conditions['tolerance']})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
