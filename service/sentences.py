"""A build's sentences in memory, each with what answering reads of it: its word stems, whether
it gives a count and what that counts (service/quantity.py), the term it defines
(service/definitions.py) and the States it is attributed to (service/attribution.py). Read once per loaded build, so highlighting and choosing the answer
sentence read no SQLite and stem nothing per request."""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

import numpy as np

from service.attribution import attributed_states, proposing_states
from service.definitions import defined_terms
from service.quantity import FUNCTION_WORDS, read_counts
from service.reasons import gives_reason

TOKEN = re.compile(r"[A-Za-z0-9]+")  # the words highlighting compares between query and sentence


def stems_of(text: str, stem) -> frozenset:
    return frozenset(stem(t.lower()) for t in TOKEN.findall(text))


@dataclass(frozen=True)
class SentenceRow:
    """One sentence of a passage: offsets in the passage text and in the file, and its word stems."""

    start: int
    end: int
    file_start: int
    file_end: int
    stems: frozenset
    holds_number: bool = False  # quantity.holds_number: a sentence that can answer "how many", "how long", "how often"
    counted: frozenset = frozenset()  # stems of what its counts count (quantity.counted_words): "58 firearms"
    defines: frozenset = frozenset()  # stems of the term it defines (definitions.defined_terms): “Victim” shall mean …
    attributed: frozenset = frozenset()  # the States named in parentheses that end it (attribution.attributed_states)
    gives_reason: bool = False  # reasons.gives_reason: a sentence that can answer "why"


NOTHING: frozenset = frozenset()  # shared by the sentences that count or define nothing (most of them)


@dataclass(frozen=True)
class PassageSentences:
    """A passage's sentences in reading order, and their vectors as one matrix (a row each), so
    scoring them against a query is one product, not a stack built per request. `in_context`:
    each sentence's vector as read in its passage (indexer/sentence_context.py); None for a
    build made before those were stored."""

    rows: list[SentenceRow]
    vectors: np.ndarray
    in_context: np.ndarray | None = None


NO_SENTENCES = PassageSentences([], np.zeros((0, 0), dtype=np.float32))


class SentenceTable:
    """Every sentence of the build in memory: highlighting reads no SQLite and stems nothing
    per request."""

    def __init__(self, by_passage: dict[int, PassageSentences]):
        self.by_passage = by_passage

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> "SentenceTable":
        import Stemmer

        stem = Stemmer.Stemmer("english").stemWord
        texts = dict(conn.execute("SELECT rowid, text FROM passages"))
        has_context = "in_context" in {c[1] for c in conn.execute("PRAGMA table_info(sentences)")}
        grouped: dict[int, list[tuple[SentenceRow, bytes, bytes | None]]] = {}
        records = conn.execute("SELECT passage_rowid, start, end, file_start, file_end, embedding, "
                               f"{'in_context' if has_context else 'NULL'} FROM sentences ORDER BY rowid")
        for p, a, b, fs, fe, e, c in records:
            words = texts.get(p, "")[a:b]
            holds, counted = read_counts(words)
            terms = [w for w in defined_terms(words) if w not in FUNCTION_WORDS]
            row = SentenceRow(a, b, fs, fe, stems_of(words, stem), holds,
                              frozenset(stem(w) for w in counted) if counted else NOTHING,
                              frozenset(stem(w) for w in terms) if terms else NOTHING,
                              attributed_states(words) | proposing_states(words) or NOTHING, gives_reason(words))
            grouped.setdefault(p, []).append((row, e, c))
        by_passage = {}
        for p, group in grouped.items():
            group.sort(key=lambda entry: entry[0].start)
            context = np.stack([np.frombuffer(c, dtype=np.float32) for _, _, c in group]) if has_context else None
            by_passage[p] = PassageSentences([r for r, _, _ in group],
                                             np.stack([np.frombuffer(e, dtype=np.float32) for _, e, _ in group]),
                                             context)
        return cls(by_passage)

    def of_passage(self, rowid: int) -> PassageSentences:
        return self.by_passage.get(rowid, NO_SENTENCES)
