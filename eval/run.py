"""`python -m eval run`: retrieval quality of every search mode on one question set, side by side.

Modes: lexical, dense, hybrid (with the engine's configured fusion, PRECEDENT_FUSION: wsum),
hybrid-rrf (the same candidates fused by reciprocal rank; `--modes hybrid-wsum` forces the
weighted sum whatever the setting), hybrid-nolate (the ablation: hybrid without late-interaction
re-ranking) and fixed-window (the baseline in eval/baseline.py). Prints a Markdown table per mode and per question kind, and writes a
JSON report, TREC run files, the qrels they were scored against and the hybrid misses.

How an engine response becomes a ranked list: each result's passage counts at its place,
its `also_in` passages right after it (identical wording is shown once with also_in; the
engine must not lose credit for that fold), a passage already listed keeps its first
place, and the list is cut at K = 10. The engine is asked for exactly K results, as a user
would: it fills K distinct results before it stops and a fold costs no slot, so the
flattened list has at least K ids whenever the index holds them.
"""
from __future__ import annotations

import argparse
import copy
import json
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from eval import answers, baseline, formats, metrics, uncertainty
from eval.gold import (
    DEFAULT_GOLD,
    SPLITS,
    TOP_GRADE,
    GoldError,
    MappedItem,
    Qrels,
    Question,
    judgments,
    load_questions,
    lowercased,
    map_items,
    passage_judgments,
)

log = logging.getLogger(__name__)

K = 10
DEEP_K = 50  # how deep a missed passage is looked for, to say how far off it was
MODES = ("lexical", "dense", "hybrid", "hybrid-rrf", "hybrid-nolate", "fixed-window")  # hybrid-wsum: on request
ENGINE_MODES = {"lexical": ("lexical", None), "dense": ("dense", None), "hybrid": ("hybrid", None),
                "hybrid-rrf": ("hybrid", "rrf"), "hybrid-wsum": ("hybrid", "wsum"),
                "hybrid-nolate": ("hybrid", None)}  # -> (request mode, fusion)
SETTING_MODES = {"hybrid-nolate": {"late_weight": 0.0}}  # a mode that is the engine with other settings
MISS_MODE = "hybrid"
DEFAULT_OUT = Path("results") / "eval"


@dataclass
class ModeResult:
    rankings: dict[str, list[str]]
    qrels: Qrels
    scores: metrics.PerQuery
    summary: dict
    seconds: float


@dataclass
class Evaluation:
    questions: list[Question]
    results: dict[str, ModeResult] = field(default_factory=dict)
    qrels: Qrels = field(default_factory=dict)  # passage judgments, shared by the engine's modes
    mapped: list[MappedItem] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # mode -> why it was not run

    @property
    def kinds(self) -> dict[str, str]:
        return {q.id: q.kind for q in self.questions}


# ---- searching -----------------------------------------------------------------------------
def flatten(response, k: int = K) -> list[str]:
    """Passage ids in the order a user reads them: each result, then its also_in."""
    ranked: list[str] = []
    for result in response.results:
        for pid in [result.passage_id, *(a.passage_id for a in result.also_in)]:
            if pid not in ranked:
                ranked.append(pid)
    return ranked[:k]


def _batches(items: Sequence, size: int):
    for start in range(0, len(items), max(1, size)):
        yield items[start:start + size]


def search(engine, questions: Sequence[Question], mode: str, fusion: str | None, k: int = K) -> list:
    """Engine responses for every question, in batches of the service's batch size."""
    from service.schemas import SearchRequest

    requests = [SearchRequest(q=q.query, k=k, mode=mode) for q in questions]
    responses: list = []
    for batch in _batches(requests, engine.settings.batch_max_size):
        responses += engine.search_batch(batch, fusion=fusion)
    return responses


def engine_for(engine, mode: str):
    """The engine a mode runs on: itself, or (an ablation) the same index and model under
    other settings."""
    if mode not in SETTING_MODES:
        return engine
    ablation = copy.copy(engine)  # the same index, model (and, in a cluster, fan-out)
    ablation.settings = engine.settings.model_copy(update=SETTING_MODES[mode])
    return ablation


