"""Replies that name the form's recommendations by number only, leaving their text out ("the
full text is contained in the questionnaire"): "ISSUE I - RECOMMENDATION 1", "I.1  Law
enforcement training", "Police screening and referral (Rec. II.2)", "R2.4", "Q5" as a legend names
it, or "1. **Trained law enforcement**" under the issue's heading
"## I. Use of the Internet …". Where each recommendation is answered is found by its number;
what stands after the number line is read as a reply read by the form reads it
(questionnaire_form.parse_form_reply). The mark may stand on the number's line ("— Action: ✓")
or in a summary before the answers: a status and the numbers it covers ("Action taken (9): I.1,
I.3, …"), or a grid of issues by recommendation ("Issue II   Y  -  Y  Y  N  N").

A file is read so only when its numbered places name most of the form's recommendations, each
within its issue's count (a report's numbered paragraphs run past them), and it marks at least
half of them (a report's sections "I.1 Background" mark none). Pure functions over text
with offsets.
"""
from __future__ import annotations

import re

from indexer.models import Document, Passage
from indexer.parsers.block_line import WORD, badge, mark_of, plain
from indexer.parsers.marks import ALONE, YES_OR_NO, table_mark
from indexer.parsers.form_places import FormItem, occurrences
from indexer.parsers.questionnaire_form import parse_form_reply
from indexer.parsers.questionnaire_labels import ISSUE_WORD, REC_WORD

NUMBERED_SHARE = 0.75  # of the form's recommendations a file must number to be read by their numbers
MARKED_SHARE = 0.5  # ... and mark at least this share of them (Yes, No, a status), where a report marks none
TITLE_WORDS = 15  # a number's line names the recommendation in a few words at most: no sentence
_LEAD = r"^[ \t#*_>]*"  # Markdown's marks before a line's words
# "ISSUE I - RECOMMENDATION 1", "Issue II, Recommendation 3:"
BOTH = re.compile(rf"{_LEAD}{ISSUE_WORD}[ \t]+((?-i:[IVX]+))\b[ \t]*[-–—,.:/]?[ \t]*(?i:{REC_WORD})[ \t]*(\d{{1,2}})\b(.*)$",
                  re.M | re.I)
# "I.1  Law enforcement …", "Recommendation II-3", "**III.2**", "I-1. Law …" (not "1.2.3" nor "I.1.a": a
# section's or an item's parts); the issue in figures after a recommendation's letter or word: "R2.4",
# "Rec. 1.3" (a bare "2.4" is as often a report's section)
DOTTED = re.compile(rf"{_LEAD}(?:(?:(?i:{REC_WORD})[ \t]*)?((?-i:[IVX]+))|(?:R|(?i:{REC_WORD}))[ \t]*([1-9]))[.-](\d{{1,2}})"
                    rf"(?!\.?[\dA-Za-z])\.?[*_]*(.*)$", re.M)
# a paragraph of a note verbale referring to the recommendation, its first sentence the mark: "4. With regard to
# recommendation 1 of Issue II, action has been taken. Since …" (the sentence may wrap; "Law No. 15/2019", "i.e."
# and "1.5" end no sentence: a full stop does before a capital, or at a line's end)
REFERRED = re.compile(rf"^[ \t]*(\d{{1,3}}[.)][ \t]+)?(?i:with regard to|with respect to|as regards|regarding|concerning"
                      rf"|in relation to|in (?:response|reply) to|as to|as for)[ \t]+(?i:{REC_WORD})[ \t]+(\d{{1,2}})[ \t]+"
                      rf"(?i:of|under|in)[ \t]+(?i:the[ \t]+)?(?i:{ISSUE_WORD})[ \t]+((?-i:[IVX]+))[ \t]*,[ \t]*"
                      r"((?:[^.]|\.(?![ \t]*\r?$|\s+[A-Z“\"(])){0,300}?\.)(?=[ \t]*\r?$|\s+[A-Z“\"(])", re.M)
