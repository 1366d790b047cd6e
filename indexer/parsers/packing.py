"""Packing a section's blocks into passages within the token budget (the general parser's).

A block within the budget is a unit; one over it is cut where a line ends a sentence (or a
clause before a capital, as a resolution's preambular paragraphs do), a run of lines still over
it at its sentences, a sentence over it at its lines, a line over it at its sentences, a
sentence still over it (a treaty's preamble is one) after commas and semicolons, and a clause
still over it between words. Groups never mix sections.
"""
from __future__ import annotations

import re

from indexer.text import CLOSERS, SENTENCE_END, MappedText, clean, count_tokens, sentences, text_to_file


def units(doc: str, block: list, drop: list[tuple[int, int]], budget: int) -> list[tuple[int, int]]:
    """Pieces of a block within the budget: runs of lines up to one that ends a sentence (a
    PDF's line ends where the page's width does, mid-sentence: a passage cut there began "…
    Accounting Standards (IPSAS), and the opinion …"); a run over the budget cut at its
    sentences, and a sentence over it at its lines (a list of names with no full stop)."""
    out: list[tuple[int, int]] = []
    for run in sentence_runs(doc, block, drop):
        mapped = clean(doc, [(run[0][0], run[-1][1])], drop=drop)
        if count_tokens(mapped.text) <= budget:
            out.append((run[0][0], run[-1][1]))
            continue
        runs = mapped.runs()
        for a, b in sentences(mapped.text):
            if count_tokens(mapped.text[a:b]) <= budget:
                out.append(text_to_file(runs, a, b))
                continue
            fa, fb = text_to_file(runs, a, b)
            out.extend(line_units(doc, [(max(x, fa), min(y, fb)) for x, y in run if x < fb and y > fa], drop, budget))
    return out


def sentence_runs(doc: str, block: list, drop: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """A block's lines, as (start, end), in runs that end where a line ends its sentence, or a
    clause before a capital ("…, the rights of the child, / Recalling its resolution …": a
    resolution's preamble is one sentence of many such paragraphs)."""
    texts = [clean(doc, [(line.start, line.end)], drop=drop).text.strip() for line in block]
    out: list[list[tuple[int, int]]] = [[]]
    for i, (line, text) in enumerate(zip(block, texts)):
        out[-1].append((line.start, line.end))
        last = text.rstrip(CLOSERS)[-1:]
        following = texts[i + 1][:1] if i + 1 < len(texts) else ""
        if not last or last in SENTENCE_END or (last == "," and following.isupper()):
            out.append([])
    return [run for run in out if run]


def line_units(doc: str, lines: list[tuple[int, int]], drop: list[tuple[int, int]],
               budget: int) -> list[tuple[int, int]]:
    """Pieces within the budget: whole lines, a line over it cut at sentences, then clauses."""
    out: list[tuple[int, int]] = []
    for start, end in lines:
        mapped = clean(doc, [(start, end)], drop=drop)
        if count_tokens(mapped.text) <= budget:
            out.append((start, end))
            continue
        runs = mapped.runs()
        for a, b in sentences(mapped.text):
            out.extend(text_to_file(runs, x, y) for x, y in clauses(mapped.text, a, b, budget))
    return out


def clauses(text: str, start: int, end: int, budget: int) -> list[tuple[int, int]]:
    """A sentence over the budget (a treaty's preamble is one) cut after commas and semicolons."""
    if count_tokens(text[start:end]) <= budget:
        return [(start, end)]
    out, a, used = [], start, 0
    cuts = [m.end() for m in re.finditer(r"[,;:](?=\s)", text[start:end])] + [end - start]
    last = start
    for cut in cuts:
        b = start + cut
        n = count_tokens(text[last:b])
        if used and used + n > budget:
            out.append((a, last))
            a, used = last, 0
            while a < end and text[a].isspace():
                a += 1
        used += n
        last = b
    out.append((a, end))
    words: list[tuple[int, int]] = []  # a clause still over the budget: cut between words
    for x, y in out:
        if count_tokens(text[x:y]) <= budget:
            words.append((x, y))
            continue
        step = max(1, len(text[x:y]) * budget // (2 * count_tokens(text[x:y])))
        while x < y:
            cut = min(y, x + step)
            while cut < y and not text[cut].isspace():
                cut += 1
            words.append((x, cut))
            x = cut
            while x < y and text[x].isspace():
                x += 1
    return [(x, y) for x, y in words if y > x]


def groups(doc: str, blocks: list, numbers_of: list[list[str]], drop: list[tuple[int, int]],
           budget: int) -> list[tuple[list, list[str]]]:
    """Blocks packed into passages within the budget; a block over it is cut at line or sentence ends."""
    groups: list[tuple[list[tuple[int, int]], list[str]]] = []
    used = 0
    for block, numbers in zip(blocks, numbers_of):
        span = (block[0].start, block[-1].end)
        n = count_tokens(clean(doc, [span], drop=drop).text)
        if n <= budget:
            parts = [(span, n)]
        else:
            parts, chunk, size = [], None, 0
            for a, b in units(doc, block, drop, budget):
                m = count_tokens(clean(doc, [(a, b)], drop=drop).text)
                if chunk and size + m > budget:
                    parts.append((chunk, size))
                    chunk, size = None, 0
                chunk = (chunk[0], b) if chunk else (a, b)
                size += m + 1
            if chunk:
                parts.append((chunk, size))
        for k, (piece, m) in enumerate(parts):
            if not groups or used + m > budget:
                groups.append(([], []))
                used = 0
            groups[-1][0].append(piece)
            if k == 0:
                groups[-1][1].extend(numbers)
            used += m + 1  # a token for the join: a piece's first word may tokenize otherwise after a space
    return groups


def mapped(doc: str, pieces: list[tuple[int, int]], drop: list[tuple[int, int]]) -> tuple[list, MappedText]:
    """Adjacent pieces merged (what lies between them is white space or dropped), then cleaned."""
    merged: list[tuple[int, int]] = []
    for a, b in pieces:
        if merged and not clean(doc, [(merged[-1][1], a)], drop=drop).text.strip():
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged, clean(doc, merged, drop=drop)
