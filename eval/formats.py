"""An evaluator's own sets in, TREC run files out: the formats other IR tools read.

In: BEIR (queries.jsonl + qrels/test.tsv) and TREC qrels ("qid 0 docid rel") with a queries
file. Corpus ids are our passage ids. Out: TREC runs ("qid Q0 docid rank score tag") that
trec_eval, ranx or pytrec_eval score the same way this command does.
"""
from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

from ranx import Qrels, Run

from eval.gold import GoldError, Question, _check_unique

log = logging.getLogger(__name__)

BEIR_QUERIES = "queries.jsonl"
BEIR_QRELS = Path("qrels") / "test.tsv"
BEIR_COLUMNS = ("query-id", "corpus-id", "score")


def read_queries(path: Path) -> list[tuple[str, str, str]]:
    """(id, text, kind) of each query: BEIR JSONL ({"_id","text"}, kind from metadata.kind
    if given), this project's gold JSONL ({"id","query","kind"}: eval/gold), or a TSV of
    "qid<TAB>text" lines, the usual TREC topics-as-TSV."""
    path = Path(path)
    lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    if path.suffix == ".jsonl" or (lines and lines[0].lstrip().startswith("{")):
        return [_beir_query(path, n, line) for n, line in enumerate(lines, 1)]
    out = []
    for n, line in enumerate(lines, 1):
        qid, sep, text = line.partition("\t")
        if not sep or not text.strip():
            raise GoldError(f"{path}:{n}: expected 'qid<TAB>query text'")
        out.append((qid.strip(), text.strip(), "all"))
    return out


def _beir_query(path: Path, number: int, line: str) -> tuple[str, str, str]:
    try:
        raw = json.loads(line)
        if "_id" not in raw and "query" in raw:  # a gold question
            return str(raw["id"]), str(raw["query"]), str(raw.get("kind") or "all")
        kind = (raw.get("metadata") or {}).get("kind") or "all"
        return str(raw["_id"]), str(raw["text"]), str(kind)
    except (json.JSONDecodeError, KeyError, AttributeError) as exc:
        raise GoldError(f"{path}:{number}: not a BEIR query ({exc!r})") from None


def read_beir_qrels(path: Path) -> Qrels:
    """BEIR's TSV with the header "query-id corpus-id score", read into ranx's Qrels.

    Read with csv rather than pandas: ranx.Qrels.from_df insists on object columns, which
    pandas 3 no longer gives for strings by default.
    """
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    if not rows or tuple(c.strip() for c in rows[0][:3]) != BEIR_COLUMNS:
        raise GoldError(f"{path}: the first line must be the header 'query-id<TAB>corpus-id<TAB>score'")
    qrels: dict[str, dict[str, int]] = {}
    for n, row in enumerate(rows[1:], 2):
        if not any(c.strip() for c in row):
            continue
        try:
            qid, pid, score = (c.strip() for c in row[:3])
            qrels.setdefault(qid, {})[pid] = int(score)
        except ValueError:
            raise GoldError(f"{path}:{n}: expected query-id, corpus-id and an integer score") from None
    return make_qrels(qrels)


def read_trec_qrels(path: Path) -> Qrels:
    """TREC qrels, split as ranx's loader splits them (its loader costs a numba compile, see make_qrels)."""
    qrels: dict[str, dict[str, int]] = {}
    for n, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            qid, _, pid, rel = line.split()
            qrels.setdefault(qid, {})[pid] = int(rel)
        except ValueError:
            raise GoldError(f"{path}:{n}: not TREC qrels 'qid 0 docid rel'") from None
    return make_qrels(qrels)


def questions_from(queries: list[tuple[str, str, str]], qrels: Qrels, source: object) -> list[Question]:
    """Join queries with their judgments; a query nobody judged cannot be scored and is left out."""
    _check_unique([q for q, _, _ in queries], source)
    judged = qrels.to_dict()
    questions = [Question(qid, text, kind, judged={p: int(g) for p, g in judged[qid].items()})
                 for qid, text, kind in queries if any(g > 0 for g in judged.get(qid, {}).values())]
    unjudged = len(queries) - len(questions)
    orphans = sorted(set(judged) - {q for q, _, _ in queries})
    if unjudged:
        log.warning("%s: %d queries have no relevant passage in the qrels and are left out", source, unjudged)
    if orphans:
        log.warning("%s: qrels for %d unknown query ids ignored (%s)", source, len(orphans), ", ".join(orphans[:5]))
    if not questions:
        raise GoldError(f"{source}: no query has a relevant passage in the qrels")
    return questions


def read_beir(folder: Path) -> list[Question]:
    """A BEIR folder: queries.jsonl and qrels/test.tsv (corpus-id = our passage id)."""
    folder = Path(folder)
    return questions_from(read_queries(folder / BEIR_QUERIES), read_beir_qrels(folder / BEIR_QRELS), folder)


def read_trec(qrels_path: Path, queries_path: Path) -> list[Question]:
    return questions_from(read_queries(queries_path), read_trec_qrels(qrels_path), qrels_path)


# ---- out ---------------------------------------------------------------------------------
def ranked_run(rankings: dict[str, list[str]], name: str) -> Run:
    """A ranx Run that keeps our order: score = list length - position (see make_qrels for add_multi).

    Engine scores cannot be used: a diversified ranking (one passage per country first) and
    also_in passages folded after their result are not in score order, and TREC tools sort by
    score, not by the rank column.
    """
    filled = {q: {pid: float(len(ids) - i) for i, pid in enumerate(ids)} for q, ids in rankings.items() if ids}
    if len(filled) < len(rankings):  # a TREC run has no line for them; scorers count them as 0
        log.info("run %s: %d queries without results", name, len(rankings) - len(filled))
    run = Run(name=name)
    if filled:
        run.add_multi(list(filled), [list(d) for d in filled.values()], [list(d.values()) for d in filled.values()])
    return run


def make_qrels(graded: dict[str, dict[str, int]]) -> Qrels:
    """ranx Qrels built through add_multi, which keeps ids as plain strings.

    Qrels.from_dict (and so Qrels.from_file) packs ids into fixed-width numpy strings, and
    numba compiles ranx's functions again for every new width: 40-60 s each time a set
    has a longer id than any seen before. add_multi has one signature, compiled once.
    """
    qrels = Qrels()
    judged = {q: d for q, d in graded.items() if d}
    if judged:
        qrels.add_multi(list(judged), [list(d) for d in judged.values()], [list(d.values()) for d in judged.values()])
    return qrels


def write_trec_run(rankings: dict[str, list[str]], path: Path, tag: str) -> Path:
    """A TREC run file, written by ranx."""
    return _save(ranked_run(rankings, tag), path)


def write_trec_qrels(qrels: dict[str, dict[str, int]], path: Path) -> Path:
    """The judgments a run was scored against, so the numbers can be checked with trec_eval."""
    return _save(make_qrels(qrels), path)


def _save(table: Qrels | Run, path: Path) -> Path:
    """Save through ranx's TREC writer; ranx leaves off the final newline, POSIX tools want it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table.save(str(path), kind="trec")
    with open(path, "a") as f:
        if f.tell():
            f.write("\n")
    return path
