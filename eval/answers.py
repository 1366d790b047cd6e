"""Answer quality: is the sentence /ask puts in front of the reader the one that answers?

The gold's grade-2 quotes are answer sentences. For every question the answer's cited
sentences are read in the order the reader sees them (a table's rows, or a single answer's
sentences) and compared with the quotes by character overlap in the same file:

- sentence@1, sentence@3: one of the first 1 or 3 cited sentences overlaps a grade-2 quote;
- rows right: for a question that wants a table, each country with a grade-2 quote has a row
  whose citation overlaps that country's quote (counted per country);
- table shape right: a table exactly when two or more countries have grade-2 quotes of
  their own (different wording: the same recommendation text standing in two responses is
  one answer found in two places, not a comparison);
- chars@1: the characters the first cited answer shows (the sum of its pieces). Overlap alone
  would reward ever longer answers; this says what the reader pays for a hit.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eval.gold import TOP_GRADE, Question, occurrences

METRICS = ("sentence@1", "sentence@3", "rows_right", "table_shape")


@dataclass
class Cited:
    """One cited answer: its file and the pieces it highlights (two sentences that do not
    stand together are two pieces; what lies between them is not cited)."""

    file: str
    pieces: list[tuple[int, int]]
    country: str | None

    @classmethod
    def of(cls, citation, country: str | None) -> "Cited":
        pieces = [(s.start, s.end) for s in citation.spans] or [(citation.start, citation.end)]
        return cls(citation.file, pieces, country)


def cited_sentences(answer) -> list[Cited]:
    """The answer's citations in reading order."""
    rows = answer.by_country if answer.type == "by_country" else answer.sentences
    return [Cited.of(r.citation, r.country) for r in rows]


def _overlaps(cited: Cited, spans: list[tuple[str, int, int]]) -> bool:
    return any(cited.file == f and a < e and s < b for f, s, e in spans for a, b in cited.pieces)


def gold_spans(question: Question, texts: dict[str, str]) -> list[tuple[str, int, int]]:
    """Every occurrence of every grade-2 quote, in the file the gold names."""
    return [(item.file, s, e) for item in question.items if item.grade >= TOP_GRADE
            for s, e in occurrences(texts.get(item.file, ""), item.quote)]


def countries_with_answers(question: Question, country_of_file: dict[str, str | None]) -> dict[str, set[str]]:
    """Country -> the grade-2 quotes of its own file."""
    out: dict[str, set[str]] = {}
    for item in question.items:
        country = country_of_file.get(item.file)
        if item.grade >= TOP_GRADE and country:
            out.setdefault(country, set()).add(item.quote)
    return out


def wants_table(question: Question, country_of_file: dict[str, str | None]) -> bool:
    answers = countries_with_answers(question, country_of_file)
    distinct = {q for quotes in answers.values() for q in quotes}
    return len(answers) >= 2 and len(distinct) >= 2


def score_answer(question: Question, answer, texts: dict[str, str],
                 country_of_file: dict[str, str | None]) -> dict[str, float | None]:
    spans = gold_spans(question, texts)
    cited = cited_sentences(answer)
    table = wants_table(question, country_of_file)
    scores: dict[str, float | None] = {
        "sentence@1": float(any(_overlaps(c, spans) for c in cited[:1])),
        "sentence@3": float(any(_overlaps(c, spans) for c in cited[:3])),
        "table_shape": float((answer.type == "by_country") == table),
        "rows_right": None,
        "chars@1": float(sum(b - a for a, b in cited[0].pieces)) if cited else 0.0,
    }
    if table:
        per_country = countries_with_answers(question, country_of_file)
        rows = {r.country: r for r in answer.by_country} if answer.type == "by_country" else {}
        right = 0
        for country, quotes in per_country.items():
            row = rows.get(country)
            own = [(f, s, e) for f, s, e in spans if country_of_file.get(f) == country]
            if row and _overlaps(Cited.of(row.citation, country), own):
                right += 1
        scores["rows_right"] = right / len(per_country)
        scores["rows_total"] = len(per_country)
    return scores


def evaluate_answers(engine, questions: Sequence[Question]) -> dict:
    """Per-question scores and their means, overall and per kind."""
    from service import ask
    from service.engine import raise_failures

    conn = engine.index.connection()
    texts = dict(conn.execute("SELECT file, text FROM documents").fetchall())
    country_of_file = dict(conn.execute("SELECT file, country FROM documents").fetchall())
    per_question: dict[str, dict] = {}
    batch = engine.settings.batch_max_size
    for start in range(0, len(questions), batch):
        chunk = questions[start:start + batch]
        encoded = engine.encode_batch([ask.ask_request(q.query) for q in chunk])
        for q, response in zip(chunk, raise_failures(ask.ask_batch(engine, encoded)), strict=True):
            per_question[q.id] = {**score_answer(q, response.answer, texts, country_of_file),
                                  "type": response.answer.type}
    return {"overall": summarize(per_question, [q.id for q in questions]),
            "by_kind": {kind: summarize(per_question, [q.id for q in questions if q.kind == kind])
                        for kind in sorted({q.kind for q in questions})},
            "per_question": per_question}


def summarize(per_question: dict[str, dict], qids: list[str]) -> dict[str, float | None]:
    out: dict[str, float | None] = {"n": len(qids)}
    for metric in ("sentence@1", "sentence@3", "table_shape", "chars@1"):
        values = [per_question[q][metric] for q in qids]
        out[metric] = sum(values) / len(values) if values else None
    # rows right counts countries, not questions: a two-country table with one wrong row is 1 of 2
    rows = [(per_question[q]["rows_right"], per_question[q]["rows_total"]) for q in qids
            if per_question[q]["rows_right"] is not None]
    total = sum(n for _, n in rows)
    out["rows_right"] = sum(r * n for r, n in rows) / total if total else None
    out["tables_wanted"] = len(rows)
    return out


def table(report: dict, label: str) -> str:
    def fmt(v):
        return "–" if v is None else f"{v:.3f}"

    def row(name: str, s: dict) -> str:
        chars = "–" if s.get("chars@1") is None else f"{s['chars@1']:.0f}"
        return (f"| {name} | {s['n']} | {fmt(s['sentence@1'])} | {fmt(s['sentence@3'])} | "
                f"{fmt(s['rows_right'])} | {fmt(s['table_shape'])} | {chars} |")

    head = (f"| {label} | n | sentence@1 | sentence@3 | rows right | table shape | chars@1 |\n"
            "|---|---:|---:|---:|---:|---:|---:|")
    lines = [head, row("all", report["overall"])]
    lines += [row(kind, s) for kind, s in report["by_kind"].items()]
    return "\n".join(lines)
