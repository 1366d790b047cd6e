"""Any document in: PDF, Word, HTML and Markdown read into text with offsets; pages known;
the general parser; clear errors for bad input; inferred metadata that says where it came from.

PDFs are made here with fpdf2 from the corpus texts, so every paragraph's page is known.
"""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.build import BuildFailed, parse_and_verify, build_index
from indexer.corpus import CorpusError, load_corpus, parse_document
from indexer.formats import ExtractionError, extract, extract_bytes, page_span
from indexer.formats.layout import page_layout
from indexer.models import Document
from indexer.parsers.general import parse_general
from indexer.parsers.questionnaire import parse_questionnaire
from indexer.text import paragraphs
from indexer.verify import first_bad_offset

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


@pytest.fixture(scope="module")
def seed_pdf():
    pages = seed_pages("unodc-report-drugs-and-crime.txt")
    return pages, extract_bytes(make_pdf(pages), "pdf")


def test_pdf_pages_are_joined_by_form_feeds_and_kept_as_read(seed_pdf):
    pages, x = seed_pdf
    assert x.format == "pdf" and x.extractor.startswith("pypdfium2 ") and len(x.page_starts) == len(pages)
    for i, start in enumerate(x.page_starts[1:], 1):
        assert x.text[start - 1] == "\f"
    assert HEADER in x.text[: x.page_starts[1]]


def test_every_paragraph_is_cited_on_the_page_it_was_printed_on(seed_pdf):
    pages, x = seed_pdf
    passages = parse_document(doc(), x.text, 200, page_starts=x.page_starts)
    assert passages
    checked = 0
    for number, paras in enumerate(pages, 1):
        for para in paras:
            words = " ".join(latin1(para).split()[:8])
            holder = next(p for p in passages if words in p.text)
            at = holder.text.index(words)
            run = next(r for r in holder.offsets if r[0] <= at < r[0] + r[2])
            offset = run[1] + at - run[0]
            assert page_span(x.page_starts, offset, offset + 1)[0] == number, (number, words)
            checked += 1
    assert checked == sum(len(p) for p in pages)


def test_running_headers_and_page_numbers_stay_out_of_passages(seed_pdf):
    _, x = seed_pdf
    layout = page_layout(x.text, x.page_starts)
    assert len(layout.running) == 2 * len(x.page_starts)  # a header and a number on every page
    for p in parse_document(doc(), x.text, 200, page_starts=x.page_starts):
        assert HEADER not in p.text and "running header" not in p.text
        assert first_bad_offset(x.text, p) is None, p.id
        for t0, f0, n in p.offsets:
            assert not any(a < f0 + n and f0 < b for a, b in layout.running), p.id


def test_soft_hyphens_join_the_word_and_keep_the_map():
    text = "Introduction\r\n1. The traffick\ufffe\r\ning of persons is an offence under the law.\r\n"
    (p,) = parse_general(text, doc(), 200, drop=page_layout(text, [0]).drop)
    assert "trafficking of persons" in p.text and first_bad_offset(text, p) is None


def test_footnote_marks_read_as_digits_leave_the_text_and_other_numbers_stay():
    """A mark is digits glued to what precedes them (or set off after punctuation) whose number
    is a footnote at the foot of the same page; document symbols, lists and paragraph numbers
    that happen to share a footnote's number stay."""
    text = ("Introduction\r\n1. Recalling the Agenda for Sustainable Development,14 in particular Goal 3, and "
            "the 1972 Protocol, 15 the Convention, as amended by E/CN.7/2025/L.6/Rev.14 as amended, in "
            "paragraphs 12, 15 and 16, the Board noted gaps in these areas.16\r\n14. The Board met at 10:15 "
            "under vol. 14 of the Treaty Series and document E/CN.7/2025/Rev.16\r\nas revised.\r\n"
            "__________________\r\n14 General Assembly resolution 70/1.\r\n15 Ibid.\r\n16 Ibid., annex.\r\n")
    layout = page_layout(text, [0])
    assert [(n, text[a:b]) for a, b, n, _ in layout.marks] == [("14", "14"), ("15", " 15"), ("16", "16")]
    body, *notes = parse_general(text, doc(), 200, drop=layout.drop, notes=layout.notes, marks=layout.marks)
    assert "Sustainable Development, in particular" in body.text and "Protocol, the Convention" in body.text
    assert "Rev.14 as amended" in body.text and "paragraphs 12, 15 and 16" in body.text and "14. The Board" in body.text
    assert "in these areas." in body.text and first_bad_offset(text, body) is None
    assert "at 10:15 under vol. 14 of" in body.text and "Rev.16 as revised" in body.text
    assert {n.fields["number"]: (n.fields["ref_passage"], text[n.fields["ref_offset"]:][:2]) for n in notes} == {
        "14": (body.id, "14"), "15": (body.id, "15"), "16": (body.id, "16")}


