"""Action plans, reports and position papers: sections, proposal tables, footnotes.

One pass over the paragraphs classifies each as a heading, a table of contents, a
proposal table, a footnote body, a bibliography entry or body text. Body paragraphs are
grouped into passages within a token budget, never across a section. A page break can
split a sentence and drop footnote bodies into its middle; such a sentence is joined
again (its passage then has several spans) and the footnotes become passages of their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.models import Document, Passage, Span
from indexer.parsers.packing import clauses
from indexer.text import (
    FOOTNOTE_MARK,
    SUPERSCRIPT_DIGITS,
    Paragraph,
    clean,
    count_tokens,
    paragraphs,
    sentences,
    slug,
    strip_span,
    superscript_to_int,
    text_to_file,
)

# A numbered proposal's table: "14 | Proposal | Who? | Deadline", also as plans word it otherwise
# ("Measure", "Action"; "Timeline", "Target date", "When?").
TABLE_HEADER = re.compile(r"^(\d+)\t+(?:Proposal|Measure|Action)\t+([^\t]+?)\t+"
                          r"(?:Deadline|Timeline|Timing|Target date|When\??)[ \t]*$", re.I)
# A proposal's row says who acts (its second column) and by when (its third): what a question
# asking "who …, and by when?" wants, and what the section's prose around it rarely says.
WHO_OR_WHEN_FIELDS = ("competence", "deadline")
NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.[ \t]+\S")
LETTERED = re.compile(r"^([a-h])\.[ \t]+\S")
PARENTHESISED = re.compile(r"^\((?:([a-h])|([ivx]+))\)[ \t]+\S")
MARKDOWN = re.compile(r"^#{1,6}[ \t]+\S")
FOOTNOTE_BODY = re.compile(f"^([{SUPERSCRIPT_DIGITS}]+)(?:[ \t]+|$)")
BIBLIOGRAPHY_ENTRY = re.compile(r"^(?:[-•][ \t]+)?\[(\d+)\]")
BIBLIOGRAPHY_HEADING = re.compile(r"\b(bibliography|references|sources)\b", re.I)
# A position paper's header: "Country: Kingdom of Belgium", "Committee: …", "Topic: …", a
# labelled line each, before anything else. It says what the document is (its manifest entry
# says so too), not what the document says, and would otherwise answer every question on its
# topic with "Topic: Online Drug Trafficking". Only labels that describe a paper count: a report
# opening "Note: …" or "Summary: …" opens with content.
HEADER_LABELS = ("country", "committee", "topic", "delegation", "delegate", "delegates", "school", "author",
                 "authors", "submitted by", "represented by", "date", "subject", "agenda item", "council", "organ")
HEADER_FIELD = re.compile(r"^[ \t]*(?P<label>[A-Za-z]+(?:[ \t][A-Za-z]+)?)[ \t]*:[ \t]+\S[^\n]{0,119}$")
HEADER_FIELDS_MIN = 2
SENTENCE_END = tuple('.!?:;"”’)»]')
URL = re.compile(r"https?://|www\.")
CELL_JOINER = " · "  # between a proposal's table cells in its display text


@dataclass
class Block:
    """A paragraph of body text, possibly joined across a page break."""

    pieces: list[tuple[int, int]]
    refs: list[tuple[int, int]] = field(default_factory=list)  # (footnote number, file offset)


@dataclass
class Section:
    heading: list[str]
    key: str
    blocks: list[Block] = field(default_factory=list)
    bibliography: bool = False


def _single_line(p: Paragraph) -> bool:
    return "\n" not in p.text


def heading_level(p: Paragraph, structured_depth: int) -> int | None:
    """The heading level of a paragraph, or None when it is not a heading."""
    text = p.text.strip("* ")
    if not _single_line(p) or len(text) > 300 or "\t" in text:
        return None
    if MARKDOWN.match(p.text):
        return 1
    m = NUMBERED.match(text)
    if m and not text.endswith(".") and len(text) <= 220:
        return m.group(1).count(".") + 1
    m = PARENTHESISED.match(text)
    if m and not text.endswith("."):
        return 1 if m.group(1) else 2
    if LETTERED.match(text) and len(text) <= 80 and not text.endswith((".", ";", ":")):
        return structured_depth + 1
    plain = (
        len(text) <= 70
        and text[:1].isupper()
        and not text.endswith(SENTENCE_END + (",",))
        and ": " not in text
        and not FOOTNOTE_BODY.match(text)
        and not URL.search(text)
    )
    return structured_depth + 1 if plain else None


def _is_toc(p: Paragraph) -> bool:
    lines = p.text.splitlines()
    return len(lines) >= 3 and sum(bool(re.search(r"\t\d+\s*$", line)) for line in lines) >= 0.6 * len(lines)


def _ends_sentence(doc: str, block: Block) -> bool:
    start, end = block.pieces[-1]
    tail = clean(doc, [(start, end)]).text.rstrip()
    return tail.endswith(SENTENCE_END)


def _refs(doc: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(superscript_to_int(m.group(0)), m.start()) for m in FOOTNOTE_MARK.finditer(doc, start, end)
            if m.start() > start]


def _cells(doc: str, p: Paragraph) -> list[list[tuple[int, int]]]:
    """Rows of a proposal table as lists of (start, end) cell spans; the header row excluded."""
    rows = []
    offset = p.start
    for i, line in enumerate(p.text.split("\n")):
        if i > 0:
            cells, pos = [], offset
            for cell in line.split("\t"):
                cells.append(strip_span(doc, pos, pos + len(cell)))
                pos += len(cell) + 1
            rows.append(cells[1:] if cells and cells[0][0] == cells[0][1] else cells)
        offset += len(line) + 1
    return rows


def header_fields(paras: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs of labelled lines (HEADER_FIELD, a label of HEADER_LABELS) a document
    opens with, one line a paragraph or several, if they hold HEADER_FIELDS_MIN or more such
    lines; none otherwise."""
    run, lines = [], 0
    for p in paras:
        fields = [HEADER_FIELD.match(line) for line in p.text.split("\n")]
        if not all(f and f.group("label").lower() in HEADER_LABELS for f in fields):
            break
        run.append(p)
        lines += len(fields)
    return run if lines >= HEADER_FIELDS_MIN else []


