"""Answers from the corpus alone, without a hosted LLM: the sentences that answer, cited.

The shape of an answer follows the evidence, not the question's wording. When the best
evidence is a questionnaire recommendation that two or more countries' responses contain,
and the question is not about one country, the answer is a table: one row per responding
country with the sentence of its own comment that answers, or "no comment reported".
Otherwise the answer is the best sentences of the top results. A response is read for the
country's comment, never for the recommendation's text, unless the question asks for wording.
"""
from __future__ import annotations

import functools

import numpy as np

from indexer.text import normalize_wording
from service import answer_text, kinds, present
from service.engine import EncodedBatch, Engine, raise_failures
from service.evidence import asks_a_detail, evidence_recommendation, one_countrys_detail, pooled_responses
from service.loaded import LoadedIndex
from service.query import ParsedQuery
from service.quantity import asks_how_much
from service.responses import number_of, recommendation_key
from service.retrieval import Ranking
from service.schemas import (
    Answer,
    AnswerSentence,
    AskResponse,
    CountryAnswer,
    RecommendationRef,
    RecommendationTable,
    SearchRequest,
    SearchResponse,
)
from service.sentences import SentenceRow

NO_COMMENT = present.NO_COMMENT
SINGLE_SENTENCES = 3  # results a single answer reads, one answer (its best sentence or sentences) each
FIELD_DEPTH = 5  # how deep a single answer looks for a passage whose fields answer the question (chosen on
#                 dev and dev2: a proposal's row asked "who, and by when?")
SPLIT_SHARE = 0.85  # another recommendation whose best response scores this share of the chosen one's is named


def ask(engine: Engine, q: str, k: int = 10, country: str | None = None, kind: str | None = None,
        document: str | None = None) -> AskResponse:
    return raise_failures(ask_batch(engine, engine.encode_batch([ask_request(q, k, country, kind, document)])))[0]


def ask_request(q: str, k: int = 10, country: str | None = None, kind: str | None = None,
                document: str | None = None) -> SearchRequest:
    return SearchRequest(q=q, k=k, country=country, kind=kind, document=document)


def ask_batch(engine: Engine, batch: EncodedBatch, ranked: list | None = None) -> list[AskResponse | Exception]:
    """Answers for an encoded batch (one model call for all, as searches share); a request that
    fails gets its own error in its place. `ranked`: the batch's `respond_batch`, when the
    caller has it already."""
    ranked = engine.respond_batch(batch) if ranked is None else ranked
    out: list = []
    for request, parsed, vector, responded in zip(batch.requests, batch.parsed, batch.vectors, ranked):
        if isinstance(responded, Exception):
            out.append(responded)
            continue
        ranking, response = responded
        try:
            out.append(AskResponse(query=request.q, results=response.results,
                                   answer=answer(batch.index, request, parsed, vector, ranking, response)))
        except Exception as exc:  # noqa: BLE001 - this request's own failure
            out.append(exc)
    return out


def answer(index: LoadedIndex, request: SearchRequest, parsed: ParsedQuery, vector: np.ndarray,
           ranking: Ranking, response: SearchResponse) -> Answer:
    """The answer, saying which countries the question names that no document is of, which
    labels it cites that nothing is headed with, and whether anything in the documents comes
    close to the question at all."""
    found = _answer(index, request, parsed, vector, ranking, response)
    found.countries_absent = list(parsed.absent_countries)
    found.weak_evidence = response.interpreted.weak_evidence
    read = response.interpreted
    found.cited_missing = [", ".join(read.cited)] if read.cited and not read.cited_found else []
    return found


def _answer(index: LoadedIndex, request: SearchRequest, parsed: ParsedQuery, vector: np.ndarray,
            ranking: Ranking, response: SearchResponse) -> Answer:
    scoped = bool(request.country) or len(parsed.countries) == 1
    # a recommendation cited that no heading (the filters admit) carries: no other one's table in its place
    missing = bool({"issue", "recommendation"} & set(parsed.citation)) and not len(parsed.cited)
    if missing and "issue" in parsed.citation:  # "Issue II, Recommendation 99": nothing is headed so, and
        return Answer(type="single")  # another's words are no answer ("FATF Recommendation 29" is read as before)
    evidence = None if scoped or parsed.wording else evidence_recommendation(index, parsed, ranking)
    key = evidence[0] if evidence else None
    if evidence and one_countrys_detail(index, parsed, vector, ranking, *evidence):
        key = None
    if key is not None:
        table = by_country(index, parsed, vector, ranking, key)
        if table is not None:
            return with_issue_tables(index, parsed, vector, ranking, table, key)
    return single(index, parsed, vector, response, every_cited=scoped and cites_an_issue(parsed))


