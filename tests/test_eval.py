"""`python -m eval run` on small inputs: gold mapping, formats, metrics and the files it writes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import baseline, formats, metrics
from eval import run as eval_run
from eval.gold import GoldError, GoldItem, Question, Unit, judgments, load_questions, map_items, passage_judgments

PLAN = "belgium-thb-action-plan-2012-2014.txt"
BE = "belgium-cnd-questionnaire-response.txt"
LU = "luxembourg-cnd-questionnaire-response.txt"
CIRCULAR = "Updating of Circular Col 01/07 on investigations and prosecutions of trafficking in human beings"

GOLD = [
    {"id": "t1", "query": "who must update circular Col 01/07 and by when?", "kind": "proposal-lookup",
     "relevant": [{"file": PLAN, "quote": CIRCULAR, "grade": 2},
                  {"file": PLAN, "quote": "Updating of Circular Col 01/07 on investigations and prosecutions of "
                                          "instances of trafficking in human beings", "grade": 1}]},
    {"id": "t2", "query": "which countries grant FIU access to police?", "kind": "cross-country",
     "relevant": [{"file": BE, "quote": "This kind of access is already implemented in Belgium (via Judicial "
                                        "authorities).", "grade": 2},
                  {"file": BE, "quote": "The Federal Police also appointed a liaison officer to the Belgian FIU.",
                   "grade": 1},
                  {"file": LU, "quote": "The Money-Laundering Section of the Criminal Investigation Department of "
                                        "the national police currently acquires such information through the "
                                        "prosecution services.", "grade": 2}]},
    {"id": "t3", "query": "how many unaccompanied foreign minors live in FEDASIL centres", "kind": "single-fact",
     "relevant": [{"file": PLAN, "quote": "More than 800 UFM are housed in these centres.", "grade": 2}]},
    {"id": "t4", "query": "container control at seaports", "kind": "single-fact",
     "relevant": [{"file": "unodc-report-drugs-and-crime.txt", "quote": "Container Control Programme", "grade": 2}]},
    {"id": "t5", "query": "darknet marketplaces task force", "kind": "paraphrase",
     "relevant": [{"file": "belgium-cnd-position-paper-online-drug-trafficking.txt",
                   "quote": "to form an international task force aimed specifically at the investigation of "
                            "darknet marketplaces", "grade": 2}]},
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def gold_file(tmp_path) -> Path:
    return write_jsonl(tmp_path / "gold.jsonl", GOLD)


@pytest.fixture
def conn(engine):
    return engine.index.connection()


# ---- gold: quotes to passages ----------------------------------------------------------------
def test_quotes_map_to_the_passages_that_hold_them(gold_file, conn):
    questions = load_questions(gold_file)
    qrels, mapped = passage_judgments(questions, conn)
    assert [q.kind for q in questions] == ["proposal-lookup", "cross-country", "single-fact", "single-fact",
                                           "paraphrase"]
    assert qrels["t1"]["be-thb-action-plan:proposal-14"] == 2
    assert qrels["t1"]["be-thb-action-plan:proposal-14:summary"] == 1  # the summary table words it differently
    assert qrels["t2"] == {"be-cnd-response:issue-IV:rec-1": 2, "lu-cnd-response:issue-IV:rec-1": 2}  # max grade
    assert all(m.units for m in mapped)


def test_every_occurrence_counts_and_half_the_quote_is_enough():
    text = "alpha beta gamma. " * 3 + "tail"
    quote = "beta gamma"  # at 6, 24 and 42
    units = [Unit("first", "f.txt", ((0, 18),)), Unit("third", "f.txt", ((36, 54),)),
             Unit("half", "f.txt", ((24, 29),)),   # "beta " covers 5 of 10 characters of the second one
             Unit("less", "f.txt", ((54, 58),)),   # "tail": nothing
             Unit("split", "f.txt", ((4, 9), (9, 12)))]  # two spans of one passage add up to 6 of 10
    mapped = map_items([Question("x", "q", items=[GoldItem("f.txt", quote, 2)])], {"f.txt": text}, units)
    assert mapped[0].occurrences == [(6, 16), (24, 34), (42, 52)]
    assert judgments([], mapped)["x"] == {"first": 2, "third": 2, "half": 2, "split": 2}


def test_a_quote_not_in_its_file_is_an_error_naming_the_question(tmp_path, conn):
    bad = dict(GOLD[2], id="t-missing", relevant=[{"file": PLAN, "quote": "No such sentence anywhere.", "grade": 2}])
    with pytest.raises(GoldError, match="t-missing"):
        passage_judgments(load_questions(write_jsonl(tmp_path / "bad.jsonl", [GOLD[0], bad])), conn)
    stray = dict(GOLD[2], id="t-file", relevant=[{"file": "nowhere.txt", "quote": "x", "grade": 2}])
    with pytest.raises(GoldError, match="t-file"):
        passage_judgments(load_questions(write_jsonl(tmp_path / "stray.jsonl", [stray])), conn)


# ---- metrics ------------------------------------------------------------------------------------
def test_a_ranking_with_the_gold_passage_first_scores_mrr_one():
    qrels = {"a": {"p1": 2, "p2": 1}, "b": {"p9": 2}, "c": {"p5": 1}}
    rankings = {"a": ["p1", "x", "p2"], "b": ["x", "y", "z", "w", "v", "p9"], "c": []}
    scores = metrics.per_query(qrels, rankings)
    assert scores["mrr@10"] == {"a": 1.0, "b": pytest.approx(1 / 6), "c": 0.0}
    assert scores["complete@5"] == {"a": 1.0, "b": 0.0}  # c has no grade-2 passage: not counted
    assert scores["recall@5"]["b"] == 0.0 and scores["recall@10"]["b"] == 1.0
    summary = metrics.summarize(scores, {"a": "k1", "b": "k1", "c": "k2"})
    assert summary["overall"]["complete@5"] == 0.5 and summary["by_kind"]["k2"]["complete@5"] is None
    assert all(0.0 <= v <= 1.0 for m in metrics.METRICS for v in scores[m].values())


# ---- the run: files and numbers -------------------------------------------------------------------
def read_trec_run(path: Path) -> dict[str, list[tuple[str, int, float, str]]]:
    text = path.read_text()
    assert text.endswith("\n")
    runs: dict[str, list] = {}
    for line in text.splitlines():
        qid, q0, docid, rank, score, tag = line.split()
        assert q0 == "Q0"
        runs.setdefault(qid, []).append((docid, int(rank), float(score), tag))
    for rows in runs.values():
        assert [r[1] for r in rows] == list(range(1, len(rows) + 1))
        assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True)
        assert len({r[0] for r in rows}) == len(rows) <= eval_run.K
    return runs


def test_run_writes_trec_runs_a_json_report_and_misses(engine, gold_file, tmp_path, capsys):
    out = tmp_path / "out"
    questions = load_questions(gold_file)
    report = eval_run.run_and_report(engine, questions, ["lexical", "hybrid"], out, str(gold_file))
    runs = read_trec_run(out / "run.hybrid.trec")
    assert set(runs) == {q["id"] for q in GOLD} and {r[3] for rows in runs.values() for r in rows} == {
        "precedent-hybrid"}
    saved = json.loads((out / "report.json").read_text())
    assert saved["questions"] == 5 and set(saved["modes"]) == {"lexical", "hybrid"}
    for mode in saved["modes"].values():
        assert all(0.0 <= mode["overall"][m] <= 1.0 for m in metrics.COLUMNS)
        assert set(mode["by_kind"]) == {"proposal-lookup", "cross-country", "single-fact", "paraphrase"}
    assert (out / "misses.md").read_text().startswith("# hybrid")
    assert "be-thb-action-plan:proposal-14 2" in (out / "qrels.trec").read_text()
    printed = capsys.readouterr().out
    assert "| hybrid |" in printed and "| cross-country | 1 |" in printed and "misses:" in printed
    assert report["runs"]["lexical"].endswith("run.lexical.trec")


def test_also_in_passages_count_right_after_their_result():
    class R:  # the two fields flatten reads
        def __init__(self, pid, also=()):
            self.passage_id, self.also_in = pid, [type("A", (), {"passage_id": a}) for a in also]

    response = type("Resp", (), {"results": [R("be:1", ["lu:1"]), R("lu:1"), R("x", ["y", "be:1"])]})
    assert eval_run.flatten(response) == ["be:1", "lu:1", "x", "y"]
    assert eval_run.flatten(response, k=2) == ["be:1", "lu:1"]


def test_weighted_sum_fusion_adds_min_max_normalised_scores():
    import numpy as np

    from service.retrieval import Ranking, fuse

    dense = Ranking(np.array([3, 1, 2]), np.array([0.9, 0.5, 0.1], dtype=np.float32))
    lexical = Ranking(np.array([1, 4]), np.array([10.0, 2.0], dtype=np.float32))
    wsum = fuse(5, dense, lexical, "wsum", dense_weight=0.5, rrf_k=60)
    assert wsum.rowids.tolist() == [1, 3, 2, 4]
    assert np.allclose(wsum.scores, [0.5 * 0.5 + 0.5 * 1.0, 0.5, 0.0, 0.0])
    rrf = fuse(5, dense, lexical, "rrf", dense_weight=0.5, rrf_k=60)
    assert rrf.rowids.tolist() == [1, 3, 4, 2]
    assert np.isclose(rrf.scores[0], 1 / 62 + 1 / 61)


def test_fusion_setting_changes_the_hybrid_ranking(engine):
    """The evaluation's hybrid-rrf row is really another fusion, not the served one again."""
    from service.schemas import SearchRequest

    requests = [SearchRequest(q=g["query"], k=10) for g in GOLD]
    wsum = [eval_run.flatten(r) for r in engine.search_batch(requests, fusion="wsum")]
    rrf = [eval_run.flatten(r) for r in engine.search_batch(requests, fusion="rrf")]
    assert wsum == [eval_run.flatten(r) for r in engine.search_batch(requests)]  # wsum is the default
    assert wsum != rrf