def parse_prose(doc: str, document: Document, token_budget: int = 200) -> list[Passage]:
    paras = paragraphs(doc)
    toc_index = next((i for i, p in enumerate(paras) if _is_toc(p)), None)
    if toc_index is not None:
        paras = paras[toc_index + 1 :]  # front matter and table of contents are not content
    paras = paras[len(header_fields(paras)):]

    sections: list[Section] = [Section(heading=[], key="front")]
    stack: list[tuple[int, str, bool]] = []  # (level, heading text, structured?)
    proposals: list[Passage] = []
    footnotes: list[tuple[int, list[tuple[int, int]]]] = []
    keys: dict[str, int] = {}
    last_was_footnote = False
    last_footnote_bare = False

    for p in paras:
        text = p.text
        fn = FOOTNOTE_BODY.match(text)
        if fn:
            footnotes.append((superscript_to_int(fn.group(1)), [(p.start, p.end)]))
            last_was_footnote, last_footnote_bare = True, not text[fn.end():].strip()
            continue
        if last_was_footnote and (last_footnote_bare or (len(text) < 200 and URL.search(text))):
            footnotes[-1][1].append((p.start, p.end))  # the footnote's own continuation (a URL)
            last_footnote_bare = False
            continue
        last_was_footnote = False

        section = sections[-1]
        table = TABLE_HEADER.match(text.split("\n", 1)[0])
        if table:
            proposals.append(_proposal(doc, document, p, table, section))
            continue
        structured_depth = max((lvl for lvl, _, structured in stack if structured), default=0)
        level = heading_level(p, structured_depth)
        if level is not None and not section.bibliography:
            structured = not (level == structured_depth + 1 and not NUMBERED.match(text.strip("* "))
                              and not PARENTHESISED.match(text) and not MARKDOWN.match(text))
            title = clean(doc, [(p.start, p.end)]).text
            stack = [s for s in stack if s[0] < level] + [(level, title, structured)]
            number = NUMBERED.match(title)
            parent = next((f"s{m.group(1)}-" for _, t, _ in reversed(stack[:-1]) if (m := NUMBERED.match(t))), "")
            key = f"s{number.group(1)}" if number else parent + slug(title)
            keys[key] = keys.get(key, 0) + 1
            if keys[key] > 1:
                key = f"{key}-{keys[key]}"
            sections.append(Section(heading=[s[1] for s in stack], key=key,
                                    bibliography=bool(BIBLIOGRAPHY_HEADING.search(title))))
            continue

        if section.bibliography:
            offset = p.start
            for line in text.split("\n"):
                span = (offset, offset + len(line.rstrip()))
                if BIBLIOGRAPHY_ENTRY.match(line) or not section.blocks:
                    section.blocks.append(Block(pieces=[span]))
                else:
                    section.blocks[-1].pieces.append(span)  # an entry's wrapped line
                offset += len(line) + 1
            continue
        refs = _refs(doc, p.start, p.end)
        previous = section.blocks[-1] if section.blocks else None
        if previous and not _ends_sentence(doc, previous) and previous.pieces[-1][1] - previous.pieces[0][0] > 60:
            previous.pieces.append((p.start, p.end))  # a sentence split by a page break
            previous.refs.extend(refs)
        else:
            section.blocks.append(Block(pieces=[(p.start, p.end)], refs=refs))

    passages: list[Passage] = []
    for section in sections:
        passages.extend(_section_passages(doc, document, section, token_budget))
    _mark_summary_copies(proposals)
    _link_proposals(proposals)
    passages.extend(proposals)
    passages.extend(_footnote_passages(doc, document, footnotes, passages))
    for i, passage in enumerate(sorted(passages, key=lambda x: x.start)):
        passage.ordinal = i
    return sorted(passages, key=lambda x: x.ordinal)


