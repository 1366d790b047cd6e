"""The distributed build: Ray Data parses and embeds across a cluster's nodes, and the
corpus is written as N shard builds, each in today's format (FAISS, BM25, SQLite), plus a
cluster manifest swapped in atomically.

    precedent build --cluster 127.0.0.1:6379 --shards 2 --out index-cluster
    python -m indexer build --cluster 127.0.0.1:6379 --shards 2 --out index-cluster   (the same)

The folder it writes:

    OUT/
      cluster.json            the cluster manifest: which build of each shard is served, where
                              each document lives, global BM25 statistics, embedding figures
      shards/<i>/current -> builds/<id>     each shard an ordinary index folder (store.py)
      shards/<i>/builds/<id>/cluster_rowids.npy     the shard's passages' rowids in the whole
                                                    corpus (the single build's rowids)
      shards/<i>/builds/<id>/cluster_sentences.npy  its sentences' rowids in the whole corpus

What makes the shards add up to the single build:
- passages keep the single build's order: a passage's global rowid is its rowid in a single
  build of the same corpus, and ties break on it as they do there;
- BM25 uses global document frequencies, the global document count and the global average
  length, so a shard's BM25 score of a passage equals the single index's;
- whole documents go to one shard (balanced by passage count), so a document's text, pages
  and neighbouring passages are on one shard.

Incremental as today: a document whose content key is unchanged keeps its vectors (read from
the shard builds the current cluster manifest names); only changed or new documents are
embedded. The manifest is written to a temporary file and renamed over `cluster.json`: a
crash leaves the previous cluster build served.

Reading (extraction of PDF, DOCX and HTML) runs on the driver; parsing and embedding run on
the cluster's nodes.
"""
from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer import store
from indexer.build import (BuildFailed, build_lock, load_buildable_corpus, build_manifest, previous_vectors, readable_text,
                           write_build, content_key)
from indexer.passage_sentences import sentence_rows_of
from indexer.corpus import Corpus
from indexer.bm25_global import bm25_stats, bm25_tokens, empty_bm25, global_bm25
from indexer.cluster_embed import embed_on_cluster, parse_row, row_payload
from indexer.embed import MODEL_NAME
from indexer.embed_plan import contextual_text, plan_embedding
from indexer.glossary import harvest
from indexer.sentence_context import fill_in_context
from indexer.settings import Settings

log = logging.getLogger(__name__)
CLUSTER_MANIFEST = "cluster.json"
CLUSTER_FORMAT = 1
ROWIDS = "cluster_rowids.npy"
SENTENCE_IDS = "cluster_sentences.npy"


# ---- the build -------------------------------------------------------------------------------
@dataclass
class ClusterBuildSummary:
    out_dir: Path
    shards: int
    documents: int
    passages: int
    embedded_passages: int
    embedded_sentences: int
    reused_passages: int
    seconds: float
    embed_seconds: float
    nodes: int
    per_node: dict
    shard_passages: list[int]
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Cluster index built at {self.out_dir} in {self.seconds:.1f} s over {self.nodes} node(s)",
               f"  documents: {self.documents}   passages: {self.passages}   shards: {self.shards} "
               f"({', '.join(str(n) for n in self.shard_passages)} passages)",
               f"  embedded: {self.embedded_passages} passages and {self.embedded_sentences} sentences in "
               f"{self.embed_seconds:.1f} s; reused: {self.reused_passages} passages"]
        out += [f"  node {node}: {f['passages']} passages ({f['passages_per_second']}/s), {f['sentences']} sentences "
                f"({f['sentences_per_second']}/s) of model time" for node, f in sorted(self.per_node.items())]
        out += [f"  warning: {w}" for w in self.warnings]
        return out


def read_cluster_manifest(out_dir: Path) -> dict:
    path = Path(out_dir) / CLUSTER_MANIFEST
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise store.IndexMissing(f"No cluster index at {out_dir}: build one with "
                                 f"`precedent build --cluster ADDRESS --shards N --out {out_dir}`") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise store.IndexDamaged(f"{path} cannot be read ({exc})") from None


def assign_shards(doc_passages: list[tuple[str, int]], shards: int) -> dict[str, int]:
    """Whole documents to shards, largest first to the least loaded (deterministic)."""
    load = [0] * shards
    out = {}
    for doc_id, n in sorted(doc_passages, key=lambda x: (-x[1], x[0])):
        target = min(range(shards), key=lambda s: (load[s], s))
        out[doc_id] = target
        load[target] += n
    return out


