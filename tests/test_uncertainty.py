"""Intervals by resampling questions (eval/uncertainty.py) and `precedent eval compare`."""
from __future__ import annotations

import json
import logging

import pytest

from eval import compare
from eval import run as eval_run
from eval.gold import load_questions
from eval.uncertainty import paired_difference, per_question, ratio_interval
from tests.test_eval import GOLD, write_jsonl


def test_an_interval_holds_its_value_narrows_with_more_questions_and_repeats():
    few = [1.0] * 7 + [0.0] * 3
    many = few * 40
    low, high = ratio_interval(few)
    assert low <= 0.7 <= high and high - low > 0.3  # ten questions say little
    wide = high - low
    low, high = ratio_interval(many)
    assert low <= 0.7 <= high and high - low < wide / 4  # 400 say much more (width falls as 1/sqrt(n))
    assert ratio_interval(few) == ratio_interval(few)  # fixed seed: the same report, the same interval
    assert ratio_interval([1.0] * 12) == (1.0, 1.0)
    assert ratio_interval([]) is None


def test_a_ratio_interval_sums_each_resample_before_dividing():
    # one question with 3 of 3 rows right, one with 0 of 1: resamples give 1, 3/4 or 0, never
    # the 1/2 a mean of the two questions' ratios would give for a mixed draw
    low, high = ratio_interval([3.0, 0.0], [3.0, 1.0], resamples=400)
    assert (low, high) == (0.0, 1.0)
    picks = ratio_interval([3.0, 0.0] * 50, [3.0, 1.0] * 50)
    assert picks[0] < 0.75 < picks[1] and picks[1] - picks[0] < 0.3  # centred on 3 of 4, not on 1/2


def test_rows_right_is_resampled_by_question_and_counted_by_country():
    before = {"a": (3.0, 3.0), "b": (0.0, 1.0)}  # 3 of 3 rows right, then 0 of 1: 3 of 4 countries
    after = {"a": (3.0, 3.0), "b": (1.0, 1.0)}
    d = paired_difference(before, after)
    assert d["before"] == pytest.approx(0.75)  # not the 0.5 a mean of the two questions' ratios would say
    assert d["after"] == 1.0 and d["difference"] == pytest.approx(0.25)
    assert (d["up"], d["down"], d["questions"]) == (1, 0, 2)
    assert 0.0 <= d["low"] <= d["difference"] <= d["high"]


def test_a_paired_difference_reads_only_the_questions_both_runs_scored():
    same = {str(i): (float(i % 2), 1.0) for i in range(30)}
    d = paired_difference(same, same)
    assert (d["difference"], d["low"], d["high"], d["up"], d["down"]) == (0.0, 0.0, 0.0, 0, 0)
    one_better = {**same, "0": (1.0, 1.0), "extra": (1.0, 1.0)}
    d = paired_difference(same, one_better)
    assert d["questions"] == 30 and d["difference"] == pytest.approx(1 / 30) and d["up"] == 1
    assert paired_difference(same, {"x": (1.0, 1.0)}) is None


def test_eval_run_prints_intervals_and_compare_reads_two_runs(engine, tmp_path, capsys, caplog):
    questions = load_questions(write_jsonl(tmp_path / "gold.jsonl", GOLD))
    full = eval_run.run_and_report(engine, questions, ["hybrid"], tmp_path / "full", "gold")
    printed = capsys.readouterr().out
    assert "## How far these could move" in printed and "| nDCG@10 | 5 questions |" in printed
    nolate = eval_run.engine_for(engine, "hybrid-nolate")  # the same index and model, late interaction off
    eval_run.run_and_report(nolate, questions, ["hybrid"], tmp_path / "nolate", "gold")
    capsys.readouterr()

    assert compare.main([str(tmp_path / "full"), str(tmp_path / "nolate" / "report.json")]) == 0
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ") for line in capsys.readouterr().out.splitlines()
            if line.startswith("| ") and not line.startswith("| figure")}
    after = json.loads((tmp_path / "nolate" / "report.json").read_text("utf-8"))
    for label, key in (("nDCG@10", "ndcg@10"), ("sentence@1", "sentence@1")):
        source = full["modes"]["hybrid"]["overall"] if key == "ndcg@10" else full["answers"]["overall"]
        changed = after["modes"]["hybrid"]["overall"] if key == "ndcg@10" else after["answers"]["overall"]
        assert rows[label][1] == "5"
        assert float(rows[label][2]) == pytest.approx(source[key], abs=5e-4)
        assert float(rows[label][3]) == pytest.approx(changed[key], abs=5e-4)
        assert float(rows[label][4]) == pytest.approx(changed[key] - source[key], abs=1e-3)
    assert set(per_question(full)) >= {"nDCG@10", "complete@5", "sentence@1", "rows right"}

    caplog.set_level(logging.ERROR)
    assert compare.main([str(tmp_path / "missing"), str(tmp_path / "full")]) == 1
    assert "missing" in caplog.text and "no such report" in caplog.text
    assert compare.main([str(tmp_path / "full"), str(tmp_path / "nolate"), "--mode", "dense"]) == 1
    assert "report.json has no mode 'dense'; valid values (in both reports): hybrid" in caplog.text
    (tmp_path / "odd.json").write_text('{"modes": {"hybrid": []}}', "utf-8")
    assert compare.main([str(tmp_path / "odd.json"), str(tmp_path / "full")]) == 1
    assert "odd.json: not a report" in caplog.text
    (tmp_path / "junk.json").write_text("[1, 2]", "utf-8")
    assert compare.main([str(tmp_path / "junk.json"), str(tmp_path / "full")]) == 1
    assert "junk.json: not a report" in caplog.text
