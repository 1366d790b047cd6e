"""The questionnaire form's labels as replies write them, for the parsers that read the form
(indexer/parsers/questionnaire.py, questionnaire_tables.py): patterns over text, no I/O."""
from __future__ import annotations

import re

from indexer.parsers.marks import MARK_WORD
from indexer.text import MONTHS

# The form's labels as forms write them: "Recommendation 3", "RECOMMENDATION 1.2", "Rec. IV";
# "Any action taken", "Action taken", "Actions taken"; "Comments:", "Comment:", "Comments" alone.
# ("# Issue I: …": a heading as Word and Markdown files give it)
LINE_START = r"(?:^|(?<=\f))"  # a line's start, or a PDF page's
LINE_END = r"[ \t\r]*(?=\n|\f|\Z)"  # a line's end, or a PDF page's (pdfium ends lines with CR LF)
EMPHASIS = r"(?:[*_]{1,2})?"  # Markdown's bold or italic around a label ("**Action taken:** Yes")
HEADING_MARK = rf"{LINE_START}(?:#{{1,6}}[ \t]+)?{EMPHASIS}"
# the labels in the questionnaire's other working languages as replies write them
# ("Thème I : …", "Recommandation 2", "Mesures prises : Oui", "Commentaires :"; "Tema", "Recomendación")
# (German, Italian, Dutch and Russian too: "Themenbereich", "Empfehlung 2", "Maßnahmen ergriffen: Ja", "Kommentar:")
ISSUE_WORD = r"(?i:Issue|Th[eè]me|Tema|Thema|Themenbereich|Тема|Раздел)"
REC_WORD = r"(?:Recommendation|Recommandation|Recomendaci[oó]n|Recomenda[çc][ãa]o|Empfehlung|Raccomandazione|Aanbeveling" \
           r"|Рекомендация|Rec\.)"
ACTION_WORDS = (r"(?:(?:any )?actions? taken|mesures? prises?|medidas? (?:adoptadas?|tomadas?|adotadas?)"
                r"|(?:ergriffene )?ma(?:ß|ss)nahmen(?: ergriffen)?|misure adottate|genomen maatregelen|принятые меры"
                r"|(?:были )?(?:ли )?приняты (?:ли )?(?:какие-либо )?меры)")  # (the form's question in Russian:
#   "Приняты ли меры: Да", "Были ли приняты какие-либо меры?")
COMMENT_WORDS = (r"(?:comments?|remarks?|commentaires?|comentarios?|coment[aá]rios?|kommentare?|anmerkungen|bemerkungen|commenti|osservazioni"
                 r"|commento|opmerkingen?|toelichting|комментари[ийя])")
OBSERVATIONS = r"observations?|observaciones|observa[çc][õo]es|responses?|reply"  # the comment's label in a form's French, Spanish,
#   Portuguese ("Observations :"); the reader by labels reads it as an answer's label (block_line.ANSWER_WORDS)
DASH_OR_COLON = r"(?:[ \t]*[:–—][ \t]*|[ \t]+-[ \t]+)"  # "ISSUE II – …", "Recommendation 1: …", "… 1 - …"
SEPARATOR = rf"(?:[ \t]*\.[ \t]*|{DASH_OR_COLON})"  # an issue's, "Issue II. …" too
NUMBER = r"(\d+(?:\.\d+)*|[IVX]+|[a-z])"
OUTLINE = r"(?:\d+(?:\.\d+)*\.?[ \t]+)?"  # an outline's number before a label: "1. Issue I: …", "1.2 Recommendation 2"
ISSUE = re.compile(rf"{HEADING_MARK}{OUTLINE}{ISSUE_WORD} ([IVX]+|\d+){EMPHASIS}{SEPARATOR}([^\n\f]+?){EMPHASIS}{LINE_END}", re.M)
# an issue numbered as its recommendations are ("1. Cybercrime" over "Recommendation 1.1")
NUMBERED_ISSUE = re.compile(rf"{HEADING_MARK}([IVX]+|\d+)\.[ \t]+([A-Z][^\n\f]+?){EMPHASIS}{LINE_END}", re.M)
# the label on a line of its own, or before the text after a colon or dash ("Recommendation 2: Governments …")
RECOMMENDATION = re.compile(rf"{HEADING_MARK}{OUTLINE}{REC_WORD}[ \t]+{NUMBER}(?:\.?{EMPHASIS}{LINE_END}|{EMPHASIS}{DASH_OR_COLON})",
                            re.M | re.I)
