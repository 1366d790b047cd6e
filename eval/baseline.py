"""The baseline to beat: fixed 1,000-character windows (200 overlap), searched densely.

The same corpus files, the same model and the same query vectors as the engine's dense
mode, so the only thing that differs is the unit of retrieval: windows cut blindly through
the text instead of passages cut along the documents' own structure. Windows are embedded
as raw file text (markup included), as a naive chunker would; they are not filtered by
country or kind, and identical wording is not folded.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from eval.gold import Unit

log = logging.getLogger(__name__)

WINDOW_CHARS = 1000
OVERLAP_CHARS = 200


def windows(length: int, size: int = WINDOW_CHARS, overlap: int = OVERLAP_CHARS) -> list[tuple[int, int]]:
    """[start, end) windows over a text of `length` characters; the last one ends at the text's end."""
    if not 0 <= overlap < size:
        raise ValueError(f"overlap {overlap} must be in [0, {size})")
    out, start = [], 0
    while start < length:
        end = min(start + size, length)
        out.append((start, end))
        if end == length:
            break
        start += size - overlap
    return out


@dataclass
class WindowIndex:
    """Windows of every corpus file with their vectors in an exact inner-product index."""

    units: list[Unit]
    index: object  # faiss.IndexFlatIP

    def search(self, vectors: np.ndarray, k: int) -> list[list[str]]:
        """The k best window ids for each query vector (normalised, so inner product = cosine)."""
        if not len(vectors):
            return []
        _, ids = self.index.search(np.ascontiguousarray(vectors, dtype=np.float32), min(k, len(self.units)))
        return [[self.units[i].id for i in row if i >= 0] for row in ids]


def build_windows(documents: Mapping[str, tuple[str, str]], embedder, batch_size: int = 32) -> WindowIndex:
    """Cut and embed windows of each document; `documents` maps id -> (file, verbatim text)."""
    import faiss

    units, texts = [], []
    for doc_id, (file, text) in sorted(documents.items()):
        for i, (start, end) in enumerate(windows(len(text))):
            units.append(Unit(f"{doc_id}:window-{i}", file, ((start, end),)))
            texts.append(text[start:end])
    log.info("fixed-window baseline: embedding %d windows", len(texts))
    vectors = embedder.encode(texts, batch_size=batch_size)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return WindowIndex(units, index)


def search_windows(window_index: WindowIndex, questions: Sequence, vectors: np.ndarray, k: int) -> dict[str, list[str]]:
    """Ranked window ids per question id."""
    return {q.id: ids for q, ids in zip(questions, window_index.search(vectors, k), strict=True)}
