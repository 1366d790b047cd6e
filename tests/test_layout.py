"""A paged document's line that stops short with no full stop (a heading, a title's line, a
table's row) ends its sentence, and is no answer on its own; a paragraph's wrapped lines are
read on as one sentence."""
from __future__ import annotations

from indexer.parsers.layout import at_stopped_lines, without_headings
from indexer.text import clean, sentences

BODY = ("In July 2024, the United Nations Board of Auditors formally issued its audit report for UNDP\n"
        "and awarded UNDP an unqualified (clean) audit opinion for the year ended 31 December 2023 and\n"
        "this is the twelfth full year of reporting under International Public Sector Accounting rules.\n"
        "Transparency and accountability for results and impact continue to be the top priority of it.\n")
TITLE = ("First regular session 2025\n27 to 31 January 2025, New York\nItem 2 of the provisional agenda\n"
         "Recommendations of the\nBoard of Auditors\nReport of the UNDP Administrator\nSummary\n")


def passage(doc: str, start: int, end: int) -> tuple[str, list[tuple[int, int, int]]]:
    """A passage over the file range, as the general parser makes one: its lines joined."""
    mapped = clean(doc, [(start, end)])
    return mapped.text, mapped.runs()


def cut(doc: str) -> list[str]:
    """The sentences of a passage over the document's first page."""
    text, runs = passage(doc, 0, doc.index("\f"))
    return [text[a:b] for a, b in sentences_of(text, runs, doc)]


def sentences_of(text: str, runs: list[tuple[int, int, int]], doc: str) -> list[tuple[int, int]]:
    """As the build reads a paged passage: cut at stopped lines, headings left out."""
    return without_headings(text, runs, at_stopped_lines(text, runs, sentences(text), doc), doc)


def test_a_title_block_is_no_run_on_and_its_lines_no_answers():
    found = cut(TITLE + BODY + "\f")
    assert found[0].startswith("In July 2024, the United Nations Board of Auditors")  # not "… Summary In July 2024"
    assert found[0].endswith("Public Sector Accounting rules.")  # wrapped lines of a paragraph read on
    assert found[1].startswith("Transparency and accountability")
    assert not [s for s in found if "Summary" in s or "Administrator" in s or "session 2025" in s]


def test_a_line_that_carries_its_sentence_on_or_only_numbers_is_not_cut():
    doc = ("Report on the recommendations of the United Nations\nBoard of Auditors, and of the Administrator\n"
           "8.\nThe Board made 30 new recommendations in its report on the year that ended in December.\n" + BODY + "\f")
    found = cut(doc)
    assert found[0] == "8. The Board made 30 new recommendations in its report on the year that ended in December."
    assert found[1].endswith("International Public Sector Accounting rules.")
    # a title over two short lines is no answer, and "… of the" carried it on: not two headings
    assert not [s for s in found if "Administrator" in s]
    # a short line that ends its sentence stays an answer: "The Board met." is no heading
    assert "The Board met." in cut("The Board met.\n" + BODY + "\f")


def test_text_without_pages_is_left_as_the_splitter_reads_it():
    text = TITLE + BODY  # a text file: no page width to measure, paragraphs are told by blank lines
    spans = sentences(text)
    assert at_stopped_lines(text, [(0, 0, len(text))], spans, text) == spans
    assert without_headings(text, [(0, 0, len(text))], spans, text) == spans


def test_a_passage_of_headings_only_keeps_them():
    """A table's rows are lines that stop short; a passage of nothing else still has sentences."""
    rows = "Finance (#53, 61) 2 1 1\nProgramme (#299) 1 - 1\nTotal 10 3 7\nPercentage 100% 30% 70%\n"
    doc = BODY + "\f" + rows + BODY + "\f"
    text, runs = passage(doc, doc.index(rows), doc.index(rows) + len(rows))
    assert [text[a:b] for a, b in sentences_of(text, runs, doc)] == \
        ["Finance (#53, 61) 2 1 1", "Programme (#299) 1 - 1", "Total 10 3 7", "Percentage 100% 30% 70%"]


def test_a_long_line_alone_before_a_numbered_paragraph_heads_it():
    """A heading as wide as the text still stands alone: after a finished sentence, before a
    numbered paragraph, with no full stop of its own."""
    heading = "Firearms and ammunition seizures involving Haiti and the Dominican Republic and the region\n"
    doc = BODY + heading + "22. Haitian and Dominican authorities have made a string of high-profile seizures in\n" \
        "recent months, suggesting that both trafficking activity and law enforcement are intensifying.\n\f"
    found = cut(doc)
    assert found[-1].startswith("22. Haitian and Dominican authorities")
    assert not [s for s in found if "Firearms and ammunition seizures" in s]