def test_answer_metrics_read_citations_in_reading_order():
    from types import SimpleNamespace as NS

    from eval.answers import score_answer

    texts = {BE: "aaaa This kind of access. bbbb", LU: "cccc The Money section acquires. dddd"}
    q = Question("t", "q", "cross-country", [GoldItem(BE, "This kind of access.", 2),
                                             GoldItem(LU, "The Money section acquires.", 2)])
    cof = {BE: "Belgium", LU: "Luxembourg"}

    def cite(file, *pieces):
        return NS(file=file, start=pieces[0][0], end=pieces[-1][1], spans=[NS(start=a, end=b) for a, b in pieces])

    def row(country, file, start, end):
        return NS(country=country, citation=cite(file, (start, end)))

    right = NS(type="by_country", by_country=[row("Belgium", BE, 5, 25), row("Luxembourg", LU, 5, 30)])
    assert score_answer(q, right, texts, cof) == {"sentence@1": 1.0, "sentence@3": 1.0, "table_shape": 1.0,
                                                  "rows_right": 1.0, "rows_total": 2, "chars@1": 20.0}
    wrong_row = NS(type="by_country", by_country=[row("Belgium", BE, 5, 25), row("Luxembourg", LU, 0, 4)])
    assert score_answer(q, wrong_row, texts, cof)["rows_right"] == 0.5
    # two parts that do not stand together: what lies between them is not cited, so a quote there
    # is not found, and a quote in either part is
    around = NS(country="Luxembourg", citation=cite(LU, (0, 4), (33, 37)))
    assert score_answer(q, NS(type="single", sentences=[around]), texts, cof)["sentence@1"] == 0.0
    assert score_answer(q, NS(type="single", sentences=[around]), texts, cof)["chars@1"] == 8.0  # the pieces only
    beside = NS(country="Luxembourg", citation=cite(LU, (0, 4), (5, 30)))
    assert score_answer(q, NS(type="single", sentences=[beside]), texts, cof)["sentence@1"] == 1.0
    single = NS(type="single", sentences=[NS(country="Luxembourg", citation=cite(LU, (32, 36))),
                                          NS(country="Belgium", citation=cite(BE, (5, 25)))])
    scores = score_answer(q, single, texts, cof)
    assert (scores["sentence@1"], scores["sentence@3"], scores["table_shape"], scores["rows_right"]) == (
        0.0, 1.0, 0.0, 0.0)
    same_words = Question("w", "q", "precedent-wording", [GoldItem(BE, "This kind of access.", 2),
                                                         GoldItem(LU, "This kind of access.", 2)])
    texts[LU] = texts[LU] + " This kind of access."
    assert score_answer(same_words, single, texts, cof)["table_shape"] == 1.0  # one wording: no table wanted


