"""One opened, verified index build: vectors, BM25, SQLite and per-passage arrays in memory."""
from __future__ import annotations

import json
import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from indexer import store
from indexer.corpus import Country
from indexer.embed import MODEL_NAME
from indexer.models import Span


@dataclass
class PassageRow:
    rowid: int
    id: str
    document_id: str
    type: str
    heading: list[str]
    country: str | None
    kind: str
    spans: list[Span]
    text: str
    offsets: list[tuple[int, int, int]]
    label: str
    ordinal: int
    fields: dict


class LoadedIndex:
    """Read-only view of one build; the engine swaps it whole on reload."""

    def __init__(self, build_dir: Path):
        import bm25s
        import faiss

        self.build_dir = build_dir
        self.manifest = store.read_manifest(build_dir)
        store.verify(build_dir, self.manifest)
        model = self.manifest.get("model", {})
        if model.get("name") != MODEL_NAME:
            raise store.IndexModelMismatch(
                f"{build_dir} was built with the model {model.get('name')!r}, but this service embeds queries with "
                f"{MODEL_NAME!r}. {store.REBUILD_HINT}")
        try:
            self.faiss = faiss.read_index(str(build_dir / store.VECTORS))
            self.bm25 = bm25s.BM25.load(str(build_dir / store.BM25_DIR))
            self.sentence_faiss = faiss.read_index(str(build_dir / store.SENTENCE_VECTORS))
            self._conn: sqlite3.Connection | None = None
            conn = self.connection()
            rows = conn.execute("SELECT rowid, document_id, country, kind, type FROM passages ORDER BY rowid").fetchall()
            self.glossary = dict(conn.execute("SELECT acronym, expansion FROM glossary").fetchall())
            docs = conn.execute("SELECT id, file, title, country, kind, year, description, sha256 FROM documents")
            self.documents = {d[0]: dict(zip(("id", "file", "title", "country", "kind", "year", "description",
                                              "sha256"), d)) for d in docs}
        except (RuntimeError, sqlite3.DatabaseError, OSError, ValueError, KeyError) as exc:
            raise store.IndexDamaged(f"{build_dir} cannot be loaded ({exc}). {store.REBUILD_HINT}") from None
        if self.faiss.ntotal != len(rows) or self.faiss.d != model.get("dimension"):
            raise store.IndexDamaged(f"{build_dir}: {self.faiss.ntotal} vectors for {len(rows)} passages. "
                                     f"{store.REBUILD_HINT}")
        self.size = len(rows)
        self.passage_of_sentence = np.array([r[0] for r in conn.execute(
            "SELECT passage_rowid FROM sentences ORDER BY rowid")], dtype=np.int64)
        if self.sentence_faiss.ntotal != len(self.passage_of_sentence):
            raise store.IndexDamaged(f"{build_dir}: sentence vectors do not match sentences. {store.REBUILD_HINT}")
        self.document_of = np.array([r[1] for r in rows], dtype=object)
        self.country_of = np.array([r[2] or "" for r in rows], dtype=object)
        self.kind_of = np.array([r[3] for r in rows], dtype=object)
        self.type_of = np.array([r[4] for r in rows], dtype=object)
        self.countries = self._countries()
        self._cache: dict[int, PassageRow] = {}
        self._cache_lock = threading.Lock()

    def _countries(self) -> list[Country]:
        """Countries the corpus manifest declares, with their adjectives and aliases.

        Only these narrow a query that names them: an organisation such as UNODC named in a
        question is what the question is about, not a scope."""
        present = {c for c in self.country_of if c}
        return [Country(c["name"], tuple(c.get("adjectives", ())), tuple(c.get("aliases", ())))
                for c in self.manifest.get("countries", []) if c["name"] in present]

    def connection(self) -> sqlite3.Connection:
        """One connection, opened at load and shared by all threads (sqlite3 is serialized here):
        the served build stays readable even if a later build prunes its folder."""
        if self._conn is None:
            self._conn = sqlite3.connect(f"file:{self.build_dir / store.SQLITE}?mode=ro&immutable=1", uri=True,
                                         check_same_thread=False)
        return self._conn

    @cached_property
    def valid_countries(self) -> list[str]:
        return sorted({c for c in self.country_of if c})

    @cached_property
    def valid_kinds(self) -> list[str]:
        return sorted({k for k in self.kind_of})

    @cached_property
    def rowid_of(self) -> dict[str, int]:
        return dict(self.connection().execute("SELECT id, rowid FROM passages").fetchall())

    def passage(self, rowid: int) -> PassageRow:
        cached = self._cache.get(rowid)
        if cached:
            return cached
        r = self.connection().execute(
            "SELECT rowid, id, document_id, type, heading, country, kind, spans, text, offsets, label, ordinal, fields "
            "FROM passages WHERE rowid = ?", (rowid,)).fetchone()
        row = PassageRow(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6],
                         [Span(start=a, end=b) for a, b in json.loads(r[7])], r[8],
                         [tuple(x) for x in json.loads(r[9])], r[10], r[11], json.loads(r[12]))
        with self._cache_lock:
            self._cache[rowid] = row
        return row

    def sentences(self, rowid: int) -> list[tuple[int, int, int, int, str, np.ndarray]]:
        return [(a, b, fs, fe, w, np.frombuffer(e, dtype=np.float32)) for a, b, fs, fe, w, e in
                self.connection().execute("SELECT start, end, file_start, file_end, wording, embedding FROM sentences "
                                          "WHERE passage_rowid = ? ORDER BY start", (rowid,))]

    def same_wording(self, wording: str, exclude_rowid: int) -> list[tuple[int, int, int]]:
        return self.connection().execute(
            "SELECT passage_rowid, file_start, file_end FROM sentences WHERE wording = ? AND passage_rowid != ?",
            (wording, exclude_rowid)).fetchall()

    def phrase_rowids(self, phrase: str) -> set[int]:
        words = re.findall(r"\w+", phrase)
        if not words:
            return set()
        fts = '"' + " ".join(words) + '"'
        return {r[0] for r in self.connection().execute("SELECT rowid FROM phrases WHERE phrases MATCH ?", (fts,))}

    def document_text(self, document_id: str) -> str:
        return self.connection().execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()[0]

    def neighbours(self, row: PassageRow) -> tuple[str | None, str | None]:
        conn = self.connection()
        prev = conn.execute("SELECT id FROM passages WHERE document_id = ? AND ordinal < ? ORDER BY ordinal DESC "
                            "LIMIT 1", (row.document_id, row.ordinal)).fetchone()
        nxt = conn.execute("SELECT id FROM passages WHERE document_id = ? AND ordinal > ? ORDER BY ordinal LIMIT 1",
                           (row.document_id, row.ordinal)).fetchone()
        return (prev[0] if prev else None, nxt[0] if nxt else None)

    def vector(self, rowid: int) -> np.ndarray:
        return self.faiss.reconstruct(int(rowid))