def test_a_sentence_that_begins_or_ends_mid_line_is_no_heading():
    """A short line with no full stop cuts the sentence after it, but the sentences on it that
    start or end mid-line are text: "In March 2025, the General / Directorate of Migration …"
    keeps its date and subject, and a list item or a lead-in ending ";" or ":" is kept."""
    doc = BODY + "in an irregular situation. In March 2025, the General\n" \
        "Directorate of Migration brought 17 people to justice for trafficking in persons last year.\n" \
        "The agenda was as follows:\n1. Election of officers and the adoption of the agenda of the session.\n" \
        "(ii) Joint patrols;\n" + BODY + "\f"
    found = " | ".join(cut(doc))
    assert "in an irregular situation." in found and "In March 2025, the General" in found
    assert "The agenda was as follows:" in found and "(ii) Joint patrols;" in found


def test_a_running_header_or_a_footnote_mark_does_not_cut_a_sentence():
    """A running header the passage leaves out is no line of it, and the piece of a line after
    a footnote mark (pdfium breaks the line there) is short because the mark cut it."""
    doc = BODY + "protect minorities and consider ratifying the\n\fA/HRC/18/3\n6 GE.11-14583\n" \
        "Council of Europe Framework Convention for the Protection of National Minorities.\n" + BODY + "\f"
    header = (doc.index("A/HRC"), doc.index("Council"))
    mapped = clean(doc, [(0, len(doc) - 1)], drop=[header])  # as the general parser leaves the header out
    text = mapped.text
    found = [text[a:b] for a, b in sentences_of(text, mapped.runs(), doc)]
    assert "A/HRC" not in text
    assert any("consider ratifying the Council of Europe Framework Convention" in s for s in found)
    marked = BODY + "the Protocol, 4\nthe Convention on\nPsychotropic Substances of 19715\n" \
        "and the United Nations Convention against Illicit\nTraffic in Narcotic Drugs and Psychotropic Substances.\n" \
        + BODY + "\f"
    assert any("against Illicit Traffic in Narcotic Drugs" in s for s in cut(marked))
    after_a_word = BODY + "led to the arrest of three\nmen and three women 45\n in an irregular situation. In March 2025, the General\n" \
        "Directorate of Migration brought to justice 17 individuals for trafficking in persons and more.\n" + BODY + "\f"
    assert any("In March 2025, the General Directorate of Migration brought" in s for s in cut(after_a_word))
    opening = after_a_word.index(" in an irregular")  # the piece opens a passage: the mark ended the one before
    text, runs = passage(after_a_word, opening, after_a_word.index("\f"))
    found = [text[a:b] for a, b in sentences_of(text, runs, after_a_word)]
    assert any("In March 2025, the General Directorate of Migration brought" in s for s in found)


def test_a_paragraph_keeps_its_number_where_no_line_stops():
    doc = BODY + "166.\nIn section I of its resolution 1999/30, the Economic and Social Council decided that the\n" \
        "Commission should, at the end of each session, elect its Bureau for the subsequent session.\n" + BODY + "\f"
    assert "166. In section I of its resolution 1999/30, the Economic and Social Council decided that the " \
        "Commission should, at the end of each session, elect its Bureau for the subsequent session." in cut(doc)


def test_list_items_and_table_rows_stay_answers():
    """A list's items and a table's rows are short lines with no full stop too, but they head
    nothing: "1. Review all project documents before extension" and the row naming the Chair
    are what a question may be answered with."""
    doc = BODY + "UNDP will take the following measures in the coming year to address the recommendation:\n" \
        "1. Review all project documents before extension\n2. Strengthen oversight of the country offices\n" \
        "3. Report on progress to the Executive Board\n" + BODY + "\f"
    found = cut(doc)
    assert "1. Review all project documents before extension" in found
    assert "3. Report on progress to the Executive Board" in found
    rows = BODY + "Chair Asia-Pacific States Shambhu Kumaran (India)\n" \
        "First Vice-Chair Eastern European States Andranik Hovhannisyan (Armenia), Vice-Chair\n" \
        "Second Vice-Chair Western European and\nother States Peter Potman (Netherlands)\n" \
        "Rapporteur African States Ivan Petrov (Bulgaria)\n" + BODY + "\f"  # rows as the CND report prints them
    assert "Chair Asia-Pacific States Shambhu Kumaran (India)" in cut(rows)
    assert "Rapporteur African States Ivan Petrov (Bulgaria)" in cut(rows)  # the last row, a paragraph after it


def test_a_heading_after_a_sentence_and_its_mark_is_cut_from_the_paragraph():
    """A footnote mark after a full stop ends a sentence: the heading after it is no piece of
    that line, and heads the paragraph on its own."""
    doc = BODY + "The Board noted gaps in the oversight of the country offices.12\nManagement of programmes\n" \
        "The Board noted that the management of programmes and projects had improved over the year.\n" + BODY + "\f"
    found = cut(doc)
    assert "The Board noted that the management of programmes and projects had improved over the year." in found
    assert not [s for s in found if s.startswith("Management of programmes")]