def test_a_mark_at_a_line_end_after_a_word_leaves_the_text():
    """pdfium breaks the line at a superscript and opens the rest of it with a space: "three
    women 45⏎ in an irregular situation". A number so placed whose footnote is on the page is
    a mark; one at a line's end with no such break ("aged 46⏎people") stays."""
    text = ("Introduction\r\n1. The army arrested three men and three women 45\r\n in an irregular situation, and "
            "found that people aged 46\r\npeople were seen; the Convention of 1988 47\r\n and other treaties apply. "
            "The number identified was 48\r\n (a) of whom 9 were women; the total was 70\r\n and it rose.\r\n"
            "__________________\r\n45 See the report.\r\n46 Ibid.\r\n47 Ibid.\r\n48 Ibid.\r\n")
    layout = page_layout(text, [0])
    # "48" opens an indented list item after it, and no note 70 stands on the page: both are numbers
    assert [(n, text[a:b]) for a, b, n, _ in layout.marks] == [("45", " 45"), ("47", " 47")]
    body, *_ = parse_general(text, doc(), 200, drop=layout.drop, notes=layout.notes, marks=layout.marks)
    assert "three women in an irregular situation" in body.text and "aged 46 people" in body.text


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


def test_docx_paragraphs_and_tables_in_order():
    import docx

    d = docx.Document()
    d.add_heading("1. Prevention", 1)
    d.add_paragraph("Schools receive training material on drug prevention.")
    table = d.add_table(rows=2, cols=2)
    for (r, c), value in {(0, 0): "Measure", (0, 1): "Deadline", (1, 0): "Training", (1, 1): "2014"}.items():
        table.cell(r, c).text = value
    d.add_heading("2. Enforcement", 1)
    d.add_paragraph("Customs share data with the police.")
    buf = io.BytesIO()
    d.save(buf)
    x = extract_bytes(buf.getvalue(), "docx")
    assert x.text.index("Schools") < x.text.index("Training\t2014") < x.text.index("Customs")
    passages = parse_general(x.text, doc(), 200)
    by_heading = {p.heading[-1]: p.text for p in passages}
    assert "Training 2014" in by_heading["1. Prevention"] and "Customs" in by_heading["2. Enforcement"]


def test_html_drops_navigation_scripts_and_styles():
    page = b"""<html><head><title>Drug policy</title><style>p {color: red}</style></head><body>
    <nav><a href="/">Home</a> <a href="/about">About us</a></nav><script>var tracker = 1;</script>
    <h1>Drug policy</h1><h2>Article 5 Criminalization</h2><p>Each State shall adopt measures.</p>
    <ul><li>seizures</li><li>controlled deliveries</li></ul><footer>Copyright</footer></body></html>"""
    x = extract_bytes(page, "html")
    assert x.title == "Drug policy"
    for gone in ("Home", "About us", "tracker", "color", "Copyright"):
        assert gone not in x.text
    passages = parse_general(x.text, doc(), 200)
    assert any(p.heading[-1].startswith("Article 5") and "seizures" in p.text for p in passages)


def test_markdown_headings_and_lists_are_structure():
    text = ("# Convention\n\n### Article 1\n\n####Purposes\n\n1. The purposes are:\n\n"
            "a) to prevent trafficking;\n\nb) to protect victims.\n\n### Article 2\n\n####Scope\n\nIt applies.\n")
    passages = parse_general(text, doc(), 200)
    assert [p.heading for p in passages] == [["Convention", "Article 1 — Purposes"], ["Convention", "Article 2 — Scope"]]
    assert "to prevent trafficking; b) to protect" in passages[0].text
    assert all(first_bad_offset(text, p) is None for p in passages)