# ---- an evaluator's own sets ----------------------------------------------------------------------
def test_beir_folder_through_the_command_line(settings, tmp_path):
    beir = tmp_path / "beir"
    (beir / "qrels").mkdir(parents=True)
    write_jsonl(beir / "queries.jsonl", [{"_id": "b1", "text": "who must update circular Col 01/07?"},
                                         {"_id": "b2", "text": "container control at seaports",
                                          "metadata": {"kind": "lookup"}},
                                         {"_id": "b3", "text": "a query nobody judged"}])
    (beir / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nb1\tbe-thb-action-plan:proposal-14\t2\n"
                                             "b2\tunodc-drugs-and-crime:container-control-programme:p1\t1\n")
    questions = formats.read_beir(beir)
    assert [(q.id, q.kind) for q in questions] == [("b1", "all"), ("b2", "lookup")]
    out = tmp_path / "out"
    code = eval_run.main(["--beir", str(beir), "--modes", "lexical,fixed-window", "--out", str(out),
                          "--index", str(settings.index_dir)])
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert set(report["modes"]) == {"lexical"} and "fixed-window" in report["skipped"]
    assert set(read_trec_run(out / "run.lexical.trec")) == {"b1", "b2"}


@pytest.mark.parametrize("line, says", [
    ('{"id": "a", "query": 5, "relevant": []}', "query must be a non-empty string"),
    ('{"id": ["a"], "query": "x", "relevant": []}', "id must be a non-empty string"),
    ('{"id": "a", "query": "x", "relevant": [{"file": "f", "quote": "q", "grade": 1e30}]}', "grade must be 0, 1 or 2"),
    ('{"id": "a", "query": "x", "relevant": [{"file": "f", "quote": "q", "grade": 1.7}]}', "grade must be 0, 1 or 2"),
    ("", "no gold question in it"),
])
def test_a_malformed_gold_file_is_one_error_naming_its_line(tmp_path, line, says):
    """Wrong types in a gold line (a number for a query, a list for an id, a grade of 1e30 or 1.7)
    and an empty file are a GoldError naming the file and line, not a traceback from deeper in."""
    (tmp_path / "gold.jsonl").write_text(line + "\n")
    with pytest.raises(GoldError, match=says):
        load_questions(tmp_path / "gold.jsonl")


