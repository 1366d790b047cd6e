"""The evidence an answer stands on: which questionnaire recommendation the best-ranked
responses answer, whether two or more countries' responses to it say what was asked (a table)
or one country's comment holds a fact alone (a single answer). Read from a ranking's top, by
service/ask.py."""
from __future__ import annotations

import numpy as np

from service import kinds, present
from service.loaded import LoadedIndex, PassageRow
from service.query import ParsedQuery
from service.responses import recommendation_key
from service.retrieval import Ranking

EVIDENCE_DEPTH = 5  # how deep an explicit "across countries" question looks for a recommendation
POOL_TOP = 3  # responses this near the top name the recommendations the evidence is chosen among
POOL_DEPTH = 20  # a recommendation's evidence: its countries' best response scores in this top, summed
POOLED = 2  # how many countries' responses that sum counts at most (a table needs two)
DETAIL_MARGIN = 0.3  # a comment sentence beating the recommendation's text by this much asks a detail (chosen on dev)
OTHER_SHARE = 0.4  # another country's comment scoring this share of a detail's best sentence speaks to it too: a table
#                   (chosen on the probe sets written outside the repository, fresh10-13: the topics both countries
#                   answered scored 0.44 and more, those only one did 0.38 and less, "free contraception …" aside)


def evidence_recommendation(index: LoadedIndex, parsed: ParsedQuery, ranking: Ranking
                            ) -> tuple[str, PassageRow] | None:
    """The recommendation the best evidence is a response to, if two or more countries were
    asked it, with its best-ranked response. The best passage must be a response (an explicit
    question across countries looks a little deeper for one), unless two countries' comments on
    one recommendation stand right below it (countries_answer_near_top). Among the recommendations
    responded to near the top, the one whose countries' responses score highest together wins
    (evidence_strength):
    two countries' responses to one recommendation, ranked 2nd and 3rd, are better evidence of
    what was asked than one country's response to another, ranked 1st. A blank response counts:
    its recommendation's text matching the question is evidence of the question. When the
    winner was asked of one country only, there is no table (the best evidence is that one
    country's)."""
    depth = EVIDENCE_DEPTH if parsed.across else 1
    pool = ranking.pairs()[:POOL_DEPTH]
    responses = pooled_responses(index, ranking)
    first = {k: min(by.values())[0] for k, by in responses.items()}  # each recommendation's best place
    if min(first.values(), default=depth) >= depth and not countries_answer_near_top(index, responses, pool):
        return None  # the best evidence is not a response
    floor = pool[-1][1]  # a score counts by how far it stands above the pool's lowest, whatever the fusion's scale
    near = [k for k, place in first.items() if place < max(depth, POOL_TOP)]  # best first
    key = max(near, key=lambda k: evidence_strength(responses[k], floor))  # ties: the first
    countries = {index.country_of[r] for r in index.passages_by_recommendation.get(key, [])}
    if len(countries - {""}) < 2:
        return None
    return key, index.passage(min(responses[key].values())[2])


def countries_answer_near_top(index: LoadedIndex, responses: dict[str, dict[str, tuple[int, float, int]]],
                              pool: list[tuple[int, float]]) -> bool:
    """POOLED countries' commented responses to one recommendation stand in the top POOL_TOP,
    below a passage that is no response, and together outweigh it (evidence_strength, against
    its score above the pool's lowest): "problems with internet service providers in
    cross-border cyber drug investigations", a report's paragraph first, then both countries'
    comments on the recommendation about those obstacles. What they said is the evidence as
    much as the paragraph is (one dev question gained its table). Scoring half the paragraph's
    ("passage saying the internet makes trafficking easier …", a report's words asked for), they
    are not."""
    floor = pool[-1][1] if pool else 0.0
    above = pool[0][1] - floor if pool else 0.0
    return any(sum(place < POOL_TOP and kinds.comment_range(index.passage(rowid)) is not None
                   for place, _, rowid in by.values()) >= POOLED and evidence_strength(by, floor) >= above
               for by in responses.values())


def evidence_strength(by_country: dict[str, tuple[int, float, int]], floor: float) -> float:
    """How strongly a recommendation's responses near the top (country -> (place, score, rowid))
    point to it: its best POOLED countries' scores above the floor, summed. Two are what a table
    needs; counting every country would favour whatever many countries were asked, since their
    responses share the recommendation's text and score alike."""
    best = sorted((score for _, score, _ in by_country.values()), reverse=True)[:POOLED]
    return sum(score - floor for score in best)


def responses_near_top(index: LoadedIndex, pool: list[tuple[int, float]]
                       ) -> dict[str, dict[str, tuple[int, float, int]]]:
    """Recommendation key -> country -> (place, score, rowid) of that country's best-ranked
    response among the pool's (rowid, score) pairs; keys in the order they first appear."""
    out: dict[str, dict[str, tuple[int, float, int]]] = {}
    for place, (rowid, score) in enumerate(pool):
        row = index.passage(rowid)
        if kinds.is_response(row):
            out.setdefault(recommendation_key(row), {}).setdefault(index.country_of[rowid], (place, score, rowid))
    return out


