"""The words of an answer: which sentences of a passage answer a question, and how they are
joined. The best sentence; the next one when it scores nearly as well or goes on from it; a
runner-up holding question words the best lacks; a response's opening sentence, where the
country states its position. Never more than MAX_ANSWER_CHARS, unless asked who or by when, or the best sentence
alone is longer.
"""
from __future__ import annotations

import re

import numpy as np

from service import kinds, present
from service.loaded import LoadedIndex, PassageRow
from service.query import ParsedQuery
from service.schemas import Highlight
from service.sentences import PassageSentences, SentenceRow

SECOND_SENTENCE_MARGIN = 0.05  # a next sentence this close to the best one joins it (chosen on dev)
COMPLEMENT_MARGIN = 0.1  # a runner-up this close that holds question words the best lacks joins it
COMPLEMENT_DEPTH = 3  # ... among the best three sentences (both chosen on dev and dev2)
MAX_ANSWER_CHARS = 500  # bound on one answer: two sentences, or an opening sentence beside them
#                        (chosen on dev and dev2)
Run = tuple[SentenceRow, SentenceRow]  # a run of sentences: its first and its last
FOLLOW_UP_CHARS = 150  # a short sentence going on from the best one joins it (`_follow_up`; chosen on probe sets
#                       outside the repository: dev and dev2 read the same with it)
POINTS_BACK = re.compile(r"(?:This|These|That|Those|It|They|Such|Both|The same|All (?:of )?(?:the|these|this|those))\b")
LABELLED_SENTENCES = 2  # sentences of labelled lines ("Target date: …") an answer asked who or by when goes on to


def answer_sentences(index: LoadedIndex, row: PassageRow, parsed: ParsedQuery, vector: np.ndarray,
                     within: tuple[int, int] | None) -> list[list[Highlight]]:
    """The answer as the parts a reader sees, in reading order, each part the file pieces of one
    run of text: the best sentence, and the next one when it scores nearly as well (the first
    rarely finishes the thought then) or points back to it, short (`_follow_up`), or else a
    runner-up that holds question words the best lacks (`_complement`). Reading a response's comment (`within`), its opening sentence, where
    the country states its position, comes first when it is not shown already and the whole
    stays within MAX_ANSWER_CHARS."""
    exact = present.quoted(row, parsed)
    if exact is not None:
        return [sentences_around(index, row, exact)]
    if kinds.answers_whole(row):
        return [present.span_pieces(row)]
    sentences = index.sentences(row.rowid)
    ranked = present.rank_sentences(sentences, parsed, vector, within)
    if not ranked:
        return []
    best = ranked[0]
    chosen = [best.sentence]
    for other in ranked[1:2]:
        s = other.sentence
        length = s.file_end - best.sentence.file_start
        if _next(sentences, best.sentence, s) and best.score - other.score <= SECOND_SENTENCE_MARGIN \
                and length <= MAX_ANSWER_CHARS:
            chosen.append(s)
    follow = _follow_up(row, sentences, best.sentence, within) if len(chosen) == 1 else None
    chosen += [follow] if follow else []
    if parsed.asks_who_or_when:
        chosen += _labelled_after(sentences, chosen[-1], kinds.who_or_when_labels(row))
    runs: list[Run] = [(chosen[0], chosen[-1])]
    if len(chosen) == 1:
        extra = _complement(ranked, parsed)
        runs += [(extra, extra)] if extra else []
    opening = present.opening_sentence(sentences, within)
    if opening is not None and opening.file_start < min(first.file_start for first, _ in runs) \
            and _length([(opening, opening)] + runs) <= MAX_ANSWER_CHARS:
        runs.append((opening, opening))
    return [present.text_pieces(row, first.start, last.end) for first, last in _joined(sentences, runs)]


