"""Gold questions and their judgments, mapped to retrieval units by character offsets.

A gold item names a file and a verbatim quote, never a passage id: ids change whenever the
parser cuts differently, offsets into the verbatim files do not. Each quote is found in its
file (every occurrence), and a unit (an index passage, or a baseline window) is judged
relevant when it covers at least half of an occurrence.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

log = logging.getLogger(__name__)

GOLD_DIR = Path(__file__).resolve().parent / "gold"
# Tune on dev and dev2 only; test is held out. dev2 was written later, like test, by someone who
# had read only the corpus: a second development set, so that what is tuned is tuned on more
# than one writer's wording.
SPLITS = {"dev": GOLD_DIR / "dev.jsonl", "dev2": GOLD_DIR / "dev2.jsonl", "test": GOLD_DIR / "test.jsonl"}
DEFAULT_GOLD = SPLITS["dev"]
MIN_OVERLAP = 0.5  # share of the quote a unit must cover to count as relevant
TOP_GRADE = 2  # the grade of what a complete answer must contain

Qrels = dict[str, dict[str, int]]  # question id -> unit id -> grade


class GoldError(ValueError):
    """The gold set cannot be scored as written; the message names the question."""


@dataclass(frozen=True)
class GoldItem:
    file: str
    quote: str
    grade: int


@dataclass
class Question:
    """One query to evaluate. Gold questions carry quotes (`items`); an evaluator's own set
    (BEIR, TREC) carries passage judgments directly (`judged`)."""

    id: str
    query: str
    kind: str = "all"
    items: list[GoldItem] = field(default_factory=list)
    judged: dict[str, int] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Unit:
    """A retrievable unit located in a corpus file: a passage or a fixed window."""

    id: str
    file: str
    spans: tuple[tuple[int, int], ...]


@dataclass
class MappedItem:
    """Where a gold item was found, and which units it makes relevant."""

    question_id: str
    item: GoldItem
    occurrences: list[tuple[int, int]]
    units: list[str]


def load_questions(path: Path) -> list[Question]:
    """Read the gold JSONL; a malformed line is an error that names its line."""
    questions = []
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise GoldError(f"{path}: not UTF-8 (byte {exc.start}); gold is JSON lines in UTF-8") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            items = [GoldItem(_text(r["file"], "file"), _text(r["quote"], "quote"), _grade(r["grade"]))
                     for r in raw["relevant"]]
            questions.append(Question(_text(raw["id"], "id"), _text(raw["query"], "query"), raw.get("kind") or "all",
                                      items, note=raw.get("note", "")))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, OverflowError) as exc:
            raise GoldError(f"{path}:{number}: not a gold question ({exc!r})") from None
    if not questions:
        raise GoldError(f"{path}: no gold question in it")
    _check_unique([q.id for q in questions], path)
    return questions


def _text(value, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, not {value!r}")
    return value


def _grade(value) -> int:
    """A judgment's grade: 0, 1 or 2 (a whole number; not 1.7, not -1, not 1e30)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or not 0 <= value <= 2:
        raise ValueError(f"grade must be 0, 1 or 2, not {value!r}")
    return int(value)


def _check_unique(ids: Sequence[str], source: object) -> None:
    seen, dupes = set(), set()
    for qid in ids:
        (dupes if qid in seen else seen).add(qid)
    if dupes:
        raise GoldError(f"{source}: duplicate question ids: {', '.join(sorted(dupes))}")


def occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    """Every [start, end) where the quote stands verbatim, overlapping ones included."""
    found, at = [], text.find(quote)
    while quote and at >= 0:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return found


