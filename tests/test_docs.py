"""The README is part of the product: its commands, settings and figures must be true."""
from __future__ import annotations

import re
from pathlib import Path

from eval.reproduce import load_conditions
from service.__main__ import settings_table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def test_readme_starts_with_the_two_commands():
    first_commands = re.findall(r"^(make \w+)$", README, re.M)[:2]
    assert first_commands == ["make run", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_lists_every_setting_as_declared():
    assert settings_table() in README


def test_readme_eval_table_quotes_the_reproduced_figures():
    """Each expected score in eval/reproduce.toml stands in the README's table row of its mode."""
    conditions = load_conditions()
    columns = {"ndcg@10": 1, "mrr@10": 2, "recall@5": 3, "recall@10": 4, "complete@5": 5}
    for condition in conditions["condition"]:
        if condition["gold"] != "eval/gold/dev.jsonl":
            continue
        row = re.search(rf"^\| {re.escape(condition['mode'])} \|(.+)\|$", README, re.M)
        assert row, f"README has no eval row for {condition['mode']}"
        cells = [c.strip() for c in row.group(1).split("|")]
        for metric, expected in condition["expected"].items():
            assert cells[columns[metric] - 1] == f"{expected:.3f}", (condition["mode"], metric)


def test_readme_commands_run():
    """Every `python -m …` command the README names answers --help with exit 0."""
    import subprocess
    import sys

    commands = sorted(set(re.findall(r"python -m ((?:indexer|service|eval) \w+)", README)))
    assert len(commands) >= 6
    for command in commands:
        done = subprocess.run([sys.executable, "-m", *command.split(), "--help"], cwd=ROOT, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, (command, done.stderr[-500:])
        assert "usage" in done.stdout.lower(), command