def test_a_figures_label_heads_no_section():
    """"Figure II" over a caption names what stands beside the text: the paragraphs after the
    figure stay in the section they were in, not under the figure."""
    text = ("II. Dynamics of firearms trafficking\r\n21. Law enforcement agencies in Haiti have increased efforts.\r\n"
            "Figure II\r\nFirearms intercepted in the Dominican Republic on 25 February 2025\r\nSource: Diario Libre.\r\n"
            "22. Further investigations have uncovered links between arms traffickers.\r\n")
    passages = parse_general(text, doc(), 200)
    assert {tuple(p.heading) for p in passages} == {("II. Dynamics of firearms trafficking",)}
    assert any("Figure II Firearms intercepted" in p.text for p in passages)
    assert any("22. Further investigations" in p.text for p in passages)
    table = "Table of recommendations\r\n1. Review the circular on investigations and prosecutions.\r\n"
    assert parse_general(table, doc(), 200)[0].heading == ["Table of recommendations"]  # a title, not a label


def test_numbered_paragraphs_and_recommendations_in_extracted_text():
    text = ("II. Conclusions and recommendations\r\n100. The recommendations below were examined by Belgium:\r\n"
            "100.1. Ratify the Convention against Torture (Spain);\r\n100.2. Combat trafficking in persons \r\n"
            "and protect victims (Norway);\r\n")
    passages = parse_general(text, doc(), 200)
    assert passages[0].heading == ["II. Conclusions and recommendations"]
    assert passages[0].fields["paragraphs"] == ["100", "100.1", "100.2"]


def test_summary_table_wherever_it_stands_gives_no_duplicate_ids():
    text = (CORPUS / "belgium-thb-action-plan-2012-2014.txt").read_text("utf-8")
    moved = re.sub(r"^6\.", "7.", text, flags=re.M)
    plan = Document(id="plan", file="plan.txt", title="Plan", kind="action-plan")
    before = {p.id for p in parse_document(plan, text, 200)}
    after = [p.id for p in parse_document(plan, moved, 200)]
    assert len(after) == len(set(after))
    assert {i for i in before if ":proposal-" in i} == {i for i in after if ":proposal-" in i}


def test_questionnaire_label_variants():
    text = ("Issue I: Demand reduction\n\nRecommendation 1.1\n\nGovernments should act.\n\n"
            "Action taken X YES NO\n\nComment: We acted in 2013.\n\nRec. 2\n\nGovernments should report.\n\n"
            "Actions taken YES X NO\n\nComments\n\n////\n")
    passages = parse_questionnaire(text, Document(id="q", file="q.txt", title="Q", kind="questionnaire-response"))
    assert [(p.fields["recommendation"], p.fields["action_taken"], p.fields["answered"]) for p in passages] == [
        ("1.1", "yes", True), (2, "no", False)]
    assert passages[0].fields["comment"] == "We acted in 2013."


def test_verification_leaves_out_a_document_whose_map_does_not_hold_and_names_duplicates(settings, monkeypatch):
    import indexer.build as build

    real = build.parse_document

    def broken(document, text, budget, page_starts=None, form=None):
        out = real(document, text, budget, page_starts=page_starts, form=form)
        if document.id == "be-cnd-position-paper":
            out[0].offsets = [(t, f + 1, n) for t, f, n in out[0].offsets]
        if document.id == "unodc-drugs-and-crime":
            out[1].id = out[0].id
        return out

    monkeypatch.setattr(build, "parse_document", broken)
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
    }


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


def test_recommendation_follow_up_labels_become_fields():
    text = ("A. Finance\r\n20. In paragraph 61, the Board recommended that UNDP review its internal rules.\r\n"
            "Department(s) responsible: Office of Financial \r\nManagement\r\nStatus: Under implementation\r\n"
            "Priority: High\r\nOriginal target date: Second quarter of 2023\r\n"
            "21. Management response: UNDP is reviewing its rules.\r\n22. In paragraph 89, the Board "
            "recommended a review.\r\n")
    (p,) = parse_general(text, doc(), 200)
    assert [(x["label"], x["value"]) for x in p.fields["labelled"]] == [
        ("department(s) responsible", "Office of Financial Management"), ("status", "Under implementation"),
        ("priority", "High"), ("original target date", "Second quarter of 2023"),
        ("management response", "UNDP is reviewing its rules.")]
    assert text[p.fields["labelled"][1]["start"]:].startswith("Status")


