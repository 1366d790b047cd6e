"""The `pdf` part: how many PDF pages a build reads per second before the model.

Read, extract with pypdfium2, find running headers and footers, read tables cell after cell
where a reply needs it (indexer/table_readings.tables_read), parse into passages and verify every
passage's character map: everything a build does to a PDF except embedding it.
"""
from __future__ import annotations

import time
from pathlib import Path

from eval.bench.common import ROOT

REAL_DOCUMENTS = ROOT.parent / "shared" / "real-documents"


def part_pdf(folder: Path = REAL_DOCUMENTS, token_budget: int = 200) -> dict:
    from indexer.corpus import document_passages
    from indexer.table_readings import tables_read
    from indexer.formats.pdf import extract
    from indexer.models import Document
    from indexer.verify import first_bad_offset

    paths = sorted(Path(folder).glob("*.pdf"))
    if not paths:
        raise FileNotFoundError(f"no PDF in {folder} (give one with --pdfs)")
    pages = passages = bad = 0
    started = time.perf_counter()
    for path in paths:
        extracted = extract(path.read_bytes(), "")
        doc = Document(id=path.stem, file=path.name, title=path.stem, kind="report", parser="general")
        found = document_passages(doc, extracted.text, token_budget, page_starts=extracted.page_starts,
                                  reading=tables_read(path, extracted))
        bad += sum(first_bad_offset(extracted.text, p) is not None for p in found)
        pages += len(extracted.page_starts)
        passages += len(found)
    seconds = time.perf_counter() - started
    return {"folder": str(folder), "files": len(paths), "pages": pages, "passages": passages,
            "passages_failing_verification": bad, "seconds": round(seconds, 3),
            "pages_per_second": round(pages / seconds, 1) if seconds else None}
