"""Answers about recommendations and countries: the recommendation whose countries' responses
score highest together is the evidence (not whichever response ranks first), and its table
answers a question across countries; a recommendation cited by its label or named by its
subject is the one answered, cited passages are pinned above the rest, and a country typed in
lower case or misspelt by a letter still narrows the question to that country.
"""
from __future__ import annotations

import pytest


def test_two_countries_answering_one_recommendation_outweigh_one_country_ranked_first(engine):
    """The evidence is the recommendation whose countries' responses score highest together
    among those answered near the top, not whichever response is ranked first; a ranking that
    does not start with a response has no recommendation for evidence."""
    import numpy as np

    from service import evidence, kinds
    from service.query import ParsedQuery
    from service.responses import recommendation_key
    from service.retrieval import Ranking

    index = engine.index

    filler = [p.id for r in range(index.size) if (p := index.passage(r)).document_id == "be-thb-action-plan"][:17]

    def rank(*ids_and_scores, below: float | None = 0.3):
        """A ranking of these, then (unless below is None) action-plan passages scoring `below`
        and less, as a search's top 20 would go on."""
        pairs = list(ids_and_scores) + ([] if below is None else
                                        [(f, below - 0.01 * i) for i, f in enumerate(filler[:20 - len(ids_and_scores)])])
        ids = [index.rowid_of[i] for i, _ in pairs]
        return Ranking(np.array(ids, dtype=np.int64), np.array([s for _, s in pairs], dtype=np.float32))

    parsed = ParsedQuery(text="a question")
    women_lu, police_lu, police_be = "lu-cnd-response:issue-III:rec-2", "lu-cnd-response:issue-II:rec-2", \
        "be-cnd-response:issue-II:rec-2"
    key, row = evidence.evidence_recommendation(index, parsed, rank((women_lu, 0.87), (police_lu, 0.84), (police_be, 0.81)))
    assert row.id == police_lu and key == recommendation_key(index.passage(index.rowid_of[police_be]))
    key, row = evidence.evidence_recommendation(index, parsed, rank((women_lu, 0.90), (police_lu, 0.40), (police_be, 0.30)))
    assert row.id == women_lu  # one country ranked far ahead still decides
    assert evidence.evidence_recommendation(index, parsed, rank(("unodc-drugs-and-crime:money-laundering:p1", 0.9),
                                                           (police_lu, 0.84), (police_be, 0.81))) is None
    # ... unless two countries' comments on one recommendation stand right below it (Belgium left
    # Issue II, Recommendation 2 blank; both commented on Issue I, Recommendation 2)
    obstacles_lu, obstacles_be = "lu-cnd-response:issue-I:rec-2", "be-cnd-response:issue-I:rec-2"
    assert kinds.comment_range(index.passage(index.rowid_of[police_be])) is None
    key, row = evidence.evidence_recommendation(index, parsed, rank(("unodc-drugs-and-crime:money-laundering:p1", 0.9),
                                                               (obstacles_lu, 0.84), (obstacles_be, 0.81)))
    assert row.id == obstacles_lu and key == recommendation_key(index.passage(index.rowid_of[obstacles_be]))
    # ... and together outweigh it: scoring half its score, they are not the evidence
    assert evidence.evidence_recommendation(index, parsed, rank(("unodc-drugs-and-crime:money-laundering:p1", 0.9),
                                                                (obstacles_lu, 0.45), (obstacles_be, 0.44))) is None
    assert evidence.evidence_recommendation(index, parsed, rank(
        ("unodc-drugs-and-crime:money-laundering:p1", 0.9), ("unodc-drugs-and-crime:precursors:p1", 0.88),
        ("unodc-drugs-and-crime:cybercrime:p1", 0.86), (obstacles_lu, 0.84), (obstacles_be, 0.81))) is None
    # responses below the top 3 add to a recommendation's evidence but do not make one a candidate
    fiu_lu, fiu_be = "lu-cnd-response:issue-IV:rec-1", "be-cnd-response:issue-IV:rec-1"
    key, row = evidence.evidence_recommendation(index, parsed, rank(
        (women_lu, 0.9), ("unodc-drugs-and-crime:money-laundering:p1", 0.8), ("unodc-drugs-and-crime:precursors:p1", 0.7),
        (fiu_lu, 0.69), (fiu_be, 0.68)))
    assert row.id == women_lu
    # equal scores: the better-ranked response stands for the recommendation
    _, row = evidence.evidence_recommendation(index, parsed, rank((police_be, 0.8), (police_lu, 0.8), below=None))
    assert row.id == police_be
    # reciprocal-rank scores are nearly flat: counted above the pool's lowest, a second country's
    # response at rank 20 does not lift the recommendation ranked 2nd over the one ranked 1st
    flat = [women_lu, police_lu, *filler, police_be]
    _, row = evidence.evidence_recommendation(index, parsed, rank(*[(p, 1 / (61 + i)) for i, p in enumerate(flat)],
                                                             below=None))
    assert row.id == women_lu


