"""Where a reply holds the form's recommendations: the form itself (the recommendations the
replies read by their labels hold, FormItem), and each place a text gives one's words, whatever
its line breaks, hyphens, emphasis or a page's running lines between them. Pure functions over
text with offsets (questionnaire_form.py reads what stands between them).
"""
from __future__ import annotations

import re
from bisect import bisect
from collections import Counter
from dataclasses import dataclass

from indexer.models import Passage
from indexer.parsers.answer_block import in_running
from indexer.parsers.block_line import WORD
from indexer.parsers.questionnaire_labels import ACTION_WORDS, COMMENT_WORDS

ANCHOR = 8  # words a recommendation's text is first looked up by
QUOTED_WORDS = 5  # ... and the fewest a reply may quote of its opening, then "…", opening its line (_opening_quoted)
FORM_SHARE = 0.5  # of a reply's recommendations a file must hold to be read as a reply to the same form
MIN_FOUND = 3  # and at least this many: a report quoting one or two recommendations is no reply
LABEL_BEFORE = re.compile(r"[ \t]*[*_#>]*[ \t]*(?:[\w./()-]{1,15}[ \t]+){0,2}[ \t]*[*_#>\-–—:“\"«(\[]*[ \t]*")  # "1.1 ", "Rec. I.2: "
NUMBER_BEFORE = re.compile(r"[ \t]*[*_#>]*[ \t]*[\w./()-]{0,14}\d[\w./()-]{0,14}[ \t]+[*_#>\-–—:“\"«(\[]*[ \t]*")  # "I/2  "
ANSWER_BELOW = re.compile(rf"(?i:{ACTION_WORDS}|{COMMENT_WORDS}|\b(?:yes|no)\b)|[☐☒☑]|\[[ xX]\]")  # a mark or a label
LABEL_SEARCH = 200  # ... within this many characters below an opening quoted
DOTS = r"(?:…|\.[ ]?\.[ ]?\.)"  # an ellipsis: "…", "...", ". . ."
ELLIPSIS = re.compile(rf"[ \t]*(?:\r?\n[ \t]*)?[,;:]?[ \t]*[(\[]?{DOTS}[)\]]?")  # a recommendation's text quoted cut
#   short ends so ("…", "(...)", "[...]"; in a narrow cell, the dots wrapped to a line of their own)
AFTER_TEXT = "”’\"»)*_.;:"  # what closes a recommendation's text: its full stop, a quote, emphasis


@dataclass(frozen=True)
class FormItem:
    """One recommendation of the form, as a reply read by its labels numbers it."""

    issue: str
    issue_title: str
    number: int | str
    words: tuple[str, ...]
    source: str  # the reply it was read from
    text: str = ""  # its wording, as that reply gives it


CUT_SHORT = re.compile(rf"{DOTS}\W*$")  # a text quoted cut short: "… their law enforcement agencies …",
#                                             "… suitably [...]”", "… agencies (...)"

def form_of(passages: list[Passage]) -> list[FormItem]:
    """The recommendations replies read by their labels hold, each once, in the first reply's
    order and numbered as most of those replies number it: one reply numbering them 1 to 16
    straight through the issues does not renumber every other reply's rows ("Issue II,
    Recommendation 4" for the questionnaire's Issue II, Recommendation 1). Of two texts one of
    which opens the other, word for word, the shorter is the form's when it ends its sentence
    (the longer read on into a comment), else the longer (the shorter a quote cut short)."""
    items: dict[tuple[str, ...], FormItem] = {}
    numbers: dict[tuple[str, ...], Counter] = {}
    first: dict[tuple[str, ...], int] = {}  # where each text was first read
    for p in passages:
        if p.type != "recommendation":
            continue
        text = p.fields.get("recommendation_text", "")
        words = tuple(w.group(0).lower() for w in WORD.finditer(text))
        if len(words) >= ANCHOR and not CUT_SHORT.search(text):
            # (a text cut short, "… their law enforcement…", is no wording of the form)
            first.setdefault(words, len(first))
            items.setdefault(words, FormItem(str(p.fields.get("issue")), p.fields.get("issue_title", ""),
                                             p.fields.get("recommendation"), words, p.document_id, text))
            numbers.setdefault(words, Counter())[(str(p.fields.get("issue")), p.fields.get("recommendation"))] += 1
    for short, long in _prefix_pairs(sorted(items)):
        if short not in items or long not in items:
            continue
        # one text the other's opening words: a recommendation is one sentence, so the shorter, when it ends
        # one, is the form's and the longer a text read on into its comment ("… the transfer of evidence.
        # The Cybercrime Bill …"); else the shorter is a quote cut short ("… ensure that their law
        # enforcement agencies", no "…" after) and the longer the form's
        kept, dropped = (short, long) if _ends_sentence(items[long].text, len(short)) else (long, short)
        numbers[kept].update(numbers.pop(dropped))
        first[kept] = min(first[kept], first.pop(dropped))  # (in the place the first of the two stood)
        del items[dropped]
    out = []
    for words, item in sorted(items.items(), key=lambda kv: first[kv[0]]):
        counted = numbers[words].most_common()  # a tie keeps the first reply's (Counter: first seen first)
        issue, number = counted[0][0] if counted[0][1] > numbers[words][(item.issue, item.number)] else (
            item.issue, item.number)
        out.append(FormItem(issue, item.issue_title, number, words, item.source, item.text))
    return out


