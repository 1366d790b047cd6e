"""The masthead of a UN document is told apart by its own lines, and no other text is taken for it."""
from __future__ import annotations

from indexer.parsers.masthead import masthead_ranges, outside_masthead

MASTHEAD = ("United Nations DP/2025/3\r\nExecutive Board of the\r\nUnited Nations Development Programme\r\n"
            "Distr.: General\r\n2 December 2024 \r\nOriginal: English\r\n24-22638X (E) 091224\r\n*2422638*\r\n"
            "First regular session 2025\r\nReport of the Administrator\r\nSummary\r\n"
            "In July 2024, the Board issued its report on 2 December 2024 in English.\r\n\fPage two")


def test_the_masthead_lines_are_found_and_the_rest_is_not():
    found = [MASTHEAD[a:b].strip() for a, b in masthead_ranges(MASTHEAD)]
    assert found == ["Distr.: General", "2 December 2024", "Original: English", "24-22638X (E) 091224", "*2422638*"]


def test_a_body_sharing_the_distribution_line_keeps_its_name():
    doc = "United Nations S/2025/303\nSecurity Council Distr.: General\n12 May 2025\nOriginal: English\nLetter of 9 May\f"
    assert [doc[a:b] for a, b in masthead_ranges(doc)] == ["Distr.: General", "12 May 2025", "Original: English"]


def test_without_a_distribution_line_there_is_no_masthead():
    """A date and a language alone are text: a report's own "2 December 2024" line stays a sentence."""
    assert masthead_ranges("Report\n2 December 2024\nEnglish\nThe Board met.\f") == []
    assert masthead_ranges("Distr.: General\n\fon page two\n2 December 2024\nOriginal: English") == \
        [(0, len("Distr.: General"))]  # only the first page holds a masthead


def test_sentences_are_cut_at_the_masthead_and_its_lines_dropped():
    text = "Executive Board Distr.: General 2 December 2024 Original: English First regular session. It met."
    offsets = [(0, 0, len(text))]  # the passage's text is the file's, one run
    ranges = [(text.index("Distr."), text.index(" 2 December")), (text.index("2 December"), text.index(" Original")),
              (text.index("Original"), text.index(" First"))]
    spans = [(0, text.index(" It met.")), (text.index("It met."), len(text))]
    assert [text[a:b] for a, b in outside_masthead(text, offsets, spans, ranges)] == \
        ["Executive Board", "First regular session.", "It met."]


def test_the_masthead_of_other_prints_is_found():
    """Vienna's print job, a cover page before the masthead, the older two-line "Distr.\nGENERAL",
    a non-breaking space, a date on the distribution's line."""
    vienna = "Distr.: General\n3 March 2025\nOriginal: English\nV.25-00123 (E)\nThe Commission met.\f"
    assert [vienna[a:b] for a, b in masthead_ranges(vienna)][-1] == "V.25-00123 (E)"
    covered = "Report of the Commission\f" + vienna
    assert [covered[a:b] for a, b in masthead_ranges(covered)] == [vienna[a:b] for a, b in masthead_ranges(vienna)]
    older = "Distr.\nGENERAL\n\nE/CN.7/1999/3\n12 January 1999\nORIGINAL: ENGLISH\nThe Commission met.\f"
    assert [older[a:b] for a, b in masthead_ranges(older)][0] == "Distr.\nGENERAL"
    one_line = "Distr.:\u00a0General 2 January 2025\nOriginal:\u00a0English\nThe Board met.\f"
    assert [one_line[a:b] for a, b in masthead_ranges(one_line)] == \
        ["Distr.:\u00a0General 2 January 2025", "Original:\u00a0English"]
    assert masthead_ranges("The Board met.\f\f\fDistr.: General\f") == []  # past the first three pages
