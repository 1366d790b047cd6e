"""HTML with a real parser (selectolax, Lexbor): the text a reader sees, not the page's chrome.

Navigation, scripts, styles, headers, footers and forms are dropped (unless a form is the
page: a questionnaire saved with its answers, read as the options chosen); a check box or radio
button outside a form stands as a printed box ("☒" ticked, "☐" not), so a reply's "Action
taken ☒ Yes ☐ No" says what was ticked, and an icon that marks as its alt text ("✓"); headings
become "#"*n + title, list items "- item" (an item of paragraphs, its paragraphs), table rows
tab-separated cells, a <br> a line break (in a heading or a cell, a space), each block
separated by a blank line, so the general parser finds the structure the markup declared.
"""
from __future__ import annotations

import html
import re

from indexer.formats.base import Extracted, ExtractionError, decode_text, version_of
from indexer.parsers.marks import OPTIONS, table_mark

DROP = "script, style, nav, noscript, template, iframe, svg, header, footer, aside, button"
COOKIE_NOTICE_WORDS = 60  # an element naming a cookie in its class or id and holding at most this many words is
#                           the site's notice, whatever page it stands on (a page's body or wrapper named so is not)
WORD_LIST_LABEL = "span[style*='mso-list:Ignore']"  # the label Word generates for a list item on a web page
WORD_LIST_ITEM = "[style*='mso-list'] > span:first-child"  # ... or, unmarked (inside "<![if !supportLists]>"),
#   the item's first span: Word's bullet glyph and the spacer after it, "·<span style='font:7.0pt …'>&nbsp;…"
WORD_BULLETS = "·•o§▪–-Øü"  # the glyphs Word sets as bullets, in a symbol font or not
FORM_SHARE = 0.5  # a form holding this share of the page's words is the page (a questionnaire saved with its
#                   answers), read with its answers; a smaller one is chrome (a search box), dropped
LINE_BREAK = "\ue000"  # stands for a <br> (a private-use character) while white space is folded
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre", "blockquote", "dt", "dd", "caption",
          "figcaption", "address"}
CONTAINERS = ("li", "dd", "dt", "blockquote")  # blocks that may hold blocks of their own


def _text(node, lines: bool = True) -> str:
    """The node's words, white space folded; a <br> the line break it is, or (`lines` False: a
    heading's, a table cell's, which stand on one line) a space."""
    return _fold(node.text(deep=True, separator=" "), lines)


def _fold(text: str, lines: bool = True) -> str:
    """White space folded to single spaces; a <br>'s mark a line break (or, `lines` False, a space)."""
    return re.sub(rf" ?{LINE_BREAK} ?", "\n" if lines else " ", re.sub(r"\s+", " ", text).strip()).strip()


RUN_ON = ("abbr", "acronym", "b", "strong", "i", "em", "u", "s", "small", "code", "font", "mark", "q", "cite", "time",
          "dfn", "kbd", "var", "span", "a")  # inline tags of text alone (not a label, a box, a note's <sup>)
INLINE = {"-text", "span", "a", "b", "strong", "i", "em", "u", "s", "small", "sup", "sub", "code", "abbr", "font",
          "label", "mark", "q", "cite", "time", "img", "input"}  # what runs on in a line, between blocks


def _blocks(node, out: list[str]) -> None:
    """The node's blocks in order, each a paragraph of `out`; the text standing loose between
    them ("Reply of Ruritania<fieldset>…</fieldset>Comments: …") a paragraph of its own."""
    loose: list[str] = []
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag in INLINE and not (tag == "label" and not _text(child).startswith(("☒", "☐"))):  # (a label
            #   of its own, "Comments" over a text box, is a block; a choice's, "☒ Yes", runs on)
            loose.append(child.text(deep=True, separator=" ") if tag == "-text" else _text(child, lines=False))
            continue
        _flush(loose, out)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = _text(child, lines=False)
            if text:
                out.append("#" * int(tag[1]) + " " + text)
        elif tag == "table":  # one block, a row a line
            rows = _grid_rows(child)
            if any(r.strip() for r in rows):
                out.append("\n".join(r for r in rows if r.strip()))
        elif tag in CONTAINERS and not (child.text(deep=False) or "").strip() and all(
                c.tag in BLOCKS or c.tag in ("div", "table", "ul", "ol", "dl") for c in child.iter(include_text=False)):
            _blocks(child, out)  # an item of blocks only ("<li><p>text</p><p>Status: Yes</p>…", a <dd> holding
            #                      a list "<dt>Action taken</dt><dd>Yes</dd>…"): its blocks, each on its own
        elif tag == "li":
            text = _text(child)
            if text:
                out.append("- " + text)
        elif tag in BLOCKS:
            text = _text(child)
            if text:
                out.append(text)
        elif tag in ("ul", "ol", "dl") or not any(c.tag in BLOCKS or c.tag in ("div", "section", "article",
                                                           "main", "table", "ul", "ol", "dl", "form", "fieldset",
                                                           "details") for c in child.iter(include_text=False)):
            if tag in ("ul", "ol", "dl"):
                _blocks(child, out)
            else:
                text = _text(child)
                if text:
                    out.append(text)
        else:
            _blocks(child, out)
    _flush(loose, out)