def _prefix_pairs(ordered: list[tuple[str, ...]]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(a text, a longer one it opens) for each text a shorter one opens, the longest such: in
    sorted order a text's longer readings follow it, so a stack of the texts opening the current
    one finds them in one pass."""
    pairs, opening = [], []
    for words in ordered:
        while opening and words[:len(opening[-1])] != opening[-1]:
            opening.pop()
        if opening:
            pairs.append((opening[-1], words))
        opening.append(words)
    return pairs


def _ends_sentence(text: str, words: int) -> bool:
    """A full stop or a semicolon stands after the text's first `words` words (and no dots of an
    ellipsis: ". . ." cuts a quote short)."""
    found = list(zip(range(words), WORD.finditer(text)))
    if len(found) < words:
        return False
    after = text[found[-1][1].end():]
    return bool(re.match(r"[^\w.;]*[.;]", after)) and not re.match(rf"[^\w.;]*{DOTS}", after)


def _match(words: list[str], at: int, item: FormItem) -> int | None:
    """The index past the item's last word when its words stand from words[at] on (a word a
    line break split without a hyphen, "investi" "gation", is read as one); None otherwise."""
    i, complete = _matched(words, at, item)
    return i if complete else None


def _matched(words: list[str], at: int, item: FormItem) -> tuple[int, bool]:
    """The index past the last of the item's words standing from words[at] on, and whether all do."""
    i = at
    for word in item.words:
        if i < len(words) and words[i] == word:
            i += 1
        elif i + 1 < len(words) and words[i] + words[i + 1] == word:
            i += 2
        else:
            return i, False
    return i, True


def _abridged(doc: str, spans: list[tuple[int, int]], words: list[str], at: int,
              items: list[FormItem]) -> tuple[FormItem, int] | None:
    """The one item whose text a reply quotes cut short: its first ANCHOR words or more, then
    "…" ("1.1 Governments should be encouraged to ensure that their law enforcement agencies
    are well informed …"), with the index past the last word quoted; None when no item's, or
    more than one's, begins so."""
    cut = []
    for item in items:
        end, complete = _matched(words, at, item)
        if not complete and end - at >= ANCHOR and ELLIPSIS.match(doc, spans[end - 1][1]):
            cut.append((item, end))
    return cut[0] if len(cut) == 1 else None


def _opening_quoted(doc: str, spans: list[tuple[int, int]], words: list[str], at: int,
                    form: list[FormItem]) -> tuple[FormItem, int] | None:
    """The one item whose first few words (QUOTED_WORDS at least, fewer than ANCHOR) a reply
    quotes before "…" or "(...)" ("I/2  Governments must work together to overcome the (...)"),
    with the index past the last word quoted; None when no item's, or more than one's, opens so."""
    ends = [j for j in range(at + QUOTED_WORDS, min(at + ANCHOR, len(words)) + 1) if ELLIPSIS.match(doc, spans[j - 1][1])]
    if not ends:
        return None
    quoted = tuple(words[at:ends[0]])
    opening = [item for item in form if item.words[:len(quoted)] == quoted]
    if len({(item.issue, str(item.number)) for item in opening}) != 1:
        return None  # (two wordings of one recommendation name it still)
    line_end = doc.find("\n", spans[ends[0] - 1][1])
    below = doc[line_end:line_end + LABEL_SEARCH] if line_end >= 0 else ""
    return (opening[0], ends[0]) if ANSWER_BELOW.search(below) else None  # (an answer's label right below:
    #                                                  no summary table's row, "I.1  Governments … …  12 States")


