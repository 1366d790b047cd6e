"""The one small interface through which the service asks about a kind of document.

What a passage of one kind *is* (where a response's comment stands, how a recommendation is
named) is decided beside that kind's parser, in indexer/parsers/; this module only adds what
needs the loaded index or a ranking:
- questionnaire responses: the responses to one recommendation read side by side, and two
  fold only when recommendation and comment are identical;
- action plans: a proposal is shown where it stands in its section, its summary-table copy
  folded into `also_in`, and answers first when asked who acts or by when.

The engine, present and ask ask these functions; they hold no rule about a kind themselves.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from indexer.parsers import footnotes, general, prose, questionnaire
from service.loaded import LoadedIndex, PassageRow
from service.responses import recommendation_key
from service.retrieval import Ranking


def is_response(row: PassageRow) -> bool:
    return row.type == "recommendation"


def comment_range(row: PassageRow) -> tuple[int, int] | None:
    """Where the country's own comment stands in a response passage's text (None: no comment)."""
    return questionnaire.comment_span(row.text, row.fields) if is_response(row) else None


def recommendation_range(row: PassageRow) -> tuple[int, int] | None:
    """Where the recommendation's own text stands in a response passage's text."""
    return questionnaire.recommendation_span(row.text, row.fields) if is_response(row) else None


def recommendation_label(row: PassageRow) -> str:
    """"Issue IV, Recommendation 1": how staff name a recommendation."""
    return questionnaire.recommendation_name(row.fields) or ", ".join(row.heading[-2:]) or row.label


def representative(rows: list[PassageRow]) -> PassageRow:
    """The response whose numbering names a recommendation every country was asked: the one
    most responses share ("Issue IV, Recommendation 1"), then the first in the questionnaire's
    order, quoting its text (not a reply naming it by number only). One reply numbering it
    otherwise ("Issue ?, Recommendation 1.1") renames no row."""
    labels = Counter(recommendation_label(r) for r in rows)
    return min(rows, key=lambda r: (-labels[recommendation_label(r)], "form_text" in r.fields,
                                    r.fields.get("issue") == "?", questionnaire_order(r)))


def questionnaire_order(row: PassageRow) -> tuple:
    """Where a response's recommendation stands in the questionnaire (issue, then number)."""
    return questionnaire.order_key(row.fields)


def evidence_key(row: PassageRow) -> str:
    """Two passages fold into one result only when what they show is identical: for a
    response, the recommendation and the comment (two countries that left it blank fold;
    two comments never do)."""
    if is_response(row):
        return "response:" + recommendation_key(row) + "|" + row.folded("comment")
    return "text:" + row.wording


def group_responses(ranking: Ranking, index: LoadedIndex) -> Ranking:
    """Where one country's response to a recommendation first appears, the other countries'
    responses to it follow, answered ones first: the reader compares them side by side."""
    rowids = ranking.rowids.tolist()
    groups: dict[str, list[int]] = {}
    for position, rowid in enumerate(rowids):
        row = index.passage(rowid)
        if is_response(row):
            groups.setdefault(recommendation_key(row), []).append(position)
    order, placed = [], set()
    for position, rowid in enumerate(rowids):
        if position in placed:
            continue
        row = index.passage(rowid)
        group = groups[recommendation_key(row)] if is_response(row) else [position]
        group = sorted(group, key=lambda p: not index.passage(rowids[p]).fields.get("answered"))  # stable
        order += [p for p in group if p not in placed]
        placed.update(group)
    order_array = np.array(order, dtype=np.int64)
    return Ranking(ranking.rowids[order_array], ranking.scores[order_array]) if order else ranking


def answers_whole(row: PassageRow) -> bool:
    """A proposal is a table row: proposal, competence and deadline answer together ("who, and
    by when?"), so an answer cites the row, not one of its cells."""
    return row.type == "proposal"


def cites_another_work(row: PassageRow) -> bool:
    """An entry of a document's reference list (the prose parser's "bibliography" passages), or
    a footnote citing a source ("10 Haiti Libre, “Mirebalais under attack …”, available at …"):
    it names another work rather than saying anything itself."""
    return row.type == "bibliography" or (row.type == "footnote" and footnotes.names_a_source(row.text))


def says_who_or_when(row: PassageRow) -> bool:
    """The passage's fields say who acts or by when: a proposal's row (competence, deadline), or
    a follow-up report's labelled lines ("Department(s) responsible:", "Target date:"), which
    the prose around them rarely says."""
    if row.type == "proposal":
        return any(row.fields.get(name) for name in prose.WHO_OR_WHEN_FIELDS)
    return bool(who_or_when_labels(row))


def who_or_when_labels(row: PassageRow) -> list[int]:
    """Document offsets where labelled lines saying who acts or by when start (none for a
    proposal, which answers whole)."""
    return general.who_or_when_labels(row.fields.get("labelled", []))


def proposal_copies(index: LoadedIndex, row: PassageRow) -> list[str]:
    """The other copies of a proposal (section text and summary table) present in the index."""
    if row.type != "proposal":
        return []
    return [pid for pid in row.fields.get("linked", []) if pid in index.rowid_of]


def section_copy(index: LoadedIndex, row: PassageRow, admitted: set[int]) -> PassageRow | None:
    """A summary-table proposal is shown where it stands in its section, if that copy passed
    the query's filters; None when the row is to be shown as it is."""
    if row.type != "proposal" or row.fields.get("occurrence") != "summary":
        return None
    section = [pid for pid in proposal_copies(index, row) if index.rowid_of[pid] in admitted]
    return index.passage(index.rowid_of[section[0]]) if section else None
