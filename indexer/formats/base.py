"""What every format's extractor returns, and the small helpers they share.

Kept apart from `indexer.formats` (which dispatches to the extractors) so that the
extractors and the dispatcher do not import each other.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field


class ExtractionError(Exception):
    """A file that cannot be turned into text; the message names the reason, the caller the file."""


@dataclass
class Extracted:
    """The text of one file and what it took to get it.

    `page_starts[i]` is the offset in `text` where PDF page i + 1 begins (pages are joined
    with a form feed); `page_labels[i]` its printed label when the PDF declares one."""

    text: str
    format: str
    extractor: str
    source_sha256: str
    page_starts: list[int] = field(default_factory=list)
    page_labels: list[str | None] = field(default_factory=list)
    title: str | None = None  # from the file's own metadata (PDF Title, DOCX core title, HTML <title>)
    heads: dict[int, list[int]] = field(default_factory=dict)  # PDF: a lone mark's offset -> the words above it

    @property
    def paged(self) -> bool:
        return bool(self.page_starts)


def page_span(page_starts: list[int], start: int, end: int) -> tuple[int, int]:
    """1-based first and last page of [start, end) in a text whose page i + 1 begins at page_starts[i]."""
    first = max(bisect.bisect_right(page_starts, start) - 1, 0)
    last = max(bisect.bisect_right(page_starts, max(start, end - 1)) - 1, first)
    return first + 1, last + 1


def decode_text(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExtractionError(f"not UTF-8 (byte {exc.start})") from None
    if text.count("\x00") > len(text) // 10 and any(ch.isalnum() for ch in text):  # every other byte a NUL:
        #   UTF-16 written without its byte-order mark
        raise ExtractionError("not UTF-8 (it looks like UTF-16 without a byte-order mark; save it as UTF-8)")
    return text


def version_of(package: str, missing: str = "unknown") -> str:
    """The installed version of `package` (what an extractor or a build records), or `missing`."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return missing
