"""The build command's flags and what it runs, declared once: `precedent build` and its alias
`python -m indexer build` both take them from here. Imports nothing heavy, so a command line
that only parses its arguments stays fast; the builders are imported when one runs.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_cluster_arguments(parser: argparse.ArgumentParser, required: bool = False) -> None:
    """The distributed build's flags (indexer/cluster_build.py)."""
    parser.add_argument("--cluster", metavar="ADDRESS", required=required,
                        help="build on this Ray cluster (head's host:port, or 'auto'); needs the cluster extra")
    parser.add_argument("--shards", type=int, default=2, help="with --cluster: how many shard builds to write")
    parser.add_argument("--out", type=Path, default=None,
                        help="with --cluster: the cluster index folder (default: the index folder + '-cluster')")
    parser.add_argument("--actors", type=int, default=None, help="with --cluster: embedding actors (default: one "
                        "per node)")
    parser.add_argument("--threads", type=int, default=0, help="with --cluster: model threads per embedding actor "
                        "(0: one per core, as a single-process build, which keeps the vectors bit for bit the same)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--if-stale", action="store_true",
                        help="do nothing when the served index already matches the corpus (single-process build)")
    add_cluster_arguments(parser)


def run(args: argparse.Namespace, settings) -> int:
    """A single-process build, or with --cluster a distributed one; 0, or 1 with a one-line reason."""
    if args.cluster:
        return run_cluster_build(args, settings)
    from indexer.build import run_build

    return run_build(settings, if_stale=args.if_stale, progress=sys.stderr.isatty())


def run_cluster_build(args: argparse.Namespace, settings) -> int:
    import logging

    from indexer.build import BuildFailed
    from indexer.cluster_build import build_cluster

    out = args.out or Path(str(settings.index_dir).rstrip("/") + "-cluster")
    try:
        summary = build_cluster(settings, args.cluster, args.shards, out, args.actors, args.threads)
    except BuildFailed as exc:
        logging.getLogger("indexer").error("%s", exc)
        return 1
    print("\n".join(summary.lines()))
    return 0
