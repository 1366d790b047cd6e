"""The corpus folder: files in any supported format, described by manifest.toml.

A listed file takes its metadata from the manifest; an unlisted one is still indexed with
what can be inferred (title, country, kind, year), each value saying where it came from,
and a warning. A listed file that cannot be turned into text stops the build (the manifest
promised it; an index silently without it would be wrong); an unlisted one is skipped with
a warning. Every document records which parser took it and why.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from indexer.cell_reading import Reading
from indexer.formats import FORMAT_SUFFIXES, Extracted, ExtractionError, extract, format_of
from indexer.formats.layout import page_layout, text_layout
from indexer.inferred import infer_document
from indexer.manifest import Country, ManifestError, read_manifest
from indexer.models import Document, Passage
from indexer.parsers.general import parse_general, with_notes
from indexer.parsers.prose import TABLE_HEADER, parse_prose
from indexer.parsers.questionnaire import looks_like_questionnaire, parse_questionnaire
from indexer.parsers.form_places import FormItem, answers_the_form, form_of
from indexer.parsers.questionnaire_form import form_digest, parse_form_reply
from indexer.parsers.questionnaire_numbers import parse_number_reply
from indexer.table_readings import tables_read

__all__ = ["Corpus", "CorpusError", "Country", "document_passages", "load_corpus", "parse_document", "PARSER_VERSION"]
log = logging.getLogger(__name__)
PARSER_VERSION = "65"  # bump when parsing or sentence splitting changes: forces re-embedding (19: a block tag parts
#                       words; 20: a reply by its labels ends its last comment at a valediction or a quoted e-mail;
#                       21: ... and at a letter's sign-off; "N/A" is no comment; 22: nor "Nil", "None";
#                       "(X) Sí ( ) No" boxes; 25: a mark alone under its label, "Observations :", "Fait à …, le …";
#                       26: a PDF table pdfium interleaves read cell after cell, cell_reading.py; 27: and a
#                       fixed-width text table, a mark's qualifier "Yes (partially)", "II.1" rows naming their issue;
#                       28: "1.2 Recommendation 2", "Response:", a comment after the mark's line with no label;
#                       29: "Comments<TAB>…", a Word table's label cell beside the comment's; 30: a plain-text
#                       reply's page numbers and line-end hyphens, layout.text_layout; 31: a letter's place and
#                       date, and "Signed:", over its signatory end the last comment; 32: ... only over name lines,
#                       "Signed:" before a name; "Comments<TAB>" not "Responses<TAB>"; 33: the labels reader too;
#                       34: "Remarks:" a comment's label; 35: replies naming the recommendations by number,
#                       questionnaire_numbers.py; a response's answer its own sentence after the wording;
#                       36: "(End of document)", "please do not hesitate", a form's signature box close a reply;
#                       37: "R2.4" names a recommendation, "No information available" is no comment, a heading's
#                       marks and opening quote end the answer above, "[X]" under a PDF's Yes or No column,
#                       "Contact point for this reply:" and "Submitted by:" close a reply; 38: a page's notes with
#                       no rule, below its running foot or right above its page number, are no comment's words;
#                       39: "(Rec. II.2)" after a title, "Action taken" over its value, "Partially" opening a remark,
#                       dots wrapped under a text cut short, "N/A -", a box's word across a no-break space; review;
#                       40: answers labelled through a legend, "Q5  = Issue II, Recommendation 2", and its codes;
#                       41: a plain text printed in pages (form feeds): the heads and feet its pages repeat;
#                       42: a filled PDF form's field values read into its text; a form's labels at a page's edge
#                       are no running lines; 43: check boxes drawn as lines beside "Yes" and "No";
#                       44: a form flattened by its sender, its values read where its fields stood; 45: tpl31;
#                       46: "Submitted for your information and necessary action." closes a letter;
#                       47: a note verbale answering in numbered paragraphs, its closing formula wrapped;
#                       48: review of 44-47: a flattened form's fields by their labels, ODT's lists and notes;
#                       49: tpl32: "Yes / Sí", "Comments / Comentarios", "● Yes ○ No", a contact block's heading;
#                       50: review of 47-49: a note verbale's paragraphs only where no other numbering reads;
#                       51: tpl33: "Rec. II.3 — … (Yes)", "Action taken: yes. The …", "Contact" over a phone;
#                       52: an option highlighted as the answer, in Word and HTML; 53: review of 50-52;
#                       54: tpl30: a table row a page break cuts (parsers/split_rows.py), a reply's page notes
#                       out of its comments and passages of their own; 55: tpl34: a label before the text on
#                       its line, "- **Recommendation I.2** – *…*"; "## Contact", a contact under a mark line;
#                       56: an answer left unmarked, its comment right under the form's wording; 57: tpl35:
#                       a letter's hope that its reply helps closes the last answer; 58: review of 54-57, a
#                       page's first line over its number its running head; 59: tpl36: one answer for several
#                       recommendations (parsers/shared_answers.py), the form's labels in Russian, "Contact for …";
#                       60: a reply's legend for its own mark words (parsers/legend.py), "Contact us"; 61: review
#                       of 58-60; 62: tpl37: the form's wording not a quote cut short nor a text read on; 63:
#                       a reply quoting only a text's opening words, "I/2  Governments must … the (...)"; 64: review
#                       of 62-63, recommendations numbered straight through the issues; 65: a narrow cell's
#                       short first line over its sentence going on is the comment's)
GENERAL_PARSER_VERSION = "33"  # the general parser's own, for PDF, Word and HTML (2, 3: footnote marks out of the text;
#                                4: UN masthead lines no sentences; 5: a PDF's line layout, parsers/layout.py and packing.py;
#                                6: a page's notes numbered one after another, formats/layout.py;
#                                7, 8: running lines carrying the page's number, layout.page_numbered_lines;
#                                9-11: HTML's check boxes as printed boxes, mark icons as their alt text, a <br>
#                                a line break, an item of paragraphs its paragraphs, formats/html.py;
#                                12: a saved web form's answers, Word's content controls, formats/docx.py;
#                                13: a letterhead's running lines past the page's first three, an HTML page
#                                in the charset it declares, Word's list markers out of its web pages;
#                                14: UTF-8 before a stale declared charset, Word's list numbers kept, a
#                                letterhead at the top only; 15: Word's text boxes, once; 16: a <dd> or
#                                <blockquote> of blocks, its blocks; 17: a table's header repeated atop
#                                pages, formats/layout.repeated_heads; 18: an HTML form's fieldsets, their
#                                legend, question, choices and text box each a block; 19: text standing loose
#                                between blocks a block of its own, a cookie notice only a small element;
#                                20: a short document's long header on all its pages but the first;
#                                21: ... and no sentence; 22: a page's notes with no rule, below its running
#                                foot or right above its page number, formats/layout.py; 23: an HTML
#                                page's inline words run on, "(PCIC)"; <details> blocks; review; 24: a web
#                                form's character counters out, "367 / 3000"; 25: Word's list bullet as an
#                                item's first span; 26: ... only Word's bullet, after review; 27: a filled
#                                PDF form's fields read, formats/pdf_fields.py; 28: boxes drawn as lines;
#                                29: a flattened form's fields, ODT, a Word form's options struck out left out;
#                                30: Word's and ODT's no-break spaces stored as spaces; 31: a highlighted option;
#                                32: ... only beside an option left plain; 33: an HTML table's cells laid on its
#                                grid, spanned cells empty):
#                                only its documents are re-embedded
READ_BY_THE_FORM = ("questionnaire-form", "questionnaire-numbers")  # parsers reading a reply against the
#   form the replies read by their labels give (Corpus.form): its text found word for word, or by number


class CorpusError(Exception):
    """The corpus cannot be built as described: one line naming the file and the entry."""


@dataclass
class Corpus:
    documents: list[tuple[Document, str]]
    countries: list[Country]
    warnings: list[str] = field(default_factory=list)
    extracted: dict[str, Extracted] = field(default_factory=dict)  # document id -> extraction (pages…)
    form: list[FormItem] = field(default_factory=list)  # the recommendations replies read by their labels hold
    readings: dict = field(default_factory=dict)  # document id -> its tables read cell after cell (table_readings.tables_read)

    @property
    def texts(self) -> dict[str, str]:
        """Document id -> the text its passages' offsets index (verbatim, or stored extracted)."""
        return {d.id: text for d, text in self.documents}


