"""Marks and labels as tpl32's replies (written by a helper who had not read the parser) set them:
a Word form whose unused option is struck out ("YES / ~~NO~~"), radio buttons printed as filled
and empty circles ("● Yes ○ No"), a web page's definition list in two languages ("Action taken
/ Medida adoptada" over "Yes / Sí", "Comments / Comentarios"), and a contact block closing the
last answer ("CONTACT" over "For any further information, please contact:", "Contacto /
Contact: …"). Each reply is dropped into a copy of the corpus folder and read as the build reads it.
"""
from __future__ import annotations

import io

from test_form_reply_exports import KEYS, _read

MARKS = ["yes", "no", "unknown"]
TITLES = {"I": "Use of the Internet", "II": "Alternatives to imprisonment", "III": "Gender perspectives",
          "IV": "Money-laundering"}


def _want(k: int, key) -> tuple[str, str]:
    return MARKS[k % 3], f"The unit acted on {key[0]}.{key[1]} in 2019."


def test_a_word_forms_option_struck_out_is_withdrawn(tmp_path, texts):
    """"Any action taken: YES / NO" on every row, the option that does not apply struck through
    (single or double strike); neither struck, no mark."""
    import docx

    document = docx.Document()
    document.add_paragraph("MINISTRY OF JUSTICE OF RURITANIA")
    document.add_paragraph("Note: in the line “Any action taken” the option that does not apply has been struck out.")
    for k, key in enumerate(KEYS):
        if key[1] == 1:
            document.add_heading(f"Issue {key[0]}: {TITLES[key[0]]}", level=1)
        document.add_paragraph(f"Recommendation {key[1]}")
        document.add_paragraph(texts[key])
        line = document.add_paragraph("Any action taken:    ")
        yes, slash, no = line.add_run("YES"), line.add_run(" / "), line.add_run("NO")
        mark = MARKS[k % 3]
        if mark == "yes":
            no.font.strike = True
        elif mark == "no":
            yes.font.double_strike = True
        document.add_paragraph("Comments:")
        document.add_paragraph(_want(k, key)[1])
    out = io.BytesIO()
    document.save(out)
    _, got = _read(tmp_path, "ruritania-cnd-reply.docx", None, raw=out.getvalue())
    assert got == {key: _want(k, key) for k, key in enumerate(KEYS)}


def test_radio_buttons_printed_as_circles(tmp_path, texts):
    """"● Yes ○ No": the filled circle is the answer retained; two empty circles, none. The
    legend explaining the circles before the first answer is no answer; the contact block after
    the last ("CONTACT", "For any further information, please contact:") is no comment."""
    circles = {"yes": "● Yes ○ No", "no": "○ Yes ● No", "unknown": "○ Yes ○ No"}
    out = ["Reply of Ruritania. The answer retained is indicated by a filled circle (●); the option not "
           "retained is shown as an empty circle (○).\n"]
    for k, key in enumerate(KEYS):
        mark, comment = _want(k, key)
        out.append(f"Issue {key[0]}: {TITLES[key[0]]}\n" * (key[1] == 1) + f"Recommendation {key[1]}\n{texts[key]}\nAny action taken: {circles[mark]}\nComments:\n{comment}\n")
    out.append("CONTACT\nFor any further information, please contact:\nMs A. B., Ministry of Justice, Tel.: +1 555 0100\n")
    _, got = _read(tmp_path, "ruritania-cnd-reply.txt", "\n".join(out))
    assert got == {key: _want(k, key) for k, key in enumerate(KEYS)}


def test_a_definition_list_in_two_languages(tmp_path, texts):
    """A web page's <dl>: "Action taken / Medida adoptada" over "Yes / Sí" (one mark, two
    languages), "Comments / Comentarios" over the comment; the contact line in two languages
    ("Contacto / Contact: …") closes the last answer."""
    said = {"yes": "Yes / Sí", "no": "No", "unknown": ""}
    rows = []
    for k, key in enumerate(KEYS):
        mark, comment = _want(k, key)
        mark_item = f"<dt>Action taken / Medida adoptada</dt><dd>{said[mark]}</dd>" if said[mark] else ""
        rows.append(f"<h2>Issue {key[0]}: {TITLES[key[0]]}</h2>" * (key[1] == 1) + f"<h3>Recommendation {key[1]}</h3><blockquote><p>{texts[key]}</p></blockquote>"
                    f"<dl>{mark_item}<dt>Comments / Comentarios</dt><dd><p>{comment}</p></dd></dl>")
    page = ("<html><body><nav><a href='/'>Inicio</a></nav><main><h1>Respuesta de Ruritania</h1>" + "".join(rows)
            + "<p>Contacto / Contact: Unidad de Relaciones Internacionales, San José. Tel. (506) 2527-6400.</p>"
            "</main><footer>Compartir</footer></body></html>")
    _, got = _read(tmp_path, "ruritania-respuesta.html", page)
    assert got == {key: _want(k, key) for k, key in enumerate(KEYS)}
