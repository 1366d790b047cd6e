"""`precedent`: the one command line. Each command calls the same core the API and the page use.

It sits above every layer (indexer → service → eval), which is why it is its own package: the
layers below never import it. `serve` only runs the app; `settings` prints what can be set.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys

from pydantic import ValidationError

from eval import COMMANDS as EVAL_COMMANDS, run_command as run_eval
from indexer import build_command
from indexer.settings import configure_logging, get_settings, settings_table

log = logging.getLogger("precedent")


def results_wanted(value: str) -> int:
    """-k as the API takes it: a whole number from 1 to 100 (argparse prints the one-line error)."""
    try:
        k = int(value)
    except ValueError:
        k = 0
    if not 1 <= k <= 100:
        raise argparse.ArgumentTypeError(f"{value!r}: give a whole number from 1 to 100")
    return k


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="precedent", description="Semantic search and answers over policy "
                                  "documents on drugs and crime, with exact citations.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_command.add_arguments(sub.add_parser("build", help="build or update the index from the corpus folder"))
    for name, what in (("search", "ranked passages with citations"), ("ask", "an answer: a table by country or "
                                                                      "the sentences that answer")):
        command = sub.add_parser(name, help=what, allow_abbrev=False)  # ("--k" is no "--kind")
        command.add_argument("query")
        command.add_argument("--country")
        command.add_argument("--kind")
        command.add_argument("--document")
        if name == "search":
            command.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "lexical"])
        command.add_argument("-k", type=results_wanted, default=10, help="results, 1 to 100 (default 10)")
        command.add_argument("--json", action="store_true", help="print the API's JSON")
    sub.add_parser("serve", help="run the API and the web page (PRECEDENT_HOST, PRECEDENT_PORT)")
    sub.add_parser("settings", help="print every setting as a Markdown table")
    evaluate = sub.add_parser("eval", help="evaluation: " + " | ".join(EVAL_COMMANDS) + " (-h after one for its "
                              "options)", add_help=False)
    evaluate.add_argument("eval_command", nargs="?", metavar="{" + ",".join(EVAL_COMMANDS) + "}")
    evaluate.add_argument("eval_args", nargs=argparse.REMAINDER)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show "’" shows "?", not a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        settings = get_settings()
    except ValidationError as exc:  # a PRECEDENT_* variable set to what it cannot be: one line each
        for error in exc.errors():
            name = "PRECEDENT_" + "_".join(str(part) for part in error["loc"]).upper()
            print(f"precedent: {name}={error.get('input')!r}: {error['msg']}", file=sys.stderr)
        return 2
    if args.command == "eval":
        return run_eval([args.eval_command, *args.eval_args] if args.eval_command else [])
    if args.command == "settings":
        print(settings_table())
        return 0
    configure_logging(settings.log_level)
    if args.command == "serve":
        from service.server import serve

        serve(settings)
        return 0
    if args.command == "build":
        return build_command.run(args, settings)
    return query(args, settings)


def query(args: argparse.Namespace, settings) -> int:
    """`search` and `ask`: the engine's own calls, printed for a terminal or as the API's JSON."""
    from service.ask import ask
    from indexer.store import IndexUnavailable
    from service.engine import Engine, RequestError, SearchRequest

    try:
        engine = Engine.open(settings)
        if args.command == "search":
            response = engine.search(SearchRequest(q=args.query, k=args.k, mode=args.mode, country=args.country,
                                                   kind=args.kind, document=args.document))
        else:
            response = ask(engine, args.query, args.k, args.country, args.kind, args.document)
    except RequestError as exc:
        print(f"precedent {args.command}: {exc}", file=sys.stderr)
        return 2
    except IndexUnavailable as exc:  # no index yet, or a damaged one: what to run is in the message
        print(f"precedent {args.command}: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(response.model_dump(), indent=2, ensure_ascii=False))
    elif args.command == "search":
        print_results(response.results)
    else:
        print_answer(response.answer)
    return 0


def print_results(results) -> None:
    for r in results:
        page = f"  p. {r.citation.page_label or r.citation.page}" if r.citation.page else ""
        print(f"{r.rank:>2}. [{r.score:.3f}] {r.citation.label}{page}")
        print(f"    {r.document.id}:{r.citation.start}-{r.citation.end}  {' › '.join(r.heading)}")
        print(f"    {r.text[:300]}")


def print_answer(answer) -> None:
    if answer.weak_evidence:
        print("The documents may not answer this: nothing in them comes near the question. The nearest:")
    if answer.cited_missing:
        print(f"No passage is headed {', '.join(answer.cited_missing)}.")
    if answer.countries_absent:
        print(f"No document in the index is of {', '.join(answer.countries_absent)}: "
              "this is what the other documents say.")
    if answer.type == "by_country":
        print_table(answer.recommendation_ref.label if answer.recommendation_ref else answer.recommendation,
                    answer.by_country, answer.not_in_response)
        for other in answer.other_recommendations:
            print(f"  also: {other}")
        for table in answer.issue_tables:  # asked about a whole issue: its other recommendations
            print_table(table.recommendation, table.by_country, table.not_in_response)
        return
    for s in answer.sentences:
        print(f"- {s.text}  {cite(s.citation)}")


def print_table(recommendation: str, rows, not_in_response: list[str]) -> None:
    print(f"By country: {recommendation}")
    for row in rows:
        print(f"  {row.country} (action taken: {row.action_taken}): {row.sentence}  {cite(row.citation)}")
    for country in not_in_response:
        print(f"  {country}: not in its response")


def cite(citation) -> str:
    """File and offsets; a citation of several pieces (an opening sentence and the detail, or a
    sentence across a page break) lists each, so no offset range covers text it does not cite."""
    page = f", p. {citation.page_label or citation.page}" if citation.page else ""
    ranges = ",".join(f"{s.start}-{s.end}" for s in citation.spans) or f"{citation.start}-{citation.end}"
    return f"[{citation.file}:{ranges}{page}]"
