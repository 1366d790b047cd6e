"""Word, HTML, Markdown and e-mail read into text, and the structure the general and
questionnaire parsers find in extracted text: Word paragraphs, tables and content controls in
order; HTML without navigation, scripts or styles, its lists, check boxes and saved form
answers; Markdown headings and lists; an e-mail's body; figure labels, numbered paragraphs and
recommendations, labelled follow-up fields, proposal tables however worded, and questionnaire
label variants.
"""
from __future__ import annotations

import io
import re

import pytest

from indexer.corpus import parse_document
from indexer.formats import ExtractionError, extract, extract_bytes
from indexer.models import Document
from indexer.parsers.general import parse_general
from indexer.parsers.questionnaire import parse_questionnaire
from indexer.verify import first_bad_offset

from test_formats import CORPUS, doc


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


def test_docx_content_controls_and_text_boxes_are_read_and_tables_of_contents_are_not(tmp_path):
    """A content control's text is the paragraph's (python-docx's own text leaves it out); a
    non-breaking hyphen is a hyphen; a text box's text follows its paragraph (a reply may type
    its answers into boxes: test_docx_text_boxes_are_read_once_after_their_paragraph); a table of
    contents in a gallery control stays out."""
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
    assert "Action taken: Yes" in text and "Data for 2019-2021 and a box\n\nBoxed" in text
    assert text.count("Boxed") == 1 and "Contents" not in text


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


def test_html_in_the_encoding_it_declares_and_words_list_markers_left_out():
    """Word's "Save as Web Page" writes windows-1250 for a Czech reply and says so in a <meta>:
    it is read in that encoding (it had been skipped, "not UTF-8"). The bullet Word generates
    for a list item (a Symbol-font "·" in an "mso-list:Ignore" span) is no word of the text, as
    an <li>'s marker is none. A charset Python has no codec for is a clear error."""
    page = ("<html><head><meta http-equiv=Content-Type content='text/html; charset=windows-1250'></head><body>"
            "<p>Úřad vlády České republiky</p><p class=MsoListParagraph style='mso-list:l0 level1 lfo1'>"
            "<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span>&nbsp;"
            "</span></span></span><![endif]><span>regional drug coordinators;</span></p></body></html>")
    text = extract_bytes(page.encode("cp1250"), "html").text
    assert "Úřad vlády České republiky" in text
    assert "regional drug coordinators;" in text and "·" not in text
    stale = "<meta charset='iso-8859-1'><p>Coopération avec l’Office</p>".encode("utf-8")  # UTF-8 under a stale meta
    assert "Coopération avec l’Office" in extract_bytes(stale, "html").text
    numbered = ("<p style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>Recommendation 1.<span>&nbsp;</span>"
                "</span>Governments are encouraged.</p>")
    assert "Recommendation 1." in extract_bytes(numbered.encode(), "html").text  # a number Word generates stays
    # ... and the bullet as a list item's first span, with no "mso-list:Ignore" (tpl28): out; the item's words stay
    bare = ("<p class=MsoListParagraph style='margin-left:18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span "
            "style='font-family:Symbol'>·<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; </span></span>"
            "<![endif]><span lang=EN-GB>A laboratory was opened in 2018;</span></p>"
            "<p style='mso-list:l0 level1 lfo1'><span>a unit</span> of the police</p>")
    read = extract_bytes(bare.encode(), "html").text
    assert "A laboratory was opened in 2018;" in read and "·" not in read and "a unit of the police" in read
    kept = ("<p style='mso-list:none'><span>☒</span> Yes <span>☐</span> No</p>"  # a box, a one-letter word: no bullet
            "<p style='mso-list:l0 level1 lfo1'><span>A</span> laboratoire was opened</p>")
    read = extract_bytes(kept.encode(), "html").text
    assert "☒ Yes ☐ No" in read and "A laboratoire" in read
    with pytest.raises(ExtractionError, match="charset 'x-klingon'"):
        extract_bytes(b"<meta charset='x-klingon'><p>Qapla\xe9</p>", "html")


def test_docx_text_boxes_are_read_once_after_their_paragraph(tmp_path):
    """An answer typed into a Word text box is text like any other, read after the paragraph it
    is anchored in, and once: Word also keeps a copy for older readers (mc:Fallback)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    anchor = document.add_paragraph("1.1 Governments are encouraged to act.")
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
    box = "<w:txbxContent><w:p><w:r><w:t>Yes. The police acted.</w:t></w:r></w:p></w:txbxContent>"
    anchor._p.append(parse_xml(f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}'
                               f'</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>{box}</v:textbox>'
                               '</w:pict></mc:Fallback></mc:AlternateContent></w:r>'))
    path = tmp_path / "reply.docx"
    document.save(path)
    text = extract(path).text
    assert "1.1 Governments are encouraged to act.\n\nYes. The police acted." in text
    assert text.count("The police acted.") == 1