def choose_parser(document: Document, text: str, fmt: str) -> tuple[str, str]:
    """Which parser takes a document, and why (recorded in the manifest and the documents table)."""
    reason = ""
    if document.kind == "questionnaire-response":
        if looks_like_questionnaire(text, listed=True):
            return "questionnaire", "questionnaire response: 'Recommendation' blocks with action-taken marks"
        reason = "listed as a questionnaire response but no recommendation with an action-taken mark was found; "
    if fmt != "pdf" and any(TABLE_HEADER.match(x) for x in text.splitlines()):
        return "prose", reason + "paragraphs between blank lines, with proposal tables"
    if fmt == "text":
        return "prose", reason + "plain text: paragraphs between blank lines"
    return "general", reason + f"{fmt}: cut along headings, numbered paragraphs, lists and tables"


def load_corpus(corpus_dir: Path, max_file_mb: float = 200) -> Corpus:
    try:
        manifest = read_manifest(corpus_dir / "manifest.toml")
    except ManifestError as exc:
        raise CorpusError(str(exc)) from None
    listed = manifest.documents
    warnings: list[str] = []
    if not (corpus_dir / "manifest.toml").exists():  # every id, title, country and kind inferred, ids changed
        warnings.append(f"no manifest.toml in {corpus_dir}: every document's id, title, country and kind are "
                        "inferred from its text and file name")
    documents: list[tuple[Document, str]] = []
    extracted_by_id: dict[str, Extracted] = {}
    readings: dict[str, Reading] = {}  # documents read with their tables cell after cell (table_readings.tables_read)
    added: list[Country] = []  # countries of unlisted documents the manifest does not declare
    names = {p.name for p in corpus_dir.iterdir()} if corpus_dir.is_dir() else set()
    for name in sorted(listed):  # a listed document gone would leave the index quietly without it
        if name not in names or not (corpus_dir / name).is_file():
            raise CorpusError(f"{name} (manifest entry {listed[name]['id']!r}): listed in manifest.toml but "
                              f"{'not a file' if name in names else 'not found'} in {corpus_dir}; restore it, "
                              "or remove its [[document]] entry to drop it")
    for path in sorted(corpus_dir.iterdir()) if corpus_dir.is_dir() else []:
        entry = listed.get(path.name)
        unread = _not_read(path, corpus_dir)
        if unread:  # said, never dropped quietly (a hidden entry aside)
            if entry:
                raise CorpusError(f"{path.name} (manifest entry {entry['id']!r}): {unread}")
            if not path.name.startswith("."):
                warnings.append(f"{path.name}: skipped, {unread}")
            continue
        if path.name == "manifest.toml":
            continue
        if format_of(path) is None:  # a format no reader reads: said (a hidden file aside), never dropped quietly
            unread = (f"{path.suffix or 'no suffix'} is not a format Precedent reads; valid: "
                      f"{', '.join(sorted(FORMAT_SUFFIXES))}")
            if entry:
                raise CorpusError(f"{path.name} (manifest entry {entry['id']!r}): {unread}")
            if not path.name.startswith("."):
                warnings.append(f"{path.name}: skipped, {unread}")
            continue
        try:
            extracted = extract(path, max_bytes=int(max_file_mb * 2**20))
        except ExtractionError as exc:
            if entry:
                raise CorpusError(f"{path.name} (manifest entry {entry['id']!r}): {exc}") from None
            warnings.append(f"{path.name}: skipped, {exc}")
            continue
        text = extracted.text
        reading = tables_read(path, extracted) if not entry or entry.get("kind") == "questionnaire-response" else None
        if reading:
            readings[path.name] = reading
            text = reading.text  # what is read for the document's kind and parser; the file's text is stored
        if entry:
            try:
                doc = Document(**{k: v for k, v in entry.items() if k in Document.model_fields and k != "inferred"},
                               sha256=extracted.source_sha256)
            except ValueError as exc:  # pydantic's ValidationError: a field of the wrong type
                first = str(exc).splitlines()[1:3]
                raise CorpusError(f"{path.name} (manifest entry {entry['id']!r}): {' '.join(first)}") from None
        else:
            doc, world = infer_document(path, text, extracted, manifest.countries + added)
            if world and world.name not in {c.name for c in manifest.countries + added}:
                added.append(world)
        parser, reason = choose_parser(doc, text, extracted.format)
        reason += "; its tables read cell after cell (its text's lines run across their cells)" if reading else ""
        doc = doc.model_copy(update={"format": extracted.format, "extractor": extracted.extractor,
                                     "parser": parser, "parser_reason": reason})
        documents.append((doc, extracted.text))
        extracted_by_id[doc.id] = extracted
        if reading:
            readings[doc.id] = readings.pop(path.name)
    form = read_by_the_form(documents, extracted_by_id, readings)
    readings = {d.id: readings[d.id] for d, _ in documents if d.id in readings and d.parser.startswith("questionnaire")}
    warnings += [w for doc, _ in documents for w in _said_of(doc)]
    for w in warnings:
        log.warning(w)
    return Corpus(documents=documents, countries=manifest.countries + added, warnings=warnings,
                  extracted=extracted_by_id, form=form, readings=readings)


