"""The cluster front's view of the shards: `ShardedIndex` is the index interface the Engine,
result building and the page use (service/loaded.py), over every shard's build under global
rowids. Per-passage arrays are held in memory; rows, sentences, vectors and token vectors are
read from the shard that holds them. It holds no FAISS and no BM25: those stay on the shards.
"""
from __future__ import annotations

import sqlite3
import threading
from functools import cached_property
from pathlib import Path

import numpy as np

from indexer import store
from indexer.cluster_build import ROWIDS, read_cluster_manifest
from service.loaded import (
    PASSAGE_QUERY,
    PHRASE_QUERY,
    LoadedIndex,
    PassageRow,
    checked_tokens,
    fts_phrase,
    passage_row,
)
from service.sentences import SentenceTable

SKIP_ARRAYS = {"passage_of_sentence"}


class ShardedIndex(LoadedIndex):
    """The index interface the Engine, result building and the page use, over the shards'
    SQLite: per-passage arrays in memory (global rowids), rows read from their shard on demand.
    It holds no vectors and no BM25: those stay on the shards."""

    def __init__(self, cluster_dir: Path, manifest: dict | None = None):  # noqa: D107 - no LoadedIndex.__init__
        """`manifest`: the cluster manifest to serve (default: the folder's current one); a
        deployment passes the one it was deployed with, so a replica restarted after a rebuild
        serves the same builds as the others."""
        cluster_dir = Path(cluster_dir)
        self.cluster_dir = self.build_dir = cluster_dir
        self.cluster = manifest or read_cluster_manifest(cluster_dir)
        self.shard_dirs = [cluster_dir / e["build"] for e in self.cluster["shards"]]
        self.size = int(self.cluster["passages"])
        self.shard_of = np.zeros(self.size, dtype=np.int64)
        self.local_of = np.zeros(self.size, dtype=np.int64)
        self.rowids: list[np.ndarray] = []
        self.documents, self.glossary = {}, {}
        self.document_shard: dict[str, int] = {}
        arrays: dict[str, np.ndarray] = {}
        page_starts, page_labels = {}, {}
        manifests = []
        for s, build in enumerate(self.shard_dirs):
            shard = LoadedIndex(build, retrieval=False)  # verified; its catalogue kept (the shards hold the rest)
            manifests.append(shard.manifest)
            rowids = np.load(build / ROWIDS)
            self.rowids.append(rowids)
            self.shard_of[rowids] = s
            self.local_of[rowids] = np.arange(len(rowids))
            for name, value in vars(shard).items():
                if name in SKIP_ARRAYS or not isinstance(value, np.ndarray) or len(value) != shard.size:
                    continue
                if name not in arrays:
                    arrays[name] = np.zeros(self.size, dtype=value.dtype) if value.dtype != object \
                        else np.empty(self.size, dtype=object)
                arrays[name][rowids] = value
            self.documents.update(shard.documents)
            self.glossary.update(shard.glossary)
            self.document_shard.update({d: s for d in shard.documents})
            page_starts.update(shard._page_starts)
            page_labels.update(shard._page_labels)
            shard.connection().close()
            del shard
        order = list(self.cluster.get("documents", {}))  # the corpus order, as one build lists them
        self.documents = {d: self.documents[d] for d in order if d in self.documents} | self.documents
        for name, value in arrays.items():
            setattr(self, name, value)
        self._page_starts, self._page_labels = page_starts, page_labels
        self.manifest = self._manifest(manifests)
        self.countries = self._countries()
        self._conns = [sqlite3.connect(f"file:{b / store.SQLITE}?mode=ro&immutable=1", uri=True,
                                       check_same_thread=False) for b in self.shard_dirs]
        self._conn = None
        self._cache: dict[int, PassageRow] = {}
        self._cache_lock = threading.Lock()
        self._mentions: dict[str, np.ndarray] = {}  # as LoadedIndex's: what documents of no country say of one
        self._written: dict[str, bool] = {}  # ... and which words the passages write, case as given
        self.faiss = self.bm25 = self.sentence_faiss = None

    def _manifest(self, manifests: list[dict]) -> dict:
        c = self.cluster
        out = dict(manifests[0]) if manifests else {}
        out.pop("files", None)
        docs, by_type, unanswered = {}, {}, 0
        for m in manifests:
            docs.update(m.get("documents", {}))
            for k, v in m.get("counts", {}).get("by_type", {}).items():
                by_type[k] = by_type.get(k, 0) + v
            unanswered += m.get("counts", {}).get("unanswered_recommendations", 0)
        out.update({"build_id": c["cluster_build_id"], "built_at": c["built_at"], "documents": docs,
                    "counts": {"documents": len(docs), "passages": self.size, "by_type": by_type,
                               "unanswered_recommendations": unanswered},
                    "countries": c.get("countries", []), "warnings": c.get("warnings", []),
                    "cluster": {"shards": [{k: e[k] for k in ("shard", "build_id", "passages", "sentences")}
                                           for e in c["shards"]], "bm25": c.get("bm25")}})
        return out

    def connection(self) -> sqlite3.Connection:
        raise RuntimeError("a sharded index has no single SQLite connection; ask its shard")

    def _shard_conn(self, rowid: int) -> tuple[sqlite3.Connection, int]:
        return self._conns[int(self.shard_of[rowid])], int(self.local_of[rowid])

    @cached_property
    def rowid_of(self) -> dict[str, int]:
        out = {}
        for s, conn in enumerate(self._conns):
            rowids = self.rowids[s]
            out.update({pid: int(rowids[local]) for pid, local in conn.execute("SELECT id, rowid FROM passages")})
        return out

    def _read_passage(self, rowid: int) -> PassageRow:
        conn, local = self._shard_conn(rowid)
        return passage_row(conn.execute(PASSAGE_QUERY, (local,)).fetchone(), rowid)

    @cached_property
    def sentence_table(self) -> SentenceTable:
        """Every shard's sentences in one table under global passage rowids: result building
        reads it (highlighting)."""
        by_passage = {}
        for s, conn in enumerate(self._conns):
            passages = self.rowids[s]
            for local_passage, sentences in SentenceTable.load(conn).by_passage.items():
                by_passage[int(passages[local_passage])] = sentences
        return SentenceTable(by_passage)

    def phrase_rowids(self, phrase: str) -> set[int]:
        fts = fts_phrase(phrase)
        if not fts:
            return set()
        return {int(self.rowids[s][r[0]]) for s, conn in enumerate(self._conns) for r in conn.execute(PHRASE_QUERY, (fts,))}

    def document_connection(self, document_id: str) -> sqlite3.Connection:
        return self._conns[self.document_shard[document_id]]  # a document lives whole on one shard

    def vector(self, rowid: int) -> np.ndarray:
        conn, local = self._shard_conn(rowid)
        blob = conn.execute("SELECT embedding FROM passages WHERE rowid = ?", (local,)).fetchone()[0]
        return np.frombuffer(blob, dtype=np.float32)

    def token_table(self) -> store.TokenTable | None:
        """The shards' token vectors in global rowid order, as one build holds them: the front
        re-ranks the merged candidates by late interaction exactly as one index does."""
        pieces = [None] * self.size
        dimension = 0
        for build, rowids in zip(self.shard_dirs, self.rowids):
            table = checked_tokens(store.read_tokens(build), len(rowids), build)
            if table is None:  # a shard built before token vectors were stored: no late interaction
                return None
            dimension = table.vectors.shape[1]
            for local, rowid in enumerate(rowids.tolist()):
                pieces[rowid] = table.of(local)
        return store.TokenTable.of_passages(pieces, dimension)