def occurrences(doc: str, form: list[FormItem], running: list[tuple[int, int]] | None = None
                ) -> list[tuple[FormItem, int, int]]:
    """(item, start, end) of every place the text holds a form recommendation's words, in
    reading order, read past a page's running lines (`running`: a text broken by the page's
    foot and the next page's head); where one recommendation's text begins another's, the
    longer is read."""
    by_anchor: dict[tuple[str, ...], list[FormItem]] = {}
    for item in sorted(form, key=lambda i: -len(i.words)):
        by_anchor.setdefault(item.words[:ANCHOR], []).append(item)
    firsts = {key[0] for key in by_anchor}
    furniture = sorted(running or [])
    spans = [(m.start(), m.end()) for m in WORD.finditer(doc)
             if not in_running((m.start(), m.end()), furniture[max(0, bisect(furniture, (m.start(), len(doc))) - 1):][:1])]
    words = [doc[x:y].lower() for x, y in spans]
    found, short, i = [], [], 0
    while i < len(words):
        if words[i] not in firsts:
            i += 1
            continue
        candidates = by_anchor.get(tuple(words[i:i + ANCHOR]), [])
        hit = next(((item, end) for item in candidates if (end := _match(words, i, item)) is not None), None) \
            or (_abridged(doc, spans, words, i, candidates) if LABEL_BEFORE.fullmatch(
                doc, doc.rfind("\n", 0, spans[i][0]) + 1, spans[i][0]) else None)  # (a quote cut short opens its line,
        #   after its number at most: "1.1 Governments …"; one in a sentence, "as under 1.1 (“Governments …”)", is
        #   a reference)
        if hit is None and NUMBER_BEFORE.fullmatch(doc, doc.rfind("\n", 0, spans[i][0]) + 1, spans[i][0]):
            hit = _opening_quoted(doc, spans, words, i, form)  # (its opening words only: "… the (...)")
        if hit is None:
            i += 1
            continue
        item, end = hit
        stop = spans[end - 1][1]
        cut = ELLIPSIS.match(doc, stop) if end - i < len(item.words) else None
        stop = cut.end() if cut else stop
        while stop < len(doc) and doc[stop] in AFTER_TEXT:
            stop += 1
        found.append((item, spans[i][0], stop))
        short.append(cut is not None)
        i = end
    whole = {item.words for (item, _, _), cut in zip(found, short) if not cut}  # a text quoted whole is answered
    return [place for place, cut in zip(found, short) if not cut or place[0].words not in whole]  # where it stands


def locate(doc: str, form: list[FormItem]) -> list[tuple[FormItem, int, int]]:
    """The place each recommendation is answered, in reading order (`answered_at`)."""
    return answered_at(occurrences(doc, form))


def answered_at(found: list[tuple[FormItem, int, int]]) -> list[tuple[FormItem, int, int]]:
    """Of each recommendation's occurrences, the last (a cover letter or a list of contents
    quoting it comes before the answers), in reading order."""
    last = {item.words: (item, start, end) for item, start, end in found}
    return sorted(last.values(), key=lambda place: place[1])


def answers_the_form(doc: str, form: list[FormItem]) -> tuple[int, int] | None:
    """(found, of how many) when the text holds most of one reply's recommendations; else None."""
    found = locate(doc, form)
    best = None
    for source in {item.source for item in form}:
        total = sum(item.source == source for item in form)
        hits = sum(item.source == source for item, _, _ in found)
        if hits >= MIN_FOUND and hits >= FORM_SHARE * total and (best is None or hits > best[0]):
            best = (hits, total)
    return best
