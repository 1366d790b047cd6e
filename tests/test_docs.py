"""The README is part of the product: its commands, settings and figures must be true."""
from __future__ import annotations

import re
from pathlib import Path

from eval.reproduce import load_conditions
from indexer.settings import settings_table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def test_readme_starts_with_the_two_commands():
    first_commands = re.findall(r"^(make \w+)$", README, re.M)[:2]
    assert first_commands == ["make run", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_lists_every_setting_as_declared():
    assert settings_table() in README


def test_readme_eval_tables_quote_the_reproduced_figures():
    """Each expected score in eval/reproduce.toml stands in the README's row of its condition:
    retrieval rows by mode (dev2 and test rows say "(dev2)", "(test)", dev asked in lower case
    "(dev, lower-cased)"), answer rows as the "all" line of each split ("all, lower-cased")."""
    conditions = load_conditions()
    retrieval = {"ndcg@10": 1, "mrr@10": 2, "recall@5": 3, "recall@10": 4, "complete@5": 5}
    answers = {"sentence@1": 1, "sentence@3": 2, "rows_right": 3, "table_shape": 4}
    questions = {"eval/gold/dev.jsonl": 103, "eval/gold/dev2.jsonl": 70, "eval/gold/test.jsonl": 80}
    checked = 0
    for condition in conditions["condition"]:
        split = Path(condition["gold"]).stem + (", lower-cased" if condition.get("lowercase") else "")
        if condition["mode"] == "intervals":
            checked += _interval_row_quotes(split, condition["expected"])
            continue
        if condition["mode"] == "answers":
            case = ", lower-cased" if condition.get("lowercase") else ""
            label, columns = rf"all{case} \| {questions[condition['gold']]}", answers
        else:
            label = re.escape(condition["mode"] + ("" if split == "dev" else f" ({split})"))
            columns = retrieval
        row = re.search(rf"^\| {label} \|(.+)\|$", README, re.M)
        assert row, f"README has no row for {condition['name']}"
        cells = [c.strip() for c in row.group(1).split("|")]
        for metric, expected in condition["expected"].items():
            assert cells[columns[metric] - 1] == f"{expected:.3f}", (condition["name"], metric)
            checked += 1
    assert checked >= 141


def _interval_row_quotes(split: str, expected: dict[str, float]) -> int:
    """The README's "<split>, 95% interval" row gives each figure's "low – high" as expected."""
    row = re.search(rf"^\| {split}, 95% interval \|(.+)\|$", README, re.M)
    assert row, f"README has no interval row for {split}"
    cells = [c.strip() for c in row.group(1).split("|")]
    figures = ("nDCG@10", "complete@5", "sentence@1", "sentence@3", "rows right")
    for column, figure in enumerate(figures):
        assert cells[column] == f"{expected[figure + ' low']:.3f} – {expected[figure + ' high']:.3f}", (split, figure)
    return 2 * len(figures)


def test_readme_commands_run():
    """Every `precedent …` command the README names (in a command block or in backticks; the error
    examples start with "$ ") answers --help with exit 0, through the
    installed entry point, and `precedent --help` lists every command."""
    import shutil
    import subprocess
    import sys

    cli = shutil.which("precedent", path=str(Path(sys.executable).parent))
    assert cli, "the `precedent` command is not installed in this environment (pip install -e .)"
    listed = subprocess.run([cli, "--help"], capture_output=True, text=True, timeout=120).stdout
    for command in ("build", "search", "ask", "serve", "settings", "eval"):
        assert re.search(rf"^\s+{command}\s", listed, re.M), (command, listed)
    commands = sorted(set(re.findall(r"(?:^|`)precedent ((?:eval )?[a-z]+)(?=[ `\n])", README, re.M)))
    assert {"build", "search", "ask", "serve", "settings", "eval run", "eval bench", "eval reproduce"} <= set(commands)
    for command in commands:
        done = subprocess.run([cli, *command.split(), "--help"], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, (command, done.stderr[-500:])
        assert "usage" in done.stdout.lower(), command


def test_cli_errors_are_one_line_naming_the_valid_values():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "precedent", "eval", "nope"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == "precedent eval: unknown command 'nope'; valid values: run, bench, reproduce, cluster, compare"
