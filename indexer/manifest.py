"""corpus/manifest.toml: the documents and the countries, checked before anything is built.

A manifest mistake (bad TOML, an unknown kind, a missing title, a country nobody declared)
would otherwise surface as a traceback or, worse, as a quietly wrong index; here it is one
line naming the file and the entry, and the build stops with the previous index serving.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from indexer.models import DOCUMENT_KINDS


class ManifestError(Exception):
    """A manifest the build refuses; the message is one line naming the file and the entry."""


@dataclass(frozen=True)
class Country:
    name: str
    adjectives: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.adjectives)


@dataclass
class Manifest:
    countries: list[Country] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    documents: dict[str, dict] = field(default_factory=dict)  # file name -> entry


REQUIRED = ("id", "file", "title", "kind")
DOCUMENT_KEYS = ("id", "file", "title", "kind", "country", "year", "description", "parser")  # what a [[document]]
#   may say (the rest of a Document is found by the build)
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # what /documents/{id} and a passage id can carry


def _tables(data: dict, key: str, path: Path) -> list:
    """The manifest's [[key]] entries: a list (`document = 5` is no list of tables)."""
    entries = data.get(key, [])
    if not isinstance(entries, list):
        raise ManifestError(f"{path}: {key} = {entries!r} is not a list of [[{key}]] tables")
    return entries


def _words(value, where: str, key: str) -> tuple[str, ...]:
    """A list of strings (adjectives, aliases): `adjectives = "French"` is no list."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ManifestError(f"{where}: {key} must be a list of names, as {key} = [\"…\", \"…\"]")
    return tuple(value)


def read_manifest(path: Path) -> Manifest:
    """The manifest at `path`, validated; an absent one is an empty manifest (every file inferred)."""
    if not path.exists():
        return Manifest()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: cannot be read ({exc})") from None
    countries = []
    for n, c in enumerate(_tables(data, "country", path), 1):
        if not isinstance(c, dict) or not isinstance(c.get("name"), str) or not c["name"].strip():
            raise ManifestError(f"{path}: [[country]] entry {n} has no name (a string)")
        where = f"{path}: [[country]] entry {n} ({c['name']})"
        countries.append(Country(c["name"], _words(c.get("adjectives", []), where, "adjectives"),
                                 _words(c.get("aliases", []), where, "aliases")))
    organisations = [o["name"] for o in _tables(data, "organisation", path)
                     if isinstance(o, dict) and isinstance(o.get("name"), str) and o["name"].strip()]
    declared = {c.name for c in countries} | set(organisations)
    documents: dict[str, dict] = {}
    for n, entry in enumerate(_tables(data, "document", path), 1):
        where = f"{path}: [[document]] entry {n}"
        if not isinstance(entry, dict):
            raise ManifestError(f"{where} is not a table")
        where += f" ({entry.get('file') or entry.get('id') or 'no file'})"
        unknown = sorted(set(entry) - set(DOCUMENT_KEYS))
        if unknown:  # ("contry": the country quietly dropped)
            raise ManifestError(f"{where}: unknown key {', '.join(map(repr, unknown))}; valid keys: {', '.join(DOCUMENT_KEYS)}")
        missing = [k for k in REQUIRED if not str(entry.get(k) or "").strip()]
        if missing:
            raise ManifestError(f"{where}: missing {', '.join(missing)}")
        wrong = [k for k in REQUIRED if not isinstance(entry[k], str)]
        if wrong:
            raise ManifestError(f"{where}: {', '.join(wrong)} must be text, in quotes")
        if not ID.fullmatch(entry["id"]):
            raise ManifestError(f"{where}: id {entry['id']!r} may hold only letters, digits, '.', '_' and '-' "
                                "(it stands in URLs and passage ids)")
        if Path(entry["file"]).name != entry["file"] or entry["file"] in (".", ".."):
            raise ManifestError(f"{where}: file {entry['file']!r} must be a file name in the corpus folder, "
                                "without a path")
        if entry["kind"] not in DOCUMENT_KINDS:
            raise ManifestError(f"{where}: unknown kind {entry['kind']!r}; valid kinds: {', '.join(DOCUMENT_KINDS)}")
        country = entry.get("country")
        if country and country not in declared:
            raise ManifestError(f"{where}: country {country!r} is not declared; declare it as [[country]] (or "
                                f"[[organisation]]) or use one of: {', '.join(sorted(declared)) or 'none declared'}")
        year = entry.get("year")
        if year is not None and not isinstance(year, int):
            raise ManifestError(f"{where}: year {year!r} is not a whole number")
        if entry["file"] in documents:
            raise ManifestError(f"{where}: {entry['file']} is listed twice")
        documents[entry["file"]] = entry
    return Manifest(countries, organisations, documents)