# the table form's header row: "Recommendation 3<TAB>Action taken<TAB>Comments"
TABLE_ROW = re.compile(rf"^{REC_WORD}[ \t]+{NUMBER}\.?[ \t]*\t([^\n]*)$", re.M | re.I)
# ... and as a PDF prints it: the cells' words on one line, spaces between, the row under it cell
# after cell, each cell on lines of its own. (pdfium may glue the line to the heading above it.)
_COLUMN = rf"(?:{ACTION_WORDS}|{COMMENT_WORDS}:?)"
FLAT_ROW = re.compile(rf"\b{REC_WORD} +{NUMBER}\.? +({_COLUMN} +{_COLUMN}){LINE_END}", re.M | re.I)
FLAT_COLUMN = re.compile(_COLUMN, re.I)
# the action-taken cell: a mark alone on its line, or opening the line of the comment's first words
# when pdfium reads the two cells' top lines as one ("Yes The police ..."; not "No. 182"); or
# ending a one-line recommendation's line ("Governments act. Yes")
MARK_LINE = re.compile(rf"{LINE_START}[ \t]*{MARK_WORD}(?:[ \t]*/[ \t]*{MARK_WORD})?(?:{LINE_END}|(?=[ \t]+[A-Z“\"]))",
                       re.M)  # ("Yes / Sí": a mark in two languages)
MARK_AFTER_TEXT = re.compile(rf"(?<=[.;:)\"”])[ \t]+{MARK_WORD}{LINE_END}")
# where a cell of prose ends and the next begins, when no mark stands between them: a line
# ending a sentence, and a line opening with a capital
CELL_END = re.compile(r"[.;:)\"”][ \t]*(?:\r?\n|\f)[ \t]*(?=[A-Z0-9“\"])")
ACTION_CELL = re.compile(rf"^\s*(?:{ACTION_WORDS}(?:\b|(?=[¹²³⁰-⁹]))|action\s*$)", re.I)  # "Action taken¹": a note's
#   mark; "Action": a column head alone
COMMENTS_CELL = re.compile(rf"^\s*{COMMENT_WORDS}\s*(?::|/[^\t|\n]*)?\s*$", re.I)  # "Comments / measures adopted"
# a label opens a line, or a PDF page when the break falls right before it
ACTION = re.compile(rf"{LINE_START}[ \t]*{EMPHASIS}{ACTION_WORDS}\b([^\n\f]*)", re.M | re.I)
SECOND_LABEL = (r"(?:[ \t]*/[ \t]*[^\W\d_]+(?:[ \t]+[^\W\d_]+){0,2}"  # a label's words in another language after it:
                r"|[ \t]*\([^\W\d_]+(?:[ \t]+[^\W\d_]+){0,2}\))?")  # "Comments / Comentarios", "Комментарий (Comment)"
COMMENTS = re.compile(rf"{LINE_START}[ \t]*{EMPHASIS}(?:{COMMENT_WORDS}{EMPHASIS}{SECOND_LABEL}(?:[ \t]*:{EMPHASIS}|{LINE_END}|\t)"
                      rf"|(?:{OBSERVATIONS}){EMPHASIS}(?:[ \t]*:{EMPHASIS}|{LINE_END}))",  # ("Comments<TAB>…": a Word
                      #   table's label cell; not "Responses<TAB>10": a table's row)
                      re.M | re.I)
# a whole issue as one table, a row a recommendation: "No. | Recommendation | Action taken (Yes/No) |
# Comments" (Word's cells between tabs, Markdown's between pipes), each row "1 | text | Yes | comment"
ISSUE_TABLE_HEADER = re.compile(r"^[ \t|]*(?:no\.?|n°|#|number)[ \t]*(?:\t|\|)[^\n]*$", re.M | re.I)
ISSUE_TABLE_ROW = re.compile(r"^[ \t|]*(?:[IVX]+\.)?(\d+(?:\.\d+)*)\.?[ \t]*(?:\t|\|)[^\n]*$", re.M)  # "I.1": in issue I
ROW_ISSUE = re.compile(r"[ \t|]*([IVX]+)\.\d")  # ... numbered within its issue, "II.1": the issue it names
TABLE_RULE = re.compile(r"[ \t|:-]*-[ \t|:-]*")  # Markdown's |---|---| under the header
ISSUE_TABLE_SHARE = 0.4  # of a file's text its rows must hold to make it a reply (one annex table is not)
REC_CELL = re.compile(rf"^\s*{REC_WORD}s?\b", re.I)
# a reply numbering its recommendations within each issue ("1. Governments …"), each followed
# by its action-taken line ("Action taken: Yes") and the comment
NUMBERED_REC = re.compile(rf"{LINE_START}[ \t]*(\d+)\.[ \t]+(?=[A-Z])", re.M)
# ... whose table's column heads a PDF repeats atop a page ("Recommendation Response"): no comment's words
COLUMN_HEADS = re.compile(rf"{LINE_START}[ \t|]*{REC_WORD}s?[ \t|]+(?:responses?|action|measures?|remarks?|reply"
                          rf"|{COMMENT_WORDS})\b[^\n\f]*{LINE_END}",
                          re.M | re.I)
