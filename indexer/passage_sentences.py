"""Which sentences a passage has, and the rows the index stores for them: what answers are
chosen among and what the sentence vectors are of. Shared by the single and the cluster build.
Pure: passages and their document's text in, offsets out."""
from __future__ import annotations

import hashlib
import re

from indexer.models import Passage
from indexer.parsers.layout import at_stopped_lines, without_headings
from indexer.parsers.masthead import masthead_ranges, outside_masthead
from indexer.parsers.prose import CELL_JOINER
from indexer.parsers.questionnaire_labels import COMMENTS_LABEL
from indexer.text import normalize_wording, paragraph_starts, sentences, split_at, text_to_file

WORD_CHARACTER = re.compile(r"[^\W_]")  # a letter or a digit: what a sentence needs to be one


def passage_sentences(passage: Passage, doc: str | None = None) -> list[tuple[int, int]]:
    """Sentences of a passage; a proposal's table cells are never run together, nor (given the
    document's text, which the passage's offsets index) two paragraphs of the file, nor a UN
    masthead's lines and the title after them (parsers/masthead.py), nor a paged document's
    heading or title line and the line after it (parsers/layout.py; a section's headings are
    left out, but a response's "Already implemented" is its answer). A "sentence" with no
    letter or digit ("////" in a blank comment, a stray ".") is none: nothing to answer with."""
    found = _passage_sentences(passage)
    if doc:
        found = split_at(passage.text, found, paragraph_starts(doc, passage.offsets))
        found = at_stopped_lines(passage.text, passage.offsets, found, doc)
        found = outside_masthead(passage.text, passage.offsets, found, masthead_ranges(doc))
        found = without_headings(passage.text, passage.offsets, found, doc) if passage.type == "section" else found
    return [(a, b) for a, b in found if WORD_CHARACTER.search(passage.text, a, b)]


def _passage_sentences(passage: Passage) -> list[tuple[int, int]]:
    if passage.type == "recommendation":
        # the recommendation text, then the comment after its "Comments:" label
        wording = passage.fields.get("recommendation_text", "")
        at = passage.text.find(COMMENTS_LABEL, len(wording))
        if at < 0:  # no label in the text: the answer still starts its own sentence after the wording
            at = len(wording) if wording and passage.text.startswith(wording) else 0  # (a reply by number:
            return sentences(passage.text[:at]) + [(at + a, at + b) for a, b in sentences(passage.text[at:])]  # "I.1 ✓")
        body = at + len(COMMENTS_LABEL) + 1
        return sentences(passage.text[:at]) + [(body + a, body + b) for a, b in sentences(passage.text[body:])]
    if passage.type != "proposal":
        return sentences(passage.text)
    out, start = [], 0
    for cell in passage.text.split(CELL_JOINER):
        out += [(start + a, start + b) for a, b in sentences(cell)]
        start += len(cell) + len(CELL_JOINER)
    return out


def sentence_rows_of(passages: list[Passage], texts: dict[str, str]) -> list[list]:
    """Every passage's sentences as the rows the index stores: [passage index, start, end, file
    start, file end, wording key, vector (None until embedded or reused), vector in context
    (None until indexer/sentence_context.py fills it)]. The single and the cluster build share
    this one layout."""
    rows = []
    for i, p in enumerate(passages):
        for a, b in passage_sentences(p, texts[p.document_id]):
            fs, fe = text_to_file(p.offsets, a, b)
            wording = hashlib.sha1(normalize_wording(p.text[a:b]).encode()).hexdigest()[:16]
            rows.append([i, a, b, fs, fe, wording, None, None])
    return rows