def pooled_responses(index: LoadedIndex, ranking: Ranking) -> dict[str, dict[str, tuple[int, float, int]]]:
    """responses_near_top of the ranking's top POOL_DEPTH, worked out once per answer: the
    evidence, the detail check and the other recommendations named all read it."""
    if "responses" not in ranking.derived:
        ranking.derived["responses"] = responses_near_top(index, ranking.pairs()[:POOL_DEPTH])
    return ranking.derived["responses"]


def countries_near_top(index: LoadedIndex, ranking: Ranking, key: str) -> bool:
    """The best POOLED responses of the ranking (counted from the first response, below any
    report's paragraph ranked above it) are different countries' commented responses to the
    recommendation (a blank response ranks by the recommendation's text alone, and says
    nothing). Then a question matching one comment far better than the recommendation's text
    is no detail of that one country's: another's comment on it ranks as high, so it asks what
    they did. Measured on question sets written outside the repository (tables where both
    countries answered); no development question changed. (The top three was tried when topics
    were details too: it tabled topics only one country spoke to; topics are tables now.)"""
    pooled = pooled_responses(index, ranking)
    first = min((place for by in pooled.values() for place, _, _ in by.values()), default=0)
    return sum(place < first + POOLED and kinds.comment_range(index.passage(rowid)) is not None
               for place, _, rowid in pooled.get(key, {}).values()) >= POOLED


def one_countrys_detail(index: LoadedIndex, parsed: ParsedQuery, vector: np.ndarray, ranking: Ranking,
                        key: str, row: PassageRow) -> bool:
    """One country's comment on the evidence holds what was asked (a detail: _detail_scores), no
    other country's comment beside it ranks as high (countries_near_top), and either the question
    asks a fact (who, when, what year, how many: parsed.asks_a_fact) or no other country's comment
    on the recommendation comes near it (its best sentence scores under OTHER_SHARE of the
    detail's): a single answer. A topic other countries' comments also speak to ("cepol darknet
    courses": Luxembourg's officers trained by the EU agency, named in full) is what every country
    was asked about: the table, each country in its own words."""
    if parsed.across:
        return False
    mine, recommendation = _detail_scores(index, row, parsed, vector)
    if not _is_detail(mine, recommendation) or countries_near_top(index, ranking, key):
        return False
    if parsed.asks_a_fact:
        return True
    return not any((other := _best_comment_sentence(index, index.passage(rowid), parsed, vector)) is not None
                   and other >= OTHER_SHARE * mine
                   for rowid in index.passages_by_recommendation.get(key, []) if rowid != row.rowid)


def _best_comment_sentence(index: LoadedIndex, row: PassageRow, parsed: ParsedQuery, vector: np.ndarray
                           ) -> float | None:
    """The score of the comment's sentence that best answers (None: no comment)."""
    within = kinds.comment_range(row)
    ranked = present.rank_sentences(index.sentences(row.rowid), parsed, vector, within) if within else []
    return ranked[0].score if ranked else None


def asks_a_detail(index: LoadedIndex, row: PassageRow, parsed: ParsedQuery, vector: np.ndarray) -> bool:
    """The question matches something one country said far better than the recommendation all
    were asked ("what year did the Tox programme start"): a detail of that comment. Asked as a
    fact, or with no other country's comment near it (`one_countrys_detail`), it is answered as a
    single answer, not a comparison of every country's response; asking for wording, it means the
    comment's words, not the recommendation's."""
    return _is_detail(*_detail_scores(index, row, parsed, vector))


def _detail_scores(index: LoadedIndex, row: PassageRow, parsed: ParsedQuery, vector: np.ndarray
                   ) -> tuple[float, float]:
    """(the best sentence score in the response's comment, the best in the recommendation's
    text), -inf where there is none: the passage's sentences ranked once for both."""
    best = {True: -np.inf, False: -np.inf}  # in the comment, or in the recommendation's text
    within = kinds.comment_range(row)
    if within is None:
        return best[True], best[False]
    for scored in present.rank_sentences(index.sentences(row.rowid), parsed, vector):
        in_comment = present.lies_within(scored.sentence, within)
        best[in_comment] = max(best[in_comment], scored.score)
    return best[True], best[False]


def _is_detail(comment: float, recommendation: float) -> bool:
    """The comment's best sentence beats the recommendation's text by more than DETAIL_MARGIN;
    nothing to compare (a comment, or a recommendation, without sentences) is no detail."""
    return bool(np.isfinite(comment) and np.isfinite(recommendation) and comment - recommendation > DETAIL_MARGIN)
