"""A reply's own words for its marks, as its legend defines them: "Green | Implemented: action has
been taken", "Amber | In progress: …", "Red | No action taken", then "Recommendation 1.2 Green"
over each recommendation's text. A word the legend defines by a status the marks know
(block_line.STATUS: "Implemented", "No action taken") marks so beside a recommendation's number;
one defined otherwise ("In progress", "No status was reported") marks nothing. A legend defines
at least one word for yes and one for no; else there is none. Pure: text in, marks out.
"""
from __future__ import annotations

import re

from indexer.parsers.block_line import NUMBER_ALONE, badge, number_line, plain
from indexer.parsers.marks import YES_OR_NO

# a legend's row: a word or two (capitalised; in a Markdown table's cell, a list's item, in bold), then a tab, a
# pipe, a colon, an equals sign or a dash, then its meaning ("Green\tImplemented: …", "| **Green** | Implemented … |",
# "- Green – Implemented …", "**Green**: Implemented …")
ROW = re.compile(r"^[ \t]*(?:[|*+-][ \t]+|\|[ \t]*)?(?:\*\*|__)?([A-Z][^\W\d_]*(?: [^\W\d_]+)?)(?:\*\*|__)?:?(?:\*\*|__)?"
                 r"[ \t]*(?:\t|\||[ \t]*[:=–—][ \t]*|[ \t]+-[ \t]+)[ \t]*(?:\*\*|__)?(\S.*?)[ \t|]*$", re.M)


def mark_legend(doc: str) -> dict[str, str]:
    """Each word the reply's legend defines (lower-cased) and the mark it stands for ("unknown":
    none). Rows defining no mark count only beside rows that do: a table of terms is no legend."""
    found: dict[str, str] = {}
    for row in ROW.finditer(doc):
        word = row.group(1).strip()
        if word.lower() in YES_OR_NO or badge(word) is not None:
            continue  # (a status or a mark word itself: a table's row, no word of the reply's own)
        mark = badge(re.split(r"[:;,.(]", row.group(2))[0].strip())  # "Implemented: action has been taken"
        found.setdefault(word.lower(), mark or "unknown")  # ("In progress: …": a word of the legend's, no mark)
    return found if {"yes", "no"} <= set(found.values()) else {}


def without_legend_word(line: str, legend: dict[str, str]) -> tuple[str, str | None]:
    """A number line with the legend's word after the number, that word off ("Recommendation 1.2
    Green" -> "Recommendation 1.2"), and the mark it stands for (None: no legend word there)."""
    bare = plain(line).strip()
    for word, mark in legend.items():
        if bare.lower().endswith(" " + word) and NUMBER_ALONE.match(bare[:-len(word)].strip()):
            return bare[:-len(word)].rstrip(), mark
    return bare, None


def legend_mark(doc: str, start: int, legend: dict[str, str]) -> str | None:
    """The mark the legend's word gives on the recommendation's number line (block_line.number_line)."""
    mark = without_legend_word(number_line(doc, start), legend)[1] if legend else None
    return None if mark == "unknown" else mark
