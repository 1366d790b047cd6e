"""OpenDocument text (.odt), as LibreOffice writes it, read as a Word file is: headings, lists,
tables between tabs, a paragraph's tabs and runs of spaces as written, notes and tracked
deletions left out, a text box's words once. A reply sent as .odt joins the corpus like any
other (tpl31's Uganda: "Status:<TAB>Partially implemented", "Response:<TAB>…"), and a damaged
one is a one-line error naming what is wrong.
"""
from __future__ import annotations

import io
import shutil
import zipfile

import pytest

from indexer.corpus import load_corpus, parse_document
from indexer.formats import ExtractionError, extract_bytes
from indexer.verify import first_bad_offset

from conftest import CORPUS
from test_form_replies import ISSUES

NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
              'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
              'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
              'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
              'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
              'xmlns:dc="http://purl.org/dc/elements/1.1/" '
              'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"')


def odt(body: str, title: str = "") -> bytes:
    """An .odt file holding `body` (the XML inside office:text), as LibreOffice packs one."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES}>'
                                        f"<office:body><office:text>{body}</office:text></office:body>"
                                        "</office:document-content>")
        archive.writestr("meta.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {NAMESPACES}>'
                                     f"<office:meta><dc:title>{title}</dc:title></office:meta></office:document-meta>")
    return out.getvalue()


def test_an_odt_reads_as_a_word_file_does():
    body = ('<text:tracked-changes><text:changed-region><text:deletion><text:p>Deleted words.</text:p>'
            "</text:deletion></text:changed-region></text:tracked-changes>"
            '<text:h text:outline-level="2">Issue I: Use of the Internet</text:h>'
            '<text:p>Status:<text:tab/>Implemented<text:s text:c="2"/>in 2019<text:note text:note-class="footnote">'
            "<text:note-citation>1</text:note-citation><text:note-body><text:p>A note.</text:p></text:note-body>"
            '</text:note>.<text:line-break/>A second line, <text:span>in a span</text:span>.</text:p>'
            "<text:list><text:list-item><text:p>training of officers</text:p>"
            "<text:list><text:list-item><text:p>in 2019</text:p></text:list-item></text:list></text:list-item>"
            "<text:list-item><text:p>a campaign<office:annotation><dc:creator>A reviewer</dc:creator><text:p>Check "
            "this.</text:p></office:annotation><!-- an editor's note --></text:p></text:list-item></text:list>"
            "<table:table><table:table-row><table:table-cell><text:p>Recommendation</text:p></table:table-cell>"
            "<table:table-cell><text:p>Yes</text:p></table:table-cell><table:table-cell><text:p>No</text:p>"
            "</table:table-cell></table:table-row>"
            '<table:table-row><table:table-cell><text:p>I.1</text:p></table:table-cell><table:table-cell '
            'table:number-columns-repeated="1"/><table:table-cell><text:p>X</text:p></table:table-cell>'
            '<table:table-cell table:number-columns-repeated="1000"/></table:table-row>'
            '<table:table-row><table:table-cell><text:p>I.2</text:p></table:table-cell><table:table-cell '
            'table:number-columns-repeated="x"><text:p>X</text:p></table:table-cell></table:table-row></table:table>'
            '<text:p>Anchor.<draw:frame><draw:text-box><text:p>Typed in a box.</text:p></draw:text-box></draw:frame></text:p>')
    x = extract_bytes(odt(body, "Reply of Ruritania"), "odt")
    assert x.format == "odt" and x.title == "Reply of Ruritania"
    assert x.text == ("## Issue I: Use of the Internet\n\nStatus:\tImplemented  in 2019.\nA second line, in a span.\n\n"
                      "- training of officers\n\n- in 2019\n\n- a campaign\n\nRecommendation\tYes\tNo\nI.1\t\tX\n"
                      "I.2\tX\n\n"
                      "Anchor.\n\nTyped in a box.\n")


def _encrypted_member() -> bytes:
    """A package whose content.xml is flagged as encrypted (a password-protected ODT)."""
    raw = bytearray(odt("<text:p>secret</text:p>"))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):
        start = 0
        while (start := raw.find(header, start)) >= 0:
            flags = start + (6 if header == b"PK\x03\x04" else 8)
            raw[flags] |= 1
            start += 4
    return bytes(raw)


@pytest.mark.parametrize("raw, said", [
    (b"PK\x03\x04 not really a zip", "unreadable ODT (BadZipFile"),
    (odt("<text:p>unclosed").replace(b"</office:text>", b""), "unreadable ODT"),
    (odt(""), "the ODT has no text"),
    (odt("<text:p>x</text:p>").replace(b"content.xml", b"content.xmL"), "unreadable ODT (KeyError"),
    (_encrypted_member(), "unreadable ODT (RuntimeError"),
])
def test_a_damaged_odt_is_a_clear_error(raw, said):
    with pytest.raises(ExtractionError) as caught:
        extract_bytes(raw, "odt")
    assert str(caught.value).startswith(said) and "\n" not in str(caught.value)


def test_a_reply_sent_as_odt_joins_the_corpus(tmp_path, texts):
    """Read by the form: each status is the mark ("Partially implemented" some action, so yes),
    the response the comment; the letter's closing line and its copies are no comment's."""
    status = {0: "Implemented", 1: "Not implemented", 2: "Partially implemented"}
    rows = []
    for k, (issue, n) in enumerate((i, n) for i, count in ISSUES for n in range(1, count + 1)):
        rows.append(f"<text:p>Issue {issue}, Recommendation {n}</text:p>"
                    f"<text:p>Recommendation:<text:tab/>{texts[(issue, n)]}</text:p>"
                    f"<text:p>Status:<text:tab/>{status[k % 3]}</text:p>"
                    f"<text:p>Response:<text:tab/>The unit acted on {issue}.{n} in 2019.</text:p>")
    closing = ("<text:p>Submitted for your information and necessary action.</text:p>"
               "<text:p>A. B. Okello</text:p><text:p>c.c. Permanent Secretary, Ministry of Internal Affairs</text:p>")
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "ruritania-cnd-reply.odt").write_bytes(odt("<text:p>THE REPUBLIC OF RURITANIA</text:p>" + "".join(rows)
                                                         + closing))
    loaded = load_corpus(corpus)
    [(document, text)] = [(d, t) for d, t in loaded.documents if d.file.endswith(".odt")]
    assert document.parser == "questionnaire-form"
    passages = parse_document(document, text, 512, form=loaded.form)
    for p in passages:
        assert first_bad_offset(text, p) is None, p.id
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in passages]
    assert len(got) == 16
    assert got[:3] == [("yes", "The unit acted on I.1 in 2019."), ("no", "The unit acted on I.2 in 2019."),
                       ("yes", "The unit acted on I.3 in 2019.")]
    assert got[-1] == ("yes", "The unit acted on IV.4 in 2019.")
