"""`python -m service serve | settings`."""
from __future__ import annotations

import argparse
import logging
import sys

from indexer.settings import Settings, get_settings


def settings_table() -> str:
    """The settings as a Markdown table: the README carries this output verbatim."""
    lines = ["| variable | default | what it does |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = "(unset)" if field.default is None else f"`{field.default}`"
        lines.append(f"| `PRECEDENT_{name.upper()}` | {default} | {field.description} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the API and web page")
    sub.add_parser("settings", help="print every setting as a Markdown table")
    args = parser.parse_args(argv)
    if args.command == "settings":
        print(settings_table())
        return 0
    import uvicorn

    from service.app import create_app

    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level.lower())
    return 0


if __name__ == "__main__":
    sys.exit(main())