def _previous(out_dir: Path, keys: dict[str, str]) -> tuple[dict, dict, dict]:
    """Vectors of unchanged documents from the shard builds the current cluster manifest names."""
    passages, sentences, tokens = {}, {}, {}
    try:
        manifest = read_cluster_manifest(out_dir)
    except Exception:  # noqa: BLE001 - no manifest or a bad one: embed everything again
        return passages, sentences, tokens
    for shard in manifest.get("shards", []):
        p, s, t = previous_vectors(out_dir / "shards" / str(shard["shard"]), keys)
        passages.update(p)
        sentences.update(s)
        tokens.update(t)
    return passages, sentences, tokens


def build_cluster(settings: Settings, address: str | None, shards: int, out_dir: Path, actors: int | None = None,
                  threads: int = 0) -> ClusterBuildSummary:
    import ray

    started = time.perf_counter()
    out_dir = Path(out_dir)
    if shards < 1:
        raise BuildFailed("--shards must be at least 1")
    corpus = load_buildable_corpus(settings)

    if not ray.is_initialized():
        ray.init(address=address, logging_level="ERROR", log_to_driver=False)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    nodes = sum(1 for n in ray.nodes() if n.get("Alive"))
    actors = actors or nodes

    with build_lock(out_dir):
        # parse, one document a row, across the nodes
        rows = [{"i": i, "payload": row_payload(corpus, d, t, settings.passage_tokens)}
                for i, (d, t) in enumerate(corpus.documents)]
        parsed = sorted(ray.data.from_items(rows, override_num_blocks=min(len(rows), 2 * nodes))
                        .map(parse_row, num_cpus=0.25).take_all(), key=lambda r: r["i"])
        kept, passages, parse_nodes = [], [], Counter()
        for row in parsed:
            corpus.warnings.extend(json.loads(row["warnings"]))
            parse_nodes[row["node"]] += 1
            if row["kept"]:
                kept.append(corpus.documents[row["i"]])
                passages.extend(pickle.loads(row["passages"]))
        corpus.documents[:] = kept
        if not passages:
            raise BuildFailed(f"no passages in {settings.corpus_dir}; nothing to index")
        docs = {d.id: d for d, _ in corpus.documents}
        keys = {d.id: content_key(d, settings) for d in docs.values()}
        sentence_rows = sentence_rows_of(passages, corpus.texts)
        plan = plan_embedding(passages, sentence_rows, docs, *_previous(out_dir, keys))
        todo, sent_todo = plan.passage_todo, plan.sentence_todo

        # embed what changed, across the nodes
        groups = [([f"p{i}" for i in todo], plan.passage_texts, settings.embed_batch_size),  # as build_index:
                  ([f"s{j}" for j in sent_todo], plan.sentence_texts, settings.embed_batch_size * 2)]  # sentences x2
        embed_started = time.perf_counter()
        log.info("embedding %d passages and %d sentences on %d actor(s)", len(todo), len(sent_todo), actors)
        encoded, per_node, encoded_tokens = embed_on_cluster(groups, actors, threads, settings.encoder,
                                                             str(settings.model_cache_dir))
        embed_seconds = time.perf_counter() - embed_started
        dim = next(iter(encoded.values())).shape[0] if encoded else next(iter(plan.old_passages.values())).shape[0]
        vectors = plan.vectors(np.array([encoded[f"p{i}"] for i in todo]) if todo else None, dim)
        plan.fill_sentences([encoded[f"s{j}"] for j in sent_todo])
        tokens = plan.tokens([encoded_tokens[f"p{i}"] for i in todo])
        fill_in_context(sentence_rows, passages, [contextual_text(docs[p.document_id], p) for p in passages], tokens)

        # global BM25 statistics, then each shard written in today's format
        glossary = harvest([readable_text(d, text, corpus) for d, text in corpus.documents])
        per_document = Counter(p.document_id for p in passages)
        owner = assign_shards([(d.id, per_document[d.id]) for d, _ in corpus.documents], shards)
        shard_of_passage = np.array([owner[p.document_id] for p in passages], dtype=np.int64)
        sentence_shard = np.array([shard_of_passage[r[0]] for r in sentence_rows], dtype=np.int64)
        members_of = [np.flatnonzero(shard_of_passage == s) for s in range(shards)]
        tokenized, df, lengths = [], Counter(), []
        for members in members_of:
            tok = bm25_tokens([contextual_text(docs[passages[i].document_id], passages[i]) for i in members])
            shard_df, shard_lengths = bm25_stats(tok)
            df.update(shard_df)
            tokenized.append(tok)
            lengths.append(shard_lengths)
        n_docs = len(passages)
        avg_doc_len = sum(map(sum, lengths)) / n_docs  # what bm25s computes over the whole corpus

        shard_entries = []
        for s, members in enumerate(members_of):
            sentence_members = np.flatnonzero(sentence_shard == s)
            local_of = {int(g): k for k, g in enumerate(members)}
            shard_docs = [(d, t) for d, t in corpus.documents if owner[d.id] == s]
            shard_passages = [passages[i] for i in members]
            shard_sentences = [[local_of[sentence_rows[j][0]], *sentence_rows[j][1:]] for j in sentence_members]
            shard_dir = out_dir / "shards" / str(s)
            shard_dir.mkdir(parents=True, exist_ok=True)
            build_id, partial = store.new_build_dir(shard_dir)
            try:
                shard_corpus = Corpus(documents=shard_docs, countries=corpus.countries, warnings=[],
                                      extracted={d.id: corpus.extracted[d.id] for d, _ in shard_docs
                                                 if d.id in corpus.extracted})
                bm25 = global_bm25(tokenized[s], df, n_docs, avg_doc_len) if shard_passages \
                    else empty_bm25()  # more shards than documents: a valid, empty shard
                write_build(partial, shard_docs, shard_passages, docs, vectors[members], shard_sentences, glossary,
                            settings, shard_corpus.extracted, tokens=[tokens[i] for i in members], bm25=bm25)
                np.save(partial / ROWIDS, members.astype(np.int64))
                np.save(partial / SENTENCE_IDS, sentence_members.astype(np.int64))
                embedded_docs = sorted({passages[i].document_id for i in todo if owner[passages[i].document_id] == s})
                manifest = build_manifest(build_id, shard_corpus, shard_passages, keys, vectors[members], settings,
                                          sum(1 for i in todo if shard_of_passage[i] == s), embedded_docs)
                manifest["cluster"] = {"shard": s, "shards": shards, "passages_total": n_docs,
                                       "sentences_total": len(sentence_rows)}
                final = store.publish(shard_dir, partial, manifest, keep=3)
            except BaseException:
                shutil.rmtree(partial, ignore_errors=True)
                raise
            shard_entries.append({"shard": s, "build": str(final.relative_to(out_dir)), "build_id": build_id,
                                  "passages": int(len(members)), "sentences": int(len(sentence_members)),
                                  "documents": sorted(d.id for d, _ in shard_docs)})

        cluster_id = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
        seconds = time.perf_counter() - started
        manifest = {
            "format": CLUSTER_FORMAT, "cluster_build_id": cluster_id,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "model": {"name": MODEL_NAME, "dimension": int(dim)},
            "passages": n_docs, "sentences": len(sentence_rows), "shards": shard_entries,
            "documents": {d.id: owner[d.id] for d, _ in corpus.documents},
            "bm25": {"documents": n_docs, "avg_doc_len": avg_doc_len, "vocabulary": len(df)},
            "countries": [{"name": c.name, "adjectives": list(c.adjectives), "aliases": list(c.aliases)}
                          for c in corpus.countries],
            "build": {"nodes": nodes, "actors": actors, "seconds": round(seconds, 2),
                      "embed_seconds": round(embed_seconds, 2), "embedded_passages": len(todo),
                      "embedded_sentences": len(sent_todo), "per_node": per_node,
                      "parse_nodes": dict(parse_nodes)},
            "warnings": corpus.warnings,
        }
        store.write_json(out_dir / CLUSTER_MANIFEST, manifest)  # the atomic swap
    return ClusterBuildSummary(out_dir, shards, len(docs), n_docs, len(todo), len(sent_todo), n_docs - len(todo),
                               seconds, embed_seconds, nodes, per_node,
                               [e["passages"] for e in shard_entries], corpus.warnings)