def _label(document: Document, heading: list[str]) -> str:
    if not heading:
        return document.title
    last = heading[-1]
    number = NUMBERED.match(last)
    return f"{document.title}, § {last}" if number else f"{document.title}, {last}"


def _make(doc: str, document: Document, pid: str, ptype: str, heading: list[str], pieces: list[tuple[int, int]],
          label: str, fields: dict, joiner: str = " ") -> Passage:
    mapped = clean(doc, pieces, joiner=joiner)
    return Passage(
        id=pid, document_id=document.id, type=ptype, heading=heading, country=document.country,
        kind=document.kind, spans=[Span(start=a, end=b) for a, b in pieces if b > a], text=mapped.text,
        offsets=mapped.runs(), tokens=count_tokens(mapped.text), label=label, fields=fields,
    )


def _split_block(doc: str, block: Block, budget: int) -> list[list[tuple[int, int]]]:
    """A paragraph over the budget, cut at sentence ends into pieces within it; a sentence over
    it, after commas, then between words (packing.clauses: a paragraph with no full stop had
    been one passage of 30,000 tokens, of which the model reads 256)."""
    mapped = clean(doc, block.pieces)
    runs = mapped.runs()
    groups: list[list[tuple[int, int]]] = [[]]
    used = 0
    for a, b in (c for s in sentences(mapped.text) for c in clauses(mapped.text, *s, budget)):
        n = count_tokens(mapped.text[a:b])
        if groups[-1] and used + n > budget:
            groups.append([])
            used = 0
        fs, fe = text_to_file(runs, a, b)
        groups[-1].append((fs, fe))
        used += n
    out = []
    for group in groups:
        lo, hi = group[0][0], group[-1][1]
        out.append([(max(a, lo), min(b, hi)) for a, b in block.pieces if a < hi and b > lo])
    return out


def _section_passages(doc: str, document: Document, section: Section, budget: int) -> list[Passage]:
    passages: list[Passage] = []
    if section.bibliography:
        for block in section.blocks:
            entry = BIBLIOGRAPHY_ENTRY.match(doc[block.pieces[0][0]: block.pieces[0][1]])
            n = entry.group(1) if entry else str(len(passages) + 1)
            passages.append(_make(doc, document, f"{document.id}:bibliography-{n}", "bibliography", section.heading,
                                  block.pieces, f"{_label(document, section.heading)} [{n}]", {"entry": int(n)}))
        return passages

    groups: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]] = []  # (pieces, refs)
    used = 0
    for block in section.blocks:
        n = count_tokens(clean(doc, block.pieces).text)
        parts = _split_block(doc, block, budget) if n > budget else [block.pieces]
        for part in parts:
            m = n if len(parts) == 1 else count_tokens(clean(doc, part).text)
            if not groups or used + m > budget:
                groups.append(([], []))
                used = 0
            groups[-1][0].extend(part)
            used += m
        groups[-1][1].extend(block.refs)
    for i, (pieces, refs) in enumerate(groups, 1):
        passages.append(_make(doc, document, f"{document.id}:{section.key}:p{i}", "section", section.heading,
                              _merge_adjacent(doc, pieces), _label(document, section.heading),
                              {"footnote_refs": sorted({r[0] for r in refs})} if refs else {}))
    return passages