def engine_rankings(engine, questions: Sequence[Question], mode: str) -> dict[str, list[str]]:
    engine = engine_for(engine, mode)
    request_mode, fusion = ENGINE_MODES[mode]
    responses = search(engine, questions, request_mode, fusion)
    return {q.id: flatten(r) for q, r in zip(questions, responses, strict=True)}


def query_vectors(engine, questions: Sequence[Question]) -> np.ndarray:
    """The vectors the engine's dense mode searches with (query plus acronym expansions)."""
    from service.schemas import SearchRequest

    index = engine.index
    parsed = [engine.parse(SearchRequest(q=q.query), index) for q in questions]
    return engine.embed_queries([p.expanded for p in parsed])


def window_rankings(engine, questions: Sequence[Question]) -> tuple[dict[str, list[str]], Qrels]:
    """Run the fixed-window baseline over the corpus files the index was built from."""
    conn = engine.index.connection()
    documents = {d: (f, t) for d, f, t in conn.execute("SELECT id, file, text FROM documents")}
    windows = baseline.build_windows(documents, engine.embedder, engine.settings.embed_batch_size)
    texts = {f: t for f, t in documents.values()}
    qrels = judgments(questions, map_items(questions, texts, windows.units))
    return baseline.search_windows(windows, questions, query_vectors(engine, questions), K), qrels


# ---- evaluating ----------------------------------------------------------------------------
def run_modes(engine, questions: Sequence[Question], modes: Sequence[str] = MODES) -> Evaluation:
    """Search with every mode and score each against its own judgments."""
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise ValueError(f"unknown mode(s) {', '.join(unknown)}; valid: {', '.join(MODES)}")
    evaluation = Evaluation(list(questions))
    evaluation.qrels, evaluation.mapped = passage_judgments(questions, engine.index.connection())
    for mode in modes:
        started = time.perf_counter()
        if mode == "fixed-window":
            if any(not q.items for q in questions):
                evaluation.skipped[mode] = "needs gold quotes (offsets); this set judges passage ids"
                log.warning("fixed-window skipped: %s", evaluation.skipped[mode])
                continue
            rankings, qrels = window_rankings(engine, questions)
        else:
            rankings, qrels = engine_rankings(engine, questions, mode), evaluation.qrels
        scores = metrics.per_query(qrels, rankings)
        seconds = time.perf_counter() - started
        evaluation.results[mode] = ModeResult(rankings, qrels, scores, metrics.summarize(scores, evaluation.kinds),
                                              seconds)
        log.info("%s: %d questions in %.1f s", mode, len(questions), seconds)
    return evaluation


def evaluate(engine, questions: Sequence[Question], modes: Sequence[str] = MODES) -> dict[str, dict[str, float]]:
    """Overall metrics per mode: {mode: {"ndcg@10": …, "mrr@10": …, "recall@5": …,
    "recall@10": …, "complete@5": …}}, for code that wants the numbers without the files."""
    return {mode: r.summary["overall"] for mode, r in run_modes(engine, questions, modes).results.items()}


# ---- misses --------------------------------------------------------------------------------
def find_misses(engine, evaluation: Evaluation, mode: str = MISS_MODE) -> list[dict]:
    """Questions where a grade-2 passage is not in the top 5: what was missing, where it
    stood in a DEEP_K-deep list, and what came first instead."""
    result = evaluation.results.get(mode)
    if result is None:
        return []
    misses = []
    for q in evaluation.questions:
        top = result.rankings[q.id][:5]
        wanted = [p for p, g in result.qrels[q.id].items() if g >= TOP_GRADE and p not in top]
        if wanted:
            misses.append({"id": q.id, "kind": q.kind, "query": q.query, "top3": result.rankings[q.id][:3],
                           "missing": [{"passage_id": p, "quote": _quote(evaluation, q.id, p)} for p in wanted]})
    _deep_positions(engine, evaluation, misses, mode)
    return misses


def _quote(evaluation: Evaluation, qid: str, pid: str) -> str:
    return next((m.item.quote for m in evaluation.mapped if m.question_id == qid and pid in m.units
                 and m.item.grade >= TOP_GRADE), "")


