"""A block over the token budget is cut where a sentence ends, not where a PDF's line does."""
from __future__ import annotations

from indexer.parsers.general import Line
from indexer.parsers.packing import units
from indexer.text import count_tokens

PARAGRAPH = ("In July 2024, the United Nations Board of Auditors formally issued its audit report for UNDP\n"
             "and awarded UNDP an unqualified (clean) audit opinion for the year ended 31 December 2023.\n"
             "This is the twelfth full year of reporting under International Public Sector\n"
             "Accounting Standards, and the opinion reflects the continuing commitment of UNDP to\n"
             "comply with them. This achievement marks 19 consecutive years of unqualified opinions.\n")
PREAMBLE = ("Recalling its resolution 57/3 of 21 March 2014, in which it is stated that prevention\n"
            "interventions are an investment in the well-being of children and their families,\n"
            "Reaffirming the commitment of States parties to achieving the goals of the three international\n"
            "drug control conventions, and to the rights of the child,\n")
NAMES = "".join(f"Ambassador and Permanent Representative of the Republic of Country {n} to the United Nations\n"
                for n in range(8))


def block_of(doc: str) -> list[Line]:
    out, at = [], 0
    for text in doc.splitlines(keepends=True):
        out.append(Line(at, at + len(text.rstrip("\n")), text.rstrip("\n"), False))
        at += len(text)
    return out


def test_a_paragraph_over_the_budget_is_cut_at_its_sentences():
    pieces = [PARAGRAPH[a:b] for a, b in units(PARAGRAPH, block_of(PARAGRAPH), [], 45)]
    assert pieces[0].endswith("for the year ended 31 December 2023.")
    assert " ".join(" ".join(p.split()) for p in pieces).count("International Public Sector Accounting Standards") == 1
    assert all(p.rstrip().endswith(".") for p in pieces)  # the old cut at a line end gave "… Public Sector"


def test_a_preamble_is_cut_at_its_paragraphs_and_a_list_of_names_at_its_lines():
    pieces = [PREAMBLE[a:b] for a, b in units(PREAMBLE, block_of(PREAMBLE), [], 40)]
    assert [p.split()[0] for p in pieces] == ["Recalling", "Reaffirming"]
    pieces = [NAMES[a:b] for a, b in units(NAMES, block_of(NAMES), [], 40)]
    assert len(pieces) == 8 and all(p.startswith("Ambassador") and count_tokens(p) <= 40 for p in pieces)


def test_a_paragraph_with_no_full_stop_is_cut_within_the_budget():
    """Plain text's parser (prose) had kept a paragraph with no sentence end whole: one passage
    of 30,000 tokens, of which the model reads 256. It is cut after commas, then between words,
    as the general parser's packing cuts; the pieces keep every word, in order."""
    from indexer.models import Document
    from indexer.parsers.prose import parse_prose

    doc = "Notes\n\n" + " ".join(f"control{n % 7} evidence treatment border" for n in range(3000)) + "\n"
    passages = parse_prose(doc, Document(id="notes", file="notes.txt", title="Notes", kind="report"), 200)
    assert len(passages) > 50 and all(count_tokens(p.text) <= 200 for p in passages)
    assert " ".join(p.text for p in passages).split() == doc.split()[1:]


def test_a_long_text_is_split_into_the_sentences_pysbd_finds_in_it_whole():
    """pysbd reads a long text in pieces of at most 10,000 characters, cut where a sentence
    plainly ends (its time grows with the text's length times its abbreviations): the sentences
    are those it finds in the text whole."""
    import pysbd

    from indexer.text import SEGMENT_CHARS, sentences

    abbreviations = "See No. 5 of the Art. 3 list, as Mr. Smith and Dr. Jones said of the U.S. Government one."
    text = " ".join([PARAGRAPH.replace("\n", " ")] * 80 + [abbreviations] * 40)
    text = text[:SEGMENT_CHARS - 40] + abbreviations + " " + text[SEGMENT_CHARS - 40:]  # one across the first cut
    assert len(text) > 3 * SEGMENT_CHARS
    whole = [(s.start, s.start + len(s.sent.rstrip())) for s in pysbd.Segmenter(language="en", clean=False,
                                                                            char_span=True).segment(text)]
    assert sentences(text) == [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in whole]


def test_a_line_of_letters_with_no_space_is_read_in_one_pass():
    """A file of a quarter of a million letters and no space, or of hyphenated letters, is read
    for acronyms in one pass: the pattern starts where words do and reads each word once (it had
    tried every position through the run, minutes here and hours for a megabyte; and "a-a-a-…"
    every way of parting its hyphens, 71 s for 80 characters)."""
    from indexer.glossary import harvest

    assert harvest(["a" * 250_000, "a-" * 5000, "The Financial Action Task Force (FATF) met."]) == \
        {"FATF": "financial action task force"}