def cites_an_issue(parsed: ParsedQuery) -> bool:
    """The question cites a questionnaire issue and none of its recommendations."""
    return "issue" in parsed.citation and "recommendation" not in parsed.citation


def with_issue_tables(index: LoadedIndex, parsed: ParsedQuery, vector: np.ndarray, ranking: Ranking,
                      table: Answer, key: str) -> Answer:
    """A question that cites an issue and no recommendation of it ("issue IV comments by
    country", "who left Issue II blank?") is about all its recommendations: after the best
    evidence's table, each other one's, in the questionnaire's order (parsed.cited holds the
    responses the citation heads). Those tables are not also named as other recommendations."""
    if not cites_an_issue(parsed):
        return table
    keys = {recommendation_key(index.passage(rowid)): index.passage(rowid) for rowid in parsed.cited
            if kinds.is_response(index.passage(rowid))}
    order = sorted((k for k in keys if k != key), key=lambda k: kinds.questionnaire_order(keys[k]))
    tables = [t for other in order if (t := country_table(index, parsed, vector, ranking, other)) is not None]
    shown = {t.recommendation for t in tables}
    return table.model_copy(update={
        "issue_tables": tables,
        "other_recommendations": [r for r in table.other_recommendations if r not in shown]})


def by_country(index: LoadedIndex, parsed: ParsedQuery, vector: np.ndarray, ranking: Ranking,
               key: str) -> Answer | None:
    """The recommendation's table, and the other recommendations the evidence points to."""
    table = country_table(index, parsed, vector, ranking, key)
    if table is None:
        return None
    return Answer(type="by_country", recommendation=table.recommendation, recommendation_ref=table.recommendation_ref,
                  other_recommendations=_other_recommendations(index, ranking, key), by_country=table.by_country,
                  not_in_response=table.not_in_response)


def country_table(index: LoadedIndex, parsed: ParsedQuery, vector: np.ndarray, ranking: Ranking,
                  key: str) -> RecommendationTable | None:
    """One row for every country whose response contains the recommendation (None: fewer than
    two), and the responding countries whose response does not."""
    rowids = index.passages_by_recommendation.get(key, [])
    if len({index.country_of[r] for r in rowids} - {""}) < 2:
        return None
    rows: list[tuple[bool, float, CountryAnswer]] = []
    score_of = dict(ranking.pairs())
    for rowid in rowids:
        row = index.passage(rowid)
        country = index.country_of[rowid]
        common = {"country": country, "passage_id": row.id, "document_id": row.document_id,
                  "action_taken": row.fields.get("action_taken", "unknown")}
        within = kinds.comment_range(row)
        if within:
            shown = answer_text.answer_sentences(index, row, parsed, vector, within)
            citation = present.citation(index, row, answer_text.flat(shown))
            rows.append((True, score_of.get(rowid, 0.0), CountryAnswer(
                answered=True, sentence=answer_text.text(shown), citation=citation, **common)))
        else:
            rows.append((False, 0.0, CountryAnswer(answered=False, sentence=NO_COMMENT,
                                                   citation=present.recommendation_citation(index, row), **common)))
    rows.sort(key=lambda r: (not r[0], -r[1], r[2].country))  # answered first, best evidence first
    first = kinds.representative([index.passage(r) for r in rowids])
    label = kinds.recommendation_label(first)
    ref = RecommendationRef(label=label, text=first.fields.get("recommendation_text", ""),
                            citation=present.recommendation_citation(index, first))
    missing = _not_in_response(index, rowids, {r[2].country for r in rows})
    return RecommendationTable(recommendation=label, recommendation_ref=ref, by_country=[r[2] for r in rows],
                               not_in_response=missing)