def _deep_positions(engine, evaluation: Evaluation, misses: list[dict], mode: str) -> None:
    """Where each missing passage stands when the engine is asked for DEEP_K results."""
    by_id = {q.id: q for q in evaluation.questions}
    questions = [by_id[m["id"]] for m in misses]
    engine = engine_for(engine, mode)
    request_mode, fusion = ENGINE_MODES[mode]
    responses = search(engine, questions, request_mode, fusion, k=DEEP_K)
    for miss, response in zip(misses, responses, strict=True):
        deep = flatten(response, k=10 * DEEP_K)
        for item in miss["missing"]:
            item["position"] = deep.index(item["passage_id"]) + 1 if item["passage_id"] in deep else None


# ---- output --------------------------------------------------------------------------------
def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def overall_table(evaluation: Evaluation) -> str:
    head = "| mode | " + " | ".join(metrics.LABELS[m] for m in metrics.COLUMNS) + " |"
    rule = "|---|" + "---:|" * len(metrics.COLUMNS)
    rows = [f"| {mode} | " + " | ".join(_fmt(r.summary["overall"][m]) for m in metrics.COLUMNS) + " |"
            for mode, r in evaluation.results.items()]
    return "\n".join([head, rule, *rows])


def kind_table(evaluation: Evaluation) -> str:
    modes = list(evaluation.results)
    kinds = sorted(set(evaluation.kinds.values()))
    head = "| kind | n | " + " | ".join(modes) + " |"
    rule = "|---|---:|" + "---:|" * len(modes)
    rows = []
    for kind in kinds:
        n = sum(1 for k in evaluation.kinds.values() if k == kind)
        cells = [evaluation.results[m].summary["by_kind"][kind] for m in modes]
        rows.append(f"| {kind} | {n} | " + " | ".join(f"{_fmt(c['ndcg@10'])} / {_fmt(c[metrics.COMPLETE])}"
                                                     for c in cells) + " |")
    return "\n".join([head, rule, *rows])


def report_text(evaluation: Evaluation, misses: list[dict], meta: dict, out: Path) -> str:
    lines = [f"## Retrieval quality — {len(evaluation.questions)} questions from {meta['source']}, index "
             f"{meta['index']['build_id']}, k={K}; hybrid fuses by {meta['fusion']}", "", overall_table(evaluation), "",
             "## Per question kind — each cell: nDCG@10 / complete@5", "", kind_table(evaluation), ""]
    lines += [f"Skipped {m}: {why}" for m, why in evaluation.skipped.items()]
    if MISS_MODE in evaluation.results:
        lines.append(f"{MISS_MODE} misses: {len(misses)} of {len(evaluation.questions)} questions have a grade-2 "
                     f"passage outside the top 5 (details: {out / 'misses.md'})")
    return "\n".join(lines)


def misses_markdown(misses: list[dict], total: int) -> str:
    lines = [f"# {MISS_MODE}: grade-2 passages outside the top 5", "",
             f"{len(misses)} of {total} questions. Position: place in the result list with also_in folded in, "
             f"asked for {DEEP_K} results (— = not among them).", ""]
    for miss in misses:
        lines += [f"## {miss['id']} ({miss['kind']}): {miss['query']}", ""]
        for item in miss["missing"]:
            where = item["position"] if item.get("position") else "—"
            lines.append(f"- missing `{item['passage_id']}` (position {where})"
                         + (f": “{item['quote'][:160]}”" if item["quote"] else ""))
        lines += ["- top 3 instead: " + ", ".join(f"`{p}`" for p in miss["top3"]), ""]
    return "\n".join(lines)


def write_outputs(evaluation: Evaluation, misses: list[dict], out: Path, meta: dict, extra: dict | None = None) -> dict:
    """The JSON report (with `extra` sections, such as the answers' scores), one TREC run per
    mode, the qrels behind them and the miss list."""
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for mode, result in evaluation.results.items():
        files[mode] = str(formats.write_trec_run(result.rankings, out / f"run.{mode}.trec", f"precedent-{mode}"))
    formats.write_trec_qrels(evaluation.qrels, out / "qrels.trec")
    if "fixed-window" in evaluation.results:
        formats.write_trec_qrels(evaluation.results["fixed-window"].qrels, out / "qrels.fixed-window.trec")
    (out / "misses.md").write_text(misses_markdown(misses, len(evaluation.questions)), "utf-8")
    report = {**meta, "k": K, "runs": files, "skipped": evaluation.skipped, "misses": misses,
              "modes": {mode: {**r.summary, "seconds": round(r.seconds, 2), "per_query": r.scores}
                        for mode, r in evaluation.results.items()}, **(extra or {})}
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), "utf-8")
    return report