def _grid_rows(table) -> list[str]:
    """A table's rows, a line each, cells parted by tabs and laid on the table's grid: a cell
    spanning rows stands empty in the rows below it, one spanning columns is followed by empty
    cells, so each row's cells line up under the heads they belong to ("Action taken" spanning
    "Yes | No" in the header's second row; an issue's cell spanning its rows)."""
    rows: list[str] = []
    covered: dict[int, int] = {}  # a column -> how many rows below a cell above still spans there
    for tr in table.css("tr"):
        cells: list[str] = []

        def fill() -> None:
            while covered.get(len(cells), 0) > 0:
                covered[len(cells)] -= 1
                cells.append("")

        for cell in tr.iter(include_text=False):
            if cell.tag not in ("td", "th"):
                continue
            fill()
            across, down = (_span(cell, "colspan"), _span(cell, "rowspan"))
            for k in range(across):
                if down > 1:
                    covered[len(cells) + k] = down - 1
            cells += [_text(cell, lines=False)] + [""] * (across - 1)
        fill()
        for column in covered:  # a spanned column past this row's last cell: spanned here too
            if column >= len(cells) and covered[column] > 0:
                covered[column] -= 1
        rows.append("\t".join(cells))
    return rows


def _span(cell, name: str) -> int:
    value = (cell.attributes.get(name) or "1").strip()
    return min(int(value), 50) if value.isdigit() and int(value) > 0 else 1


def _flush(loose: list[str], out: list[str]) -> None:
    """The loose text gathered so far as one paragraph, if it holds any words."""
    text = _fold(" ".join(loose))
    if text:
        out.append(text)
    loose.clear()


def _forms(tree) -> None:
    """Forms and drop-downs out of the page, unless forms are the page: then a drop-down stands as
    the option chosen (`_chosen`), a text box as what was typed in it (its character counter
    out, `_counters`), a hidden field as nothing."""
    def words(nodes) -> int:
        return sum(len(n.text(deep=True, separator=" ").split()) for n in nodes if n is not None)

    options = words(tree.css("option"))  # a drop-down's choices are no words of the page
    forms = tree.css("form")
    if words(forms) - options < FORM_SHARE * max(words([tree.body or tree.root]) - options, 1):
        for node in forms + tree.css("select"):
            node.decompose()
        return
    for hidden in tree.css("input[type=hidden]"):
        hidden.decompose()
    from selectolax.lexbor import LexborHTMLParser

    for select in tree.css("select"):
        select.replace_with(LexborHTMLParser(f"<span>{html.escape(_chosen(select))}</span>").css_first("span"))
    for box in tree.css("input[type=text][value]"):
        box.replace_with(box.attributes.get("value") or "")
    _counters(tree)


COUNTER = re.compile(r"(\d+)\s*/\s*(\d+)(?:\s*(?:characters?|chars?|caract\w*))?", re.I)  # "367 / 3000"


def _counters(tree) -> None:
    """A text box's character counter out of a form that is the page: an element reading "367 /
    3000" where 3000 is a text box's `maxlength` says how much was typed, not what."""
    limits = {box.attributes.get("maxlength") for box in tree.css("textarea[maxlength], input[maxlength]")}
    for node in tree.css("div, span, p, small, output"):
        counted = COUNTER.fullmatch(node.text(deep=True, separator=" ").strip())
        if counted and counted.group(2) in limits:
            node.decompose()


def _chosen(select) -> str:
    """A drop-down's chosen option ("Ja"); nothing when none is, or the prompt is (an empty value:
    "– bitte auswählen –"). An option without a value stands for its text."""
    option = select.css_first("option[selected]")
    if option is None or ("value" in option.attributes and not option.attributes["value"]):
        return ""
    return _text(option)