def _said_of(doc: Document) -> list[str]:
    """What the build says of a document once its kind and parser are settled: an unlisted file's
    inferred id, kind and country; a reply whose form was not found (else missing from every
    table, unsaid)."""
    said = [] if doc.listed else [f"{doc.file}: not in manifest.toml; indexed as id={doc.id}, kind={doc.kind}, "
                                  f"country={doc.country or 'unknown'} (inferred)"]
    if doc.kind == "questionnaire-response" and doc.parser not in ("questionnaire", *READ_BY_THE_FORM):
        said.append(f"{doc.file}: {doc.parser_reason.split(';')[0]}; read as a {doc.parser} document, so no table "
                    "by country holds its answers")
    return said


def read_by_the_form(documents: list[tuple[Document, str]], extracted: dict[str, Extracted],
                     readings: dict[str, Reading] | None = None) -> list[FormItem]:
    """The form (the recommendations the replies read by their labels hold), and each other
    file holding most of them, in whatever template, made a reply read by it
    (parsers/questionnaire_form.py); a file the manifest lists as another kind stays that kind."""
    form = form_of([p for d, text in documents if d.parser == "questionnaire"
                    for p in parse_document(d, text, 10**9, extracted[d.id].page_starts if d.id in extracted else None,
                                            reading=(readings or {}).get(d.id))])
    if not form:
        return form
    digest = form_digest(form)
    for i, (doc, text) in enumerate(documents):
        if doc.parser == "questionnaire" or (doc.listed and doc.kind != "questionnaire-response"):
            continue
        found = _read_as_reply(doc, text, form, extracted[doc.id], (readings or {}).get(doc.id))
        if found is None:
            continue  # the form itself, blank ("Action taken: YES NO"), or a file answering nothing
        parser, how, said = found
        documents[i] = (doc.model_copy(update={
            "kind": "questionnaire-response", "parser": parser,
            "parser_reason": f"questionnaire response {how}: {said} (form {digest})",
            "inferred": {**doc.inferred, "kind": f"structure: {said}"} if not doc.listed else doc.inferred}), text)
    return form


