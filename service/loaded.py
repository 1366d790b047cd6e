"""One opened, verified index build: vectors, BM25, SQLite and per-passage arrays in memory."""
from __future__ import annotations

import json
import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from indexer import references, store
from indexer.corpus import Country
from indexer.embed import MODEL_NAME
from indexer.models import Span
from indexer.text import normalize_wording
from service.responses import ResponseDocument, by_recommendation, response_documents
from service.sentences import PassageSentences, SentenceTable

WORDS = re.compile(r"[^\W_]+")  # letters and digits of any script (PassageRow.folded)


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

    @cached_property
    def wording(self) -> str:
        """The text with case and spacing folded, computed once per loaded passage: two results
        fold when their wording is the same (service/kinds.py), on every request."""
        return normalize_wording(self.text)

    def folded(self, name: str, words_only: bool = False) -> str:
        """A field's wording folded as `wording` is, or (words_only) its words alone after
        Unicode compatibility folding; computed once per loaded passage: evidence and
        recommendation keys read it on every request."""
        cache = self.__dict__.setdefault("_folded", {})
        if (name, words_only) not in cache:
            value = str(self.fields.get(name, ""))
            cache[name, words_only] = (" ".join(WORDS.findall(unicodedata.normalize("NFKC", value).lower()))
                                       if words_only else normalize_wording(value))
        return cache[name, words_only]


def checked_tokens(table: store.TokenTable | None, size: int, where: Path) -> store.TokenTable | None:
    """A token table that does not hold one entry per passage would re-rank with other passages'
    words: refused (so a reload keeps the build that serves)."""
    if table is not None and len(table.starts) != size + 1:
        raise store.IndexDamaged(f"{where}: token vectors for {len(table.starts) - 1} passages, the index has "
                                 f"{size}. {store.REBUILD_HINT}")
    return table


PASSAGE_QUERY = ("SELECT rowid, id, document_id, type, heading, country, kind, spans, text, offsets, label, ordinal, "
                 "fields FROM passages WHERE rowid = ?")


PHRASE_QUERY = "SELECT rowid FROM phrases WHERE phrases MATCH ?"


def fts_phrase(phrase: str) -> str | None:
    """An FTS5 phrase query for the words of `phrase` (None when it has none)."""
    words = re.findall(r"\w+", phrase)
    return '"' + " ".join(words) + '"' if words else None


def passage_row(r: tuple, rowid: int | None = None) -> "PassageRow":
    """A passage as stored (a row of PASSAGE_QUERY), under `rowid` when its place in the whole
    corpus differs from its rowid in this file (a shard of a cluster build)."""
    return PassageRow(r[0] if rowid is None else rowid, r[1], r[2], r[3], json.loads(r[4]), r[5], r[6],
                      [Span(start=a, end=b) for a, b in json.loads(r[7])], r[8],
                      [tuple(x) for x in json.loads(r[9])], r[10], r[11], json.loads(r[12]))


