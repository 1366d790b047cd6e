"""Documents nobody wrote a parser for: cut along the signals the text itself gives.

Extracted PDF text has no blank lines between paragraphs and Markdown exported from other
systems has no reliable ones, so this parser reads lines, not paragraphs. Each line is a
heading ("1.2 Scope", "II. Conclusions", "Article 5", "# Title", a short all-caps line), the
start of a numbered paragraph, recommendation or list item ("12.", "101.8.", "(a)", "-"), a
table row, or the continuation of what came before. Blocks (a paragraph, an item, a table)
are grouped into passages within the token budget, never across a section, each with its
heading path. Pure: text and the ranges a page layout added in, passages out.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from indexer.formats.page_lines import PageLayout
from indexer.models import Document, Passage, Span
from indexer.parsers.packing import groups, mapped as packed
from indexer.text import clean, count_tokens, slug

KEYWORD = re.compile(r"^(?P<kw>part|book|title|chapter|section|article|annex|appendix|schedule|"
                     r"titre|chapitre|artikel|hoofdstuk|titel|afdeling|deel|bijlage)\s+"
                     r"(?P<num>\d{1,3}[a-z]?|[IVXLC]{1,6}|[A-Z])\b[.:]?\s*(?P<rest>.*)$", re.I)
KEYWORD_LEVEL = {"part": 1, "book": 1, "annex": 1, "appendix": 1, "schedule": 1, "title": 2, "chapter": 2,
                 "section": 3, "article": 4, "titre": 2, "chapitre": 2, "artikel": 4, "hoofdstuk": 2, "titel": 2,
                 "afdeling": 3, "deel": 1, "bijlage": 1}
ROMAN = re.compile(r"^(?P<num>[IVXL]{1,6})(?:\.\s*|\s+|$)(?P<rest>.*)$")
LETTER = re.compile(r"^(?P<num>[A-Z])\.\s+(?P<rest>\S.*)$")
DECIMAL = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3}){0,4})(?:\.(?=\s)|(?=\s))\s*(?P<rest>\S.*)?$")
ITEM = re.compile(r"^(?:\((?:[a-z]{1,2}|[ivxl]{1,5}|\d{1,2})\)|(?:[a-z]|\d{1,2})\)|[-•*▪◦–](?=\s))")
NUMBERED_ITEM = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.\s")  # "12. …", "100.3. …": a numbered paragraph or list item
MARKDOWN = re.compile(r"^(?P<hashes>#{1,6})[ \t]*(?P<rest>[^#\s].*?)[ \t#]*$")
# dot leaders, then a page number (or paragraphs "5–99" and a page, or a roman page "iv")
TOC_LINE = re.compile(r"(?:\.\s?){4,}\s*\d+\s*$|(?:\.\s?){8,}[\s\d–\-ivxlc.]{0,16}$|"
                      r"(?:\.\s?){8,}\s*(?:[ivxlc]{1,6}|\d{1,3})\s")
# a figure's, a map's or a table's label ("Figure II", "Map 2", "Table 1. Status of …") names what
# stands beside the text, not a section of it: the paragraphs after the figure are not under it
CAPTION = re.compile(r"^(?:Figure|Fig\.|Map|Table|Chart|Graph|Box|Diagram|Photo)\s+(?:[IVXL]{1,5}|\d{1,3})\b")
TAG_LINE = re.compile(r"^\s*</?[a-zA-Z][^>]*>\s*$")
SENTENCE_END = tuple('.!?;:"”’)»]')
LINE = re.compile(r"[^\r\n\f]*")
RUN_ON = {"and", "or", "of", "the", "in", "to", "for", "a", "an", "with", "by", "on", "at", "that", "which", "its",
          "their", "as", "from", "is", "are", "was", "were", "be", "has", "have", "had", "its", "this", "these"}


@dataclass
class Line:
    start: int
    end: int
    text: str
    blank_before: bool


@dataclass
class Heading:
    level: int
    title: str
    number: str | None
    structured: bool


@dataclass
class Section:
    heading: list[str]
    key: str
    blocks: list[list[Line]] = field(default_factory=list)
    numbers: list[list[str]] = field(default_factory=list)  # paragraph numbers each block starts with
    heading_line: int = -1  # where its heading stands, to join 'Article 5' with the title line after it


def lines_of(doc: str, drop: list[tuple[int, int]]) -> list[Line]:
    """Non-blank lines without their running headers and footers, trailing space trimmed."""
    merged: list[list[int]] = []  # disjoint, sorted: a line inside one is not the document's
    for a, b in sorted(drop):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [m[0] for m in merged]
    out: list[Line] = []
    blank = True
    for m in LINE.finditer(doc):
        a, b = m.start(), m.end()
        while b > a and doc[b - 1] in " \t":
            b -= 1
        if a == b and m.end() == m.start():
            continue
        i = bisect.bisect_right(starts, a) - 1
        if i >= 0 and merged[i][1] >= b:
            continue  # a running header, footer, page number or footnote
        text = doc[a:b]
        if not text.strip():
            blank = True
            continue
        out.append(Line(a, b, text, blank))
        blank = False
    return out


def _without_contents(lines) -> list[Line]:
    """Lines without the table of contents (an entry ends in dot leaders and a page number; the
    lines wrapped before it belong to it) and without lone markup tags (<meta …>)."""
    out: list[Line] = []
    pending: list[Line] = []
    removed = False
    for line in lines:
        if TOC_LINE.search(line.text) or TAG_LINE.match(line.text):
            pending, removed = [], True
            continue
        if removed:  # what follows a removed line starts afresh: no block spans what was left out
            line.blank_before, removed = True, False
        pending.append(line)
        if len(pending) > 5 or line.text.rstrip().endswith((".", ";", ":")):
            out.extend(pending)
            pending = []
    return out + pending


def typical_width(lines: list[Line]) -> int:
    """The width of a full line (80th percentile): a shorter line ending a sentence ends a paragraph."""
    widths = sorted(len(x.text) for x in lines if len(x.text) >= 20)
    return widths[int(len(widths) * 0.8)] if widths else 80


def _plain_heading_shape(t: str, width: int) -> bool:
    letters = [c for c in t if c.isalpha()]
    if not letters or not t[:1].isupper() or t.endswith(SENTENCE_END + (",",)) or ": " in t or "http" in t:
        return False
    if len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.9 * len(letters) and len(t) <= 100:
        return True  # a short all-caps line
    return len(t) <= min(80, int(0.6 * width))


def heading_of(t: str, width: int, opens: bool, closes: bool) -> Heading | None:
    """The heading a line is, if any. `opens`: the line before ended a block; `closes`: the
    line after starts one (a heading stands alone between the two)."""
    t = t.strip().strip("*").strip()
    m = MARKDOWN.match(t)
    if not t or len(t) > (300 if m else 160) or (not m and _table(t)):
        return None
    if m:
        inner = heading_of(m.group("rest"), width, True, True)
        level = len(m.group("hashes"))
        title = re.sub(r"\s+", " ", m.group("rest").strip("* "))
        return Heading(inner.level if inner and inner.number else level, title, inner.number if inner else None, True)
    if not (opens and closes) or t.rsplit(None, 1)[-1].lower() in RUN_ON:
        return None
    short = not t.endswith(SENTENCE_END + (",",)) and len(t) <= min(120, int(0.8 * width))
    m = KEYWORD.match(t)
    if m and short:
        return Heading(KEYWORD_LEVEL[m.group("kw").lower()], re.sub(r"\s+", " ", t),
                       f"{m.group('kw').lower()}-{m.group('num').lower()}", True)
    m = ROMAN.match(t)
    if m and short and (not m.group("rest") or m.group("rest")[:1].isupper()):
        return Heading(2, re.sub(r"\s+", " ", t), m.group("num").lower(), True)
    m = LETTER.match(t)
    if m and short:
        return Heading(3, re.sub(r"\s+", " ", t), None, True)
    m = DECIMAL.match(t)
    if m:
        rest = m.group("rest") or ""
        if short and rest[:1].isupper() and len(rest) <= 100:
            return Heading(4 + m.group("num").count("."), re.sub(r"\s+", " ", t), "s" + m.group("num"), True)
        return None
    if ITEM.match(t) or TOC_LINE.search(t) or CAPTION.match(t):
        return None
    return Heading(0, re.sub(r"\s+", " ", t), None, False) if _plain_heading_shape(t, width) else None


def _starts_block(t: str, stop: bool = True) -> bool:
    """A line that opens a block whatever came before ('12. …', '(a) …', a table row), or, after
    a sentence end, one that opens a block only there ('Article 5', 'A. …', '12 …')."""
    t = t.strip()
    if MARKDOWN.match(t) or ITEM.match(t) or "\t" in t or t.startswith("|") or NUMBERED_ITEM.match(t):
        return True
    return stop and bool(KEYWORD.match(t) or LETTER.match(t) or DECIMAL.match(t))


def _number(t: str) -> str | None:
    m = DECIMAL.match(t.strip())
    return m.group("num") if m and m.group("rest") else None


def _table(t: str) -> bool:
    return t.lstrip().startswith("|") or len([c for c in t.split("\t") if c.strip()]) >= 2


def sections_of(doc: str, drop: list[tuple[int, int]]) -> list[Section]:
    lines = _without_contents(lines_of(doc, drop))
    width = typical_width(lines)
    sections = [Section(heading=[], key="front")]
    stack: list[Heading] = []
    keys: dict[str, int] = {}
    previous: Line | None = None
    for i, line in enumerate(lines):
        t = line.text.strip()
        stop = previous is None or line.blank_before or previous.text.rstrip().endswith(SENTENCE_END)
        ended = stop and (previous is None or line.blank_before or len(previous.text) < 0.85 * width)
        after = lines[i + 1] if i + 1 < len(lines) else None
        closes = after is None or after.blank_before or _starts_block(after.text) or (
            after.text.strip()[:1].isupper() and len(line.text) < 0.75 * width)
        heading = heading_of(t, width, stop or (previous is not None and _is_heading_line(previous, sections)),
                             closes)
        if heading:
            if not heading.structured:
                depth = max((h.level for h in stack if h.structured), default=0)
                heading.level = depth + 1
            joined = _join_label(stack, heading, sections[-1], previous)
            if joined:
                stack[-1] = joined
            else:  # a plain heading never stands above a numbered one
                stack = [h for h in stack if h.level < heading.level and (h.structured or not heading.structured)]
                stack.append(heading)
            if joined:  # same section, fuller title; its key came from the label's number
                sections[-1].heading = [h.title for h in stack]
            else:
                key = _key(stack)
                keys[key] = keys.get(key, 0) + 1
                if keys[key] > 1:
                    key = f"{key}-{keys[key]}"
                sections.append(Section(heading=[h.title for h in stack], key=key))
            sections[-1].heading_line = line.start
            previous = line
            continue
        section = sections[-1]
        new_block = (not section.blocks or ended or _starts_block(t, stop)
                     or _table(t) != _table(section.blocks[-1][-1].text))
        if new_block:
            section.blocks.append([line])
            section.numbers.append([n] if (n := _number(t)) else [])
        else:
            section.blocks[-1].append(line)
        previous = line
    return sections


def _is_heading_line(line: Line, sections: list[Section]) -> bool:
    return sections[-1].heading_line == line.start and not sections[-1].blocks


def _join_label(stack: list[Heading], heading: Heading, section: Section, previous: Line | None) -> Heading | None:
    """'Article 5' then 'Criminalization' on the next line: one heading, 'Article 5 — Criminalization'."""
    if not stack or section.blocks or previous is None or section.heading_line != previous.start:
        return None
    top = stack[-1]
    bare = re.fullmatch(r"(?:(?:part|book|title|chapter|section|article|annex|appendix|schedule|"
                        r"titre|chapitre|artikel|hoofdstuk|titel|afdeling|deel|bijlage)\s+)?"
                        r"(?:\d{1,3}[a-z]?|[IVXLC]{1,6})\.?", top.title, re.I)
    if not bare or heading.number:
        return None
    return Heading(top.level, f"{top.title} — {heading.title}", top.number, True)


def _key(stack: list[Heading]) -> str:
    numbered = [h.number for h in stack if h.number]
    top = stack[-1]
    if top.number:
        return "-".join(numbered[-2:]) if not top.number.startswith("s") else top.number
    return ("-".join(numbered[-1:]) + "-" if numbered else "") + slug(top.title, 40)


LABELLED = re.compile(r"^[ \t]*(?:\d{1,3}(?:\.\d{1,3})*\.[ \t]+)?(?P<label>Department\(s\) responsible|"
                      r"Departments? responsible|Responsible|Status|Priority|(?:Original |Revised )?Target date|Deadline|Competence|Who\?|"
                      r"Action taken|Management response|Timeline)[ \t]*:[ \t]*", re.M | re.I)


# labels (lower case) of the fields that say who acts or by when: what "who …, and by when?" asks
WHO_OR_WHEN_LABEL = re.compile(r"responsible|competence|who\?|target date|deadline|timeline")


def who_or_when_labels(labelled: list[dict]) -> list[int]:
    """Where a passage's labelled fields that say who acts or by when start ('Department(s)
    responsible:', 'Target date:'), as offsets into the document."""
    return [f["start"] for f in labelled if WHO_OR_WHEN_LABEL.search(f["label"])]


