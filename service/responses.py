"""Questionnaire responses as a loaded index holds them: which recommendation each passage
answers, the passages of every country grouped by it, and what each response document holds.

Two countries' passages answer the same recommendation when its words match in order,
however each file numbers it and whatever the case, punctuation and typography of each copy
(a PDF's curly quote, non-breaking hyphen or "ﬁ" ligature against a Word file's plain ones).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


class Row(Protocol):  # service.loaded.PassageRow, as far as this module reads it
    id: str
    document_id: str
    fields: dict

    def folded(self, name: str, words_only: bool = False) -> str: ...


class Index(Protocol):  # service.loaded.LoadedIndex, as far as this module reads it
    type_of: np.ndarray
    country_of: np.ndarray
    passages_by_recommendation: dict[str, list[int]]

    def passage(self, rowid: int) -> Row: ...


@dataclass
class ResponseDocument:
    country: str
    keys: set[str]  # the recommendations it responds to (recommendation_key)
    numbers: set[tuple[str, str]]  # where it numbers them: (issue, recommendation)


def recommendation_key(row: Row) -> str:
    """What makes two questionnaire passages answers to the same recommendation: its words (the
    form's, `form_text`, for a reply that names it by number only)."""
    return row.folded("form_text", words_only=True) or row.folded("recommendation_text", words_only=True) or row.id


def number_of(row: Row) -> tuple[str, str]:
    """Where a response numbers its recommendation: (issue, recommendation), as the file says."""
    return str(row.fields.get("issue")), str(row.fields.get("recommendation"))


def by_recommendation(index: Index) -> dict[str, list[int]]:
    """Questionnaire passages grouped by recommendation: the responses of every country that
    was asked it."""
    groups: dict[str, list[int]] = {}
    for rowid in np.flatnonzero(index.type_of == "recommendation"):
        groups.setdefault(recommendation_key(index.passage(int(rowid))), []).append(int(rowid))
    return groups


def response_documents(index: Index) -> dict[str, ResponseDocument]:
    """Each response document: its country, the recommendations it holds and where it numbers
    them. A table names the countries whose response to the same questionnaire lacks its
    recommendation: they reported nothing on it."""
    out: dict[str, ResponseDocument] = {}
    for key, rowids in index.passages_by_recommendation.items():
        for rowid in rowids:
            row = index.passage(rowid)
            doc = out.setdefault(row.document_id, ResponseDocument(index.country_of[rowid], set(), set()))
            doc.keys.add(key)
            doc.numbers.add(number_of(row))
    return out