COMMENTS_LABEL = "Comments:"
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}

# What closes a reply: a letter's place and date ("Rabat, 12 November 2020"), its valediction
# ("Best regards,") or its end ("— End of reply —"), a line of its own (and the valediction as a
# paragraph of its own, which a reply's last comment runs into); a quoted e-mail's or a forwarded
# one's caption ("-----Original Message-----"), after which nothing is the reply's (a line of a
# text, or a segment)
_VALEDICTION = r"[A-Z][\w ]{2,30},"
_END_OF_REPLY = (r"(?:[-–—*=~_(\[]+\s*)?(?i:end of (?:the )?(?:reply|response|document|text|submission|questionnaire))\.?"
                 r"(?:\s*[-–—*=~_)\]]+)?")  # "— End of reply —", "*** End of document ***", "(End of document)"
_PLACE_DATE = rf"[A-Z][\w .'-]{{1,30}},\s*(?:\d{{1,2}}\s+{MONTHS}|{MONTHS}(?:\s+\d{{1,2}},?)?)\s+\d{{4}}\.?"  # "Cairo, 19
#   February 2020", "Accra, November 2022"
PLACE_DATE = re.compile(rf"^{_PLACE_DATE}$")
CLOSING = re.compile(rf"^(?:{_PLACE_DATE}|{_VALEDICTION}|{_END_OF_REPLY})$")
END_OF_REPLY = re.compile(rf"^{_END_OF_REPLY}$")
VALEDICTION = re.compile(rf"(?<=\n)[ \t]*\r?\n[ \t]*{_VALEDICTION}[ \t]*\r?$", re.M)
QUOTED_MAIL = re.compile(r"^[ \t]*-{2,}\s*(?:original message|forwarded message|mensaje original|message d'origine"
                         r"|mensagem original|ursprüngliche nachricht)\s*-{2,}[ \t]*\r?$", re.I | re.M)

# Where a letter's sign-off begins (or the reply's own closing section, "Final remarks"), a line of
# its own after a finished sentence (or opening the last answer's comment, left blank): its
# valediction ("Cordialmente,", "Yours sincerely,"), its place and date over what follows, a signing notation ("(signed)", "/signed electronically/", "/-/", "For the Minister of Health"),
# its annexes or who prepared it ("Attachment: …", "Přílohy / Annexes: …", "Contact person: …",
# "Elaboró: …"), or the signatory's name in capitals over a title in other case ("ANDRÉS FELIPE
# ROJAS MEDINA" / "Director de Política de Drogas"; not "PARTIALLY IMPLEMENTED" nor a heading
# in capitals over the sentences it heads)
VALEDICTION_WORDS = (r"(?:yours\s+)?(?:sincerely|faithfully|truly|respectfully)(?:\s+yours)?|(?:with\s+)?(?:best|kind|warm)"
                     r"(?:est)?\s+(?:regards|wishes)|regards|cordialmente|atentamente|cordialement|saludos cordiales"
                     r"|respetuosamente|mit freundlichen grüßen|met vriendelijke groet|s poštovanjem|z poważaniem"
                     r"|с уважением|distinti saluti|cordiali saluti")