RUN_IN = re.compile(rf"^[ \t#*_>]*(?:(?:(?i:{REC_WORD})|Rec\.?|R)[ \t]*)?((?-i:[IVX]+))[.-](\d{{1,2}})[*_]*[ \t]*[—–-][ \t]*",
                    re.M)  # "Rec. II.3 — …": the answer on the number's line
SAID_ACTION = re.compile(r"(?i:\b(?:action|measures?|steps)\b[^.]{0,40}\btaken\b|\btaken\b[^.]{0,20}\b(?:action|measures?|steps)\b)")
SAID_NONE = re.compile(r"(?i:\bno\s+(?:\w+\s+){0,2}?(?:action|measures?|steps)\b|\bnot\s+(?:yet\s+)?(?:been\s+)?taken\b"
                       r"|\b(?:has|have|had)\s+not\s+(?:yet\s+)?taken\b)")  # the negation governs the action
SAID_BY_MANY = re.compile(r"\b(?:States|Governments|countries|respondents|delegations)\b")  # a summary of the replies
#   ("most responding States reported that measures had been taken"): no one country's answer
# a short title and the number in brackets after it: "Police screening and referral (Rec. II.2)"
TITLED = re.compile(rf"{_LEAD}(?![-•–*][ \t]|\d)(\S[^\n]{{1,120}}?)[ \t]*[(\[](?:(?i:{REC_WORD})|R)[ \t]*"
                    rf"(?:((?-i:[IVX]+))|([1-9]))[.-](\d{{1,2}})[)\]][ \t*_]*\r?$", re.M)  # (not a list's item, "- Access
#                    of the police to FIU data (Rec. IV.1)", nor "… in months (4.8)": no recommendation's word)
# a legend naming each answer's label: "Q5  = Issue II, Recommendation 2" (two to a line, as a memo sets them)
LEGEND = re.compile(rf"\b([A-Za-z]{{1,3}})(\d{{1,2}})[ \t]*[=:–-][ \t]*(?i:{ISSUE_WORD})[ \t]+((?-i:[IVX]+))[ \t]*[,.:/–-]?"
                    rf"[ \t]*(?i:{REC_WORD}|Rec\.?)[ \t]*(\d{{1,2}})\b")
# a label the reply gives a recommendation's text it lists, alone before the text on its line: "**Q1.a**", "1(b)",
# "A-3:" (a letter or a short word and a number, and a number or letter after it)
LISTED_LABEL = re.compile(r"[ \t#>|*_]*([A-Za-z]{1,4}[ \t]?\d{1,2}(?:[.-]?(?:\d{1,2}|[a-z]))?|\d{1,2}[.-]?[a-z]|\d{1,2}\([a-z]\))"
                          r"[*_]*[ \t]*[:.)–—-]?[ \t]*[*_]*[ \t]*")
CODE = re.compile(r"\b([A-Z])[ \t]*=[ \t]*([^,;.=\n]{2,40})")  # "Answer codes: Y = action taken, N = …, P = partially"
ROMAN = {str(n): r for n, r in enumerate("I II III IV V VI VII VIII IX".split(), 1)}
# an issue's heading over numbered items: "## I. Use of the Internet …", "ISSUE III", "Issue IV: …"
ISSUE_HEAD = re.compile(rf"{_LEAD}(?:([^\W\d_]{{3,15}})[ \t]+)?((?-i:[IVX]+))(?:\.|[ \t]*[-–—:]|(?=[ \t]*$))[ \t]*([^\n]*)$",
                        re.M)  # (a word before the numeral: "Issue", or "Question", "Part" over the issue's title)
ITEM = re.compile(rf"{_LEAD}(?:(?i:{REC_WORD})[ \t]*)?(\d{{1,2}})(?:[.)]|(?=[ \t]*[-–—:]|[ \t]*$))[*_]*(.*)$", re.M)
_LISTED = r"[IVX]+[.-]\d{1,2}"
STATUS_LIST = re.compile(rf"^[ \t]*([^\W\d][^:\n]{{2,60}}?)[ \t]*(?:\(\d+\))?[ \t]*:[ \t]*({_LISTED}(?:(?:[ \t]*[,;][ \t]*|[ \t]+)"
                         rf"{_LISTED})*)[ \t,;.]*\r?$", re.M)  # "No action taken (5): I.2, II.2, II.6"