def _not_in_response(index: LoadedIndex, rowids: list[int], shown: set[str]) -> list[str]:
    """Countries whose response to the same questionnaire (one holding another recommendation
    the table's responses hold) lacks this recommendation, and numbers none of its own in its
    place: a recommendation worded a little differently there is not a gap."""
    number = number_of(index.passage(rowids[0]))
    asked = set().union(*(index.responses[index.passage(r).document_id].keys for r in rowids))
    docs_of: dict[str, list] = {}
    for doc in index.responses.values():
        docs_of.setdefault(doc.country, []).append(doc)
    return sorted(country for country, docs in docs_of.items() if country and country not in shown
                  and any(doc.keys & asked for doc in docs) and not any(number in doc.numbers for doc in docs))


def _other_recommendations(index: LoadedIndex, ranking: Ranking, key: str) -> list[str]:
    """Other recommendations whose best response scores at least SPLIT_SHARE of the chosen
    one's best response (or above it: the chosen one may have won on its countries together):
    the evidence is split."""
    responses = pooled_responses(index, ranking)
    if key not in responses:
        return []
    best = {k: min(by.values()) for k, by in responses.items()}  # the best-ranked: (place, score, rowid)
    top = best[key][1]
    return [kinds.recommendation_label(index.passage(rowid)) for k, (_, score, rowid) in best.items()
            if k != key and score >= SPLIT_SHARE * top]


def single(index: LoadedIndex, parsed: ParsedQuery, vector: np.ndarray, response: SearchResponse,
           every_cited: bool = False) -> Answer:
    """The answer sentences of each of the top three results (answer_sentences), in result order
    (measured on dev: ordering them by their own scores instead put the answer first less often). A response is read for
    its comment (unless the question asks for wording), and a blank one says so, cited to what
    was left blank. Words one document already showed are not shown again: a report that
    repeats an agenda item gives the repeat's place to the next result. Another document's same
    words stay: two countries' copies of a recommendation are each country's evidence.
    `every_cited` (one country's answers to a whole issue): each cited response among the
    results is read, and only those, each for its own recommendation though two say the same."""
    sentences: list[AnswerSentence] = []
    seen: set[tuple[str, str]] = set()
    read = 0  # results read, a repeat of a document's words aside
    order, limit = _reading_order(index, parsed, vector, response), SINGLE_SENTENCES
    cited = set(parsed.cited.tolist()) if every_cited else set()
    if any(index.rowid_of[r.passage_id] in cited for r in order):
        order = [r for r in order if index.rowid_of[r.passage_id] in cited]
        limit = len(order)
    for result in order:
        if read == limit:
            break
        row = index.passage(index.rowid_of[result.passage_id])
        answered = row.fields.get("answered") if kinds.is_response(row) else None
        within = None
        if parsed.wording and not parsed.names_responses and (
                "recommendation" in parsed.citation or not asks_a_detail(index, row, parsed, vector)):
            # "the text of Recommendation 3", "wording on …": the recommendation's words, the
            # precedent; unless the question names the comments ("the comments' wording on …":
            # the comment's words, read as any question about comments is) or matches a country's
            # comment far better ("wording on electronic bracelets")
            within = kinds.recommendation_range(row)
        if kinds.is_response(row) and (not parsed.wording or parsed.names_responses):
            within = kinds.comment_range(row)
            if within is None:
                read += 1
                sentences.append(AnswerSentence(
                    text=NO_COMMENT, citation=present.recommendation_citation(index, row), passage_id=row.id,
                    country=row.country, answered=False))
                continue
        shown = answer_text.answer_sentences(index, row, parsed, vector, within)
        wording = (row.document_id, normalize_wording(answer_text.text(shown)))
        if wording in seen and not every_cited:
            continue  # the same words from another passage of the document: the next result instead
        read += 1
        if answer_text.flat(shown):
            seen.add(wording)
            citation = present.citation(index, row, answer_text.flat(shown))
            sentences.append(AnswerSentence(text=answer_text.text(shown), citation=citation,
                                            passage_id=row.id, country=row.country, answered=answered))
    return Answer(type="single", sentences=sentences)


