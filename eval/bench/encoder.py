"""The `encoder` part: what each way of running the model gives, against sentence-transformers
fp32 (the reference), and what it costs.

- fidelity over every gold query (dev and test): the lowest cosine to the reference vector, and
  the share of queries whose top 10 against the served index is the reference's, in order and
  as a set;
- speed, interleaved in one process: milliseconds per query at batch 1 (p50, p95) and per query
  in batches of 8 and 32, for each runtime, precision and thread count.

tests/test_encoder.py holds the default path to the same comparison (`top10`, `same_top10_share`).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np


VARIANTS = [("openvino", "fp32"), ("openvino", "bf16"), ("torch", "bf16")]  # against torch fp32


def gold_queries() -> list[str]:
    """The dev and test questions (183): the set the README's encoder figures were measured on."""
    from eval.gold import SPLITS

    return [json.loads(line)["query"] for path in (SPLITS["dev"], SPLITS["test"])
            for line in path.read_text("utf-8").splitlines() if line.strip()]


def top10(queries: np.ndarray, passages: np.ndarray) -> list[list[int]]:
    scores = queries @ passages.T
    return [list(np.argsort(-row, kind="stable")[:10]) for row in scores]


def same_top10_share(a: list[list[int]], b: list[list[int]], texts: list[str] | None = None,
                     as_set: bool = False) -> float:
    """Share of queries whose top 10 is the same, in the same order (or as a set). With `texts`,
    compared by text: the corpus repeats sentences word for word, and the order of two identical
    sentences is a tie either way."""
    if texts is not None:
        a, b = ([[texts[i] for i in row] for row in x] for x in (a, b))
    same = (lambda x, y: set(x) == set(y)) if as_set else (lambda x, y: x == y)
    return sum(same(x, y) for x, y in zip(a, b)) / len(a)


def build_texts(corpus_dir: Path, passage_tokens: int) -> tuple[list[str], list[str]]:
    """What a build embeds: each passage with its context, and each sentence."""
    from indexer.embed_plan import contextual_text
    from indexer.passage_sentences import passage_sentences
    from indexer.corpus import load_corpus, parse_document

    corpus = load_corpus(Path(corpus_dir))
    docs = {d.id: d for d, _ in corpus.documents}
    passages = [p for d, text in corpus.documents for p in parse_document(d, text, passage_tokens)]
    sentences = [p.text[a:b] for p in passages for a, b in passage_sentences(p, corpus.texts[p.document_id])]
    return [contextual_text(docs[p.document_id], p) for p in passages], sentences


def part_encoder(index_dir: Path, corpus_dir: Path, passage_tokens: int, rounds: int = 3,
                 batch1_queries: int = 60) -> dict:
    import faiss
    import torch

    from indexer import store
    from indexer.embed import Embedder

    queries = gold_queries()
    index = faiss.read_index(str(store.resolve_build(Path(index_dir)) / store.VECTORS))
    passages = index.reconstruct_n(0, index.ntotal)
    models = {(runtime, threads): Embedder(encoder=runtime, threads=threads)
              for runtime in ("torch", "openvino") for threads in (1, 2)}
    reference = models["torch", 2].encode(queries)
    ref_top = top10(reference, passages)
    fidelity = []
    for runtime, precision in VARIANTS:
        vectors = models[runtime, 2].encode(queries, bf16=precision == "bf16")
        mine = top10(vectors, passages)
        fidelity.append({"vectors": f"queries, {runtime} {precision}", "n": len(queries),
                         "min_cosine": round(float((reference * vectors).sum(axis=1).min()), 6),
                         "same_top10_order": round(same_top10_share(ref_top, mine), 3),
                         "same_top10_set": round(same_top10_share(ref_top, mine, as_set=True), 3)})
    for name, texts in zip(("passages", "sentences"), build_texts(corpus_dir, passage_tokens)):
        ref, new = models["torch", 2].encode(texts), models["openvino", 2].encode(texts)  # fp32, as builds
        by = texts if name == "sentences" else None
        fidelity.append({"vectors": f"{name}, openvino fp32 (builds)", "n": len(texts),
                         "min_cosine": round(float((ref * new).sum(axis=1).min()), 6),
                         "same_top10_order": round(same_top10_share(top10(reference, ref), top10(reference, new), by), 3),
                         "same_top10_set": round(same_top10_share(top10(reference, ref), top10(reference, new), by,
                                                                  as_set=True), 3)})
    timings: dict[tuple, dict[str, list[float]]] = {}
    for _ in range(rounds):  # interleaved: every configuration once per round
        for (runtime, threads), model in models.items():
            for precision in ("fp32", "bf16"):
                if runtime == "torch":
                    torch.set_num_threads(threads)  # torch's threads are per process
                bf16 = precision == "bf16"
                t = timings.setdefault((runtime, precision, threads), {"b1": [], "b8": [], "b32": []})
                for q in queries[:batch1_queries]:
                    start = time.perf_counter()
                    model.encode([q], bf16=bf16)
                    t["b1"].append((time.perf_counter() - start) * 1000)
                for size in (8, 32):
                    start = time.perf_counter()
                    model.encode(queries, batch_size=size, bf16=bf16)
                    t[f"b{size}"].append((time.perf_counter() - start) * 1000 / len(queries))
    speed = [{"runtime": runtime, "precision": precision, "threads": threads,
              "batch1_p50_ms": round(float(np.percentile(t["b1"], 50)), 2),
              "batch1_p95_ms": round(float(np.percentile(t["b1"], 95)), 2),
              "batch8_ms_per_query": round(float(np.median(t["b8"])), 2),
              "batch32_ms_per_query": round(float(np.median(t["b32"])), 2)}
             for (runtime, precision, threads), t in sorted(timings.items(), key=lambda kv: (kv[0][2], kv[0]))]
    return {"fidelity": fidelity, "speed": speed, "rounds": rounds, "queries": len(queries)}
