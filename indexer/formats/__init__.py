"""Turning any file into text with offsets: the one place that reads documents' bytes.

Every format ends as a string the parsers read and citations index. For plain text and
Markdown that string is the file itself; for PDF, Word and HTML it is the extracted text,
stored in the index beside the hash of the original, so a citation can always be checked
against what was read (and the original against what was indexed).
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
FORMAT_SUFFIXES = {**TEXT_SUFFIXES, ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}


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

    @property
    def paged(self) -> bool:
        return bool(self.page_starts)


def page_span(page_starts: list[int], start: int, end: int) -> tuple[int, int]:
    """1-based first and last page of [start, end) in a text whose page i + 1 begins at page_starts[i]."""
    first = max(bisect.bisect_right(page_starts, start) - 1, 0)
    last = max(bisect.bisect_right(page_starts, max(start, end - 1)) - 1, first)
    return first + 1, last + 1


def format_of(path: Path) -> str | None:
    return FORMAT_SUFFIXES.get(path.suffix.lower())


def decode_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExtractionError(f"not UTF-8 (byte {exc.start})") from None


def extract_bytes(raw: bytes, fmt: str) -> Extracted:
    """Text of a file's bytes in format `fmt`; raises ExtractionError with a one-line reason."""
    sha = hashlib.sha256(raw).hexdigest()
    if fmt in ("text", "markdown"):
        return Extracted(decode_text(raw), fmt, "utf-8", sha)
    if fmt == "pdf":
        from indexer.formats import pdf

        return pdf.extract(raw, sha)
    if fmt == "docx":
        from indexer.formats import docx

        return docx.extract(raw, sha)
    if fmt == "html":
        from indexer.formats import html

        return html.extract(raw, sha)
    raise ExtractionError(f"unsupported format {fmt!r}")


def extract(path: Path, max_bytes: int | None = None) -> Extracted:
    """Read and extract one file, refusing one over `max_bytes` before reading it."""
    fmt = format_of(path)
    if fmt is None:
        raise ExtractionError(f"unsupported file type {path.suffix!r}; supported: {', '.join(sorted(FORMAT_SUFFIXES))}")
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise ExtractionError(f"{size / 2**20:.1f} MB is over the {max_bytes / 2**20:.0f} MB bound "
                                  f"(PRECEDENT_MAX_FILE_MB)")
        raw = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(f"cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise ExtractionError("the file is empty")
    return extract_bytes(raw, fmt)


def version_of(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