_REPLY = r"(?:information|reply|replies|answers?|responses?|inputs?|contributions?)"  # what a letter hopes helps
_FORMULA = (r"(?:the [^.\n]{0,160}?\bavails? itself of this opportunity\b.*|.{0,160}?\bsaisit cette occasion pour "
            r"renouveler\b.*|.{0,160}?\baprovecha (?:la|esta) oportunidad para (?:reiterar|renovar)\b.*"
            r"|(?:please )?accept[^.\n]{0,60}\bassurances? of (?:my|our|its) (?:highest|high|(?:most )?distinguished) "
            r"consideration\b.*|[^.\n]{0,80}?\b(?:remains?|stands?|is|are) (?:at your (?:full )?disposal|available|ready)"
            r"\b[^.\n]{0,40}?\b(?:further|additional|more|any other) information\b.*"
            rf"|(?:we|i) (?:trust|hope) (?:that )?(?:the above(?: {_REPLY})?|(?:this|these|the|our)(?: [\w-]+){{0,2}}? {_REPLY})"
            r"(?: (?:provided|given|submitted|above))? (?:is|are|will be|would be|proves?)"
            r" (?:useful|helpful|of (?:use|help|assistance))\b.*)")
#   a note verbale's closing formula, a letter's offer of more information (the sender's long name may wrap it
#   over two lines: FORMULA), or its hope that the reply helps ("We trust the above information is useful.")
FORMULA = re.compile(rf"^(?i:{_FORMULA})$")
_SIGNING = (r"(?:signed|sgd\.?|firmado|sign[ée]|assinado|(?:assinatura|firma) ileg[íi](?:vel|ble)"
            r"|signature ill(?:egible|isible)|illegible signature)")
_SIGNED = (rf"\({_SIGNING}(?:\s*/\s*{_SIGNING})?\)"  # "(signed)", "(signé / signed)"
           r"|/(?:-|signed[^/\n]*|firmado[^/\n]*)/.*")  # "(signed)", "(assinatura ilegível)", "/-/"
SIGNED = re.compile(rf"^(?i:{_SIGNED})$")
SIGN_OFF = re.compile(
    rf"^(?i:(?:{VALEDICTION_WORDS}),?"
    rf"|{_SIGNED}|(?:signed|signature|firmado|sign[ée])\s*:[ \t]*(?:[^\s\d]+[ \t]*){{0,6}}"  # "Signed: A. O. Bello" (a
    #   name, or nothing: no digit, six words at most; not "Signed: 4 memoranda of understanding (2019).")
    rf"|{_FORMULA}"
    r"|(?:we|i) remain at your (?:full )?disposal\b.*|(?:should you (?:need|require|have)[^\n]{0,60}?,\s*)?(?:please )?"
    r"(?:do not hesitate|feel free)\b.*"  # an e-mail's closing lines: what follows them is no answer's
    r"|(?:for (?:any )?(?:further|more|additional) information,?\s*)?please contact\s*:?"  # over the contact's lines
    r"|(?-i:CONTACTS?)|contact (?:details|information)\s*:"  # a contact block's heading (not "Contacts", a comment's)
    r"|(?:(?:this is )?submitted |forwarded )?for your (?:kind )?information(?: and (?:necessary|further|appropriate) "
    r"action)?\.?"  # an official letter's closing line (Commonwealth ministries: "Submitted for your information …")
    r"|(?:firma|signature)\s+(?:y|and|et|e)\s+(?:timbre|sello|stamp|seal|cachet|carimbo)\b[^.\n]{0,60}"  # a form's box
    r"|(?:done at|fait [àa]|hecho en|dado en|feito em|geschehen zu)\s+[^,\n]{1,40},[^\n]{0,30}\b\d{4}\.?"  # place and date
    r"|(?:general|final|concluding|additional|other)\s+(?:remarks|comments|observations)\s*:?"  # the reply's own
    r"|(?-i:(?:For|On behalf of) the (?:[A-Z][\w-]+ )*(?:Mission|Delegation)(?: of(?: the)? [A-Z][^,.;:!?]{0,40})?,?)"
    r"|(?:for|on behalf of) the (?:minister|ministry|director|government|secretary|head|permanent representative)\b"
    r"[^.!?,;]{0,60},?"
    r"|(?:[^\W\d_]+\s*/\s*)?(?:annex(?:es)?|attachments?|enclosures?|anexos?|pi[èe]ces? jointes?"
    r"|contact person|prepared by|submitted by|elabor[óo](?: por)?)\s*:.*"
    r"|(?:[^\W\d_]+\s*/\s*)?(?:contact|focal point|point de contact|personne de contact|punto de contacto"
    r"|persona de contacto|contacto)(?: (?:point|person))?(?: for (?:this|the) (?:reply|response|questionnaire))?\s*:"
    r"(?=.*(?:@|\btel\b|\+\d|,[^,]*,)).*)$")  # "Contact: Division, AADK, Kajang": an