class LoadedIndex:
    """Read-only view of one build; the engine swaps it whole on reload."""

    def __init__(self, build_dir: Path, retrieval: bool = True):
        """`retrieval=False` loads the catalogue only (passages, documents, pages, glossary), not
        the vectors and BM25: a cluster front reads its shards' builds so, the shards hold those."""
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
            self.faiss = self.bm25 = self.sentence_faiss = None
            if retrieval:
                self.faiss = faiss.read_index(str(build_dir / store.VECTORS))
                self.bm25 = bm25s.BM25.load(str(build_dir / store.BM25_DIR))
                self.sentence_faiss = faiss.read_index(str(build_dir / store.SENTENCE_VECTORS))
            self._conn: sqlite3.Connection | None = None
            conn = self.connection()
            rows = conn.execute("SELECT rowid, document_id, country, kind, type, heading FROM passages "
                                "ORDER BY rowid").fetchall()
            self.glossary = dict(conn.execute("SELECT acronym, expansion FROM glossary").fetchall())
            docs = conn.execute("SELECT id, file, title, country, kind, year, description, sha256 FROM documents")
            self.documents = {d[0]: dict(zip(("id", "file", "title", "country", "kind", "year", "description",
                                              "sha256"), d)) for d in docs}
            self._load_pages(conn)
        except (RuntimeError, sqlite3.DatabaseError, OSError, ValueError, KeyError) as exc:
            raise store.IndexDamaged(f"{build_dir} cannot be loaded ({exc}). {store.REBUILD_HINT}") from None
        if retrieval and (self.faiss.ntotal != len(rows) or self.faiss.d != model.get("dimension")):
            raise store.IndexDamaged(f"{build_dir}: {self.faiss.ntotal} vectors for {len(rows)} passages. "
                                     f"{store.REBUILD_HINT}")
        self.size = len(rows)
        self.passage_of_sentence = np.array([r[0] for r in conn.execute(
            "SELECT passage_rowid FROM sentences ORDER BY rowid")], dtype=np.int64)
        if retrieval and self.sentence_faiss.ntotal != len(self.passage_of_sentence):
            raise store.IndexDamaged(f"{build_dir}: sentence vectors do not match sentences. {store.REBUILD_HINT}")
        self.document_of = np.array([r[1] for r in rows], dtype=object)
        self.country_of = np.array([r[2] or "" for r in rows], dtype=object)
        self.kind_of = np.array([r[3] for r in rows], dtype=object)
        self.type_of = np.array([r[4] for r in rows], dtype=object)
        self.labels_of = np.empty(len(rows), dtype=object)  # the (kind, number) labels its headings carry
        interned: dict[frozenset, frozenset] = {}  # passages of one section share one set
        self.labels_of[:] = [interned.setdefault(labels, labels)
                             for labels in (references.heading_labels(json.loads(r[5] or "[]")) for r in rows)]
        self.countries = self._countries()
        self._cache: dict[int, PassageRow] = {}
        self._cache_lock = threading.Lock()
        self._mentions: dict[str, np.ndarray] = {}  # country -> mentioning(country), filled on first ask
        self._written: dict[str, bool] = {}  # word -> writes(word)

    @cached_property
    def labelled(self) -> dict[tuple[str, str], np.ndarray]:
        """(kind, number) -> the passages whose headings carry that label, in rowid order."""
        out: dict[tuple[str, str], list[int]] = {}
        for rowid, labels in enumerate(self.labels_of):
            for label in labels:
                out.setdefault(label, []).append(rowid)
        return {label: np.array(rowids, dtype=np.int64) for label, rowids in out.items()}

    def cited_rowids(self, citation: dict[str, frozenset[str]]) -> np.ndarray:
        """The passages whose headings carry what a question cites ("Issue II, Recommendation 3"):
        for every kind cited, one of its numbers (references.matches, read from an inverted map)."""
        found: np.ndarray | None = None
        for kind, numbers in citation.items():
            rows = np.unique(np.concatenate([self.labelled.get((kind, n), np.zeros(0, dtype=np.int64))
                                             for n in numbers]))
            found = rows if found is None else np.intersect1d(found, rows)
        return found if found is not None else np.zeros(0, dtype=np.int64)

    @cached_property
    def editions(self) -> list[dict[str, int]]:
        """Reports that come back, each as its editions (document id -> year): documents of
        different years whose titles, or ids, are the same but for their numbers ("Regional
        drug market update 2023" and "… 2024")."""
        return editions(self.documents)

    @cached_property
    def years(self) -> frozenset[int]:
        """The years the editions carry: a year a query names narrows its report's editions to it."""
        return frozenset(y for series in self.editions for y in series.values())

    def other_editions(self, years: list[int]) -> list[str]:
        """The editions to leave out for a question naming these years: of each report with an
        edition of those years, its editions of other years. Other reports keep every edition."""
        return left_out(self.editions, years)

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
    def rowid_of(self) -> dict[str, int]:
        return dict(self.connection().execute("SELECT id, rowid FROM passages").fetchall())

    def passage(self, rowid: int) -> PassageRow:
        cached = self._cache.get(rowid)
        if cached:
            return cached
        row = self._read_passage(int(rowid))
        with self._cache_lock:
            self._cache[rowid] = row
        return row

    def _read_passage(self, rowid: int) -> PassageRow:
        """A passage from storage (a cluster front reads it from its shard's file)."""
        return passage_row(self.connection().execute(PASSAGE_QUERY, (rowid,)).fetchone())

    @cached_property
    def sentence_table(self) -> "SentenceTable":
        return SentenceTable.load(self.connection())

    def sentences(self, rowid: int) -> PassageSentences:
        """A passage's sentences in reading order and their vectors, from memory (loaded once per build)."""
        return self.sentence_table.of_passage(rowid)

    @cached_property
    def passages_by_recommendation(self) -> dict[str, list[int]]:
        """Questionnaire passages grouped by recommendation (service/responses.py), once per build."""
        return by_recommendation(self)

    @cached_property
    def responses(self) -> dict[str, ResponseDocument]:
        """Each questionnaire response document's recommendations (service/responses.py), once per build."""
        return response_documents(self)

    def phrase_rowids(self, phrase: str) -> set[int]:
        """Passages whose words include the phrase's words in order (FTS5; the caller checks
        the exact wording)."""
        fts = fts_phrase(phrase)
        return {r[0] for r in self.connection().execute(PHRASE_QUERY, (fts,))} if fts else set()

    def writes(self, word: str) -> bool:
        """Some passage holds the word whole, in the case given: "NO" (an action-taken mark) is
        written, "LU" is not, though "lu" and "no" stand in FTS5 alike. Once per word and build."""
        found = self._written.get(word)
        if found is None:
            pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
            found = any(pattern.search(self._read_passage(r).text) for r in self.phrase_rowids(word))
            self._written[word] = found
        return found

    def mentioning(self, country: str) -> np.ndarray:
        """Passages of documents of no country (a UN body's report, a treaty, an organisation's
        study) that name the country, by name, alias or adjective: what a question scoped to the
        country reads besides its own documents ("sponsored by Belgium, Brazil, …", "Statements
        were made by the representatives of … Belgium"). Found once per country and build (FTS5,
        then the words checked whole, as written). The manifest's countries, not only those this
        build holds documents of: a cluster's shard finds what one build does."""
        found = self._mentions.get(country)
        if found is None:
            declared = {c["name"]: c for c in self.manifest.get("countries", [])}
            entry = declared.get(country, {"name": country})
            names = [n for n in (entry["name"], *entry.get("aliases", ()), *entry.get("adjectives", ()))
                     if not n.isupper()]  # "US" would read every "us" (FTS5 ignores case)
            pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
            found = np.zeros(self.size, dtype=bool)
            for rowid in {r for name in names for r in self.phrase_rowids(name)}:
                if self.country_of[rowid] not in declared and pattern.search(self._read_passage(rowid).text):
                    found[rowid] = True
            self._mentions[country] = found
        return found

    def _load_pages(self, conn: sqlite3.Connection) -> None:
        """Page starts of every paged document, kept in memory: a citation's page is a bisect.
        A build made before pages were stored has none (every document unpaged)."""
        self._page_starts: dict[str, list[int]] = {}
        self._page_labels: dict[str, list[str | None]] = {}
        try:
            rows = conn.execute("SELECT document_id, number, label, start, end FROM pages ORDER BY document_id, number")
        except sqlite3.OperationalError:
            return
        for doc_id, number, label, start, end in rows:
            self._page_starts.setdefault(doc_id, []).append(start)
            self._page_labels.setdefault(doc_id, []).append(label)
            if doc_id in self.documents:
                self.documents[doc_id].setdefault("pages", []).append(
                    {"number": number, "label": label, "start": start, "end": end})

    def pages_of(self, document_id: str, start: int, end: int) -> tuple[int, int, str | None] | None:
        """(first page, last page, printed label of the first) of [start, end) in the stored
        extracted text, pages counted from 1 as the PDF orders them; None for an unpaged document."""
        from indexer.formats import page_span

        starts = self._page_starts.get(document_id)
        if not starts:
            return None
        first, last = page_span(starts, start, end)
        return first, last, self._page_labels[document_id][first - 1]

    def document_connection(self, document_id: str) -> sqlite3.Connection:
        """The SQLite file holding this document (one here; a cluster's shard in service/cluster)."""
        return self.connection()

    def document_text(self, document_id: str) -> str:
        return self.document_connection(document_id).execute("SELECT text FROM documents WHERE id = ?",
                                                              (document_id,)).fetchone()[0]

    def neighbours(self, row: PassageRow) -> tuple[str | None, str | None]:
        conn = self.document_connection(row.document_id)
        prev = conn.execute("SELECT id FROM passages WHERE document_id = ? AND ordinal < ? ORDER BY ordinal DESC "
                            "LIMIT 1", (row.document_id, row.ordinal)).fetchone()
        nxt = conn.execute("SELECT id FROM passages WHERE document_id = ? AND ordinal > ? ORDER BY ordinal LIMIT 1",
                           (row.document_id, row.ordinal)).fetchone()
        return (prev[0] if prev else None, nxt[0] if nxt else None)

    def vector(self, rowid: int) -> np.ndarray:
        return self.faiss.reconstruct(int(rowid))

    def token_table(self) -> store.TokenTable | None:
        """Every passage's token vectors (service/late.py keeps them reduced), by rowid; None for a
        build made before they were stored, which is then ranked without late interaction."""
        return checked_tokens(store.read_tokens(self.build_dir), self.size, self.build_dir)


