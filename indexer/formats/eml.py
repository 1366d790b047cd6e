"""E-mail (.eml), with the standard library's parser: a reply sent as a message.

The text is the message's body: its plain-text part, else its HTML part read as a page is
(formats/html.py). The subject is the title. Headers other than the subject, and attachments,
are not read: an attachment is a file of its own when it is dropped into the corpus.
"""
from __future__ import annotations

import platform
from email import policy
from email.parser import BytesParser

from indexer.formats.base import Extracted, ExtractionError


def extract(raw: bytes, sha256: str) -> Extracted:
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        body = message.get_body(preferencelist=("plain", "html"))
        content = body.get_content() if body is not None else ""
        subject = str(message.get("subject") or "").strip() or None
    except (LookupError, ValueError, TypeError) as exc:  # an unknown charset, a malformed part
        raise ExtractionError(f"unreadable e-mail ({type(exc).__name__}: {exc})") from None
    if body is None or not str(content).strip():
        raise ExtractionError("the e-mail has no text body (plain or HTML)")
    if body.get_content_type() == "text/html":
        from indexer.formats import html

        text = html.extract(str(content).encode("utf-8"), sha256).text
    else:
        text = str(content).replace("\r\n", "\n").replace("\r", "\n")
    return Extracted(text=text if text.endswith("\n") else text + "\n", format="email",
                     extractor=f"python email {platform.python_version()}", source_sha256=sha256, title=subject)