# ---- command line ----------------------------------------------------------------------------
def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="precedent eval run", description="Retrieval quality of each search mode.",
                                allow_abbrev=False)
    p.add_argument("--split", choices=sorted(SPLITS), help="a gold split: dev or dev2 (tuned on) or test (held out)")
    p.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold questions (JSONL with quotes)")
    p.add_argument("--beir", type=Path, help="a BEIR folder: queries.jsonl and qrels/test.tsv (corpus-id = passage id)")
    p.add_argument("--trec-qrels", type=Path, help="TREC qrels 'qid 0 passage_id rel' (with --queries)")
    p.add_argument("--queries", type=Path, help="queries for --trec-qrels: BEIR JSONL or 'qid<TAB>text' TSV")
    p.add_argument("--modes", default=",".join(MODES), help=f"comma list of {', '.join(MODES)}")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the report, runs and misses")
    p.add_argument("--index", type=Path, help="index folder (default: the PRECEDENT_INDEX_DIR setting)")
    p.add_argument("--lowercase", action="store_true", help="ask every question in lower case, as people type them")
    args = p.parse_args(list(argv))
    if args.split:
        args.gold = SPLITS[args.split]
    if args.beir and args.trec_qrels:
        p.error("give --beir or --trec-qrels, not both")
    if bool(args.trec_qrels) != bool(args.queries):
        p.error("--trec-qrels and --queries go together")
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    bad = [m for m in args.modes if m not in MODES]
    if bad or not args.modes:
        p.error(f"unknown mode(s) {', '.join(bad) or '(none)'}; valid: {', '.join(MODES)}")
    return args


def load_set(args: argparse.Namespace) -> tuple[list[Question], str]:
    if args.beir:
        return formats.read_beir(args.beir), str(args.beir)
    if args.trec_qrels:
        return formats.read_trec(args.trec_qrels, args.queries), str(args.trec_qrels)
    return load_questions(args.gold), str(args.gold)


def open_engine(index_dir: Path | None):
    from indexer.settings import get_settings
    from service.engine import Engine

    settings = get_settings()
    if index_dir:
        settings = settings.model_copy(update={"index_dir": index_dir})
    return Engine.open(settings)


def code_version() -> dict:
    """The commit evaluated and whether the work tree differed from it: numbers move with the code."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {}
    return {"commit": commit, "dirty": bool(dirty)} if commit else {}


def run_and_report(engine, questions: Sequence[Question], modes: Sequence[str], out: Path, source: str) -> dict:
    """Evaluate, print the tables, write the files; returns the JSON report."""
    evaluation = run_modes(engine, questions, modes)
    misses = find_misses(engine, evaluation)
    meta = {"source": source, "questions": len(evaluation.questions), "fusion": engine.settings.fusion,
            "index": {"build_id": engine.index.manifest.get("build_id", "?"), "dir": str(engine.index.build_dir)},
            "code": code_version(), "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    extra = {"answers": answers.evaluate_answers(engine, questions)} if all(q.items for q in questions) else {}
    report = write_outputs(evaluation, misses, out, meta, extra)  # answers are judged against quotes
    text = report_text(evaluation, misses, meta, out)
    if extra:
        text += "\n\n## Answers (/ask) — sentence@k: a cited sentence overlaps a grade-2 quote\n\n" + answers.table(
            report["answers"], "kind")
    intervals = uncertainty.intervals_table(report, MISS_MODE)
    if intervals:
        text += (f"\n\n## How far these could move — 95% intervals, questions resampled (eval/uncertainty.py): "
                 f"nDCG@10 and complete@5 of {MISS_MODE}, the rest of /ask's answers\n\n" + intervals)
    sys.stdout.write(text + "\n")
    return report


def main(argv: Sequence[str]) -> int:
    from indexer.store import IndexUnavailable
    from service.engine import QueryError

    args = parse_args(argv)
    try:
        questions, source = load_set(args)
        if args.lowercase:
            questions, source = lowercased(questions), f"{source} (lower-cased)"
        engine = open_engine(args.index)
        run_and_report(engine, questions, args.modes, args.out, source)
    except (GoldError, IndexUnavailable, QueryError, OSError) as exc:
        log.error("%s", exc)
        return 1
    return 0
