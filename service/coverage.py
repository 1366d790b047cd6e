"""The coverage grid for staff: every questionnaire recommendation against every country.

A cell says whether the country's response commented on the recommendation, its
action-taken mark, the comment's opening sentence and its exact citation, or "no comment
reported" cited to the recommendation it left blank. Rows follow the questionnaire's order.
"""
from __future__ import annotations

from service import kinds, present
from service.loaded import LoadedIndex
from service.schemas import CoverageCell, CoverageGrid, CoverageRow

NO_COMMENT = present.NO_COMMENT
SHORT_TEXT = 160  # characters of the recommendation shown in a row heading


def coverage(index: LoadedIndex) -> CoverageGrid:
    rows: list[tuple[tuple, CoverageRow]] = []
    countries: set[str] = set()
    for key, rowids in index.passages_by_recommendation.items():
        passages = [index.passage(r) for r in rowids]
        first = kinds.representative(passages)
        cells: dict[str, CoverageCell] = {}
        for row in passages:
            country = row.country or index.documents[row.document_id]["title"]
            countries.add(country)
            cells[country] = _cell(index, row)
        text = first.fields.get("recommendation_text", "")
        order = kinds.questionnaire_order(first)
        rows.append((order, CoverageRow(
            issue=str(first.fields.get("issue", "")), issue_title=first.fields.get("issue_title", ""),
            recommendation=first.fields.get("recommendation", 0), label=kinds.recommendation_label(first),
            text=text if len(text) <= SHORT_TEXT else text[:SHORT_TEXT].rsplit(" ", 1)[0] + " …", cells=cells)))
    rows.sort(key=lambda r: r[0])
    return CoverageGrid(countries=sorted(countries), rows=[r for _, r in rows])


def _cell(index: LoadedIndex, row) -> CoverageCell:
    common = dict(passage_id=row.id, document_id=row.document_id,
                  action_taken=row.fields.get("action_taken", "unknown"))
    opening = present.opening_sentence(index.sentences(row.rowid), kinds.comment_range(row))
    if opening is None:
        return CoverageCell(answered=False, sentence=NO_COMMENT, citation=present.recommendation_citation(index, row),
                            **common)
    shown = present.text_pieces(row, opening.start, opening.end)
    return CoverageCell(answered=True, sentence=" ".join(h.text for h in shown),
                        citation=present.citation(index, row, shown), **common)

