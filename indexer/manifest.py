"""corpus/manifest.toml: the documents and the countries, checked before anything is built.

A manifest mistake (bad TOML, an unknown kind, a missing title, a country nobody declared)
would otherwise surface as a traceback or, worse, as a quietly wrong index; here it is one
line naming the file and the entry, and the build stops with the previous index serving.
"""
from __future__ import annotations

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
    for n, c in enumerate(data.get("country", []), 1):
        if not isinstance(c, dict) or not c.get("name"):
            raise ManifestError(f"{path}: [[country]] entry {n} has no name")
        countries.append(Country(c["name"], tuple(c.get("adjectives", ())), tuple(c.get("aliases", ()))))
    organisations = [o["name"] for o in data.get("organisation", []) if isinstance(o, dict) and o.get("name")]
    declared = {c.name for c in countries} | set(organisations)
    documents: dict[str, dict] = {}
    for n, entry in enumerate(data.get("document", []), 1):
        where = f"{path}: [[document]] entry {n}"
        if not isinstance(entry, dict):
            raise ManifestError(f"{where} is not a table")
        where += f" ({entry.get('file') or entry.get('id') or 'no file'})"
        missing = [k for k in REQUIRED if not str(entry.get(k) or "").strip()]
        if missing:
            raise ManifestError(f"{where}: missing {', '.join(missing)}")
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
