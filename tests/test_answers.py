"""Answers read from a country's comment, checked over every dev question rather than a few
examples: what /ask shows is the country's own words, cited exactly."""
from __future__ import annotations

import pytest

from indexer.text import clean, normalize_wording


def test_every_answer_part_is_the_countrys_own_words_in_order_and_bounded(engine, settings):
    """Over every dev question's /ask: an answer read from a country's comment shows one part, or
    up to three (the comment's opening sentence first when shown, the best sentence and its
    next, a runner-up holding question words the best lacks), apart in the file and within
    MAX_ANSWER_CHARS (500) together. Every piece lies in the comment (never the
    recommendation's text), in reading order, and the text shown is exactly what is cited."""
    from eval.gold import SPLITS, load_questions
    from indexer.text import text_to_file
    from service import answer_text, ask, kinds, present
    from service.schemas import SearchRequest

    index = engine.index
    checked = two_parts = 0
    for question in load_questions(SPLITS["dev"]):
        parsed = engine.parse(SearchRequest(q=question.query))
        if parsed.wording or parsed.phrases:
            continue  # asks for the recommendation's own words
        answer = ask.ask(engine, question.query).answer
        items = answer.by_country if answer.type == "by_country" else answer.sentences
        for item in items:
            row = index.passage(index.rowid_of[item.passage_id])
            within = kinds.comment_range(row)
            if not kinds.is_response(row) or within is None:
                continue
            text = item.sentence if answer.type == "by_country" else item.text
            doc = (settings.corpus_dir / item.citation.file).read_text("utf-8")
            spans = [(s.start, s.end) for s in item.citation.spans]
            parts = text.split(" … ")
            comment_start, comment_end = text_to_file(row.offsets, *within)
            assert len(parts) <= 3 and spans == sorted(spans), (question.id, spans)
            assert all(comment_start <= a < b <= comment_end for a, b in spans), (question.id, spans)
            assert normalize_wording(clean(doc, spans).text) == normalize_wording(" ".join(parts))
            if len(parts) >= 2:
                two_parts += 1
                assert sum(b - a for a, b in spans) <= answer_text.MAX_ANSWER_CHARS
                gaps = [doc[b:a].strip() for (_, b), (a, _) in zip(spans, spans[1:])]
                assert sum(map(bool, gaps)) == len(parts) - 1, (question.id, "parts that stand together are one run")
                opening = present.opening_sentence(index.sentences(row.rowid), within)
                if spans[0][0] == opening.file_start:  # shown, it comes first (joined, perhaps, to the next)
                    assert normalize_wording(parts[0]).startswith(normalize_wording(
                        clean(doc, [(opening.file_start, opening.file_end)]).text))
            checked += 1
    assert checked >= 30 and two_parts >= 5, (checked, two_parts)


def test_two_countries_answering_one_recommendation_outweigh_one_country_ranked_first(engine):
    """The evidence is the recommendation whose countries' responses score highest together
    among those answered near the top, not whichever response is ranked first; a ranking that
    does not start with a response has no recommendation for evidence."""
    import numpy as np

    from service import ask
    from service.query import ParsedQuery
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
    key, row = ask.evidence_recommendation(index, parsed, rank((women_lu, 0.87), (police_lu, 0.84), (police_be, 0.81)))
    assert row.id == police_lu and key == ask.recommendation_key(index.passage(index.rowid_of[police_be]))
    key, row = ask.evidence_recommendation(index, parsed, rank((women_lu, 0.90), (police_lu, 0.40), (police_be, 0.30)))
    assert row.id == women_lu  # one country ranked far ahead still decides
    assert ask.evidence_recommendation(index, parsed, rank(("unodc-drugs-and-crime:money-laundering:p1", 0.9),
                                                           (police_lu, 0.84), (police_be, 0.81))) is None
    # responses below the top 3 add to a recommendation's evidence but do not make one a candidate
    fiu_lu, fiu_be = "lu-cnd-response:issue-IV:rec-1", "be-cnd-response:issue-IV:rec-1"
    key, row = ask.evidence_recommendation(index, parsed, rank(
        (women_lu, 0.9), ("unodc-drugs-and-crime:money-laundering:p1", 0.8), ("unodc-drugs-and-crime:precursors:p1", 0.7),
        (fiu_lu, 0.69), (fiu_be, 0.68)))
    assert row.id == women_lu
    # equal scores: the better-ranked response stands for the recommendation
    _, row = ask.evidence_recommendation(index, parsed, rank((police_be, 0.8), (police_lu, 0.8), below=None))
    assert row.id == police_be
    # reciprocal-rank scores are nearly flat: counted above the pool's lowest, a second country's
    # response at rank 20 does not lift the recommendation ranked 2nd over the one ranked 1st
    flat = [women_lu, police_lu, *filler, police_be]
    _, row = ask.evidence_recommendation(index, parsed, rank(*[(p, 1 / (61 + i)) for i, p in enumerate(flat)],
                                                             below=None))
    assert row.id == women_lu


