"""Excel workbooks (indexer/formats/xlsx.py): real .xlsx files written with openpyxl, read as a
Word table reads, and a reply filled into a workbook template read as the form. (The `form` and
`texts` fixtures, the Belgian reply's form, are in conftest.py.)"""
from __future__ import annotations

import datetime as dt
import io

import pytest

from indexer.formats import ExtractionError, extract
from indexer.formats.xlsx import extract as xlsx_extract
from test_form_replies import ISSUES, answers, read


def workbook(rows: list[list], contacts: bool = True) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Questionnaire"
    for row in rows:
        sheet.append(row)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)  # a template's title block
    if contacts:
        other = book.create_sheet("Contacts")
        other.append(["Focal point", "A. Ben Salah", "focal@example.org"])
        hidden = book.create_sheet("Lists")
        hidden.append(["Yes", "No"])  # a template's drop-down values
        hidden.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbooks_rows_read_as_a_tables_with_its_sheets_named(tmp_path):
    raw = workbook([["REPLY OF RURITANIA"], [], ["Issue", "No.", "Recommendation", "Action taken", "Comments", None],
                    ["Issue I", 1, "Governments act.", "Yes", "Trained 140 officers.\nA unit opened.", None],
                    [None, 2.0, "Governments cooperate.", "No", None], ["Submitted", dt.datetime(2021, 2, 26)]])
    (tmp_path / "reply.xlsx").write_bytes(raw)
    got = extract(tmp_path / "reply.xlsx")
    assert got.format == "xlsx" and got.extractor.startswith("openpyxl ")
    assert got.text == ("# Questionnaire\n\nREPLY OF RURITANIA\nIssue\tNo.\tRecommendation\tAction taken\tComments\n"
                        "Issue I\t1\tGovernments act.\tYes\tTrained 140 officers. A unit opened.\n"
                        "\t2\tGovernments cooperate.\tNo\nSubmitted\t2021-02-26\n\n"
                        "# Contacts\n\nFocal point\tA. Ben Salah\tfocal@example.org\n")  # the hidden sheet left out


def test_a_reply_filled_into_a_workbook_template_reads_as_the_form(form, texts):
    """The issue named on its first row only, a row a recommendation, a comment with a line
    typed into its cell (Alt+Enter), one left blank."""
    rows = [["UNODC – Commission on Narcotic Drugs: questionnaire"], ["Issue", "No.", "Recommendation",
                                                                      "Action taken (Yes/No)", "Comments"]]
    for issue, count in ISSUES:
        for n in range(1, count + 1):
            comment = "" if n == 2 else f"The agency acted on {issue}.{n}.\nA second line of {issue}.{n}."
            rows.append([f"Issue {issue}" if n == 1 else None, n, texts[(issue, n)], "No" if n == 2 else "Yes", comment])
    text = xlsx_extract(workbook(rows, contacts=False), "x").text
    got = answers(read(text, form, "reply.xlsx"))
    assert len(got) == 16
    assert got[("I", 1)] == ("yes", "The agency acted on I.1. A second line of I.1.")
    assert got[("II", 2)] == ("no", "")
    assert got[("IV", 4)] == ("yes", "The agency acted on IV.4. A second line of IV.4.")


def test_an_empty_workbook_is_no_document():
    with pytest.raises(ExtractionError, match="the XLSX has no text in its sheets"):
        xlsx_extract(workbook([], contacts=False), "x")
