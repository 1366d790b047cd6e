"""CSV exports open in a spreadsheet as text: no cell is run as a formula."""
from __future__ import annotations

import csv
import io

from service.export import answer_csv
from service.schemas import Answer, AnswerSentence, CitationOut


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_kept_as_text():
    """A sentence opening with "=", "+", "-" or "@" ("=HYPERLINK(…)", a footnote reading "-G.")
    would run as a formula when the CSV is opened (CSV injection); it gains a leading
    apostrophe, as OWASP advises. Other text, and the numbers, are written as they are."""
    texts = ['=HYPERLINK("http://example.org","x")', "-G.", "+1 234", "@SUM(A1)", "Plain words, with a comma."]
    answer = Answer(type="single", sentences=[
        AnswerSentence(text=t, passage_id=f"doc:p{i}", citation=CitationOut(file="doc.txt", start=i, end=i + 5,
                                                                         label="Doc"))
        for i, t in enumerate(texts)])
    rows = list(csv.DictReader(io.StringIO(answer_csv(answer).decode("utf-8-sig"))))
    assert [r["sentence"] for r in rows] == ["'" + t for t in texts[:4]] + [texts[4]]
    assert [r["start"] for r in rows] == ["0", "1", "2", "3", "4"] and rows[0]["rank"] == "1"