def test_evidence_counts_two_countries_not_every_country_asked():
    """Forty countries asked one recommendation score alike on its shared text: counting all of
    them would let that recommendation outweigh any other; its two best count, as a table needs."""
    from service.evidence import evidence_strength

    one_strong = {"A": (0, 0.9, 1)}
    many_alike = {c: (1 + i, 0.45, 10 + i) for i, c in enumerate("BCDEFGHIJK")}
    assert evidence_strength(one_strong, 0.1) == pytest.approx(0.8)
    assert evidence_strength(many_alike, 0.1) == pytest.approx(0.7)  # two of ten: 2 x 0.35
    assert evidence_strength({"B": (1, 0.84, 2), "C": (2, 0.81, 3)}, 0.1) > evidence_strength(one_strong, 0.1)


def test_a_question_two_responses_answer_gets_their_table_though_another_response_ranks_first(engine):
    """'referral of drug users by police to treatment': Luxembourg's comment on women's treatment
    (Issue III) ranks first, both countries' responses on police referral (Issue II,
    Recommendation 2) next. The answer is the table for the recommendation both were asked."""
    from service import ask

    answer = ask.ask(engine, "referral of drug users by police to treatment").answer
    assert answer.type == "by_country" and answer.recommendation == "Issue II, Recommendation 2"
    rows = {r.country: r for r in answer.by_country}
    assert "offenders are referred to appropriate treatment facilities" in rows["Luxembourg"].sentence
    assert not rows["Belgium"].answered and rows["Belgium"].sentence == ask.NO_COMMENT


def test_a_question_asked_by_country_gets_the_table_of_the_recommendation_answered_fourth(engine):
    """"…, by country" asks for one row per country: Luxembourg's response to Issue IV,
    Recommendation 1 (access to the FIU's information) ranks fourth behind the UNODC report's
    money-laundering paragraphs, and Belgium's response to it lower still (its long comment is
    about customs). An explicit question across countries looks that deep for its evidence."""
    from service import ask

    question = "money laundering investigations involving drug proceeds, by country"
    answer = ask.ask(engine, question).answer
    assert answer.type == "by_country" and answer.recommendation == "Issue IV, Recommendation 1"
    rows = {r.country: r for r in answer.by_country}
    assert set(rows) == {"Belgium", "Luxembourg"} and all(r.answered for r in rows.values())
    assert "Money-Laundering Section" in rows["Luxembourg"].sentence
    assert "FIU" in rows["Belgium"].sentence


def test_one_countrys_answers_to_a_whole_issue_are_each_read(engine):
    """"What did Belgium answer on Issue II" reads each of Belgium's six responses to it (all
    blank, each cited to the recommendation left blank), not only the top three."""
    from service import ask

    answer = ask.ask(engine, "what did Belgium answer on issue II").answer
    assert answer.type == "single"
    assert sorted(s.passage_id for s in answer.sentences) == [f"be-cnd-response:issue-II:rec-{n}" for n in range(1, 7)]
    assert all(s.text == ask.NO_COMMENT and s.answered is False for s in answer.sentences)
    # Luxembourg's comments on Recommendations 1 and 3 of Issue I are word for word the same:
    # each recommendation's is shown, and no other issue's response takes a place
    lu = ask.ask(engine, "what did Luxembourg answer on Issue I").answer
    assert sorted(s.passage_id for s in lu.sentences) == [f"lu-cnd-response:issue-I:rec-{n}" for n in (1, 2, 3)]
    # not scoped to one country: the top three, as any single answer
    assert len(ask.ask(engine, "the text of Issue II").answer.sentences) == ask.SINGLE_SENTENCES


def test_recommendations_sort_by_issue_then_number_part_by_part():
    from types import SimpleNamespace

    from service import kinds

    numbers = [10, 2, "1.10", "1.2", "a", 1]
    rows = [SimpleNamespace(fields={"issue_number": 1, "recommendation": n}) for n in numbers]
    rows.append(SimpleNamespace(fields={"issue_number": 0, "recommendation": 5}))
    ordered = [(r.fields["issue_number"], r.fields["recommendation"]) for r in sorted(rows, key=kinds.questionnaire_order)]
    assert ordered == [(0, 5), (1, 1), (1, "1.2"), (1, "1.10"), (1, 2), (1, 10), (1, "a")]