#   address or a number, not "Focal point: the Observatory collects …"
CONTACT = re.compile(r"(?i:contact|focal point)(?i: (?:point|person))?[ \t]*:[ \t]*(?=[A-Z(])")  # a contact's
#   address may wrap onto the next line: "Contact: International Affairs Unit, SENDA – Agustinas" over "1235,
#   Santiago, Chile." (a name or a unit, capitalised; not "Contact point: the national network met …")
CONTACT_WORDS = 16  # ... and the two lines short
CONTACT_LINE_WORDS = 16  # a contact block's lines: this many words at most (a heading's, twice as many: an address)
CONTACT_HEAD = re.compile(r"(?i:(?:[^\W\d_]+\s*/\s*)?contacts?(?: (?:us|details|information|point|person))?"
                          r"(?:[ \t]+(?:for|on)[ \t]+[^\W\d_][\w -]{0,30})?\s*:?)$")  # ("Contact for follow-up:")
_CAPS = r"[A-ZÀ-ÖØ-ÞĀ-Ž][A-ZÀ-ÖØ-ÞĀ-Ž.'-]*"
SIGNATORY = re.compile(rf"^{_CAPS}(?:[ \t]+{_CAPS}){{1,5}}$")  # a name in capitals: its title follows
NOT_A_NAME = re.compile(r"\b(?:IMPLEMENTED|PARTIALLY|UNDER|NOT|NO|NONE|NIL|YES|PENDING|ONGOING|PROGRESS|N/A|MINISTRY"
                        r"|DEPARTMENT|OFFICE|NATIONAL|LAW|ISSUE|RECOMMENDATION|ANNEX)\b")
SENTENCE_DONE = re.compile(r"[.!?)\]”\"]\s*$")  # (not ":", which announces what follows: "is called:")


SIGNATURE_LINES = 4  # a name and its titles under a letter's place and date (an annex may follow: its table is
#                      no signature's)


def signatory_lines(lines: list[str]) -> bool:
    """What may stand under a letter's place and date: a name first (no digit), then titles, and
    no sentence ("Safha 5 min 5", the page's foot, may follow); not a list of meetings ("Bangkok, 4
    June 2019") nor the comment going on ("The report was adopted at that plenary.")."""
    def sentence(line: str) -> bool:  # ends one ("… adopted at that plenary."; not a degree's "M.Si.")
        last = line.split()[-1] if line.split() else ""
        return line.endswith(":") or (line.endswith(".") and "." not in last[:-1] and len(last) > 4)

    return all(not (k == 0 and re.search(r"\d", line)) and not sentence(line) and len(line.split()) <= 12
               for k, line in enumerate(lines))


def _contact_block(lines: list[str], words: int = CONTACT_LINE_WORDS) -> bool:
    """Short lines (`words` at most), none a sentence, down to one with a telephone number or an
    e-mail address (a name, a title, "Tel.: +264 …"): a contact's block, not a comment's
    sub-heading over sentences."""
    for line in lines:
        if re.search(r"@|\btel\b|\+\d{2}", line, re.I):
            return True
        if len(line.split()) > words or re.search(r"[a-z]{2}[.!?]$", line.rstrip()):
            return False  # (not an initial, "A. B.")
    return False


def contact_head(doc: str, at: int) -> bool:
    """The line at `at` heads a contact block ("Contact", "## Contact", "CONTACT POINT")."""
    line_end = doc.find("\n", at)
    line = doc[at:line_end if line_end >= 0 else len(doc)]
    return bool(CONTACT_HEAD.match(_unmarked(line)))


def _unmarked(line: str) -> str:
    """A line's words without a Markdown heading's marks or emphasis around them ("## **Contact**")."""
    return line.strip().lstrip("#").strip(" *_")


