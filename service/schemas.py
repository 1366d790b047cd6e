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
    spans: list[Span] = Field(default_factory=list)
    page: int | None = Field(None, description="PDF page (1-based) where the cited text starts; none when unpaged.")
    page_end: int | None = Field(None, description="PDF page (1-based) where the cited text ends.")
    page_label: str | None = Field(None, description="The printed label of `page` when the PDF declares one.")


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
    also_in: list[AlsoIn] = Field(default_factory=list)
    fields: dict[str, Any] = Field(default_factory=dict)


COUNTRIES_ABSENT = ("Countries the question names of which no document is in the index, when it names none that "
                    "is ('what did Brazil report …'): what is shown is what the other documents say.")


WEAK_EVIDENCE = ("No sentence of the results comes near the question (cosine below 0.30): the documents may not "
                 "answer it, and what is shown is only the nearest.")

CITED_MISSING = ("What the question cites, when no passage is headed with it ('Issue 2, Recommendation 99'); a cited "
                 "questionnaire issue that is not there gets no answer sentences, only the nearest results.")


class Interpretation(BaseModel):
    countries: list[str] = Field(default_factory=list)
    expansions: list[str] = Field(default_factory=list)
    phrases: list[str] = Field(default_factory=list)
    across_countries: bool = False
    cited: list[str] = Field(default_factory=list)  # labels the question cites ("Issue 2", "Recommendation 3")
    cited_found: bool = False  # some passage's headings carry them (they are shown first)
    countries_absent: list[str] = Field([], description=COUNTRIES_ABSENT)
    weak_evidence: bool = Field(False, description=WEAK_EVIDENCE)


class SearchResponse(BaseModel):
    query: str
    mode: Mode
    interpreted: Interpretation
    results: list[Result]


class CountryAnswer(BaseModel):
    """One country's row: the sentences of its own comment that answer, or "no comment reported"
    (cited to the recommendation it left blank)."""

    country: str
    answered: bool
    action_taken: str = "unknown"
    sentence: str
    citation: CitationOut
    passage_id: str
    document_id: str = ""


class AnswerSentence(BaseModel):
    """A sentence put in front of the reader, verbatim, with the passage it comes from."""

    text: str
    citation: CitationOut
    passage_id: str
    country: str | None = None
    answered: bool | None = None  # for a questionnaire response: did the country comment?


class RecommendationRef(BaseModel):
    """The questionnaire recommendation a by-country answer is about, cited in one response."""

    label: str
    text: str
    citation: CitationOut


NOT_IN_RESPONSE = ("Countries with a questionnaire response that does not contain this recommendation: "
                   "they reported nothing on it either.")


class RecommendationTable(BaseModel):
    """One recommendation's row per country, beside the answer's own table."""

    recommendation: str
    recommendation_ref: RecommendationRef
    by_country: list[CountryAnswer]
    not_in_response: list[str] = Field([], description=NOT_IN_RESPONSE)


class Answer(BaseModel):
    type: Literal["by_country", "single"]
    recommendation: str | None = None
    recommendation_ref: RecommendationRef | None = None
    other_recommendations: list[str] = Field([], description="Recommendations the evidence also points to.")
    by_country: list[CountryAnswer] = Field(default_factory=list)
    not_in_response: list[str] = Field([], description=NOT_IN_RESPONSE)
    issue_tables: list[RecommendationTable] = Field(
        [], description="Asked about a whole issue ('Issue IV, by country'): the tables of its other "
                        "recommendations, in the questionnaire's order, after the best evidence's own.")
    sentences: list[AnswerSentence] = Field(default_factory=list)
    countries_absent: list[str] = Field([], description=COUNTRIES_ABSENT)
    weak_evidence: bool = Field(False, description=WEAK_EVIDENCE)
    cited_missing: list[str] = Field([], description=CITED_MISSING)


class CoverageCell(BaseModel):
    answered: bool
    action_taken: str = "unknown"
    sentence: str = Field(description="The comment's opening sentence, or 'no comment reported'.")
    citation: CitationOut
    passage_id: str
    document_id: str


class CoverageRow(BaseModel):
    issue: str
    issue_title: str = ""
    recommendation: int | str
    label: str
    text: str = Field(description="The recommendation's text, shortened.")
    cells: dict[str, CoverageCell] = Field(description="Country -> its response to this recommendation.")


class CoverageGrid(BaseModel):
    countries: list[str]
    rows: list[CoverageRow]


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


class PageOut(BaseModel):
    """A PDF page in the stored extracted text: [start, end) offsets, its printed label."""

    number: int
    label: str | None = None
    start: int
    end: int


class DocumentFull(DocumentOut):
    text: str
    passage_spans: list[dict[str, Any]]
    pages: list[PageOut] = Field([], description="Pages of a PDF in `text` (pages joined by a form feed); "
                                 "empty for unpaged documents.")
