"""The corpus folder: verbatim files described by manifest.toml.

A listed file takes its metadata from the manifest; an unlisted one is still indexed with
what can be inferred (country from the text, kind from its structure) and a warning. A
file that cannot be read, is empty or is not UTF-8 is skipped with a warning; the rest
is indexed.
"""
from __future__ import annotations

import hashlib
import logging
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from indexer.models import Document, Passage
from indexer.parsers.prose import TABLE_HEADER, parse_prose
from indexer.parsers.questionnaire import looks_like_questionnaire, parse_questionnaire
from indexer.text import slug

log = logging.getLogger(__name__)
CORPUS_SUFFIXES = {".txt", ".md"}
PARSER_VERSION = "3"  # bump when parsing or sentence splitting changes: forces re-embedding


@dataclass(frozen=True)
class Country:
    name: str
    adjectives: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.adjectives)


@dataclass
class Corpus:
    documents: list[tuple[Document, str]]
    countries: list[Country]
    warnings: list[str] = field(default_factory=list)


def infer_kind(text: str) -> str:
    if looks_like_questionnaire(text):
        return "questionnaire-response"
    if any(TABLE_HEADER.match(line) for line in text.splitlines()):
        return "action-plan"
    if re.search(r"^(?:#+\s*)?\**(bibliography|references)\**\s*$", text, re.I | re.M):
        return "position-paper"
    return "report"


def infer_country(text: str, countries: list[Country]) -> str | None:
    counts = Counter()
    for country in countries:
        for name in country.names():
            counts[country.name] += len(re.findall(rf"\b{re.escape(name)}\b", text))
    best = counts.most_common(1)
    return best[0][0] if best and best[0][1] > 0 else None


def _read(path: Path, warnings: list[str]) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        warnings.append(f"{path.name}: skipped, cannot be read ({exc.strerror or exc})")
        return None
    if not raw.strip():
        warnings.append(f"{path.name}: skipped, the file is empty")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        warnings.append(f"{path.name}: skipped, not UTF-8 (byte {exc.start})")
        return None


def load_corpus(corpus_dir: Path) -> Corpus:
    manifest_path = corpus_dir / "manifest.toml"
    manifest = tomllib.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    countries = [Country(c["name"], tuple(c.get("adjectives", ())), tuple(c.get("aliases", ())))
                 for c in manifest.get("country", [])]
    listed = {entry["file"]: entry for entry in manifest.get("document", [])}
    warnings: list[str] = []
    documents: list[tuple[Document, str]] = []
    for name in sorted(set(listed) - {p.name for p in corpus_dir.iterdir()}):
        warnings.append(f"{name}: listed in manifest.toml but missing from {corpus_dir}")
    for path in sorted(corpus_dir.iterdir()):
        if not path.is_file() or path.suffix not in CORPUS_SUFFIXES:
            continue
        text = _read(path, warnings)
        if text is None:
            continue
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        entry = listed.get(path.name)
        if entry:
            doc = Document(**{k: v for k, v in entry.items() if k in Document.model_fields}, sha256=sha)
        else:
            kind = infer_kind(text)
            first_line = next((line.strip("#* ") for line in text.splitlines() if line.strip()), path.stem)
            doc = Document(id=slug(path.stem), file=path.name, title=first_line[:120], kind=kind,
                           country=infer_country(text, countries), sha256=sha, listed=False)
            warnings.append(f"{path.name}: not in manifest.toml; indexed as id={doc.id}, kind={doc.kind}, "
                            f"country={doc.country or 'unknown'} (inferred)")
        documents.append((doc, text))
    for w in warnings:
        log.warning(w)
    return Corpus(documents=documents, countries=countries, warnings=warnings)


def parse_document(document: Document, text: str, token_budget: int) -> list[Passage]:
    if document.kind == "questionnaire-response":
        return parse_questionnaire(text, document)
    return parse_prose(text, document, token_budget=token_budget)