def _read_as_reply(doc: Document, text: str, form: list[FormItem], extracted: Extracted, read: Reading | None
                   ) -> tuple[str, str, str] | None:
    """(parser, how, what says so) when the file answers the form: holding most of one reply's
    recommendations word for word (unless those are a listing, its answers after it by labels of
    the reply's own: `_answers_more`), or else naming them by number; None when it answers
    nothing."""
    def answers(parser: str) -> list[Passage]:
        passages = parse_document(doc.model_copy(update={"parser": parser}), text, 10**9, extracted.page_starts, form,
                                  extracted.heads, read)
        return passages if any(p.fields["answered"] or p.fields["action_taken"] != "unknown" for p in passages) else []

    held = answers_the_form(read.text if read else text, form)
    by_form = answers("questionnaire-form") if held is not None else []
    numbered = answers("questionnaire-numbers") if not by_form or _labels_answer(by_form) or _comments_few(by_form) else []
    if by_form and not (numbered and _answers_more(numbered, by_form)):
        return "questionnaire-form", "by the form", f"holds {held[0]} of the {held[1]} recommendations of a reply read by its labels"
    if numbered:
        return "questionnaire-numbers", "by number", f"names {len(numbered)} of the {len(form)} recommendations of the form by number"
    return None


def _not_read(path: Path, corpus_dir: Path) -> str | None:
    """Why an entry of the corpus folder is not read: a folder (only the folder's own files are),
    a link out of the folder (a corpus file's text is served whole) or to nothing; None for a file."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "a link that leads nowhere (or round in a loop)"
        if target.parent != corpus_dir.resolve():
            return f"a link out of the corpus folder (to {target})"
    if path.is_dir():
        return f"a folder: only the files in {corpus_dir} are read"
    return None if path.is_file() else "not a file"


def _labels_answer(by_form: list[Passage]) -> bool:
    """Read by the form, most of the reply's comments are a label alone ("Q1.b"): its texts may be
    a listing under labels of its own, each text's answer by the form the next text's label."""
    answered = [p.fields["comment"] for p in by_form if p.fields["answered"]]
    return sum(len(comment.split()) <= 2 for comment in answered) > len(answered) / 2


def _comments_few(by_form: list[Passage]) -> bool:
    """Read by the form, the reply comments on fewer than half the recommendations it holds: its
    texts may stand in a summary of marks, the comments after it by number."""
    return sum(bool(p.fields["answered"]) for p in by_form) < len(by_form) / 2


def _answers_more(numbered: list[Passage], by_form: list[Passage]) -> bool:
    """Read by number, the reply marks more recommendations and comments on as many, or marks as
    many and comments on more: the answers stand after the listing (by its labels), or after a
    summary of marks (by number). (An ordinary reply, its comments sentences, is read by the form
    whatever a summary by number says: `_labels_answer`.)"""
    def marked(passages: list[Passage]) -> int:
        return sum(p.fields["action_taken"] != "unknown" for p in passages)

    def answered(passages: list[Passage]) -> int:
        return sum(bool(p.fields["answered"]) for p in passages)

    return marked(numbered) >= marked(by_form) and answered(numbered) >= answered(by_form) and (
        marked(numbered) > marked(by_form) or answered(numbered) > answered(by_form))


def document_passages(document: Document, text: str, token_budget: int, page_starts: list[int] | None = None,
                      form: list[FormItem] | None = None, heads: dict[int, list[int]] | None = None,
                      reading: Reading | None = None) -> list[Passage]:
    """What the index holds of a document: its passages (`parse_document`) and, for a paged
    reply, its footnotes after its answers, each a passage of its own as in any paged document:
    a reply's readers leave them out of its comments, and they cite its laws and cases. (A reply
    read as a general document has its notes already; one read from its tables has its passages
    mapped back to the file's offsets, where its notes stand.)"""
    passages = parse_document(document, text, token_budget, page_starts, form, heads, reading)
    if not page_starts or not passages or any(p.type != "recommendation" for p in passages):
        return passages
    return with_notes(text, document, passages, page_layout(text, page_starts))


