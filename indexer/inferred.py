"""What an unlisted file says of itself: its kind (by its structure), its title (its metadata,
else the heading that reads most like one), its country and its year, each value with where it
came from (the build's manifest.json records it: a user sees why a file was read as it was).
Pure functions over the extracted text; corpus.py does the reading.
"""
from __future__ import annotations

import re
from pathlib import Path

from indexer.countries import mentions as country_mentions, named_country
from indexer.formats import Extracted
from indexer.formats.layout import page_layout
from indexer.manifest import Country
from indexer.models import Document
from indexer.parsers.general import heading_of, lines_of, typical_width
from indexer.parsers.prose import TABLE_HEADER
from indexer.parsers.questionnaire import looks_like_questionnaire
from indexer.text import slug

YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")


def infer_kind(text: str) -> str:
    if looks_like_questionnaire(text):
        return "questionnaire-response"
    if any(TABLE_HEADER.match(line) for line in text.splitlines()):
        return "action-plan"
    if re.search(r"^(?:#+\s*)?\**(bibliography|references)\**\s*$", text, re.I | re.M):
        return "position-paper"
    return "report"


TITLE_WORDS = re.compile(r"\b(report|letter|convention|protocol|resolution|status|plan|review|strategy|declaration|"
                         r"response|questionnaire|position paper|note|guidelines|programme)\b", re.I)


def infer_title(text: str, extracted: Extracted, fallback: str) -> tuple[str, str]:
    """(title, where it came from): the file's own metadata, else the heading near the top
    that reads most like a title ("Report of …", "… Convention on …"), its wrapped line joined."""
    if extracted.title:
        return extracted.title, f"{extracted.format} metadata"
    drop = page_layout(text, extracted.page_starts).drop if extracted.paged else []
    lines = lines_of(text[:20000], drop)[:60]
    width = typical_width(lines)
    best, best_score = None, 0
    for i, line in enumerate(lines):
        t = re.sub(r"\s+", " ", line.text).strip().strip("*# ")
        words = t.split()
        titled = bool(TITLE_WORDS.search(t)) and len(t) <= 150 and not t.endswith(".")
        if len(words) < 2 or sum(c.isalpha() for c in t) < 0.6 * len(t) or not (
                titled or heading_of(line.text, width, True, True)):
            continue
        nxt = lines[i + 1].text.strip() if i + 1 < len(lines) else ""
        if len(words) >= 5 and 0 < len(nxt.split()) <= 6 and not re.search(r"\d", nxt) and nxt[:1].isalpha():
            t = f"{t} {nxt.strip('*# ')}".rstrip("*")  # a title wrapped over two lines
        score = 3 * bool(TITLE_WORDS.search(t)) + bool(re.search(r"\b(the|of|and|on)\b", t)) + (len(t) >= 20)
        if score > best_score:
            best, best_score = t, score
    if best:
        return best[:120], "first heading that reads as a title"
    first = next((ln.text.strip("#* ") for ln in lines if ln.text.strip("#* ")), fallback)
    return first[:120], "first line"


def infer_document(path: Path, text: str, extracted: Extracted, countries: list[Country]) -> tuple[Document, Country | None]:
    """The document as far as it can be read, and the country of ISO 3166 it is about when no
    manifest country is (indexer/countries.py): the corpus adds that country."""
    kind = infer_kind(text)
    title, title_from = infer_title(text, extracted, path.stem)
    counts = country_mentions(text, tuple(countries))
    country, mentions = counts.most_common(1)[0] if counts else (None, 0)
    floor = max(1, len(text.split()) / 2000)
    if mentions < floor:  # named in passing (a delegation among fifty) is no subject
        country = None
    country_from = f"text: {mentions} mentions of {country} among the manifest's countries"
    world, world_from = named_country(title, path.stem, text, floor)
    if country and not (world and world_from.startswith(("title", "file name"))):
        world = None  # a manifest country the text names often enough, and no other the title or file name names
    else:  # "norway-cnd-response.docx" naming Belgium once ("a joint team with Belgium") is Norway's
        country = None
        declared = next((c for c in countries if world and set(c.names()) & set(world.names())), None)
        if declared:  # the manifest's own name for it ("Czech Republic" for ISO's "Czechia")
            world, world_from = None, f"{world_from}, declared as {declared.name}"
            country = declared.name
        country_from = (world_from if country or world else
                        f"text: no manifest country named often enough ({mentions} mentions at most); {world_from}")
    year_from = next(((where, m) for where, src in (("title", title), ("file name", path.stem),
                                                     ("text", text[:3000])) if (m := YEAR.search(src))), None)
    year = year_from[1] if year_from else None
    inferred = {
        "title": title_from,
        "country": country_from,
        "kind": ("structure: recommendations with action-taken marks" if kind == "questionnaire-response" else
                 "structure: proposal tables" if kind == "action-plan" else
                 "structure: a bibliography" if kind == "position-paper" else "default: no specific structure"),
        "year": f"{year_from[0]}: first year named" if year_from else "none found",
    }
    return Document(id=slug(path.stem), file=path.name, title=title, kind=kind, country=country or (world and world.name),
                    year=int(year.group(1)) if year else None, sha256=extracted.source_sha256, listed=False,
                    inferred=inferred), world
