"""`python -m eval run | bench | reproduce`: each subcommand lives in its own module."""
from __future__ import annotations

import logging
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"run": "eval.run", "bench": "eval.bench", "reproduce": "eval.reproduce"}
    if not argv or argv[0] not in commands:
        print(f"usage: python -m eval {{{'|'.join(commands)}}} [options]   (-h after a command for its options)")
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    module = __import__(commands[argv[0]], fromlist=["main"])
    return module.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