def parse_document(document: Document, text: str, token_budget: int, page_starts: list[int] | None = None,
                   form: list[FormItem] | None = None, heads: dict[int, list[int]] | None = None,
                   reading: Reading | None = None) -> list[Passage]:
    """Passages of one document by the parser chosen for it (by kind when none was recorded);
    `form`: what a reply read by the form is read against (Corpus.form); `heads`: the column head
    each lone mark of a PDF stands under (Extracted.heads); `reading`: its tables read cell after
    cell (table_readings.tables_read), parsed instead of `text`, the passages mapped back to `text`'s offsets."""
    if reading is not None:
        return [reading.to_file(p) for p in parse_document(document, reading.text, token_budget, reading.page_starts,
                                                           form)]
    parser = document.parser or ("questionnaire" if document.kind == "questionnaire-response" else
                                 "general" if page_starts else "prose")
    layout = page_layout(text, page_starts) if page_starts else None
    if layout is None and parser in ("questionnaire", *READ_BY_THE_FORM):
        layout = text_layout(text)  # a reply typed from paper: its page numbers, its words hyphenated at line ends
    # a reply reads past a page's furniture and notes: none are a comment's words (the notes are
    # passages of their own: `document_passages`)
    furniture = sorted(layout.running + [(a, b) for a, b, _ in layout.notes]) if layout else None
    body_drop = layout.body_drop if layout else None
    if parser == "questionnaire-form":
        return parse_form_reply(text, document, form or [], drop=body_drop, running=furniture, heads=heads)
    if parser == "questionnaire-numbers":
        return parse_number_reply(text, document, form or [], drop=body_drop, running=furniture, heads=heads)
    if parser == "questionnaire":
        return parse_questionnaire(text, document, drop=body_drop, running=furniture,
                                   wordings=[item.text for item in form or [] if item.text])
    if parser == "prose":
        return parse_prose(text, document, token_budget=token_budget)
    return parse_general(text, document, token_budget=token_budget, drop=layout.drop if layout else None,
                         notes=layout.notes if layout else None, marks=layout.marks if layout else None)
