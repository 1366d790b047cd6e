"""Late interaction: hybrid search re-ranks its top by MaxSim over MiniLM's token vectors.

What a user relies on: the order shown is the documented one (fused score and MaxSim, each
min-max normalised over the top 30, MaxSim weighted 0.4), computed from the token vectors the
build stored; the rest of the ranking is untouched; the evaluation's ablation really turns it
off; and a build made before token vectors were stored still serves. Real model, real index.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from indexer import store
from service.engine import Engine
from service.schemas import SearchRequest

QUERIES = ["inspecting cargo boxes in harbours for smuggled narcotics", "money trail of human traffickers",
           "shelters for trafficking victims", "training judges about human trafficking"]


def _minmax(x: np.ndarray) -> np.ndarray:
    return (x - x.min()) / (x.max() - x.min()) if x.max() > x.min() else np.ones(len(x))


def test_the_top_is_ordered_by_fused_score_plus_maxsim_from_the_stored_token_vectors(engine, embedder):
    """The first five of the re-ranked top, recomputed here on another path: the query's token
    vectors from sentence-transformers (torch) rather than the service's OpenVINO, the passages'
    read back from tokens.npy, both reduced to the top principal directions of the stored token
    vectors (an SVD here)."""
    from indexer.embed import Embedder

    reference = Embedder(encoder="torch")
    settings = engine.settings
    stored = np.load(store.resolve_build(settings.index_dir) / store.TOKENS).astype(np.float64)
    starts = np.load(store.resolve_build(settings.index_dir) / store.TOKEN_STARTS)
    basis = np.linalg.svd(stored, full_matrices=False)[2][:settings.late_dims].T

    def reduce(x):
        y = np.asarray(x, np.float64) @ basis
        return y / np.linalg.norm(y, axis=1, keepdims=True)

    without = Engine(settings.model_copy(update={"late_weight": 0.0}), engine.index, engine.embedder)
    moved = 0
    for q in QUERIES:
        request = SearchRequest(q=q, k=10)
        batch = engine.encode_batch([request])
        parsed, vector = batch.parsed[0], batch.vectors[0]
        late = engine.rank(engine.index, request, parsed, vector)
        fused = without.rank(engine.index, request, without.parse(request), vector)
        depth = settings.late_depth
        top = fused.rowids[:depth]
        assert set(late.rowids[:depth].tolist()) == set(top.tolist())  # the same top, re-ordered
        assert late.rowids[depth:].tolist() == fused.rowids[depth:].tolist()  # the rest untouched
        assert np.all(np.diff(late.scores) <= 1e-6)  # scores fall as the list goes down
        assert fused.scores[depth - 1] - 1e-6 <= late.scores[depth - 1] <= late.scores[0] <= fused.scores[0] + 1e-6
        # ... and stay within the range the fused top spanned
        _, (query_tokens,) = reference.encode([parsed.expanded], tokens=True)
        query = reduce(query_tokens)
        maxsim = np.array([(query @ reduce(stored[starts[r]:starts[r + 1]]).T).max(1).mean() for r in top.tolist()])
        expected = _minmax(fused.scores[:depth].astype(np.float64)) + settings.late_weight * _minmax(maxsim)
        assert late.rowids[:depth].tolist()[:5] == top[np.argsort(-expected, kind="stable")].tolist()[:5], q
        moved += late.rowids[:5].tolist() != fused.rowids[:5].tolist()
    assert moved  # it changes what a reader sees for some of these paraphrases


def test_the_ablation_mode_is_hybrid_without_late_interaction(engine):
    from eval import run as eval_run
    from eval.gold import load_questions

    questions = load_questions(Path(__file__).resolve().parents[1] / "eval" / "gold" / "dev.jsonl")[:40]
    hybrid = eval_run.engine_rankings(engine, questions, "hybrid")
    nolate = eval_run.engine_rankings(engine, questions, "hybrid-nolate")
    off = Engine(engine.settings.model_copy(update={"late_weight": 0.0}), engine.index, engine.embedder)
    assert nolate == {q.id: eval_run.flatten(r) for q, r in zip(questions, off.search_batch(
        [SearchRequest(q=q.query, k=eval_run.K) for q in questions]))}
    assert nolate != hybrid


def test_a_build_without_token_vectors_still_serves_without_late_interaction(engine, tmp_path):
    """An index built before token vectors were stored: served as before, ranked without them."""
    build = tmp_path / "old-build"
    shutil.copytree(store.resolve_build(engine.settings.index_dir), build)
    manifest = json.loads((build / store.MANIFEST).read_text())
    for name in (store.TOKENS, store.TOKEN_STARTS):
        (build / name).unlink()
        manifest["files"].pop(name)
    (build / store.MANIFEST).write_text(json.dumps(manifest))
    index_dir = tmp_path / "index"
    (index_dir / store.BUILDS).mkdir(parents=True)
    shutil.move(str(build), index_dir / store.BUILDS / "old")
    (index_dir / store.CURRENT).symlink_to(Path(store.BUILDS) / "old")
    old = Engine.open(engine.settings.model_copy(update={"index_dir": index_dir}), embedder=engine.embedder)
    off = Engine(engine.settings.model_copy(update={"late_weight": 0.0}), engine.index, engine.embedder)
    for q in QUERIES:
        served = [r.passage_id for r in old.search(SearchRequest(q=q, k=10)).results]
        assert served == [r.passage_id for r in off.search(SearchRequest(q=q, k=10)).results]


def test_token_vectors_that_do_not_match_the_passages_are_refused(engine, tmp_path):
    """A build whose token table has another passage count would re-rank with other passages'
    words: opening it fails with a clear error (a reload then keeps the build that serves)."""
    import pytest

    build = tmp_path / "index" / store.BUILDS / "bad"
    shutil.copytree(store.resolve_build(engine.settings.index_dir), build)
    starts = np.load(build / store.TOKEN_STARTS)
    np.save(build / store.TOKEN_STARTS, starts[:-1])  # one passage short
    manifest = json.loads((build / store.MANIFEST).read_text())
    manifest["files"][store.TOKEN_STARTS] = {"sha256": store.sha256_file(build / store.TOKEN_STARTS),
                                             "bytes": (build / store.TOKEN_STARTS).stat().st_size}
    (build / store.MANIFEST).write_text(json.dumps(manifest))
    (tmp_path / "index" / store.CURRENT).symlink_to(Path(store.BUILDS) / "bad")
    with pytest.raises(store.IndexDamaged, match="token vectors for"):
        Engine.open(engine.settings.model_copy(update={"index_dir": tmp_path / "index"}), embedder=engine.embedder)