def test_evidence_counts_two_countries_not_every_country_asked():
    """Forty countries asked one recommendation score alike on its shared text: counting all of
    them would let that recommendation outweigh any other; its two best count, as a table needs."""
    from service.ask import evidence_strength

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


def test_asked_who_and_by_when_the_proposals_row_answers_first(engine):
    """The action plan's prose on CIATTEH's use of personal data outranks Proposal 18, whose row
    names who acts and the deadline: asked "… who decides and when", the row is read first,
    whole; asked about the topic alone, the results are read in rank order."""
    from service import ask

    asked = ask.ask(engine, "personal data in the CIATTEH: who decides and when")
    first = asked.answer.sentences[0]
    assert first.passage_id == "be-thb-action-plan:proposal-18"
    assert "Minister for Justice" in first.text and "December 2013" in first.text
    assert asked.results[0].passage_id != first.passage_id  # the prose ranks first in the results
    topic = ask.ask(engine, "personal data in the CIATTEH")
    assert topic.answer.sentences[0].passage_id == topic.results[0].passage_id != first.passage_id


def test_a_reference_list_entry_is_about_the_work_it_names(engine):
    """Indexed without the citing paper's title, the entry "[4] … Drugs and the Darknet:
    Perspectives for Enforcement…" no longer ranks first for a question on enforcement against
    online drug trafficking, as it did on the paper's title alone; asked for that report, it
    answers."""
    from service import ask

    asked = ask.ask(engine, "law enforcement cooperation on online drug trafficking investigations")
    assert "be-cnd-position-paper:bibliography-4" not in [r.passage_id for r in asked.results[:5]]
    assert all("bibliography" not in s.passage_id for s in asked.answer.sentences)
    sources = ask.ask(engine, "EMCDDA report on drugs and the darknet").answer
    assert sources.sentences[0].passage_id == "be-cnd-position-paper:bibliography-4"
    # whose list it is (country and kind) stays in what is indexed: asked for the paper's sources, they come
    cited = ask.ask(engine, "what sources does the Belgian position paper cite")
    assert all("bibliography" in r.passage_id for r in cited.results[:3])


def test_a_reference_entry_ranked_first_alone_is_read_last(engine):
    """Wherever an entry still ranks first with no entry after it, a single answer reads the
    documents' own statements first; two entries first mean the question is about sources."""
    from service import ask

    q = "law enforcement cooperation on online drug trafficking investigations"
    batch = engine.encode_batch([ask.ask_request(q)])
    response = ask.ask(engine, q)
    entries = [r for r in response.results if "bibliography" in r.passage_id]
    if len(entries) < 2:
        entries = [ask.ask(engine, "EMCDDA report on drugs and the darknet").results[i] for i in (0, 1)]
    rest = [r for r in response.results if "bibliography" not in r.passage_id]

    def first_read(results):
        reordered = response.model_copy(update={"results": results})
        return ask.single(engine.index, batch.parsed[0], batch.vectors[0], reordered).sentences[0].passage_id

    assert first_read([entries[0]] + rest) == rest[0].passage_id
    assert first_read(entries[:2] + rest) == entries[0].passage_id


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


def test_a_sentence_holding_what_the_best_one_lacks_joins_it(engine):
    """Asked which shelters Belgium has for trafficking victims, the best sentence of the plan's
    passage is on the Bureau examining how centres are recognised; the one naming the three
    (Payoke, PAG-ASA, Sürya) scores nearly as well and holds words of the question the best one
    lacks: it joins, in reading order, cited by its own span. Without it the answer never names
    them. (The INCB question this test asked before now asks "how long", and the number bonus
    settles it.)"""
    from service import ask

    first = ask.ask(engine, "What are the three specialised shelters for trafficking victims in Belgium?").answer.sentences[0]
    assert first.text.startswith("These are the non-profit organisation Payoke in Flanders"), first.text
    assert " … " in first.text and len(first.citation.spans) == 2


