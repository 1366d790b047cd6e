"""The JSON contract of the API. Evaluation tools rely on these names: keep them."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from indexer.models import Span

Mode = Literal["hybrid", "dense", "lexical"]


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(..., description="The query. Text in double quotes must match that exact wording.")
    k: int = Field(10, ge=1, le=100, description="How many results.")
    country: str | None = Field(None, description="Only passages of this country or organisation.")
    kind: str | None = Field(None, description="Only documents of this kind.")
    document: str | None = Field(None, description="Only this document (its id).")
    mode: Mode = Field("hybrid", description="hybrid (dense + BM25 fused), dense or lexical.")


class DocumentRef(BaseModel):
    id: str
    title: str
    country: str | None
    kind: str


class CitationOut(BaseModel):
    file: str
    start: int
    end: int
    label: str
    spans: list[Span] = []


class Highlight(BaseModel):
    start: int
    end: int
    text: str = ""


class AlsoIn(BaseModel):
    passage_id: str
    document: DocumentRef
    citation: CitationOut


class Result(BaseModel):
    rank: int
    score: float
    passage_id: str
    type: str
    text: str
    heading: list[str]
    document: DocumentRef
    citation: CitationOut
    highlight: list[Highlight]
    answered: bool | None = None
    also_in: list[AlsoIn] = []
    fields: dict[str, Any] = {}


class Interpretation(BaseModel):
    countries: list[str] = []
    expansions: list[str] = []
    phrases: list[str] = []
    across_countries: bool = False


class SearchResponse(BaseModel):
    query: str
    mode: Mode
    interpreted: Interpretation
    results: list[Result]


class CountryAnswer(BaseModel):
    country: str
    answered: bool
    sentence: str
    citation: CitationOut
    passage_id: str


class Answer(BaseModel):
    type: Literal["by_country", "single"]
    recommendation: str | None = None
    by_country: list[CountryAnswer] = []
    sentences: list[Highlight] = []
    citations: list[CitationOut] = []


class AskResponse(BaseModel):
    query: str
    answer: Answer
    results: list[Result]


class PassageOut(BaseModel):
    id: str
    type: str
    text: str
    heading: list[str]
    document: DocumentRef
    citation: CitationOut
    fields: dict[str, Any]
    previous: str | None = None
    next: str | None = None


class DocumentOut(DocumentRef):
    file: str
    year: int | None = None
    description: str = ""
    sha256: str = ""
    passages: int = 0


class DocumentFull(DocumentOut):
    text: str
    passage_spans: list[dict[str, Any]]
