"""The index folder: fixed file names, a manifest that describes it, atomic replacement.

    index/
      current -> builds/<build id>      the build being served (a symlink, swapped atomically)
      builds/<build id>/
        manifest.json     format, model, library versions, documents and their hashes,
                          counts, and a checksum of every file below
        passages.sqlite   documents, passages, sentences (each with its own vector and its
                          vector in its passage's context), glossary, a phrase (FTS5) table
        vectors.faiss     passage vectors, row i = passages.rowid i
        sentences.faiss   sentence vectors, row i = sentences.rowid i + 1: a passage longer than the
                          model's 256-wordpiece window is still found by its later sentences
        bm25/             the lexical index (bm25s, English Snowball stemmer)
        tokens.npy        every passage's token vectors (float16), one passage after another, for
        token_starts.npy  late interaction; passage rowid i's are tokens[starts[i]:starts[i + 1]]

A build is written to builds/<id>.partial and renamed into place; only then does
`current` move. A crash at any point leaves the previous build serving.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Iterable

import numpy as np

FORMAT_VERSION = 2
MANIFEST = "manifest.json"
SQLITE = "passages.sqlite"
VECTORS = "vectors.faiss"
SENTENCE_VECTORS = "sentences.faiss"
BM25_DIR = "bm25"
TOKENS = "tokens.npy"
TOKEN_STARTS = "token_starts.npy"
CURRENT = "current"
BUILDS = "builds"
REBUILD_HINT = "Rebuild it with `precedent build` (or `make index`)."

SCHEMA = """
CREATE TABLE documents (id TEXT PRIMARY KEY, file TEXT, title TEXT, country TEXT, kind TEXT, year INTEGER,
                        description TEXT, sha256 TEXT, listed INTEGER, text TEXT, format TEXT, extractor TEXT,
                        parser TEXT, parser_reason TEXT, inferred TEXT, text_sha256 TEXT);
CREATE TABLE pages (document_id TEXT, number INTEGER, label TEXT, start INTEGER, end INTEGER,
                    PRIMARY KEY (document_id, number));
CREATE TABLE passages (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, document_id TEXT, type TEXT, heading TEXT,
                       country TEXT, kind TEXT, spans TEXT, text TEXT, offsets TEXT, tokens INTEGER, label TEXT,
                       ordinal INTEGER, fields TEXT, embedding BLOB);
CREATE INDEX passages_document ON passages(document_id, ordinal);
CREATE TABLE sentences (passage_rowid INTEGER, start INTEGER, end INTEGER, file_start INTEGER, file_end INTEGER,
                        wording TEXT, embedding BLOB, in_context BLOB);
CREATE INDEX sentences_passage ON sentences(passage_rowid);
CREATE INDEX sentences_wording ON sentences(wording);
CREATE TABLE glossary (acronym TEXT PRIMARY KEY, expansion TEXT);
CREATE VIRTUAL TABLE phrases USING fts5(text, content='passages', content_rowid='rowid', tokenize='unicode61');
"""


class IndexUnavailable(Exception):
    """Base for index problems the service reports as 503 with a way out."""


class IndexMissing(IndexUnavailable):
    pass


class IndexDamaged(IndexUnavailable):
    pass


class IndexModelMismatch(IndexUnavailable):
    pass


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _files(build_dir: Path) -> Iterable[Path]:
    for path in sorted(build_dir.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            yield path


def checksums(build_dir: Path) -> dict[str, dict]:
    return {str(p.relative_to(build_dir)): {"sha256": sha256_file(p), "bytes": p.stat().st_size}
            for p in _files(build_dir)}


def current_build(index_dir: Path) -> Path | None:
    link = index_dir / CURRENT
    return link.resolve() if link.exists() else None


def new_build_dir(index_dir: Path) -> tuple[str, Path]:
    build_id = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    partial = index_dir / BUILDS / f"{build_id}.partial"
    partial.mkdir(parents=True)
    return build_id, partial


class TokenTable:
    """Each passage's token vectors, one passage after another: row i's are
    vectors[starts[i]:starts[i + 1]]. Stored in float16, read into float32."""

    def __init__(self, vectors: np.ndarray, starts: np.ndarray):
        self.vectors, self.starts = vectors, starts

    @classmethod
    def of_passages(cls, per_passage: list[np.ndarray], dimension: int) -> "TokenTable":
        starts = np.zeros(len(per_passage) + 1, dtype=np.int64)
        np.cumsum([len(t) for t in per_passage], out=starts[1:])
        vectors = np.concatenate(per_passage) if starts[-1] else np.zeros((0, dimension), dtype=np.float32)
        return cls(vectors, starts)

    def of(self, row: int) -> np.ndarray:
        return self.vectors[self.starts[row]:self.starts[row + 1]]


def write_tokens(build_dir: Path, per_passage: list[np.ndarray], dimension: int) -> None:
    table = TokenTable.of_passages(per_passage, dimension)
    np.save(build_dir / TOKENS, table.vectors.astype(np.float16))
    np.save(build_dir / TOKEN_STARTS, table.starts)


def read_tokens(build_dir: Path) -> TokenTable | None:
    """The build's token vectors, or None for a build made before they were stored."""
    if not (build_dir / TOKENS).exists():
        return None
    return TokenTable(np.load(build_dir / TOKENS).astype(np.float32), np.load(build_dir / TOKEN_STARTS))


