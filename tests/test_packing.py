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