DECLARED = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?([\w.:-]+)""", re.I)  # <meta charset="…">, or http-equiv's
LEGACY = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
          "us-ascii": "cp1252", "ascii": "cp1252"}  # as browsers read them


def decode_page(raw: bytes) -> str:
    """The page's text: a byte-order mark's encoding; else UTF-8 when the bytes are UTF-8 (a
    page saved from a server that sent UTF-8 often keeps a stale "iso-8859-1" <meta>); else
    the <meta> charset it declares (a Word "Save as Web Page" export writes windows-1250 or
    windows-1252; Latin-1 read as browsers read it, windows-1252); else an error."""
    if raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-8-sig" if raw[:1] == b"\xef" else "utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = DECLARED.search(raw[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        try:
            return raw.decode(LEGACY.get(name, name))
        except LookupError:
            raise ExtractionError(f"declares charset {name!r}, which Python has no codec for") from None
        except UnicodeDecodeError as exc:
            raise ExtractionError(f"not {name} as it declares (byte {exc.start})") from None
    return decode_text(raw)


HIGHLIGHT = re.compile(r"background(?:-color)?\s*:\s*(?!\s*(?:#f{3}(?:f{3})?|white|transparent|none|inherit|initial)\b)"
                       r"[^;}\s]", re.I)  # a background colour other than the page's


def _highlighted_options(tree) -> None:
    """An option highlighted as the answer ("please highlight the applicable answer": a Google
    Docs export's "<span class=c9>YES</span>", its class's background yellow; a <mark>) is read as a
    ticked box before it, "☒ YES", as a printed form's box would say."""
    classes: set[str] = set()
    for style in tree.css("style"):
        for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", style.text() or ""):
            if HIGHLIGHT.search(body):
                classes |= set(re.findall(r"\.([\w-]+)", selector))
    chosen: dict[int, list] = {}  # by the block holding them: the options highlighted
    for node in tree.css("span, mark"):
        words = node.text(deep=True).strip()
        if words.lower() in OPTIONS and (node.tag == "mark" or classes & set((node.attributes.get("class") or "").split())
                                         or HIGHLIGHT.search(node.attributes.get("style") or "")):
            block = node.parent
            while block is not None and block.tag not in BLOCKS | {"div", "td", "th", "body"}:
                block = block.parent
            chosen.setdefault(block.mem_id if block is not None else 0, [block]).append(node)
    for block, *nodes in chosen.values():
        offered = sum(w.lower() in OPTIONS for w in re.findall(r"[^\W\d_]+", block.text(deep=True) if block else ""))
        if offered > len(nodes):  # (every option shaded, or one alone: styling, no answer chosen among others)
            for node in nodes:
                node.insert_before("☒ ")


def extract(raw: bytes, sha256: str) -> Extracted:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(decode_page(raw))
    title_node = tree.css_first("title")
    title = _text(title_node) if title_node else None
    _highlighted_options(tree)  # (read from the page's styles, before they are dropped)
    for node in tree.css(DROP):
        node.decompose()
    for node in tree.css("[class*=cookie], [id*=cookie]"):
        if node.tag not in ("html", "body", "main", "article", "form") and len(
                node.text(deep=True, separator=" ").split()) <= COOKIE_NOTICE_WORDS \
                and node.css_first("h1, h2, h3, h4, h5, h6, table, form, fieldset, ul, ol, dl") is None:
            node.decompose()
    for label in tree.css(WORD_LIST_LABEL):  # a bullet ("·", "§", "o" in a symbol font) is no word, as an <li>'s
        if not re.search(r"[^\W_]{2,}|\d", label.text(deep=True)):  # marker is none; a number ("1.", "12.") and
            label.decompose()  # a label ("Recommendation 1.") stay
    for label in tree.css(WORD_LIST_ITEM):  # (not a box, "☒ Yes", nor an item's first words)
        glyph = label.text(deep=True).replace("\xa0", " ").strip()
        if len(glyph) == 1 and glyph in WORD_BULLETS and label.css_first("span[style*='7.0pt']") is not None:
            label.decompose()
    _forms(tree)
    for box in tree.css("input[type=checkbox], input[type=radio]"):
        hidden = "hidden" in box.attributes or re.search(r"display\s*:\s*none|visibility\s*:\s*hidden",
                                                         box.attributes.get("style") or "")
        box.replace_with("" if hidden else "☒" if "checked" in box.attributes else "☐")
    for br in tree.css("br"):
        br.replace_with(LINE_BREAK)
    for image in tree.css("img[alt]"):
        alt = (image.attributes.get("alt") or "").strip()
        if table_mark(alt) != "unknown" and not (len(alt) == 1 and alt.isalpha()):
            image.replace_with(alt)  # an icon that marks: "✓", "✗", "Yes" (a logo's or a photo's alt, or a
            #                          letter's, "X" of a share button, is no text)
    tree.unwrap_tags(list(RUN_ON))  # their words join the text around them as a browser shows them: "(PCIC)",
    tree = LexborHTMLParser(tree.html)  # not "( PCIC )" (read again, so the text runs on as one node)
    body = tree.body or tree.root
    if body is None:
        raise ExtractionError("the HTML has no body")
    out: list[str] = []
    _blocks(body, out)
    text = "\n\n".join(out)
    if not text.strip():
        raise ExtractionError("the HTML has no text outside navigation, scripts and styles")
    return Extracted(text=text + "\n", format="html", extractor=f"selectolax {version_of('selectolax')}",
                     source_sha256=sha256, title=title or None)