def _merge_adjacent(doc: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Consecutive paragraphs separated only by blank lines become one span."""
    merged: list[tuple[int, int]] = []
    for a, b in pieces:
        if merged and not doc[merged[-1][1]:a].strip():
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _proposal(doc: str, document: Document, p: Paragraph, header: re.Match, section: Section) -> Passage:
    number = int(header.group(1))
    rows = _cells(doc, p)
    pieces: list[tuple[int, int]] = []
    columns: dict[str, list[str]] = {"proposal": [], "competence": [], "deadline": []}
    for row in rows:
        for name, span in zip(("proposal", "competence", "deadline"), row):
            if span[1] > span[0]:
                pieces.append(span)
                value = clean(doc, [span]).text
                if value:
                    columns[name].append(value)
    summary = False  # decided once every table is read: see _mark_summary_copies
    pid = f"{document.id}:proposal-{number}"
    heading = section.heading + [f"Proposal {number}"]
    where = section.heading[-1] if section.heading else document.title
    label = f"{document.title}, § {where}, Proposal {number}" if NUMBERED.match(where) else f"{document.title}, Proposal {number}"
    passage = _make(doc, document, pid, "proposal", heading, pieces, label, {
        "number": number,
        "proposal": " ".join(columns["proposal"]),
        "competence": "; ".join(columns["competence"]),
        "deadline": "; ".join(columns["deadline"]),
        "competence_label": header.group(2).strip(),
        "occurrence": "summary" if summary else "section",
    }, joiner=CELL_JOINER)
    return passage


def _mark_summary_copies(proposals: list[Passage]) -> None:
    """A proposal number seen a second time is a summary copy, wherever the summary stands.

    Tables are taken a top-level section at a time: a section whose proposals were mostly
    stated before is a summary, so a proposal that stands only there (its own page lost)
    is a summary copy too. Ids stay unique whatever the numbering does."""
    seen: set[int] = set()
    groups: dict[str, list[Passage]] = {}
    for p in proposals:
        groups.setdefault(p.heading[0] if len(p.heading) > 1 else "", []).append(p)
    for group in groups.values():
        numbers = [p.fields["number"] for p in group]
        summary_section = sum(n in seen for n in numbers) > len(numbers) / 2
        for p in group:
            if summary_section or p.fields["number"] in seen:
                p.id += ":summary"
                p.fields["occurrence"] = "summary"
        seen.update(numbers)
    ids: dict[str, int] = {}
    for p in proposals:
        ids[p.id] = ids.get(p.id, 0) + 1
        if ids[p.id] > 1:
            p.id = f"{p.id}-{ids[p.id]}"


def _link_proposals(proposals: list[Passage]) -> None:
    """A proposal stated in its section and again in the summary tables: link the two."""
    by_number: dict[int, list[Passage]] = {}
    for p in proposals:
        by_number.setdefault(p.fields["number"], []).append(p)
    for group in by_number.values():
        for p in group:
            p.fields["linked"] = [q.id for q in group if q.id != p.id]


def _footnote_passages(doc: str, document: Document, footnotes: list[tuple[int, list[tuple[int, int]]]],
                       body: list[Passage]) -> list[Passage]:
    """Each footnote becomes a passage linked to the passage that carries its mark."""
    marks: dict[int, tuple[int, str]] = {}
    for passage in body:
        for span in passage.spans:
            for n, offset in _refs(doc, span.start - 1, span.end):
                marks.setdefault(n, (offset, passage.id))
    out, seen = [], set()
    for number, pieces in footnotes:
        pid = f"{document.id}:footnote-{number}" + (f"-{len(seen)}" if f"{number}" in seen else "")
        seen.add(f"{number}")
        offset, ref_passage = marks.get(number, (None, None))
        fields = {"number": number, "ref_passage": ref_passage, "ref_offset": offset}
        passage = _make(doc, document, pid, "footnote", [f"Footnote {number}"], pieces,
                        f"{document.title}, footnote {number}", fields)
        out.append(passage)
        if ref_passage:
            for b in body:
                if b.id == ref_passage:
                    b.fields.setdefault("footnotes", []).append(pid)
    return out