GRID_ROW = re.compile(rf"^[ \t|]*{ISSUE_WORD}[ \t]+((?-i:[IVX]+))[ \t|]+([^\r\n]*)$", re.M)  # "Issue II   Y  -  Y"
# a status set after the title as a badge, capitalised: "I.1 – Training of law enforcement Implemented"
TRAILING_STATUS = re.compile(r"\S[ \t]+((?:Fully |Partially |Not )?(?-i:[Ii]mplemented)|Partially|No action(?: taken)?|Action taken)"
                             r"[ \t]*$")
SEPARATOR = re.compile(r"[ \t]+[—–-][ \t]+|\t|[ \t]*\|[ \t]*")  # between a number's title and its mark


def _title_line(rest: str) -> bool:
    """The rest of a number's line names the recommendation (a few words, no sentence)."""
    words = WORD.findall(plain(rest))
    ends = r"[.!?;]\s*$" if SEPARATOR.match(rest) else r"[.!?;:]\s*$"  # "– Mesures prises :", a mark's field left blank
    return len(words) <= TITLE_WORDS and not re.search(ends, plain(rest).rstrip("*_ "))


def numbered_places(doc: str, form: list[FormItem]) -> list[tuple[FormItem, int, int, str]]:
    """(item, start, end, the rest of its line) of each form recommendation the text names by its
    number, each at its last place (a summary or a list of contents names them first), in
    reading order; [] when the numbers do not name most of the form or run past an issue's count.
    Each questionnaire the form holds (one per reply it was read from: `source`) is tried on its
    own, and the one the numbers name most is read: "I.1" is that questionnaire's."""
    best: list = []
    for source in dict.fromkeys(item.source for item in form):
        places = _places(doc, [item for item in form if item.source == source])
        best = places if len(places) > len(best) else best
    return best


def _places(doc: str, form: list[FormItem]) -> list[tuple[FormItem, int, int, str]]:
    by_key = {(item.issue, str(item.number)): item for item in form}
    counts: dict[str, int] = {}
    for item in form:
        counts[item.issue] = counts.get(item.issue, 0) + 1
    found = {}
    for pattern in (BOTH, DOTTED, TITLED):
        for m in pattern.finditer(doc):
            if pattern is TITLED:
                issue, number, rest, title = m.group(2) or ROMAN[m.group(3)], m.group(4), "", m.group(1)
            else:
                issue, number, rest = (m.group(1), m.group(2), m.group(3)) if pattern is BOTH else (
                    m.group(1) or ROMAN[m.group(2)], m.group(3), m.group(4))
                title = rest
            figures = pattern is not BOTH and not (m.group(1) if pattern is DOTTED else m.group(2))
            if issue not in counts or not _title_line(title) or (figures and re.match(r"\s*[a-z]", rest)):
                continue  # (not "R1.5 million was allocated …", an amount)
            if (issue, number) not in by_key:
                if figures:
                    continue  # "R7.2" or "(Rec. 5.1)": a figure, or another numbering's, no place of this form's
                return []  # "I.4" where Issue I holds three: another numbering than the form's
            found[(issue, number)] = (m.start(), m.end() - len(rest), rest)
    if len(found) < NUMBERED_SHARE * len(form):
        found = _legend(doc, by_key) or _listed(doc, form, by_key) or _nested(doc, by_key, counts)
    if len(found) < NUMBERED_SHARE * len(form):
        found = _referred(doc, by_key) or found
    run_in = _run_in(doc, by_key)
    found = run_in if len(run_in) > len(found) else found  # (a paragraph whose first line ends on ";" is no title's)
    if len(found) < NUMBERED_SHARE * len(form):
        return []
    places = []
    for key, (start, end, rest) in found.items():
        line_start = doc.rfind("\n", 0, start) + 1
        run_in = RUN_IN.match(doc, line_start)
        if run_in and rest and _runs_on(doc, end + len(rest), rest):
            end, rest = run_in.end(), ""  # "Rec. I.1 — The Cyber Police Centre …⏎has trained …": no title, the answer
        line = doc[line_start:end]
        places.append((by_key[key], line_start + len(line) - len(line.lstrip(" \t#*_>")), end, rest))
    return sorted(places, key=lambda place: place[1])