@pytest.mark.parametrize("q, opens", [
    ("wording on gender and age disaggregated data on alternatives to imprisonment",
     "Governments are encouraged to collect and analyse gender- and age-disaggregated data"),  # the precedent
    ("wording on electronic bracelets as an alternative to prison", "There are various alternatives to imprisonment"),
    ("a clause that has governments let financial intelligence units' evidence be used at trial",
     "Governments are encouraged to ensure that evidence gathered"),  # a clause is text: the agreed words
])
def test_wording_asked_of_a_response_is_the_recommendations_unless_a_comment_is_meant(engine, q, opens):
    """A delegate asking for wording wants the recommendation's words, the agreed text, though a
    country's comment echoes them; the comment's words when the question names the comments or
    matches one comment far better than the recommendation (bracelets are Luxembourg's own)."""
    from service import ask

    first = ask.ask(engine, q).answer.sentences[0]
    assert first.text.startswith(opens), first.text


def test_the_comments_wording_on_a_cited_recommendation_gives_each_countrys_comment(engine):
    """Naming the comments and citing the recommendation: each country's comment, or "no
    comment reported" for a blank one, not the recommendation's text twice."""
    from service import ask

    sentences = ask.ask(engine, "the comments' wording on Issue IV, Recommendation 2").answer.sentences
    by_id = {s.passage_id: s.text for s in sentences}
    assert by_id["be-cnd-response:issue-IV:rec-2"] == "no comment reported"
    assert by_id["lu-cnd-response:issue-IV:rec-2"].startswith("The Financial Intelligence Unit regularly submits")


def test_the_comments_wording_asked_every_response_read_gives_its_comment_not_the_recommendation(engine, settings):
    """"the comments' wording on FIU evidence": each response read answers with its comment's
    words, cited inside the comment, or says it has none; the recommendation's own text, which
    every country was asked, is not what was asked for (it had led the first answer)."""
    from service import ask

    sentences = ask.ask(engine, "the comments' wording on FIU evidence").answer.sentences
    assert any(s.text.startswith("The Financial Intelligence Unit regularly submits") for s in sentences[:2])
    for s in sentences:
        assert not s.text.startswith(("In support of", "Governments are encouraged")), s.text
        if s.text != "no comment reported":  # cited after the comment's label, not in the recommendation
            text = (settings.corpus_dir / s.citation.file).read_text("utf-8")
            assert text.find("Comment", text.rfind("Recommendation", 0, s.citation.start)) < s.citation.start, s


def test_asked_how_many_the_sentence_that_gives_the_number_answers(engine):
    """The NPS passage's sentence on the NPS market matches the question's words better than the
    one giving the count; asked how many, the count answers ("over 543"), cited where it stands.
    Asked without "how many", the market sentence may still come first."""
    from service import ask

    first = ask.ask(engine, "how many different NPS had emerged by December 2014?").answer.sentences[0]
    assert first.text.startswith("By December 2014, the emergence of over 543 different NPS"), first.text
    assert first.citation.file == "unodc-report-drugs-and-crime.txt"


@pytest.mark.parametrize("q", ["how many unaccompanied foreign minors are housed in the centres?",
                               "how many UFM live in FEDASIL centres?",
                               "number of unaccompanied foreign minors in the reception centres"])
def test_asked_how_many_of_an_acronyms_long_form_the_count_of_the_acronym_answers(engine, q):
    """"unaccompanied foreign minors" and "UFM" are one thing: asked how many of either, the
    sentence counting UFM ("More than 800 UFM") answers, not the ones that spell out the long
    form without a count."""
    from service import ask

    first = ask.ask(engine, q).answer.sentences[0]
    assert first.text == "More than 800 UFM are housed in these centres.", first.text


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


def test_a_question_nothing_in_the_documents_comes_near_is_answered_as_such(engine):
    """"How tall is the Eiffel tower?" finds passages all the same; the answer says the
    documents may not answer it. No development question is flagged so."""
    from eval.gold import SPLITS, load_questions
    from service import ask

    for q in ("how tall is the Eiffel tower", "recipe for chocolate cake", "asdfgh qwerty"):
        assert ask.ask(engine, q).answer.weak_evidence, q
    flagged = [q.query for split in ("dev", "dev2") for q in load_questions(SPLITS[split])
               if ask.ask(engine, q.query).answer.weak_evidence]
    assert flagged == []


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