def _answer_sentence(index: LoadedIndex, parsed: ParsedQuery, vector: np.ndarray, row) -> SentenceRow | None:
    """The sentence the passage answers with: its comment's best, for a response (None for a
    blank one: the form's text is not the country's), else the passage's best."""
    within = kinds.comment_range(row) if kinds.is_response(row) else None
    if kinds.is_response(row) and within is None:
        return None
    ranked = present.rank_sentences(index.sentences(row.rowid), parsed, vector, within)
    return ranked[0].sentence if ranked else None


def answers_with(index: LoadedIndex, parsed: ParsedQuery, vector: np.ndarray, row, what: str) -> bool:
    """The passage's answer sentence (`_answer_sentence`) has `what`: "holds_number" (a count, an
    amount or a duration) or "gives_reason" (service/reasons.py: "due to the fact that", "given
    that")."""
    sentence = _answer_sentence(index, parsed, vector, row)
    return sentence is not None and getattr(sentence, what)


def _reading_order(index: LoadedIndex, parsed: ParsedQuery, vector: np.ndarray, response: SearchResponse) -> list:
    """The results in rank order, except:
    - a passage near the top whose fields answer what is asked ("who must …, and by when?": a
      proposal's competence and deadline) is read first: the section's prose about the same
      measure often outranks its row but names neither; so is one defining a term of a question
      that asks what it means (a treaty's "Use of terms" article, outranked by articles that use
      the term); asked who or naming a State, one holding an item attributed to States
      ("… (Czech Republic, Brazil, Ecuador);": service/attribution.py); and, asked how many,
      how much or how long when the first result answers with no count, one counting what was
      asked ("how many languages …": "drafted in 40 different languages"), else the first
      answering with a count, an amount or a duration ("how long does a victim get to think it
      over": the passage answering "45 days", below one on the victim's situation); asked why
      when the first result answers with no reason, the first answering with one ("given that
      …", "due to the fact that …": service/reasons.py), where a passage restating what
      happened shares more of the question's words;
    - an entry of a reference list ranked first is read last, unless the next result is an
      entry too (the question is about sources): it names another work ("Drugs and the
      Darknet: Perspectives for Enforcement…") and says nothing of what was asked, though its
      title may match every word. Entries further down stay where they rank: "what sources
      does the paper cite" is answered by them."""
    results = list(response.results)
    entries = [kinds.cites_another_work(index.passage(index.rowid_of[r.passage_id])) for r in results[:2]]
    if entries == [True, False]:
        results = results[1:] + results[:1]
    answers = []
    if parsed.asks_who_or_when:
        answers.append(kinds.says_who_or_when)
    if parsed.asks_definition:
        answers.append(functools.partial(present.defines, index, parsed=parsed))
    if parsed.asks_who or parsed.proposers:
        answers.append(functools.partial(present.attributed, index, parsed=parsed))
    gives_count = functools.partial(answers_with, index, parsed, vector, what="holds_number")
    countless = parsed.asks_quantity and results and not gives_count(index.passage(index.rowid_of[results[0].passage_id]))
    if countless and parsed.counted:
        answers.append(functools.partial(present.counts_asked, index, parsed=parsed))
    # asked how long or how much (not "how can the number of deaths be reduced") and no count counts what was
    # asked: any count before none, a reference list's entry aside ("[5] … World Drug Report 2019")
    tiers = [answers, [lambda row: not kinds.cites_another_work(row) and gives_count(row)]
             if countless and asks_how_much(parsed.text) else []]
    gives_reason = functools.partial(answers_with, index, parsed, vector, what="gives_reason")
    if parsed.asks_why and results and not gives_reason(index.passage(index.rowid_of[results[0].passage_id])):
        tiers.append([lambda row: not kinds.cites_another_work(row) and gives_reason(row)])  # asked why: a cause
    for tier in tiers:
        for place, result in enumerate(results[:FIELD_DEPTH] if tier else []):
            row = index.passage(index.rowid_of[result.passage_id])
            if any(answer(row) for answer in tier):
                return [result] + results[:place] + results[place + 1:]
    return results