def test_a_records_fields_end_at_the_next_numbered_paragraph():
    doc = BODY + "Department(s) responsible: Office of Financial Management\nStatus: Under implementation\n" \
        "Original target date: Second quarter of 2023\nTarget date: First quarter of 2025\n" \
        "25. Management response: UNDP is reviewing and updating its internal rules concerning reserves.\n" + BODY + "\f"
    found = cut(doc)
    assert any(s.startswith("Department(s) responsible") and s.endswith("Target date: First quarter of 2025")
               and "Original target date: Second quarter of 2023" in s for s in found)
    assert any(s.startswith("25. Management response: UNDP is reviewing") for s in found)


def test_running_lines_that_carry_the_page_number_leave_the_text_though_their_words_change():
    """A manual's or a report's running head names its chapter and the page ("Chapter 2:
    Structures 3", "Chapter 3: Utilities 6"): no one line repeats on half the pages, but its
    number goes up with the page. Chapter 1's heading on page 1, numbered like the page, stays;
    so does a note ending a page ("4 See the report.") and a year ("… of 2023")."""
    pages = ["1\n1 Introduction\nThis library parses structures.\n",
             "2\n2 Structures\nThe parser is case sensitive.\n",
             "Chapter 2: Structures 3\nTypes are listed here.\n4 See the report.\n",
             "Chapter 2: Structures 4\nNaming comes next.\nRevised target date: quarter of 2023\n",
             "5\n3 Utilities\nThe parser reads one file.\n",
             "Chapter 3: Utilities 6\nOptions are given below.\n"]
    assert running_lines(pages) == {"1", "2", "5", "Chapter 2: Structures 3", "Chapter 2: Structures 4", "Chapter 3: Utilities 6"}


def test_a_page_numbered_by_page_n_keeps_its_heading_and_a_note_at_its_foot_stays():
    """"Page 1" numbers the page: the "1 Introduction" under it is chapter 1's heading. A note at
    a page's foot whose number happens to be the page's ("3 UNODC, World Drug Report 2023") is no
    running line: the running heads carry the number after their words, at the top."""
    pages = ["Page 1\n1 Introduction\nThis library parses structures.\n",
             "Page 2\n2 Structures\nThe parser is case sensitive.\n",
             "Chapter 2: Structures 3\nTypes are listed here.\n3 UNODC, World Drug Report 2023\n",
             "Chapter 2: Structures 4\nNaming comes next.\n",
             "Page 5\n3 Utilities\nThe parser reads one file.\n",
             "Chapter 3: Utilities 6\nOptions are given below.\n"]
    assert running_lines(pages) == {"Page 1", "Page 2", "Page 5", "Chapter 2: Structures 3", "Chapter 2: Structures 4",
                       "Chapter 3: Utilities 6"}


def running_lines(pages: list[str]) -> set[str]:
    """The lines page_layout leaves out as running lines, of pages joined by form feeds."""
    from indexer.formats.layout import page_layout

    text = "\f".join(pages)
    starts = [sum(len(p) + 1 for p in pages[:i]) for i in range(len(pages))]
    return {text[a:b] for a, b in page_layout(text, starts).running}


def test_a_letterhead_of_several_lines_leaves_every_page_and_a_repeated_answer_line_stays():
    """A ministry's letterhead runs five lines deep at the top of every page, its last carrying
    the page number: every one of its lines is a running line, not the comment that a page
    break falls in. A line that recurs near the top of most pages but not at the same place
    ("Action taken: ☒ Yes ☐ No", an answer's own) is not."""
    from indexer.formats.layout import page_layout

    words = "alpha beta gamma delta epsilon zeta".split()  # (digits would make lines alike: "page 2", "page 3")
    head = ["The Hashemite Kingdom of Jordan", "Al-Mamlaka al-Urduniyya al-Hashimiyya",
            "Public Security Directorate – Anti-Narcotics Department",
            "Mudiriyyat al-Amn al-Aam – Idarat Mukafahat al-Mukhaddirat", "CND/Q/2020 – JOR - {n} -"]
    pages = []
    for n in range(1, 5):
        body = [f"The comment on page {words[n]} goes on, line {words[k]}." for k in range(n - 1)] + [
            "Action taken: ☒ Yes ☐ No"] + [f"Comments: {words[k]} officers were trained, {words[n]}." for k in range(5)]
        pages.append("\r\n".join([line.format(n=n) for line in head] + body))
    text = "\f".join(pages)
    starts = [0]
    for page in pages[:-1]:
        starts.append(starts[-1] + len(page) + 1)
    running = {text[a:b].strip() for a, b in page_layout(text, starts).running}
    assert {line.format(n=n) for line in head for n in range(1, 5)} <= running
    assert "Action taken: ☒ Yes ☐ No" not in running and not any("comment" in line for line in running)
