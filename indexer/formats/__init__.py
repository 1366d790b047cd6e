"""Turning any file into text with offsets: the one place that reads documents' bytes.

Every format ends as a string the parsers read and citations index. For plain text and
Markdown that string is the file itself; for PDF, Word, HTML and e-mail it is the extracted text,
stored in the index beside the hash of the original, so a citation can always be checked
against what was read (and the original against what was indexed).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from indexer.formats.base import Extracted, ExtractionError, decode_text, page_span, version_of

__all__ = ["Extracted", "ExtractionError", "decode_text", "page_span", "version_of", "extract", "extract_bytes",
           "format_of", "FORMAT_SUFFIXES", "TEXT_SUFFIXES"]

TEXT_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
FORMAT_SUFFIXES = {**TEXT_SUFFIXES, ".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".xlsx": "xlsx", ".html": "html", ".htm": "html", ".eml": "email"}


def format_of(path: Path) -> str | None:
    return FORMAT_SUFFIXES.get(path.suffix.lower())


def extract_bytes(raw: bytes, fmt: str) -> Extracted:
    """Text of a file's bytes in format `fmt`; raises ExtractionError with a one-line reason,
    as for a file whose text has no letter or digit (a byte-order mark, zero-width spaces)."""
    try:
        extracted = _extract_bytes(raw, fmt)
    except RecursionError:  # (a thousand <div>s or MIME parts nested in one another)
        raise ExtractionError(f"its {fmt} is nested too deeply to read") from None
    if not any(ch.isalnum() for ch in extracted.text):
        raise ExtractionError("the file is empty (no letter or digit in its text)")
    return extracted


def _extract_bytes(raw: bytes, fmt: str) -> Extracted:
    sha = hashlib.sha256(raw).hexdigest()
    if fmt in ("text", "markdown"):
        return Extracted(decode_text(raw), fmt, "utf-8", sha)
    if fmt == "pdf":
        from indexer.formats import pdf

        return pdf.extract(raw, sha)
    if fmt == "docx":
        from indexer.formats import docx

        return docx.extract(raw, sha)
    if fmt == "odt":
        from indexer.formats import odt

        return odt.extract(raw, sha)
    if fmt == "xlsx":
        from indexer.formats import xlsx

        return xlsx.extract(raw, sha)
    if fmt == "html":
        from indexer.formats import html

        return html.extract(raw, sha)
    if fmt == "email":
        from indexer.formats import eml

        return eml.extract(raw, sha)
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