def test_proposal_tables_worded_otherwise():
    text = (CORPUS / "belgium-thb-action-plan-2012-2014.txt").read_text("utf-8")
    reworded = re.sub(r"^(\d+)\tProposal\t", r"\1\tMeasure\t", text, flags=re.M).replace("\tDeadline", "\tTarget date")
    plan = Document(id="plan", file="plan.txt", title="Plan", kind="action-plan")
    ids = lambda t: sorted(p.id for p in parse_document(plan, t, 200) if p.type == "proposal")  # noqa: E731
    assert reworded != text and ids(reworded) == ids(text) and len(ids(text)) == 37


def test_footnotes_below_the_rule_are_passages_of_their_own():
    body = ["Customs officers seized 300 kg of cocaine in the port in 2014, the largest seizure that year. 1",
            "The seizure was made possible by the Container Control Programme's profiling units."]
    x = extract_bytes(make_pdf([body, body[:1]], notes={1: ["1 See the annual report of the customs "
                                                                "administration, 2015."]}), "pdf")
    passages = parse_document(doc(), x.text, 200, page_starts=x.page_starts)
    (note,) = [p for p in passages if p.type == "footnote"]
    assert note.id == "t:footnote-1" and note.text.startswith("1 See the annual report")
    assert all("annual report" not in p.text and "____" not in p.text for p in passages if p.type != "footnote")
    assert all(first_bad_offset(x.text, p) is None for p in passages)


def test_a_notes_line_opening_with_a_date_goes_on_with_that_note():
    """Notes on a page are numbered one after another: a wrapped line "1 April 2025, available
    at …" under note 10 is note 10's (the Haiti report's note on the Mirebalais prison break had
    been cut in two, and its second half filed as a note 1), and "11 …" opens the next note."""
    body = ["Gangs stormed the prison and freed about 500 inmates on 31 March 2025.10 The town fell within hours.9",
            "Police reinforcements arrived the next day.11"]
    lines = ["9 See the police report of 2 April 2025.", "10 Haiti Libre, \u201cMirebalais under attack\u201d,",
             "1 April 2025, available at www.example.org/news.html.", "11 Ibid."]
    x = extract_bytes(make_pdf([body], notes={1: lines}), "pdf")
    notes = {p.fields["number"]: p.text for p in parse_document(doc(), x.text, 200, page_starts=x.page_starts)
             if p.type == "footnote"}
    assert sorted(notes, key=int) == ["9", "10", "11"], notes
    assert "Mirebalais under attack" in notes["10"] and "1 April 2025, available at" in notes["10"]


@pytest.mark.parametrize("numbers, goes_on, notes", [
    ([10, 1, 11], None, [0, 2]),  # "1 April 2025, …" under note 10: its date, wrapped
    ([28, 30, 29], None, [0, 2]),  # "30 March 2025." under note 28, note 29 after it
    ([10, 11, 11], None, [0, 2]),  # "11 April 2025, …" under note 10, then the real note 11
    ([10, 11, 11], [False, False, True], [0, 1]),  # ... or note 11, then "11 May 2025, …" under it
    ([1, 3, 2, 4], [False, True, False, True], [0, 2]),  # small numbers: two wrapped dates
    ([5, 7, 8], None, [0, 1, 2]),  # a note pdfium did not read leaves a gap
    ([None, 10, None, 1, 11], None, [1, 4]),  # lines with no number go on with the note before them
    ([10, 1], None, [0]), ([3], None, [0]), ([None], None, []),
])
def test_a_pages_notes_are_the_lines_numbered_one_after_another(numbers, goes_on, notes):
    from indexer.formats.layout import note_numbers

    assert sorted(note_numbers(numbers, goes_on)) == notes


@pytest.mark.parametrize("line, goes_on", [
    ("1 April 2025, available at www.example.org.", True), ("12 per cent of the seizures", True),
    ("11 Ibid.", False), ("3 See S/2024/752.", False), ("27 www.lenouvelliste.com/article/1", False),
    ("4 Known as “Kamikaze drones” in Haiti.", False)])
def test_a_numbered_line_under_a_note_that_reads_as_its_next_words_goes_on_with_it(line, goes_on):
    from indexer.formats.layout import GOES_ON

    assert bool(GOES_ON.match(line)) is goes_on


