"""`python -m indexer build | search`: the command line over the same functions the API uses."""
from __future__ import annotations

import argparse
import json
import logging
import sys

from indexer.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build or update the index from the corpus folder")
    build.add_argument("--if-stale", action="store_true",
                       help="do nothing when the served index already matches the corpus")
    search = sub.add_parser("search", help="search the index")
    search.add_argument("query")
    search.add_argument("--country")
    search.add_argument("--kind")
    search.add_argument("--document")
    search.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "lexical"])
    search.add_argument("-k", type=int, default=10)
    search.add_argument("--json", action="store_true", help="print the API's JSON")
    args = parser.parse_args(argv)
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")

    if args.command == "build":
        from indexer.build import BuildFailed, build_index, is_current

        if args.if_stale and is_current(settings):
            print(f"index at {settings.index_dir} is up to date with {settings.corpus_dir}")
            return 0
        try:
            summary = build_index(settings, progress=sys.stderr.isatty())
        except BuildFailed as exc:
            logging.getLogger("indexer").error("%s", exc)
            return 1
        print("\n".join(summary.lines()))
        return 0

    from service.engine import Engine, QueryError, SearchRequest

    try:
        engine = Engine.open(settings)
        response = engine.search(SearchRequest(q=args.query, k=args.k, mode=args.mode, country=args.country,
                                               kind=args.kind, document=args.document))
    except QueryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(response.model_dump(), indent=2, ensure_ascii=False))
        return 0
    for r in response.results:
        print(f"{r.rank:>2}. [{r.score:.3f}] {r.citation.label}")
        print(f"    {r.document.id}:{r.citation.start}-{r.citation.end}  {' › '.join(r.heading)}")
        print(f"    {r.text[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