def test_trec_qrels_with_tsv_queries(tmp_path):
    (tmp_path / "qrels.txt").write_text("t1 0 be-thb-action-plan:proposal-14 2\nt1 0 other 0\n")
    (tmp_path / "topics.tsv").write_text("t1\twho must update circular Col 01/07?\n")
    [question] = formats.read_trec(tmp_path / "qrels.txt", tmp_path / "topics.tsv")
    assert question.query == "who must update circular Col 01/07?"
    assert question.judged == {"be-thb-action-plan:proposal-14": 2, "other": 0}
    with pytest.raises(GoldError):
        formats.read_beir_qrels(tmp_path / "qrels.txt")  # no BEIR header


# ---- the fixed-window baseline ----------------------------------------------------------------------
def test_fixed_windows_overlap_and_reach_the_end():
    cuts = baseline.windows(2500)
    assert cuts == [(0, 1000), (800, 1800), (1600, 2500)]
    assert baseline.windows(1000) == [(0, 1000)] and baseline.windows(0) == []


def test_fixed_window_baseline_judges_and_searches_windows(embedder):
    text = ("Seaports handle containers. " * 40) + "Money laundering harms the institutions. " * 40
    index = baseline.build_windows({"doc": ("doc.txt", text)}, embedder)
    assert [u.id for u in index.units] == [f"doc:window-{i}" for i in range(len(baseline.windows(len(text))))]
    quote = "Money laundering harms the institutions."
    qrels = judgments([], map_items([Question("m", "q", items=[GoldItem("doc.txt", quote, 2)])],
                                    {"doc.txt": text}, index.units))
    assert f"doc:window-{len(index.units) - 1}" in qrels["m"]
    [ranked] = index.search(embedder.encode(["money laundering"]), 2)
    assert ranked[0] in qrels["m"]


def test_reproduce_names_every_library_whose_version_differs_from_the_index():
    from eval.reproduce import version_drift

    recorded = {"faiss-cpu": "1.8.0", "numpy": "2.1.0", "precedent": "0.1.0", "pypdfium2": "4.30.0"}
    installed = {"faiss-cpu": "1.9.0", "numpy": "2.1.0", "precedent": "0.2.0"}
    assert version_drift(recorded, installed) == ["faiss-cpu 1.8.0 (index) vs 1.9.0 (installed)",
                                                  "pypdfium2 4.30.0 (index) vs not installed (installed)"]
    assert version_drift(recorded, recorded) == []


def test_lowercase_asks_the_same_questions_in_lower_case_and_keeps_their_gold():
    """`eval run --lowercase` and the reproduce conditions that say `lowercase = true`: only the
    question's words change, as people type them; its id, kind and quotes stay."""
    from eval.gold import lowercased
    from eval.reproduce import load_conditions, question_set

    item = GoldItem(file="belgium-cnd-questionnaire-response.txt", quote="This kind of access", grade=2)
    (q,) = lowercased([Question(id="q1", query="What did Belgium say on Issue II?", kind="country-scoped",
                                items=[item])])
    assert (q.id, q.query, q.kind, q.items) == ("q1", "what did belgium say on issue ii?", "country-scoped", [item])
    assert eval_run.parse_args(["--split", "dev", "--lowercase"]).lowercase
    lower = [c for c in load_conditions()["condition"] if c.get("lowercase")]
    assert lower and all("--lowercase" in c["command"] for c in lower)
    assert {question_set(c) for c in lower} == {("eval/gold/dev.jsonl", True)}