def test_a_questionnaire_printed_to_pdf_reads_as_the_text_file():
    """The questionnaire parser recognises the form's structure, not one file: the Luxembourg
    response printed to PDF (running header, page numbers, CR LF lines) gives the same 16
    recommendations, comments and action-taken marks."""
    from indexer.corpus import choose_parser

    text = (CORPUS / "luxembourg-cnd-questionnaire-response.txt").read_text("utf-8")
    paras = [re.sub(r"[ \t]+", " ", p.text) for p in paragraphs(text)]
    x = extract_bytes(make_pdf([paras[i:i + 8] for i in range(0, len(paras), 8)]), "pdf")
    response = Document(id="lu", file="lu.pdf", title="Lu", kind="questionnaire-response")
    parser, _ = choose_parser(response, x.text, "pdf")
    assert parser == "questionnaire"
    printed = parse_document(response.model_copy(update={"parser": parser}), x.text, 200, page_starts=x.page_starts)
    original = {p.id: p for p in parse_document(response.model_copy(update={"file": "lu.txt"}), text, 200)}
    assert {p.id for p in printed} == set(original) and len(printed) == 16
    for p in printed:
        o = original[p.id].fields
        assert (p.fields["comment"], p.fields["action_taken"]) == (latin1(o["comment"]), o["action_taken"]), p.id
        assert HEADER not in p.text and first_bad_offset(x.text, p) is None


def test_a_short_comment_printed_to_pdf_stays_the_countrys_answer():
    """A response's comment on a line of its own with no full stop ("Already implemented") is
    short like a heading, but it is the country's answer: a questionnaire's passages keep it as
    a sentence (only a general section's headings are left out of its sentences)."""
    from indexer.build import passage_sentences
    from indexer.corpus import choose_parser

    text = (CORPUS / "luxembourg-cnd-questionnaire-response.txt").read_text("utf-8")
    paras = [re.sub(r"[ \t]+", " ", p.text) for p in paragraphs(text)]
    first = next(i for i, p in enumerate(paras) if p.startswith("Comments"))
    paras[first] = "Comments:\nAlready implemented"
    x = extract_bytes(make_pdf([paras[i:i + 8] for i in range(0, len(paras), 8)]), "pdf")
    response = Document(id="lu", file="lu.pdf", title="Lu", kind="questionnaire-response")
    parser, _ = choose_parser(response, x.text, "pdf")
    (answered,) = [p for p in parse_document(response.model_copy(update={"parser": parser}), x.text, 200,
                                              page_starts=x.page_starts) if "Already implemented" in p.text]
    assert "Already implemented" in [answered.text[a:b] for a, b in passage_sentences(answered, x.text)]


@pytest.mark.parametrize("note, cites", [
    ("10 Haiti Libre, “Mirebalais under attack”, 1 April 2025, available at www.haitilibre.com/en/news.html.", True),
    ("24 See S/2025/85, annex.", True),
    ("41 Ibid.", True),
    ("http://www.unodc.org/documents/scientific/NPS_2013_SMART.pdf.", True),
    ("4 Known as “Kamikaze drones” in Haiti.", False),
    ("46 Also on behalf of Albania, Andorra and Norway.", False),
    ("12 According to the group, only 65 of the inmates had received a final sentence.", False),
    ("* See the report.", True), ("Available at: http://www.unodc.org/mla/en/index.html.", True),
    ("12 In 2024, 1,245 victims were identified, up from 980 (www.gov.example/stats).", False),  # says something
    ("7 Data available from 14 countries show that seizures doubled.", False),
    ("3 Treatment services are available at all border crossings since 2022.", False),
])
def test_a_footnote_that_only_cites_a_source_is_told_from_one_that_says_something(note, cites):
    from indexer.parsers.footnotes import names_a_source

    assert names_a_source(note) is cites


def test_html_lists_boxes_and_icons_on_an_ordinary_page():
    """A list item's own words stay before its nested list; an item of paragraphs only is read as
    its paragraphs; a styled check box is still a box, a hidden one none; a share button's "X"
    and a logo's alt are no text; a line break stays one (a space in a heading)."""
    page = b"""<html><body><h2>Results<br>2021</h2><ul>
    <li>Measures adopted in 2021:<ul><li>training of 300 officers</li><li>a new unit</li></ul></li>
    <li><p>Recommendation text.</p><p>Status: Yes</p></li></ul>
    <p><input type=checkbox checked style='outline:none'> Yes <input type=checkbox style='border: none'> No
    <input type=checkbox style='display: none'> Hidden</p>
    <p><img src='x.png' alt='X'> <img src='logo.png' alt='Logo'> Share<br>this page</p></body></html>"""
    text = extract_bytes(page, "html").text
    assert "# Results 2021" in text
    assert "- Measures adopted in 2021:" in text
    assert "\n\nRecommendation text.\n\nStatus: Yes\n\n" in text
    assert "☒ Yes ☐ No Hidden" in text
    assert "X" not in text and "Logo" not in text and "Share\nthis page" in text


