"""Documents into the corpus: a PDF's title from its metadata and unlisted files that say
where their metadata came from, a PDF dropped into the corpus built with its pages, and clear
one-line errors for bad input (a bad manifest, encrypted, corrupt, scanned, empty or oversized
files, a passage map that does not hold) that keep the previous index served. The PDFs the
format tests read are made here with fpdf2 from the corpus texts (`make_pdf`, `seed_pages`),
so every paragraph's page is known.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.build import BuildFailed, parse_and_verify, build_index
from indexer.corpus import CorpusError, load_corpus
from indexer.formats import ExtractionError, extract
from indexer.models import Document
from indexer.text import paragraphs

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
HEADER = "Precedent test document - running header"


def latin1(text: str) -> str:
    """fpdf2's core fonts are Latin-1: other characters become their nearest ASCII."""
    table = {"—": "-", "–": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "...", "•": "-", "·": "-"}
    return "".join(table.get(c, c) for c in text).encode("latin-1", "replace").decode("latin-1")


def make_pdf(pages: list[list[str]], title: str | None = None, password: str | None = None,
             notes: dict[int, list[str]] | None = None) -> bytes:
    """A PDF whose page i holds exactly the paragraphs pages[i], under a running header and
    above a page number (and notes[i], footnotes below a rule of underscores)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    if title:
        pdf.set_title(title)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    for n, paras in enumerate(pages, 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        pdf.cell(0, 5, HEADER)
        pdf.ln(8)
        pdf.set_font("Helvetica", size=9)
        for para in paras:
            pdf.multi_cell(0, 4.2, latin1(para))
            pdf.ln(2)
        if notes and notes.get(n):
            pdf.set_y(-40)
            pdf.set_font("Helvetica", size=7)
            pdf.cell(0, 4, "_" * 18)
            pdf.ln(5)
            for note in notes[n]:
                pdf.multi_cell(0, 3.5, latin1(note), new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-15)
        pdf.set_font("Helvetica", size=8)
        pdf.cell(0, 5, str(n), align="C")
    return bytes(pdf.output())


def seed_pages(name: str, per_page: int = 4) -> list[list[str]]:
    text = (CORPUS / name).read_text("utf-8")
    paras = [re.sub(r"\s+", " ", re.sub(r"[*⁰¹²³⁴⁵⁶⁷⁸⁹]", "", p.text)) for p in paragraphs(text)
             if len(p.text) > 80 and "\t" not in p.text]
    paras = [p[:600] for p in paras][:24]
    return [paras[i:i + per_page] for i in range(0, len(paras), per_page)]


def doc(id_="t", kind="report", title="Test") -> Document:
    return Document(id=id_, file=f"{id_}.pdf", title=title, kind=kind)


def test_pdf_title_comes_from_its_metadata_and_unlisted_files_say_where_metadata_came_from(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.toml").write_text('[[country]]\nname = "Belgium"\nadjectives = ["Belgian"]\n')
    paras = ["Belgium reported on its national action plan against trafficking in human beings in 2013. " * 3] * 3
    (corpus / "dropped.pdf").write_bytes(make_pdf([paras], title="Belgian report on trafficking"))
    c = load_corpus(corpus)
    (d, _), = c.documents
    assert (d.title, d.country, d.year, d.format, d.listed) == ("Belgian report on trafficking", "Belgium", 2013,
                                                                 "pdf", False)
    assert d.inferred["title"] == "pdf metadata" and "mentions of Belgium" in d.inferred["country"]
    assert d.parser == "general" and d.parser_reason
    assert set(d.inferred) == {"title", "country", "kind", "year"}


def test_verification_leaves_out_a_document_whose_map_does_not_hold_and_names_duplicates(settings, monkeypatch):
    import indexer.build as build

    real = build.document_passages

    def broken(document, text, budget, **kwargs):
        out = real(document, text, budget, **kwargs)
        if document.id == "be-cnd-position-paper":
            out[0].offsets = [(t, f + 1, n) for t, f, n in out[0].offsets]
        if document.id == "unodc-drugs-and-crime":
            out[1].id = out[0].id
        return out

    monkeypatch.setattr(build, "document_passages", broken)
    corpus = load_corpus(settings.corpus_dir)
    passages = parse_and_verify(corpus, settings)
    kept = {d.id for d, _ in corpus.documents}
    assert "be-cnd-position-paper" not in kept and "unodc-drugs-and-crime" not in kept and "be-cnd-response" in kept
    warnings = "\n".join(corpus.warnings)
    assert re.search(r"belgium-cnd-position-paper-online-drug-trafficking\.txt: left out .*file offset \d+", warnings)
    assert "unodc-report-drugs-and-crime.txt: left out of the build" in warnings and "duplicate passage ids" in warnings
    assert passages and all(p.document_id in kept for p in passages)


BAD_MANIFESTS = {
    "bad TOML": ('[[document]\nid = "x"', "not valid TOML"),
    "unknown kind": ('[[document]]\nid = "x"\nfile = "x.txt"\ntitle = "X"\nkind = "memo"',
                     "unknown kind 'memo'; valid kinds: questionnaire-response, action-plan, position-paper, report"),
    "missing title": ('[[document]]\nid = "x"\nfile = "x.txt"\nkind = "report"', "(x.txt): missing title"),
    "undeclared country": ('[[country]]\nname = "Belgium"\n[[document]]\nid = "x"\nfile = "x.txt"\ntitle = "X"\n'
                           'kind = "report"\ncountry = "Belgum"', "country 'Belgum' is not declared"),
    "documents not a list": ("document = 5", "document = 5 is not a list of [[document]] tables"),
    "adjectives not a list": ('[[country]]\nname = "France"\nadjectives = "French"',
                              "[[country]] entry 1 (France): adjectives must be a list of names"),
    "country name not text": ("[[country]]\nname = 5", "[[country]] entry 1 has no name"),
    "title not text": ('[[document]]\nid = "x"\nfile = "x.txt"\ntitle = ["X"]\nkind = "report"', "title must be text"),
    "id with a slash": ('[[document]]\nid = "../x y"\nfile = "x.txt"\ntitle = "X"\nkind = "report"',
                        "id '../x y' may hold only letters, digits"),
    "file with a path": ('[[document]]\nid = "x"\nfile = "../../etc/hosts"\ntitle = "X"\nkind = "report"',
                         "must be a file name in the corpus folder"),
    "a key misspelt": ('[[country]]\nname = "Belgium"\n[[document]]\nid = "x"\nfile = "x.txt"\ntitle = "X"\n'
                       'kind = "report"\ncontry = "Belgium"', "unknown key 'contry'; valid keys: id, file, title, kind, "
                       "country, year, description, parser"),  # (the country had been dropped quietly)
    "listed file missing": ('[[document]]\nid = "gone"\nfile = "gone.txt"\ntitle = "X"\nkind = "report"',
                            "gone.txt (manifest entry 'gone'): listed in manifest.toml but not found"),
}


@pytest.mark.parametrize("case", sorted(BAD_MANIFESTS))
def test_bad_manifest_is_one_line_naming_the_file(tmp_path, case):
    manifest, message = BAD_MANIFESTS[case]
    (tmp_path / "manifest.toml").write_text(manifest)
    (tmp_path / "x.txt").write_text("Some text.\n")
    with pytest.raises(CorpusError) as err:
        load_corpus(tmp_path)
    assert message in str(err.value) and "manifest.toml" in str(err.value) and "\n" not in str(err.value)


def bad_files() -> dict[str, tuple[bytes, str]]:
    from fpdf import FPDF

    blank = FPDF()  # a page with no text at all: what a scan without OCR looks like to pdfium
    blank.add_page()
    blank.rect(20, 20, 100, 100)
    scan = bytes(blank.output())
    return {
        "encrypted.pdf": (make_pdf([["Secret text on the first page."]], password="pw"), "encrypted PDF"),
        "corrupt.pdf": (b"%PDF-1.7\n" + b"\x00garbage" * 50, "corrupt or not a PDF"),
        "scan.pdf": (scan, "no text layer; OCR is not supported"),
        "broken.docx": (b"PK\x03\x04 not really a zip", "unreadable DOCX"),
        "broken.xlsx": (b"PK\x03\x04 not really a zip", "unreadable XLSX"),
        "deep.html": (("<div>" * 3000 + "Drug policy." + "</div>" * 3000).encode(), "its html is nested too deeply"),
        "utf16.txt": ("Belgium reported that the police act.".encode("utf-16-le"), "not UTF-8 (it looks like UTF-16"),
    }  # (the last two had crashed the whole build, and been indexed as garbage, before)


def test_bad_files_listed_stop_the_build_unlisted_are_skipped(tmp_path):
    for name, (raw, message) in bad_files().items():
        folder = tmp_path / name.replace(".", "-")
        folder.mkdir()
        (folder / name).write_bytes(raw)
        (folder / "ok.txt").write_text("A readable note about drug policy.\n")
        c = load_corpus(folder)
        assert [d.file for d, _ in c.documents] == ["ok.txt"]
        assert any(w.startswith(f"{name}: skipped, {message}") for w in c.warnings), c.warnings
        (folder / "manifest.toml").write_text(f'[[document]]\nid = "bad"\nfile = "{name}"\ntitle = "B"\nkind = "report"\n')
        with pytest.raises(CorpusError, match=re.escape(f"{name} (manifest entry 'bad'): {message}")):
            load_corpus(folder)


def test_folders_and_links_in_the_corpus_folder_are_said_and_a_link_out_of_it_is_not_read(tmp_path):
    """A subfolder, a link to nothing and a link out of the corpus folder are skipped with a
    warning each (they had been dropped, or read, quietly): a corpus file's text is served whole,
    so a link to /etc/passwd must not make it a document. A link within the folder is read."""
    (tmp_path / "ok.txt").write_text("A readable note about drug policy.\n")
    (tmp_path / "passwd.txt").symlink_to("/etc/passwd")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "same.txt").symlink_to(tmp_path / "ok.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "nested.txt").write_text("A note in a subfolder.\n")
    c = load_corpus(tmp_path)
    assert sorted(d.file for d, _ in c.documents) == ["ok.txt", "same.txt"]
    skipped = {w.split(":")[0]: w for w in c.warnings if "skipped" in w}
    assert "a link out of the corpus folder" in skipped["passwd.txt"] and "leads nowhere" in skipped["gone.txt"]
    assert "a folder" in skipped["sub"]
    (tmp_path / "manifest.toml").write_text('[[document]]\nid = "pw"\nfile = "passwd.txt"\ntitle = "P"\nkind = "report"\n')
    with pytest.raises(CorpusError, match="passwd.txt .manifest entry 'pw'.: a link out of the corpus folder"):
        load_corpus(tmp_path)


@pytest.mark.parametrize("raw", [b"\xef\xbb\xbf", "\u200b\u200b\n".encode(), b"\x00\x01 \n"])
def test_a_file_with_no_letter_or_digit_is_empty(tmp_path, raw):
    """A byte-order mark, zero-width spaces or control characters alone: no text to index (it had
    been indexed as a passage reading "\ufeff")."""
    (tmp_path / "blank.txt").write_bytes(raw)
    c = load_corpus(tmp_path)
    assert not c.documents and c.warnings[-1].startswith("blank.txt: skipped, the file is empty")


def test_file_over_the_size_bound(tmp_path):
    (tmp_path / "big.txt").write_text("word " * 300_000)
    c = load_corpus(tmp_path, max_file_mb=1)
    assert not c.documents and "over the 1 MB bound" in c.warnings[-1]
    assert c.warnings[0].startswith(f"no manifest.toml in {tmp_path}: every document's id, title, country and kind")
    with pytest.raises(ExtractionError, match="PRECEDENT_MAX_FILE_MB"):
        extract(tmp_path / "big.txt", max_bytes=2**20)


def test_bad_input_keeps_the_previous_index_and_exits_1(workspace):
    from indexer import store

    served = store.resolve_build(workspace.index)
    manifest = workspace.corpus / "manifest.toml"
    manifest.write_text(manifest.read_text().replace('kind = "report"', 'kind = "memo"'))
    with pytest.raises(BuildFailed, match="unknown kind 'memo'.*previous index is still served"):
        build_index(workspace.settings)
    assert store.resolve_build(workspace.index) == served
    env = {**os.environ, "PRECEDENT_CORPUS_DIR": str(workspace.corpus), "PRECEDENT_INDEX_DIR": str(workspace.index)}
    proc = subprocess.run([sys.executable, "-m", "indexer", "build"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and "unodc-report-drugs-and-crime.txt" in errors[0] and "Traceback" not in proc.stderr
    assert store.resolve_build(workspace.index) == served


def test_pdf_dropped_into_the_corpus_is_built_with_pages(workspace, embedder):
    import sqlite3

    from indexer import store

    pages = seed_pages("belgium-cnd-position-paper-online-drug-trafficking.txt", per_page=2)
    (workspace.corpus / "paper.pdf").write_bytes(make_pdf(pages))
    summary = build_index(workspace.settings, embedder=embedder)
    assert summary.embedded_documents == ["paper"]
    build = store.resolve_build(workspace.index)
    conn = sqlite3.connect(build / store.SQLITE)
    fmt, parser, reason = conn.execute("SELECT format, parser, parser_reason FROM documents WHERE id = 'paper'").fetchone()
    assert (fmt, parser) == ("pdf", "general") and reason
    rows = conn.execute("SELECT number, start, end FROM pages WHERE document_id = 'paper' ORDER BY number").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(pages) + 1))
    import json

    info = json.loads((build / store.MANIFEST).read_text())["documents"]["paper"]
    assert info["pages"] == len(pages) and info["parser"] == "general" and info["inferred"]["title"]


def test_a_format_no_reader_reads_is_said_listed_or_not(tmp_path):
    """A workbook in Excel's old binary format (.xls) is no format Precedent reads: unlisted, a
    warning naming the valid suffixes; listed, the build stops (it was left out without a word)."""
    (tmp_path / "reply.xls").write_bytes(b"\xd0\xcf\x11\xe0 old binary workbook")
    (tmp_path / "ok.txt").write_text("A readable note about drug policy.\n")
    c = load_corpus(tmp_path)
    assert [d.file for d, _ in c.documents] == ["ok.txt"]
    assert any(w.startswith("reply.xls: skipped, .xls is not a format Precedent reads; valid: ") and ".xlsx" in w
               for w in c.warnings), c.warnings
    (tmp_path / "manifest.toml").write_text('[[document]]\nid = "r"\nfile = "reply.xls"\ntitle = "R"\nkind = "report"\n')
    with pytest.raises(CorpusError, match=re.escape("reply.xls (manifest entry 'r'): .xls is not a format Precedent "
                                                    "reads; valid: .docx, .eml, .htm, .html, .markdown, .md, .odt, .pdf, "
                                                    ".txt, .xlsx")):
        load_corpus(tmp_path)


def test_two_responses_for_one_country_are_warned_of(tmp_path):
    """A second questionnaire response for Belgium (a copy left beside its correction): the build
    warns, since the coverage grid has one cell a country while tables by country show both.
    The corpus as shipped draws no such warning."""
    from indexer.build import twice_answered
    from tests.conftest import BELGIUM, CORPUS

    (tmp_path / BELGIUM.name).write_bytes(BELGIUM.read_bytes())
    (tmp_path / "belgium-second-reply.txt").write_bytes(BELGIUM.read_bytes().replace(b"Federal Police", b"Police"))
    [warning] = twice_answered(load_corpus(tmp_path))
    assert warning.startswith("Belgium has 2 questionnaire responses (belgium-cnd-questionnaire-response.txt, "
                              "belgium-second-reply.txt)")
    assert twice_answered(load_corpus(CORPUS)) == []
