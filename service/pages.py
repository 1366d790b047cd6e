"""GET /documents/{id}/pages/{n}.png: a PDF page as the reader printed it, the cited range boxed.

Offsets index the stored extracted text, pages joined by form feeds; pdfium numbers a
page's characters in the order that text was read, so a citation's characters on page n are
pdfium's characters (start - page start) … (end - page start) and their boxes are exact.
Rendered pages are cached on disk under the index folder, keyed by the file's hash.
"""
from __future__ import annotations

import hashlib
import io
import logging
import threading
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from service.params import only_parameters

log = logging.getLogger(__name__)
SCALE = 1.5  # 108 dpi: legible, about 150 KB a page
MAX_PIXELS = 12_000_000  # at most this many pixels a page image (an A0 poster's page at about 90 dpi)
CACHE = "page-cache"
_lock = threading.Lock()  # pdfium is not thread-safe
_verified: dict[tuple[str, int, int], bool] = {}  # (path, size, mtime_ns) -> its hash matched the index


def _boxes(textpage, first: int, last: int) -> list[tuple[float, float, float, float]]:
    """Character boxes of [first, last) merged into one rectangle a line."""
    lines: list[list[float]] = []
    chars = textpage.get_text_range(first, last - first) if last > first else ""
    for i in range(first, last):
        if i - first < len(chars) and chars[i - first].isspace():
            continue  # spaces and line breaks have no ink (and pdfium may place them anywhere)
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        if right <= left or top <= bottom:
            continue
        middle = (bottom + top) / 2
        if lines and lines[-1][1] <= middle <= lines[-1][3] and left >= lines[-1][0] - 2:
            box = lines[-1]
            box[0], box[1], box[2], box[3] = min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)
        else:
            lines.append([left, bottom, right, top])
    return [tuple(b) for b in lines]


def render(pdf_path: Path, number: int, local: list[tuple[int, int]], stored: str | None = None) -> bytes:
    """PNG of page `number` (1-based); `local`: character ranges on the page to box. `stored`: the
    page's stored text; when it is not pdfium's (a filled or flattened form's page, its values read
    into it: indexer/formats/pdf_fields.py), its offsets are not pdfium's characters and the page
    is shown unboxed rather than boxed in the wrong place."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    with _lock:
        pdf = pdfium.PdfDocument(str(pdf_path))
        try:
            page = pdf[number - 1]
            height = page.get_height()
            scale = min(SCALE, 0.99 * (MAX_PIXELS / max(page.get_width() * height, 1.0)) ** 0.5)  # (a poster's page:
            image = page.render(scale=scale).to_pil().convert("RGB")  # a bounded image, not gigabytes; pdfium
            #                                                           rounds each side up, hence 0.99)
            boxes = []
            textpage = page.get_textpage() if local else None
            if textpage is not None and stored is not None and textpage.get_text_range() != stored:
                textpage.close()
                textpage = None
            if textpage is not None:
                count = textpage.count_chars()
                for lo, hi in local:
                    boxes += _boxes(textpage, max(0, lo), min(count, hi))
                textpage.close()
            page.close()
        finally:
            pdf.close()
    draw = ImageDraw.Draw(image)
    for left, bottom, right, top in boxes:
        draw.rectangle([left * scale - 2, (height - top) * scale - 2, right * scale + 2, (height - bottom) * scale + 2],
                       outline=(214, 39, 40), width=2)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _source(settings, doc: dict) -> Path:
    """The original PDF, provided it is still the file the index was built from."""
    from service.engine import Conflict, NotFound

    path = Path(settings.corpus_dir) / doc["file"]
    try:
        stat = path.stat()
    except OSError:
        raise NotFound(f"the original of {doc['id']!r} ({doc['file']}) is no longer in the corpus folder")
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _verified:
        _verified[key] = hashlib.sha256(path.read_bytes()).hexdigest() == doc.get("sha256")
    if not _verified[key]:
        raise Conflict(f"{doc['file']} changed since the index was built; rebuild with `precedent build`")
    return path


def parse_spans(spans: str | None, start: int | None, end: int | None) -> list[tuple[int, int]]:
    """The ranges to box: `spans` ("120-180,240-300", an answer's pieces) or else start–end; a
    range that ends before it starts is a 400 (it had boxed nothing, saying nothing)."""
    from service.engine import QueryError

    ranges = ([(int(a), int(b)) for a, b in (part.split("-") for part in spans.split(","))] if spans else
              [(start, end)] if start is not None and end is not None else [])
    backwards = [f"{a}-{b}" for a, b in ranges if b <= a]
    if backwards:
        raise QueryError(f"range {backwards[0]} is empty or ends before it starts; give start-end with end after start")
    return ranges


def page_png(index, settings, document_id: str, number: int, ranges: list[tuple[int, int]]) -> bytes:
    from service.engine import NotFound

    doc = index.documents.get(document_id)
    if doc is None:
        raise NotFound(f"no document {document_id!r}; see /documents for the list")
    pages = doc.get("pages") or []
    if not pages:
        raise NotFound(f"{document_id!r} has no pages (it is not a PDF)")
    if not 1 <= number <= len(pages):
        raise NotFound(f"{document_id!r} has pages 1 to {len(pages)}")
    page = pages[number - 1]
    local = []
    for start, end in ranges:
        lo, hi = max(start, page["start"]), min(end, page["end"])
        if lo < hi:
            local.append((lo - page["start"], hi - page["start"]))
    path = _source(settings, doc)
    cache = Path(settings.index_dir) / CACHE
    name = f"{doc['sha256'][:16]}-p{number}" + "".join(f"-{lo}-{hi}" for lo, hi in local) + ".png"
    cached = cache / name
    if cached.exists():
        return cached.read_bytes()
    png = render(path, number, local, index.document_text(document_id)[page["start"]:page["end"]] if local else None)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{threading.get_ident()}.tmp")
        tmp.write_bytes(png)
        tmp.replace(cached)
    except OSError as exc:  # a full or read-only disk costs the cache, not the answer
        log.warning("page cache not written (%s)", exc)
    return png


def add_page_route(app: FastAPI, engine_dependency, settings) -> None:
    @app.get("/documents/{document_id}/pages/{number}.png", tags=["corpus"], response_class=Response,
             responses={200: {"content": {"image/png": {}}}})
    async def document_page(document_id: str, number: int,
                            start: Annotated[int | None, Query(ge=0, description="Box the cited range from here…")] = None,
                            end: Annotated[int | None, Query(ge=0, description="…to here (stored-text offsets).")] = None,
                            spans: Annotated[str | None, Query(
                                pattern=r"^\d{1,9}-\d{1,9}(,\d{1,9}-\d{1,9}){0,15}$", max_length=400,
                                description="Several ranges to box instead of start and end: "
                                            "'120-180,240-300' (an answer's pieces, not what lies between)."
                            )] = None,
                            engine=Depends(engine_dependency), _: None = only_parameters("start", "end", "spans")):
        """A PDF page rendered by pdfium; with start and end (or spans), the cited characters boxed in red."""
        png = await run_in_threadpool(page_png, engine.index, settings, document_id, number,
                                      parse_spans(spans, start, end))
        return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=3600"})