def _runs_on(doc: str, line_end: int, rest: str) -> bool:
    """The words after a number and its dash run on to the next line as the answer's sentence, no
    title: the next line is no mark nor field, and goes on in lower case or after eight words."""
    after = doc[line_end:].lstrip("\r\n").split("\n", 1)[0]
    heading = doc[doc.rfind("\n", 0, line_end - len(rest)) + 1:].lstrip().startswith("#")
    if heading or line_mark(rest) or not after.strip() or mark_of(plain(after), False) is not None \
            or re.match(r"[ \t]*[^\W\d][\w ]{0,30}:", after):
        return False  # (a heading, or a title with its mark after it: "#### I.1 – Training … Implemented")
    return bool(re.match(r"[ \t]*[a-z]", after)) or len(WORD.findall(rest)) >= 8


def _prose(doc: str, start: int, end: int) -> bool:
    """The place's answer runs on as prose after it: a note verbale's paragraph, or a number and its
    dash with no title read after them ("Rec. II.3 — Executive magistrates …"; not "I.1 – A short
    title" over "Action: ✓", whose place ends after the title)."""
    line_start = doc.rfind("\n", 0, start) + 1
    run_in = RUN_IN.match(doc, line_start)
    return bool(REFERRED.match(doc, line_start)) or (run_in is not None and run_in.end() == end)


def _run_in(doc: str, by_key: dict) -> dict:
    """Paragraphs opening on the recommendation's number and a dash, the answer running on after
    it ("Rec. II.3 — Executive magistrates … (Yes)"): each paragraph's number line, read as prose."""
    found = {}
    for m in RUN_IN.finditer(doc):
        if (m.group(1), m.group(2)) in by_key:
            line_end = len(doc) if doc.find("\n", m.end()) < 0 else doc.find("\n", m.end())
            rest = doc[m.end():line_end]
            alone = ALONE.fullmatch(rest)  # ("— (No)": the mark alone, no answer)
            if alone or not rest.strip() or _runs_on(doc, line_end, rest):  # (not "I.1 – A short title" over its mark)
                found[(m.group(1), m.group(2))] = (m.start(), m.end(), alone.group(0) if alone else "")
    return found


def _referred(doc: str, by_key: dict) -> dict:
    """A note verbale's paragraphs, each opening by the recommendation it answers (REFERRED): a
    paragraph's first line (numbered, or after a finished sentence, a short heading or a blank line),
    not a line a sentence wraps onto ("… the Ministry⏎concerning recommendation 2 of Issue I, …")."""
    found = {}
    for m in REFERRED.finditer(doc):
        before = doc[:m.start()].rstrip(" \t\r\n").rsplit("\n", 1)[-1].strip()
        if m.group(1) or not before or re.search(r"[.!?:;)”\"]$", before) or len(WORD.findall(before)) <= 6:
            if (m.group(3), m.group(2)) in by_key:
                found[(m.group(3), m.group(2))] = (m.start(), m.end() - len(m.group(4)), m.group(4))
    return found


def _legend(doc: str, by_key: dict) -> dict:
    """Answers labelled as a legend names them ("Q5  = Issue II, Recommendation 2" near the top,
    then "Q5: Y. The police …"), each at the label's last place opening a line; the answer's
    code ("Y.") is the label line's rest, read by the legend's codes (`legend_marks`)."""
    named = {}
    for m in LEGEND.finditer(doc):
        named[(m.group(1), m.group(2))] = (m.group(3), m.group(4))
    if len({prefix for prefix, _ in named}) != 1 or not all(key in by_key for key in named.values()):
        return {}
    found = {}
    for (prefix, n), key in named.items():
        places = list(re.finditer(rf"^[ \t]*{prefix}{n}[ \t]*[:.)][ \t]*(?:([A-Z])(?=[.\s])\.?)?", doc, re.M))  # ("N/A" no code)
        if places:
            m = places[-1]
            found[key] = (m.start(), m.start(1) if m.group(1) else m.end(), doc[m.start(1):m.end()] if m.group(1) else "")
    return found