NEXT_ITEM = re.compile(r"^[ \t]*(?:\d{1,3}(?:\.\d{1,3})*\.|\([a-z]{1,2}\))[ \t]+", re.M)


def _labelled(doc: str, spans: list[tuple[int, int]], drop: list[tuple[int, int]]) -> list[dict]:
    """'Status: Under implementation', 'Target date: …', 'Management response: …' lines: what a
    recommendation-and-follow-up layout says of each item, as fields (label, value, offset)."""
    out = []
    for a, b in spans:
        found = list(LABELLED.finditer(doc, a, b))
        for m, nxt in zip(found, found[1:] + [None]):
            end = nxt.start() if nxt else b
            item = NEXT_ITEM.search(doc, m.end(), end)  # the value ends where the next paragraph starts
            end = item.start() if item else end
            value = clean(doc, [(m.end(), end)], drop=drop).text
            if value:
                out.append({"label": re.sub(r"\s+", " ", m.group("label")).lower(), "value": value,
                            "start": m.start("label")})
    return out


def parse_general(doc: str, document: Document, token_budget: int = 200,
                  drop: list[tuple[int, int]] | None = None,
                  notes: list[tuple[int, int, str]] | None = None,
                  marks: list[tuple[int, int, str, int]] | None = None) -> list[Passage]:
    """`drop`: ranges a page added (running lines, hyphens, footnote marks); `notes`: footnote
    bodies, which become passages of their own and are left out of the body text; `marks`:
    where each footnote's number stands in the text (also in `drop`)."""
    notes = notes or []
    note_drop = sorted((drop or []) + [(a, b) for a, b, _ in notes])
    passages = _body(doc, document, token_budget, note_drop)
    passages.extend(_notes(doc, document, sorted(drop or []), notes, passages, marks or []))
    passages.sort(key=lambda p: p.start)  # reading order: a footnote after the text of its page
    for i, p in enumerate(passages):
        p.ordinal = i
    return passages


