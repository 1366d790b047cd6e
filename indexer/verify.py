"""Checks a build makes before it is sealed: every passage's character map against its source.

A citation is only as good as its offsets. A parser bug that shifts a map by one character
would otherwise be served as a wrong quotation; here the document is left out of the build
with a message naming it and the first offset that does not hold.
"""
from __future__ import annotations

from collections import Counter

from indexer.models import Passage

JOINERS = set(" ·")  # characters clean text adds between copied runs (see text.clean, CELL_JOINER)


def first_bad_offset(doc: str, passage: Passage) -> str | None:
    """None when the passage's map holds; else where it first fails, in words."""
    spans = [(s.start, s.end) for s in passage.spans]
    if not spans:
        return "no spans"
    for a, b in spans:
        if not 0 <= a <= b <= len(doc):
            return f"span [{a}, {b}) outside the text (length {len(doc)})"
    covered = bytearray(len(passage.text))
    for t0, f0, n in passage.offsets:
        if t0 < 0 or t0 + n > len(passage.text):
            return f"text offset {t0} outside the passage text"
        if passage.text[t0:t0 + n] != doc[f0:f0 + n]:
            bad = next(i for i in range(n) if f0 + i >= len(doc) or passage.text[t0 + i] != doc[f0 + i])
            return f"file offset {f0 + bad} (text offset {t0 + bad}) does not hold {passage.text[t0 + bad]!r}"
        if not any(a <= f0 and f0 + n <= b for a, b in spans):
            return f"file offset {f0} lies outside the passage's spans"
        covered[t0:t0 + n] = b"\x01" * n
    for i, ch in enumerate(passage.text):
        if not covered[i] and ch not in JOINERS:
            return f"text offset {i} ({ch!r}) is mapped to no file offset"
    return None


def duplicate_ids(passages: list[Passage]) -> list[str]:
    return sorted(pid for pid, n in Counter(p.id for p in passages).items() if n > 1)