def _listed(doc: str, form: list[FormItem], by_key: dict) -> dict:
    """Answers labelled as a listing of the texts labels them: each recommendation's text given
    first after a label of the reply's own ("**Q1.a** Governments should …", "1(b) Governments
    …"), then each answer after that label alone, below the listing ("| Q1.a | Implemented | …"),
    at the label's last place opening a line or a table's row."""
    labels, listed_end = {}, 0
    for item, start, end in occurrences(doc, form):
        label = LISTED_LABEL.fullmatch(doc, doc.rfind("\n", 0, start) + 1, start)
        if label:
            if labels.get(label.group(1), (item.issue, str(item.number))) != (item.issue, str(item.number)):
                return {}  # one label on two texts: no labelling to read the answers by
            labels[label.group(1)] = (item.issue, str(item.number))
            listed_end = max(listed_end, end)
    if len(set(labels.values())) != len(labels) or len(labels) < NUMBERED_SHARE * len(by_key):
        return {}
    found = {}
    for label, key in labels.items():
        places = [m for m in re.finditer(rf"^[ \t#>|*_]*{re.escape(label)}(?![\w.(-])[*_]*[ \t]*[:.)]?[ \t]*", doc, re.M)
                  if m.start() >= listed_end]
        if places:
            found[key] = (places[-1].start(), places[-1].end(), "")
    return found


def legend_marks(doc: str, before: int) -> dict[str, str]:
    """The answer codes a legend before the answers gives: "Y = action taken" marks yes, "P =
    partially" yes, "N = no action taken" no."""
    return {m.group(1): mark for m in CODE.finditer(doc, 0, before) if (mark := badge(m.group(2).strip())) is not None}


def _nested(doc: str, by_key: dict, counts: dict) -> dict:
    """Items numbered 1, 2, 3 … under each issue's heading, each the next number."""
    found, issue, expected = {}, None, 1
    titles = {item.issue: {w.lower() for w in WORD.findall(item.issue_title)} for item in by_key.values()}
    for line in re.finditer(r"[^\n]*", doc):
        text = line.group(0)
        head = ISSUE_HEAD.match(text)
        if head and head.group(2) in counts:
            words = {w.lower() for w in WORD.findall(head.group(3))}
            if (head.group(1) and re.fullmatch(ISSUE_WORD, head.group(1))) or (
                    words and len(words & titles[head.group(2)]) >= 0.5 * len(titles[head.group(2)])):
                issue, expected = head.group(2), 1
                continue
        item = ITEM.match(text)
        if issue and item and int(item.group(1)) == expected and _title_line(item.group(2)):
            if (issue, item.group(1)) not in by_key:
                return {}
            found[(issue, item.group(1))] = (line.start(), line.start() + item.start(2), item.group(2))
            expected += 1
    return found


def summary_marks(doc: str, before: int) -> dict[tuple[str, str], str]:
    """Marks a summary gives before the first answer: a status over the numbers it covers
    ("Action taken (9): I.1, I.3"), or a grid of issues by recommendation ("Issue I  Y  N  Y")."""
    marks = {}
    for m in STATUS_LIST.finditer(doc, 0, before):
        mark = badge(m.group(1))
        if mark is not None:
            for number in re.findall(r"([IVX]+)[.-](\d{1,2})", m.group(2)):
                marks[number] = mark
    for m in GRID_ROW.finditer(doc, 0, before):
        cells = re.split(r"[ \t|]+", m.group(2).strip(" \t|"))
        read = [table_mark(c) if c not in "-–—" else "unknown" for c in cells]
        if all(c in "-–—" or r != "unknown" for c, r in zip(cells, read)):
            for n, mark in enumerate(read, 1):
                if mark != "unknown":
                    marks[(m.group(1), str(n))] = mark
    return marks


