"""Evaluation and benchmarks: gold questions, standard metrics, measured speed."""
from __future__ import annotations

import logging
import sys

# Each subcommand lives in its own module, imported only when it runs.
COMMANDS = {"run": "eval.run", "bench": "eval.bench", "reproduce": "eval.reproduce", "cluster": "eval.cluster",
            "compare": "eval.compare"}


def run_command(argv: list[str]) -> int:
    """Run `eval COMMAND [options]`; an unknown or missing command is one line naming the valid ones."""
    command, rest = (argv[0], argv[1:]) if argv else (None, [])
    if command not in COMMANDS:
        what = f"unknown command {command!r}" if command else "a command is needed"
        print(f"precedent eval: {what}; valid values: {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    module = __import__(COMMANDS[command], fromlist=["main"])
    return module.main(rest)
