"""The records every layer shares: documents, passages, spans and citations."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

DocumentKind = Literal["questionnaire-response", "action-plan", "position-paper", "report"]
DOCUMENT_KINDS: tuple[str, ...] = DocumentKind.__args__  # type: ignore[attr-defined]
PassageType = Literal["recommendation", "proposal", "section", "footnote", "bibliography"]


class Span(BaseModel):
    """Half-open character range [start, end) in a verbatim corpus file."""

    start: int
    end: int


class Document(BaseModel):
    id: str
    file: str
    title: str
    country: str | None = None
    kind: DocumentKind
    year: int | None = None
    description: str = ""
    sha256: str = ""  # of the original file (for PDF, DOCX, HTML: not of the extracted text)
    listed: bool = True
    format: str = "text"
    extractor: str = ""
    parser: str = ""
    parser_reason: str = ""
    inferred: dict[str, str] = Field(default_factory=dict)  # field -> where its value came from (unlisted files)


class Passage(BaseModel):
    """A unit of retrieval, cut along the document's own structure.

    `offsets` maps the clean `text` back to the file: runs of (text_start, file_start,
    length) that were copied verbatim, so any sentence of `text` has exact file offsets.
    """

    id: str
    document_id: str
    type: PassageType
    heading: list[str]
    country: str | None
    kind: DocumentKind
    spans: list[Span]
    text: str
    offsets: list[tuple[int, int, int]]
    tokens: int = 0
    label: str = ""
    ordinal: int = 0
    fields: dict[str, Any] = Field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.spans[0].start

    @property
    def end(self) -> int:
        return self.spans[-1].end


class Citation(BaseModel):
    file: str
    start: int
    end: int
    label: str
    spans: list[Span]