def said_mark(sentence: str) -> str | None:
    """The mark a note verbale's sentence gives: "action has been taken", "Portugal has taken
    action" (yes), "no action has been taken", "has not taken action" (no); None when it says
    neither ("the authorities provide the following information")."""
    if not SAID_ACTION.search(sentence) or SAID_BY_MANY.search(sentence):
        return None
    return "no" if SAID_NONE.search(sentence) else "yes"


def line_mark(rest: str) -> str | None:
    """The mark the number's line gives after its title ("… — *Moqmedeba:* ✓", "… | Yes", "— (No)")."""
    bracketed = ALONE.fullmatch(rest)
    if bracketed:
        return YES_OR_NO[bracketed.group(1).lower()]
    for part in reversed(SEPARATOR.split(rest)[1:]):
        mark = mark_of(plain(part), False)
        if mark not in (None, "unknown"):
            return mark
    badged = TRAILING_STATUS.search(plain(rest))
    return badge(badged.group(1)) if badged else None


def _key(passage: Passage) -> tuple[str, str]:
    return str(passage.fields["issue"]), str(passage.fields["recommendation"])


def form_summary(doc: str, before: int, document: Document, form: list[FormItem], drop=None, running=None,
                 heads=None) -> list[Passage]:
    """A summary before the answers as a table of the form's own texts, each with its mark ("I.1
    Governments should … X" under "Implemented | Partially | Not implemented"), read as the form
    reader reads such a reply (`heads`: the column each lone X stands under)."""
    return parse_form_reply(doc[:before], document, form, drop=[(a, min(b, before)) for a, b in drop or [] if a < before],
                            running=[(a, min(b, before)) for a, b in running or [] if a < before], heads=heads)


def parse_number_reply(doc: str, document: Document, form: list[FormItem], drop=None, running=None, heads=None
                       ) -> list[Passage]:
    """One passage per recommendation the reply numbers: the number's line (what it cites of the
    form) and the answer after it, read as the form reader reads an answer; `form_text` keeps the
    form's wording, by which the rows of every country's table are matched. A mark may come from a
    summary before the answers (`summary_marks`, `form_summary_marks`)."""
    places = numbered_places(doc, form)
    if not places:
        return []
    texts = occurrences(doc, form, running)
    after = [place for place in places if texts and place[1] > texts[-1][2]]
    summary: list[Passage] = []
    if len(after) >= len(places) / 2:  # the form's texts in a summary of marks, the answers after it by number
        summary, places = form_summary(doc, after[0][1], document, form, drop, running, heads), after
    given = {_key(p): p.fields["action_taken"] for p in summary if p.fields["action_taken"] != "unknown"}
    given |= summary_marks(doc, places[0][1])
    codes = legend_marks(doc, places[0][1])
    for item, _, _, rest in places:
        mark = codes.get(rest.strip(" .")) or line_mark(rest) or said_mark(rest)
        if mark:
            given[(item.issue, str(item.number))] = mark
    passages = parse_form_reply(doc, document, form, drop=drop, running=running,
                                places=[(item, start, end + len(rest)) for item, start, end, rest in places],
                                given_marks=given, prose=frozenset(start for _, start, end, _ in places
                                                                   if _prose(doc, start, end)))
    if sum(p.fields["action_taken"] != "unknown" for p in passages) < MARKED_SHARE * len(passages):
        return []  # numbers and no marks: a report's chapters and sections ("I.1 Background"), no reply
    texts = {(item.issue, str(item.number)): item.text for item, _, _, _ in places}
    for p in passages:
        p.fields["form_text"] = texts[(p.fields["issue"], str(p.fields["recommendation"]))]
    numbered = {_key(p) for p in passages}
    passages += [p for p in summary if _key(p) not in numbered and _key(p) in given]  # (marked in the summary, no
    #                                                                                    answer after it)
    passages.sort(key=lambda p: p.start)
    for ordinal, p in enumerate(passages):
        p.ordinal = ordinal
    return passages