def with_notes(doc: str, document: Document, body: list[Passage], layout: PageLayout | None) -> list[Passage]:
    """A document read by another parser (a questionnaire reply), its page's footnotes after its
    passages, each a passage of its own as here: the body's readers leave them out of its text."""
    if layout is None or not layout.notes:
        return body
    return body + _notes(doc, document, sorted(layout.drop), layout.notes, body, layout.marks)


def _holder(body: list[Passage], offset: int) -> str | None:
    return next((p.id for p in body if p.spans[0].start <= offset <= p.spans[-1].end), None)


def _notes(doc: str, document: Document, drop: list[tuple[int, int]], notes: list[tuple[int, int, str]],
           body: list[Passage], marks: list[tuple[int, int, str, int]]) -> list[Passage]:
    """Each footnote a passage: its number, the passage on whose page it stands, and (when its
    mark was found) the passage that carries the mark and the mark's offset."""
    out: list[Passage] = []
    seen: dict[str, int] = {}
    for a, b, number in notes:
        mapped = clean(doc, [(a, b)], drop=drop)
        if not mapped.text.strip():
            continue
        seen[number] = seen.get(number, 0) + 1
        key = "star" if number.startswith("*") else number
        pid = f"{document.id}:footnote-{key}" + (f"-{seen[number]}" if seen[number] > 1 else "")
        fields: dict = {"number": number, "on_page_of": _holder(body, a)}
        mark = next((m for m in marks if m[3] == a), None)  # found on this footnote's own page
        if mark is not None:
            fields["ref_offset"] = mark[1] - len(number)  # the digits (a spaced mark's range holds its space)
            fields["ref_passage"] = _holder(body, fields["ref_offset"])
        out.append(Passage(
            id=pid, document_id=document.id, type="footnote", heading=[f"Footnote {number}"], country=document.country,
            kind=document.kind, spans=[Span(start=a, end=b)], text=mapped.text, offsets=mapped.runs(),
            tokens=count_tokens(mapped.text), label=f"{document.title}, footnote {number}",
            ordinal=len(body) + len(out), fields=fields))
    return out


def _body(doc: str, document: Document, token_budget: int, drop: list[tuple[int, int]]) -> list[Passage]:
    passages: list[Passage] = []
    for section in sections_of(doc, drop):
        label = f"{document.title}, {section.heading[-1]}" if section.heading else document.title
        for i, (pieces, numbers) in enumerate(groups(doc, section.blocks, section.numbers, drop, token_budget), 1):
            spans, mapped = packed(doc, pieces, drop)
            if not mapped.text.strip():
                continue
            fields = {"paragraphs": numbers} if numbers else {}
            labelled = _labelled(doc, spans, drop)
            if labelled:
                fields["labelled"] = labelled
            passages.append(Passage(
                id=f"{document.id}:{section.key}:p{i}", document_id=document.id, type="section",
                heading=section.heading, country=document.country, kind=document.kind,
                spans=[Span(start=a, end=b) for a, b in spans], text=mapped.text, offsets=mapped.runs(),
                tokens=count_tokens(mapped.text), label=label, ordinal=len(passages), fields=fields))
    return passages