def test_comments_on_a_recommendation_named_by_its_subject_are_the_countries_own_words(engine):
    """Staff naming a recommendation by its subject and asking for the comments on it get each
    country's comment, never the recommendation's text; naming it alone asks for its words."""
    from service import ask

    answer = ask.ask(engine, "comments on the recommendation about FIU evidence in court").answer
    assert answer.type == "by_country" and answer.recommendation == "Issue IV, Recommendation 2"
    rows = {r.country: r for r in answer.by_country}
    assert rows["Luxembourg"].sentence.startswith("The Financial Intelligence Unit regularly submits")
    assert rows["Belgium"].sentence == ask.NO_COMMENT
    words = ask.ask(engine, "recommendation about FIU evidence having legal standing in courts").answer
    assert words.type == "single" and words.sentences[0].text.startswith("Governments are encouraged to ensure")


def test_who_did_not_answer_a_recommendation_gets_its_table(engine):
    """"Who did not answer …" asks which of the countries asked left it blank: the table of the
    recommendation, with Belgium's row saying so, not that recommendation's own text."""
    from service import ask

    answer = ask.ask(engine, "who did not answer the recommendation on gender-sensitive cooperation").answer
    assert answer.type == "by_country" and answer.recommendation == "Issue III, Recommendation 3"
    rows = {r.country: r for r in answer.by_country}
    assert not rows["Belgium"].answered and rows["Belgium"].sentence == ask.NO_COMMENT
    assert rows["Luxembourg"].answered


def test_a_question_citing_a_recommendation_by_its_label_is_answered_by_it(engine):
    """Delegates and staff name recommendations by where they stand. Asked for its text, the
    answer is the recommendation's own words, as each country's response holds them; asked
    what countries said, its table; a
    label no heading carries is said to be missing, and no other recommendation's table is shown."""
    from service import ask

    wording = ask.ask(engine, "text of Issue II Recommendation 3")
    assert {r.passage_id for r in wording.results[:2]} == {"be-cnd-response:issue-II:rec-3",
                                                            "lu-cnd-response:issue-II:rec-3"}
    first = wording.answer.sentences[0]
    assert first.text.startswith("Governments are encouraged to adopt or amend legislation, policies, and guidelines")
    assert "Comments" not in first.text
    assert {s.country for s in wording.answer.sentences[:2]} == {"Belgium", "Luxembourg"}  # each country's copy
    table = ask.ask(engine, "what did the countries say on Issue 2, Rec. 3").answer
    assert table.type == "by_country" and table.recommendation == "Issue II, Recommendation 3"
    missing = ask.ask(engine, "Recommendation 4 of Issue I")
    assert missing.answer.type == "single"
    interpreted = engine.search(ask.ask_request("Recommendation 4 of Issue I")).interpreted
    assert interpreted.cited == ["Recommendation 4", "Issue 1"] and not interpreted.cited_found


def test_the_passages_a_citation_finds_are_those_whose_headings_match_it(engine):
    """The index's inverted map of heading labels finds exactly the passages `matches` admits."""
    import numpy as np

    from indexer.references import cited, matches

    index = engine.index
    for question in ["Issue II, Recommendation 3", "Issue IV", "Recommendations 1 and 2 of Issue I", "Proposal 14",
                     "§ 4.1", "section 4", "Issue I, Recommendation 4"]:
        citation = cited(question)
        brute = np.flatnonzero([matches(labels, citation) for labels in index.labels_of])
        assert index.cited_rowids(citation).tolist() == brute.tolist(), question
    assert len(index.cited_rowids(cited("Issue IV"))) == 8  # four recommendations, two countries


def test_a_citation_across_countries_keeps_the_cited_recommendation_and_quotes_stay_whole(engine):
    """Cited passages are scored above the rest, so what reads the ranking next keeps them: the
    table is the cited recommendation's, not a neighbour's near the top, and across countries
    the first result is a cited one. A citation the filters exclude is not "found". Asked for
    quoted words that stand in a comment, the comment is read, not only the recommendation."""
    from service import ask
    from service.schemas import SearchRequest

    table = ask.ask(engine, "Issue IV, Recommendation 1: comments by country").answer
    assert table.type == "by_country" and table.recommendation == "Issue IV, Recommendation 1"
    assert table.other_recommendations == []
    across = engine.search(SearchRequest(q="which countries address § 4.1"))
    assert "4.1. Evaluation of the circular" in across.results[0].heading[1]
    excluded = engine.search(SearchRequest(q="Issue II, Recommendation 3", kind="action-plan"))
    assert excluded.interpreted.cited == ["Issue 2", "Recommendation 3"] and not excluded.interpreted.cited_found
    quoted = ask.ask(engine, "where is the 'central body for the coordination' mentioned").answer
    assert "central body for the coordination" in quoted.sentences[0].text


