"""`python -m indexer build`: the build alone, for scripts and the service's rebuild jobs.
The command line for people is `precedent` (precedent/cli.py); both take the build's flags and
what it runs from indexer/build_command.py."""
from __future__ import annotations

import argparse
import sys

from indexer import build_command
from indexer.settings import configure_logging, get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer", description="Alias of `precedent build`.")
    sub = parser.add_subparsers(dest="command", required=True)
    build_command.add_arguments(sub.add_parser("build", help="build or update the index from the corpus folder"))
    args = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level)
    return build_command.run(args, settings)


if __name__ == "__main__":
    sys.exit(main())