def _follow_up(row: PassageRow, sentences: PassageSentences, best: SentenceRow, within: tuple[int, int] | None
               ) -> SentenceRow | None:
    """The sentence right after the best one when it goes on from it, short: it opens by pointing
    back ("All of the data collected is gender-disaggregated.", "It involves … 40 different
    languages") and holds what the best one only announces. None otherwise."""
    rows = sentences.rows
    at = next((i for i, s in enumerate(rows) if s.start == best.start), None)
    if at is None or at + 1 == len(rows):
        return None
    after = rows[at + 1]
    if (POINTS_BACK.match(row.text, after.start) and after.end - after.start <= FOLLOW_UP_CHARS
            and after.file_end - best.file_start <= MAX_ANSWER_CHARS and (within is None or present.lies_within(after, within))):
        return after
    return None


def _complement(ranked: list[present.ScoredSentence], parsed: ParsedQuery) -> SentenceRow | None:
    """A runner-up sentence, nearly as good as the best one, that holds words of the question
    the best one lacks: the best does not answer on its own ("cooperation across jurisdictions
    and legislative changes": one sentence on each). None when none does within MAX_ANSWER_CHARS."""
    best = ranked[0]
    covered = best.sentence.stems & parsed.stems
    for other in ranked[1:COMPLEMENT_DEPTH]:
        s = other.sentence
        if (s.stems & parsed.stems) - covered and best.score - other.score <= COMPLEMENT_MARGIN \
                and _length([(best.sentence, best.sentence), (s, s)]) <= MAX_ANSWER_CHARS:
            return s
    return None


def _length(runs: list[Run]) -> int:
    """Characters of the runs' text, each run counted from its first sentence to its last."""
    return sum(last.file_end - first.file_start for first, last in runs)


def _joined(sentences: PassageSentences, runs: list[Run]) -> list[Run]:
    """Runs of sentences in reading order, a run that the next one follows with no sentence
    between them joined into one run of text (shown without an ellipsis)."""
    out: list[Run] = []
    for first, last in sorted(runs, key=lambda r: r[0].file_start):
        if out and _next(sentences, out[-1][1], first):
            out[-1] = (out[-1][0], last)
        else:
            out.append((first, last))
    return out


def sentences_around(index: LoadedIndex, row: PassageRow, exact: list[Highlight]) -> list[Highlight]:
    """Quoted words are answered with the sentence or sentences that hold them, within
    MAX_ANSWER_CHARS: where the words stand is what a delegate looking for precedent wants, not
    the words typed back."""
    start, end = present.text_range(row, exact)
    around = [s for s in index.sentences(row.rowid).rows if s.start < end and start < s.end]
    if not around:
        return exact
    start, end = min(start, around[0].start), max(end, around[-1].end)
    if end - start > MAX_ANSWER_CHARS:
        return exact  # a sentence too long to show whole: the quoted words, cited where they stand
    return present.text_pieces(row, start, end)


def _labelled_after(sentences: PassageSentences, last: SentenceRow, labels: list[int]) -> list[SentenceRow]:
    """Asked who or by when: the sentences right after the answer that hold a labelled line
    saying so ("Department(s) responsible: …", "Target date: …"), at most LABELLED_SENTENCES.
    They may take the answer past MAX_ANSWER_CHARS: they are what was asked."""
    out: list[SentenceRow] = []
    after = sentences.rows.index(last) + 1  # the passage's sentences stand in reading order
    for s in sentences.rows[after:after + LABELLED_SENTENCES]:
        if not any(s.file_start <= at < s.file_end for at in labels):
            break
        out.append(s)
    return out


def _next(sentences: PassageSentences, first: SentenceRow, then: SentenceRow) -> bool:
    """`then` follows `first` in the passage with no sentence between them."""
    return then.start >= first.end and not any(first.end <= s.start < then.start for s in sentences.rows)


def text(parts: list[list[Highlight]]) -> str:
    """Pieces of one part are joined by a space (a sentence across a page break); parts that
    do not stand together in the document by an ellipsis."""
    return " … ".join(" ".join(h.text for h in part) for part in parts)


def flat(parts: list[list[Highlight]]) -> list[Highlight]:
    return [h for part in parts for h in part]