def test_pinning_puts_the_cited_first_scored_above_the_rest_and_drops_none_of_the_ranking():
    import numpy as np

    from service.retrieval import Ranking, pin

    ranking = Ranking(np.array([5, 3, 9, 1]), np.array([0.9, 0.8, 0.5, 0.1], dtype=np.float32))
    pinned = pin(ranking, np.array([9, 7, 1]), limit=2)  # 7 is cited but unscored: after the scored, past the limit
    assert pinned.rowids.tolist() == [9, 1, 5, 3]
    assert pinned.scores[1] > 0.9 and all(a > b for a, b in zip(pinned.scores, pinned.scores[1:]))
    assert pin(ranking, np.array([7]), limit=5).rowids.tolist() == [7, 5, 3, 9, 1]
    assert pin(ranking, np.zeros(0, dtype=np.int64), limit=5) is ranking


def test_a_country_typed_in_lower_case_gets_its_own_answer_not_both_countries_table(engine):
    """"luxembourg fiu access for police", as people type it, is Luxembourg's question: its own
    comment answers, as for "Luxembourg FIU access for police"; it had been read as a question
    across countries and answered with both countries' table, Belgium's row among them."""
    from service import ask

    for q in ("luxembourg fiu access for police", "Luxembourg FIU access for police"):
        answer = ask.ask(engine, q).answer
        assert answer.type == "single", (q, answer.type)
        assert answer.sentences[0].passage_id.startswith("lu-cnd-response:"), (q, answer.sentences[0])


def test_a_country_misspelt_by_one_letter_still_narrows_the_question(engine):
    """"What did Belguim report on FIU access?" is Belgium's question, answered from Belgium's
    response, not both countries' table; "Luxemburg", a common spelling, is Luxembourg."""
    from service import ask
    from service.schemas import SearchRequest

    assert engine.parse(SearchRequest(q="What did Belguim report on FIU access?")).countries == ["Belgium"]
    answer = ask.ask(engine, "Luxemburg FIU access for police").answer
    assert answer.type == "single" and answer.sentences[0].passage_id.startswith("lu-cnd-response:")
    # one name written right and the other misspelt: both countries', answered by country
    both = ask.ask(engine, "Belgium and Luxemburg on FIU access for police").answer
    assert both.type == "by_country" and {r.country for r in both.by_country} == {"Belgium", "Luxembourg"}


def test_a_comment_matching_better_than_the_recommendation_is_no_detail_when_both_countries_rank_first(engine):
    """Luxembourg's comment on pregnant women who use drugs matches "what's in place for
    pregnant drug users" far better than the recommendation's text, which alone reads as a
    detail of one country's comment. But Belgium's response to the same recommendation ranks
    second: both countries answer, so the answer is their table. A detail only one country
    reports ("when did the Tox programme start") is still a single answer."""
    from service import ask

    both = ask.ask(engine, "what's in place for pregnant drug users").answer
    assert both.type == "by_country", both.type
    assert {r.country for r in both.by_country} == {"Belgium", "Luxembourg"}
    assert all(r.answered and not r.sentence.startswith("Governments") for r in both.by_country)
    detail = ask.ask(engine, "when did the Tox programme start").answer
    assert detail.type == "single" and "Tox programme" in detail.sentences[0].text


def test_both_countries_comments_right_below_a_report_paragraph_get_their_table(engine):
    """A report's paragraph on internet service providers ranks first, both countries' comments
    on the recommendation about obstacles with them second and third: what the countries said
    is the answer, as a table, each row from the country's own comment."""
    from service import ask

    answer = ask.ask(engine, "problems with internet service providers in cross-border cyber drug investigations").answer
    assert answer.type == "by_country", answer.type
    assert answer.recommendation == "Issue I, Recommendation 2"
    assert {r.country for r in answer.by_country} == {"Belgium", "Luxembourg"}
    assert all(r.answered and not r.sentence.startswith("Governments") for r in answer.by_country)
