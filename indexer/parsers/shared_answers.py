"""One answer for several recommendations: "Recommendations 1, 2 and 3:" over their texts, each
opening "(1)", "(2)", "(3)", then one "Action taken: YES (all three)" and one comment; or
"Recommendations II.1–II.3". Each recommendation named is answered so: the reply's mark and
comment are each one's, its own text the item numbered for it (or, unnumbered, all of them).
Pure: text and offsets in, spans out.
"""
from __future__ import annotations

import re

from indexer.parsers.questionnaire_labels import DASH_OR_COLON, EMPHASIS, HEADING_MARK, LINE_END, OUTLINE, REC_WORD

_ONE = r"(?:[IVX]+\.)?\d+"  # "3", "II.3"
_MORE = rf"{_ONE}(?:[ \t]*(?:,[ \t]*(?:and|&)?|and|&|to|[–—-])[ \t]*{_ONE})+"  # "1, 2 and 3", "1, 2, and 3",
#                                                                  "II.1–II.3", "II.1–3", "1 to 3"
SHARED = re.compile(rf"{HEADING_MARK}{OUTLINE}{REC_WORD}s[ \t]+({_MORE})(?:\.?{EMPHASIS}{LINE_END}|{EMPHASIS}{DASH_OR_COLON})",
                    re.M | re.I)
MAX_SHARED = 12  # a range naming more is no reply's shared answer ("Recommendations 1 to 300")


def numbers_named(label: str) -> list[str]:
    """The recommendations a shared label names, in order: "1, 2 and 3" and "1–3" give 1, 2, 3;
    "II.1–II.3" and "II.1–3" give II.1, II.2, II.3 (a range within one issue)."""
    named: list[str] = []
    parts = re.findall(rf"({_ONE})|([–—-]|\bto\b)", label)
    ranging = False
    for number, dash in parts:
        if dash:
            ranging = True
            continue
        prefix, _, low = named[-1].rpartition(".") if named else ("", "", "")
        high = number.rpartition(".")[2]
        same_issue = number.rpartition(".")[0] in (prefix, "")  # ("II.1–3": the range's end in the same issue)
        if ranging and same_issue and low.isdigit() and int(low) < int(high) <= int(low) + MAX_SHARED:
            named += [f"{prefix}.{n}" if prefix else str(n) for n in range(int(low) + 1, int(high) + 1)]
        elif not ranging or not same_issue:
            named.append(number)  # (a range across issues names its two ends; one too long, its first)
        ranging = False
    return list(dict.fromkeys(named))[:MAX_SHARED]


def item_spans(doc: str, start: int, end: int, numbers: list[str]) -> dict[str, tuple[int, int]]:
    """Each named recommendation's own text within the shared text: the item opening "(n)" (its
    number, or its last part: "(3)" for II.3) up to the next item; none when an item is missing."""
    items = [(m.group(1), m.start(), m.end()) for m in re.finditer(r"^[ \t]*\((\d+)\)[ \t]+", doc[start:end], re.M)]
    found: dict[str, tuple[int, int]] = {}
    for i, (n, _, text_start) in enumerate(items):
        item_end = items[i + 1][1] if i + 1 < len(items) else end - start
        for number in numbers:
            if number.rpartition(".")[2] == n:
                found[number] = (start + text_start, start + len(doc[start:start + item_end].rstrip()))
    return found if len(found) == len(numbers) else {}
