"""`python -m indexer build`: the build alone, for scripts and the service's rebuild jobs.
The command line for people is `precedent` (precedent/cli.py), which calls the same `run_build`."""
from __future__ import annotations

import argparse
import logging
import sys

from indexer import cluster_build
from indexer.build import run_build
from indexer.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer", description="Alias of `precedent build`.")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build or update the index from the corpus folder")
    build.add_argument("--if-stale", action="store_true",
                       help="do nothing when the served index already matches the corpus")
    cluster_build.add_arguments(build, required=False)
    args = parser.parse_args(argv)
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    if args.cluster:
        return cluster_build.run(args, settings)
    return run_build(settings, if_stale=args.if_stale, progress=sys.stderr.isatty())


if __name__ == "__main__":
    sys.exit(main())