def editions(documents: dict[str, dict]) -> list[dict[str, int]]:
    """The series of documents (id -> info with "title" and "year") that come back in two or
    more years, each as its editions (id -> year). Only editions are told apart by a year: a
    treaty of 2005 is not an edition of an action plan of 2012, and "the 2005 law" narrows to
    neither. Documents share a series when their titles, or their ids, are the same but for
    their numbers."""
    group: dict[str, str] = {}  # document id -> its group's first member (union by shared key)

    def root(d: str) -> str:
        while group[d] != d:
            d = group[d]
        return d

    first_with: dict[str, str] = {}
    dated = {d: int(info.get("year") or 0) for d, info in documents.items() if int(info.get("year") or 0)}
    for doc_id in dated:
        group.setdefault(doc_id, doc_id)
        for key in {series_key(documents[doc_id].get("title") or ""), series_key(doc_id)} - {""}:
            other = first_with.setdefault(key, doc_id)
            group[root(doc_id)] = root(other)
    series: dict[str, dict[str, int]] = {}
    for doc_id, year in dated.items():
        series.setdefault(root(doc_id), {})[doc_id] = year
    return [members for members in series.values() if len(set(members.values())) > 1]


def left_out(series: list[dict[str, int]], years: list[int]) -> list[str]:
    """Of each report with an edition of these years, its editions of other years."""
    return sorted(d for editions_of in series if set(editions_of.values()) & set(years)
                  for d, y in editions_of.items() if y not in years)


def series_key(text: str) -> str:
    """A title or id without its numbers and punctuation: what editions of one report share."""
    return re.sub(r"[\W\d_]+", " ", text.lower()).strip()