def write_json(path: Path, data: dict) -> None:
    """Write JSON durably and all at once: to a temporary file beside it, synced, then renamed
    over `path`, so a reader sees the old file or the new one, never half of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    with open(tmp, "w") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def publish(index_dir: Path, partial: Path, manifest: dict, keep: int = 2) -> Path:
    """Seal a finished build and point `current` at it; the swap is one rename."""
    manifest["files"] = checksums(partial)
    write_json(partial / MANIFEST, manifest)
    final = partial.with_name(partial.name.removesuffix(".partial"))
    os.rename(partial, final)
    tmp_link = index_dir / f".{CURRENT}.{os.getpid()}"
    if tmp_link.is_symlink():
        tmp_link.unlink()
    os.symlink(Path(BUILDS) / final.name, tmp_link)
    os.replace(tmp_link, index_dir / CURRENT)
    _prune(index_dir, keep=keep, protect=final)
    return final


def _prune(index_dir: Path, keep: int, protect: Path) -> None:
    builds = sorted((p for p in (index_dir / BUILDS).iterdir() if p.is_dir()), key=lambda p: p.name)
    finished = [p for p in builds if not p.name.endswith(".partial")]
    for old in finished[:-keep]:
        if old != protect:
            shutil.rmtree(old, ignore_errors=True)
    for stale in (p for p in builds if p.name.endswith(".partial")):
        if time.time() - stale.stat().st_mtime > 3600:  # a build that died long ago
            shutil.rmtree(stale, ignore_errors=True)


def page_rows(document_id: str, text: str, page_starts: list[int], labels: list) -> list[tuple]:
    """(document, 1-based page number, printed label, start, end) of each page in the stored text."""
    ends = [s - 1 for s in page_starts[1:]] + [len(text)]  # the form feed between pages belongs to neither
    return [(document_id, i + 1, labels[i] if i < len(labels) else None, a, b)
            for i, (a, b) in enumerate(zip(page_starts, ends))]


def write_sqlite(path: Path, documents, passages, embeddings: np.ndarray, sentences, glossary: dict[str, str],
                 extracted: dict | None = None) -> None:
    """`documents` holds (Document, stored text): for PDF, DOCX and HTML the extracted text (its
    SHA-256 beside the original's), pages and their labels in `pages`."""
    extracted = extracted or {}
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
        (d.id, d.file, d.title, d.country, d.kind, d.year, d.description, d.sha256, int(d.listed), text,
         d.format, d.extractor, d.parser, d.parser_reason, json.dumps(d.inferred, ensure_ascii=False),
         hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
        for d, text in documents])
    for d, text in documents:
        x = extracted.get(d.id)
        if x is not None and x.page_starts:
            conn.executemany("INSERT INTO pages VALUES (?,?,?,?,?)", page_rows(d.id, text, x.page_starts,
                                                                               x.page_labels))
    conn.executemany("INSERT INTO passages VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
        (i, p.id, p.document_id, p.type, json.dumps(p.heading, ensure_ascii=False), p.country, p.kind,
         json.dumps([[s.start, s.end] for s in p.spans]), p.text, json.dumps(p.offsets), p.tokens, p.label,
         p.ordinal, json.dumps(p.fields, ensure_ascii=False), embeddings[i].astype(np.float32).tobytes())
        for i, p in enumerate(passages)])
    conn.executemany("INSERT INTO sentences VALUES (?,?,?,?,?,?,?,?)", sentences)
    conn.executemany("INSERT INTO glossary VALUES (?,?)", sorted(glossary.items()))
    conn.execute("INSERT INTO phrases(phrases) VALUES ('rebuild')")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()


def read_manifest(build_dir: Path) -> dict:
    try:
        return json.loads((build_dir / MANIFEST).read_text("utf-8"))
    except FileNotFoundError:
        raise IndexDamaged(f"{build_dir / MANIFEST} is missing. {REBUILD_HINT}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IndexDamaged(f"{build_dir / MANIFEST} cannot be read ({exc}). {REBUILD_HINT}") from None


def verify(build_dir: Path, manifest: dict) -> None:
    """Every file present with the size and checksum the manifest recorded."""
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexDamaged(f"{build_dir} has index format {manifest.get('format_version')!r}; this version reads "
                           f"{FORMAT_VERSION}. {REBUILD_HINT}")
    for name, expected in manifest.get("files", {}).items():
        path = build_dir / name
        if not path.exists():
            raise IndexDamaged(f"{path} is missing. {REBUILD_HINT}")
        if path.stat().st_size != expected["bytes"] or sha256_file(path) != expected["sha256"]:
            raise IndexDamaged(f"{path} is damaged (its checksum does not match the manifest). {REBUILD_HINT}")


def resolve_build(index_dir: Path) -> Path:
    build = current_build(index_dir)
    if build is None or not build.is_dir():
        raise IndexMissing(f"No index at {index_dir}. Build one with `precedent build` (or `make index`).")
    return build