def sign_off_at(doc: str, start: int, end: int) -> int | None:
    """Where the letter's sign-off begins between start and end (SIGN_OFF, or SIGNATORY over a
    title line, or a title line over a signing notation; a line's first cell, where a signature
    table sets two signatories side by side), or None."""
    lines = [(start + m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t\r\f")), m.group(0).strip(" \t\r\f"))
             for m in re.finditer(r"[^\n\f]+", doc[start:end]) if m.group(0).strip(" \t\r\f")]
    for i, (at, text) in enumerate(lines):
        first = text.split("\t")[0].rstrip()
        head = _unmarked(first)  # (a Markdown heading's: "## Contact")
        if CONTACT_HEAD.match(head) and _contact_block([t for _, t in lines[i + 1:i + 5]],
                                                       CONTACT_LINE_WORDS * (2 if head != first.strip(" *_") else 1)):
            return at  # "Contact" over a name, a title and a telephone number or an address: the contact block
            #            (under a comment's last sentence or an answer's mark line, "Action taken: No"; a
            #            heading's block may give its address on one long line)
        if i and not SENTENCE_DONE.search(lines[i - 1][1]) and not (doc[at - 1] == "\f" and SIGN_OFF.match(first)):
            continue  # (a page's first line, the line above it the page before's foot, "Page 3 of 4", closes only
            #           as a closing formula: a header in capitals there is no signatory)
        title = lines[i + 1][1] if i + 1 < len(lines) else ""
        wrapped = f"{first} {title}" if CONTACT.match(first) and not SENTENCE_DONE.search(first) \
            and len(f"{first} {title}".split()) <= CONTACT_WORDS else first
        third = lines[i + 2][1] if i + 2 < len(lines) else ""
        if not SENTENCE_DONE.search(first) and title and (FORMULA.match(title) or FORMULA.match(f"{title} {third}")):
            return lines[i + 1][0]  # the formula on its own lines, under a comment's last line with no full stop
        if SIGN_OFF.match(first) or SIGN_OFF.match(wrapped) or (not SENTENCE_DONE.search(first) and FORMULA.match(
                f"{first} {title}")) or (SIGNATORY.match(first) and not NOT_A_NAME.search(first) and title
                                     and not title.isupper() and not SENTENCE_DONE.search(title)
                                     and not re.match(r"[-•*–\d(]", title)):
            return at
        if SIGNED.match(title) and not SENTENCE_DONE.search(first) and len(first.split()) <= (16 if " / " in first else 8):
            return at  # the signatory's title over the signing notation: "O Director-Geral do GCPCD" / "(assinatura …)"
        dated = i + 1 if PLACE_DATE.match(first) else i + 2 if PLACE_DATE.match(title) and not SENTENCE_DONE.search(
            first) and len(first.split()) <= 12 else None
        if dated is not None and dated < len(lines) + (dated == i + 2) and signatory_lines([t for _, t in lines[dated:dated + SIGNATURE_LINES]]):
            return at  # the letter's place and date over its signatory ("Cairo, 19 February 2020" / "Major General
            #            …"), and the sender's name over them ("Permanent Mission of Japan …" / "Vienna, 2 March 2020")
    return None


NOT_ANSWERED = ("n/a", "na", "-", "nil", "none", "not applicable", "no comment", "no comments",  # a comment's words
                "sem comentários", "sem comentarios", "sin comentarios", "aucun commentaire", "sans commentaire",
                "n.v.t", "niet van toepassing", "geen opmerkingen", "keine", "nicht zutreffend", "não aplicável",
                "no aplica", "no aplicable", "sans objet", "non applicable", "néant", "neant",  # that say nothing was answered
                "no answer", "no response", "not answered", "unanswered", "skipped")  # (a survey tool's: "[no answer]")


NOTHING_TO_REPORT = re.compile(r"(?:there is )?no (?:information|data)(?: is)? (?:yet )?available"
                               r"|(?:information|data) (?:is |are )?not (?:yet )?available"
                               r"|nothing to report")  # and no more: "no data available on …" says what is missing
NOTHING_YET = r"(?:\s+(?:at (?:this|the present) (?:time|stage)|at present|yet|so far|to date))?"


def says_something(comment: str) -> bool:
    """A comment answers: a letter or a digit in it (not "////", "—"), and not "N/A" nor "No
    information available at this time." alone."""
    said = comment.strip(" \t\r\n*_").lower().rstrip(".").strip("*_")  # (Markdown's emphasis: "_No comment._")
    return bool(re.search(r"[^\W_]", comment)) and said not in NOT_ANSWERED and not all(
        word in NOT_ANSWERED for word in said.split()) and not all(  # "N/A -": a blank mark's cell and a blank comment's
        part.strip() in NOT_ANSWERED for part in said.split(" / ")) and not (  # "Néant / None": in two languages
        said[:1] in "([" and said[1:-1].strip() in NOT_ANSWERED) and not re.fullmatch(  # "(no comments)", "[N/A]"
        rf"(?:{NOTHING_TO_REPORT.pattern}){NOTHING_YET}", said)