def covers(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    """True when the spans cover at least MIN_OVERLAP of [start, end).

    A passage's spans are disjoint pieces of one unit (markup between them was dropped), so
    their overlaps add up: a quote running across such a gap still belongs to the passage.
    """
    overlap = sum(max(0, min(e, end) - max(s, start)) for s, e in spans)
    return overlap > 0 and overlap >= MIN_OVERLAP * (end - start)


def map_items(questions: Sequence[Question], texts: dict[str, str], units: Sequence[Unit]) -> list[MappedItem]:
    """Locate every gold item and the units it makes relevant; a quote not found is fatal."""
    by_file: dict[str, list[Unit]] = {}
    for unit in units:
        by_file.setdefault(unit.file, []).append(unit)
    mapped = []
    for q in questions:
        for item in q.items:
            if item.file not in texts:
                raise GoldError(f"question {q.id}: no corpus file {item.file!r} in the index")
            found = occurrences(texts[item.file], item.quote)
            if not found:
                raise GoldError(f"question {q.id}: quote not found in {item.file}: {item.quote[:80]!r}")
            hits = [u.id for u in by_file.get(item.file, []) if any(covers(u.spans, s, e) for s, e in found)]
            mapped.append(MappedItem(q.id, item, found, hits))
    return mapped


def judgments(questions: Sequence[Question], mapped: Sequence[MappedItem]) -> Qrels:
    """Unit grades per question: the highest grade of any item that makes the unit relevant.

    Questions without items keep their own judgments (an evaluator's BEIR or TREC qrels).
    """
    qrels: Qrels = {q.id: dict(q.judged) for q in questions if not q.items}
    for m in mapped:
        graded = qrels.setdefault(m.question_id, {})
        for unit in m.units:
            graded[unit] = max(graded.get(unit, 0), m.item.grade)
    return qrels


def unmapped(mapped: Sequence[MappedItem]) -> list[MappedItem]:
    """Items found in their file but covered by no unit (e.g. a quote inside a heading)."""
    return [m for m in mapped if not m.units]


# ---- the index as the source of file texts and passage locations -------------------------
def index_texts(conn: sqlite3.Connection) -> dict[str, str]:
    """Verbatim text of each corpus file, as the index stored it."""
    return dict(conn.execute("SELECT file, text FROM documents").fetchall())


def index_documents(conn: sqlite3.Connection) -> dict[str, str]:
    """Document id -> file name."""
    return dict(conn.execute("SELECT id, file FROM documents").fetchall())


def index_units(conn: sqlite3.Connection) -> list[Unit]:
    """Every passage with its file and spans."""
    rows = conn.execute("SELECT p.id, d.file, p.spans FROM passages p JOIN documents d ON d.id = p.document_id "
                        "ORDER BY p.rowid").fetchall()
    return [Unit(pid, file, tuple((int(a), int(b)) for a, b in json.loads(spans))) for pid, file, spans in rows]


def passage_judgments(questions: Sequence[Question], conn: sqlite3.Connection) -> tuple[Qrels, list[MappedItem]]:
    """Passage-level qrels for the questions, read against one index build."""
    units = index_units(conn)
    mapped = map_items(questions, index_texts(conn), units)
    for m in unmapped(mapped):
        raise GoldError(f"question {m.question_id}: quote found in {m.item.file} at {m.occurrences[0]} but no "
                        f"passage covers half of it: {m.item.quote[:80]!r}")
    qrels = judgments(questions, mapped)
    known = {u.id for u in units}
    strangers = sorted({p for graded in qrels.values() for p in graded if p not in known})
    if strangers:
        log.warning("%d judged passage ids are not in this index (another build?): %s", len(strangers),
                    ", ".join(strangers[:5]))
    empty = [q.id for q in questions if not qrels.get(q.id)]
    if empty:
        raise GoldError(f"questions without any relevant passage: {', '.join(empty)}")
    return qrels, mapped


def lowercased(questions: Sequence[Question]) -> list[Question]:
    """The questions as people type them into a search box, in lower case ("belgium fiu
    access"): the figures must hold however a question is written."""
    return [replace(q, query=q.query.lower()) for q in questions]