def test_html_a_saved_web_form_gives_its_answers_not_its_choices():
    """A page that is a form (a questionnaire saved with its answers): a drop-down gives the
    option chosen (an option without a value stands for its text; the empty-valued prompt is
    none), wherever it stands; a text box what was typed; a label beside a text area stays."""
    page = b"""<html><body><form><h1>Reply</h1><table><tr><td>Action taken</td><td><select>
    <option value="">- please choose -</option><option selected>Yes</option><option>No</option></select></td></tr>
    </table><p>Agency: <input type=text value="Ministry of Justice"></p>
    <div>Comments: <textarea>The police acted in 2021.</textarea></div><button>Send</button></form></body></html>"""
    text = extract_bytes(page, "html").text
    assert "Action taken\tYes\n" in text and "please" not in text and "\tYes No" not in text
    assert "Agency: Ministry of Justice" in text and "Comments: The police acted in 2021." in text
    assert "Send" not in text


def test_docx_content_controls_are_read_and_text_boxes_and_tables_of_contents_are_not(tmp_path):
    """A content control's text is the paragraph's (python-docx's own text leaves it out); a
    non-breaking hyphen is a hyphen; a text box (stored twice by Word) and a table of contents in
    a gallery control stay out, as python-docx leaves them out."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    paragraph = document.add_paragraph("Action taken:")
    paragraph._p.append(parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtContent><w:r><w:t xml:space='preserve'> Yes</w:t>"
                                  "</w:r></w:sdtContent></w:sdt>"))
    paragraph = document.add_paragraph("Data for 2019")
    paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}><w:noBreakHyphen/><w:t>2021 and a box</w:t></w:r>"))
    paragraph._p.append(parse_xml(
        f"<w:r {nsdecls('w')} xmlns:v='urn:schemas-microsoft-com:vml'><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"))
    document.element.body.insert(0, parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtPr><w:docPartObj><w:docPartGallery w:val='Table of Contents'/></w:docPartObj>"
        "</w:sdtPr><w:sdtContent><w:p><w:r><w:t>Contents</w:t></w:r></w:p></w:sdtContent></w:sdt>"))
    document.save(tmp_path / "reply.docx")
    text = extract(tmp_path / "reply.docx").text
    assert "Action taken: Yes" in text and "Data for 2019-2021 and a box" in text
    assert "Boxed" not in text and "Contents" not in text


def test_an_email_reply_is_read_as_its_body(tmp_path):
    """A reply sent as an e-mail (.eml): its text is the plain-text body (else the HTML body, read
    as a page is), its title the subject; headers and attachments are no part of it; one with no
    text body is refused in one line naming why."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"], message["From"] = "Response of Sri Lanka", "nddcb@example.lk"
    message.set_content("Dear Sir/Madam,\n\nRec. 1.1 Action taken : [X] Yes [ ] No\n")
    message.add_attachment(b"%PDF-1.4 signed copy", maintype="application", subtype="pdf", filename="signed.pdf")
    (tmp_path / "reply.eml").write_bytes(bytes(message))
    x = extract(tmp_path / "reply.eml")
    assert (x.format, x.title) == ("email", "Response of Sri Lanka")
    assert x.text == "Dear Sir/Madam,\n\nRec. 1.1 Action taken : [X] Yes [ ] No\n"
    html_only = EmailMessage()
    html_only["Subject"] = "Reply"
    html_only.set_content("<html><body><nav>Menu</nav><p>The police acted.</p></body></html>", subtype="html")
    assert extract_bytes(bytes(html_only), "email").text == "The police acted.\n"
    empty = EmailMessage()
    empty["Subject"] = "No body"
    empty.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="a.pdf")
    with pytest.raises(ExtractionError, match="no text body"):
        extract_bytes(bytes(empty), "email")
