"""Tables as CSV that opens cleanly in a spreadsheet: UTF-8 with a byte-order mark, every
field quoted where it needs to be (the csv module's rules), one header row, and no text cell a
spreadsheet would run as a formula."""
from __future__ import annotations

import csv
import io

from service.schemas import Answer, CitationOut, CoverageGrid

FORMATS = ("json", "csv")
BOM = "\ufeff"
NOT_IN_RESPONSE = "not in response"  # the country's response does not hold the recommendation


def _citation_fields(c: CitationOut) -> list:
    """start and end bound the citation; spans lists what it cites ("7658-7739;7993-8064": an
    opening sentence and the detail, or a sentence across a page break), never what lies between."""
    spans = ";".join(f"{s.start}-{s.end}" for s in c.spans) or f"{c.start}-{c.end}"
    return [c.label, c.file, c.start, c.end, spans, getattr(c, "page", None) or ""]


CITATION_HEADER = ["citation", "file", "start", "end", "spans", "page"]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads a cell as a formula by


def _as_text(value):
    """A text cell a spreadsheet would run as a formula ("=HYPERLINK(…)", "-G."), kept as text
    by a leading apostrophe (OWASP's advice for CSV exports); numbers stay numbers."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _write(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_as_text(v) for v in row] for row in rows)
    return (BOM + out.getvalue()).encode("utf-8")


def answer_csv(answer: Answer) -> bytes:
    """The by-country table (one row per country; then, asked about a whole issue, its other
    recommendations' rows), or a single answer's sentences."""
    if answer.type == "by_country":
        tables = [(answer.recommendation or "", answer.by_country, answer.not_in_response)] + [
            (t.recommendation, t.by_country, t.not_in_response) for t in answer.issue_tables]
        rows = []
        for label, answered, missing in tables:
            rows += [[r.country, "yes" if r.answered else "no", r.action_taken, r.sentence, r.passage_id,
                      *_citation_fields(r.citation), label] for r in answered]
            rows += [[country, NOT_IN_RESPONSE, "", "", "", *[""] * len(CITATION_HEADER), label] for country in missing]
        return _write(["country", "answered", "action_taken", "sentence", "passage_id", *CITATION_HEADER,
                       "recommendation"], rows)
    return _write(["rank", "sentence", "country", "passage_id", *CITATION_HEADER],
                  [[i + 1, s.text, s.country or "", s.passage_id, *_citation_fields(s.citation)]
                   for i, s in enumerate(answer.sentences)])


def coverage_csv(grid: CoverageGrid) -> bytes:
    """One line per recommendation and country."""
    rows = []
    for row in grid.rows:
        for country in grid.countries:
            cell = row.cells.get(country)
            if cell is None:
                rows.append([row.issue, row.recommendation, row.text, country, NOT_IN_RESPONSE, "", "",
                             *[""] * len(CITATION_HEADER)])
                continue
            rows.append([row.issue, row.recommendation, row.text, country, "yes" if cell.answered else "no",
                         cell.action_taken, cell.sentence, *_citation_fields(cell.citation)])
    return _write(["issue", "recommendation", "recommendation_text", "country", "answered", "action_taken",
                   "sentence", *CITATION_HEADER], rows)
