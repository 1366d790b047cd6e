"""Answers from the corpus alone, without a hosted LLM.

A question across countries is matched to one questionnaire recommendation; each country
then gets a row: its best comment sentence with its citation, or "no comment reported"
when its response left that recommendation blank. Any other question gets the best
sentences of the top passages.
"""
from __future__ import annotations

from collections import defaultdict

from service.engine import comment_range
from service.schemas import Answer, AskResponse, CitationOut, CountryAnswer, Highlight, SearchRequest
from indexer.models import Span

NO_COMMENT = "no comment reported"


def answer(engine, q: str, k: int = 10) -> AskResponse:
    encoded = engine.encode_batch([SearchRequest(q=q, k=k)])  # one model call, one index build throughout
    response = engine.answer_batch(encoded)[0]
    index = encoded.index
    parsed = response.interpreted
    responses = {d["country"]: d_id for d_id, d in index.documents.items() if d["kind"] == "questionnaire-response"}
    across = parsed.across_countries and len(parsed.countries) != 1
    # only a question the responses speak to gets rows per country; otherwise the best sentences
    by_score = sorted(response.results, key=lambda r: -r.score)[:3]  # before the per-country reordering
    about_responses = any(r.document.kind == "questionnaire-response" for r in by_score)
    if across and about_responses and len(responses) >= 2:
        by_country = _by_country(engine, encoded, responses)
        if by_country:
            recommendation, rows = by_country
            return AskResponse(query=q, results=response.results,
                               answer=Answer(type="by_country", recommendation=recommendation, by_country=rows))
    top = [r for r in response.results[:3] if r.highlight]
    sentences = [Highlight(start=r.highlight[0].start, end=r.highlight[-1].end,
                           text=" ".join(h.text for h in r.highlight)) for r in top]
    citations = [sentence_citation(r.citation.file, r.citation.label, r.highlight) for r in top]
    return AskResponse(query=q, results=response.results, answer=Answer(type="single", sentences=sentences,
                                                                         citations=citations))


def sentence_citation(file: str, label: str, highlight: list[Highlight]) -> CitationOut:
    """A sentence's citation: its verbatim pieces (two when a page break split it)."""
    return CitationOut(file=file, start=highlight[0].start, end=highlight[-1].end, label=label,
                       spans=[Span(start=h.start, end=h.end) for h in highlight])


def _by_country(engine, encoded, responses: dict[str, str]):
    """Pick the recommendation the question is about, then one row per responding country."""
    index, parsed, vector = encoded.index, encoded.parsed[0], encoded.vectors[0]
    request = SearchRequest(q=encoded.requests[0].q, k=50, kind="questionnaire-response")
    ranked = engine.rank(index, request, parsed, vector)
    if not ranked:
        return None

    def recommendation(rowid: int) -> tuple:
        f = index.passage(rowid).fields
        return f.get("issue"), f.get("recommendation")

    votes: dict[tuple, float] = defaultdict(float)
    for c in ranked[:20]:
        votes[recommendation(c.rowid)] += c.score
    key = max(votes, key=votes.get)
    rows: list[CountryAnswer] = []
    for country, document_id in sorted(responses.items()):
        row = next((index.passage(c.rowid) for c in ranked
                    if index.document_of[c.rowid] == document_id and recommendation(c.rowid) == key), None)
        if row is None:
            continue
        file = index.documents[document_id]["file"]
        if row.fields.get("answered"):
            highlight, _ = engine.highlight(index, row, parsed, vector, within=comment_range(row))
            rows.append(CountryAnswer(country=country, answered=True, sentence=" ".join(h.text for h in highlight),
                                      passage_id=row.id, citation=sentence_citation(file, row.label, highlight)))
        else:
            rows.append(CountryAnswer(country=country, answered=False, sentence=NO_COMMENT, passage_id=row.id,
                                      citation=engine.citation(index, row)))
    return f"Issue {key[0]}, Recommendation {key[1]}", rows

