"""`python -m service serve | settings`: an alias of `precedent serve | settings`, kept for scripts."""
from __future__ import annotations

import argparse
import sys

from indexer.settings import get_settings, settings_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service", description="Alias of `precedent serve | settings`.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the API and web page")
    sub.add_parser("settings", help="print every setting as a Markdown table")
    args = parser.parse_args(argv)
    if args.command == "settings":
        print(settings_table())
        return 0
    from service.server import serve

    serve(get_settings())
    return 0


if __name__ == "__main__":
    sys.exit(main())
