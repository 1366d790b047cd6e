"""Answers from the corpus alone, without a hosted LLM.

A question across countries is matched to one questionnaire recommendation; each country
then gets a row: its best comment sentence with its citation, or "no comment reported"
when its response left that recommendation blank. Any other question gets the best
sentences of the top passages.
"""
from __future__ import annotations

from collections import defaultdict

from service.engine import comment_range
from service.schemas import Answer, AskResponse, CitationOut, CountryAnswer, SearchRequest
from indexer.models import Span

NO_COMMENT = "no comment reported"


def answer(engine, q: str, k: int = 10) -> AskResponse:
    response = engine.search(SearchRequest(q=q, k=k))
    index = engine.index
    parsed = response.interpreted
    responses = {d["country"]: d_id for d_id, d in index.documents.items() if d["kind"] == "questionnaire-response"}
    across = parsed.across_countries and len(parsed.countries) != 1
    if across and len(responses) >= 2:
        by_country = _by_country(engine, q, responses)
        if by_country:
            recommendation, rows = by_country
            return AskResponse(query=q, results=response.results,
                               answer=Answer(type="by_country", recommendation=recommendation, by_country=rows))
    sentences = [h for r in response.results[:3] for h in r.highlight[:1]]
    citations = [CitationOut(file=r.citation.file, start=h.start, end=h.end, label=r.citation.label,
                             spans=[Span(start=h.start, end=h.end)]) for r in response.results[:3] for h in r.highlight[:1]]
    return AskResponse(query=q, results=response.results, answer=Answer(type="single", sentences=sentences,
                                                                         citations=citations))


def _by_country(engine, q: str, responses: dict[str, str]):
    """Pick the recommendation the question is about, then one row per responding country."""
    index = engine.index
    request = SearchRequest(q=q, k=50, kind="questionnaire-response")
    parsed = engine_parse(engine, q)
    vector = engine.embedder.encode([parsed.expanded])[0]
    ranked = engine.rank(index, request, parsed, vector)
    if not ranked:
        return None
    votes: dict[tuple, float] = defaultdict(float)
    for c in ranked[:20]:
        f = index.passage(c.rowid).fields
        votes[(f.get("issue"), f.get("recommendation"))] += c.score
    key = max(votes, key=votes.get)
    rows: list[CountryAnswer] = []
    for country, document_id in sorted(responses.items()):
        row = next((index.passage(c.rowid) for c in ranked
                    if index.document_of[c.rowid] == document_id
                    and (index.passage(c.rowid).fields.get("issue"), index.passage(c.rowid).fields.get("recommendation")) == key), None)
        if row is None:
            continue
        file = index.documents[document_id]["file"]
        if row.fields.get("answered"):
            highlight, _ = engine.highlight(index, row, parsed, vector, within=comment_range(row))
            h = highlight[0]
            rows.append(CountryAnswer(country=country, answered=True, sentence=h.text, passage_id=row.id,
                                      citation=CitationOut(file=file, start=h.start, end=h.end, label=row.label,
                                                           spans=[Span(start=h.start, end=h.end)])))
        else:
            rows.append(CountryAnswer(country=country, answered=False, sentence=NO_COMMENT, passage_id=row.id,
                                      citation=engine.citation(index, row)))
    return f"Issue {key[0]}, Recommendation {key[1]}", rows


def engine_parse(engine, q: str):
    from service.query import parse_query

    index = engine.index
    return parse_query(q.strip(), index.countries, index.glossary, engine._stemmer.stemWord)
