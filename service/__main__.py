"""`python -m service serve | settings`."""
from __future__ import annotations

import argparse
import logging
import os
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
    # Busy-waiting OpenMP threads steal the other core from the HTTP layer; single queries gain
    # nothing from a second FAISS thread (eval bench: 100k exact search, 1 thread 9 ms, 2 threads 15 ms).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import faiss
    import uvicorn

    from service.app import create_app

    faiss.omp_set_num_threads(1)

    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level.lower(),
                access_log=False)  # /metrics counts every request
    return 0


if __name__ == "__main__":
    sys.exit(main())
