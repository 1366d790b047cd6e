"""How a query is read: what it narrows to, and which of its words a sentence must share."""
from __future__ import annotations

import pytest
import Stemmer

from indexer.corpus import Country
from service.query import parse_query

COUNTRIES = [Country(name="Belgium", adjectives=("Belgian",), aliases=("Kingdom of Belgium",)),
             Country(name="Luxembourg", adjectives=("Luxembourgish",), aliases=("Grand Duchy of Luxembourg",))]
STEM = Stemmer.Stemmer("english").stemWord


def parse(q: str):
    return parse_query(q, COUNTRIES, {}, STEM)


def test_a_named_country_is_the_scope_not_a_word_the_answer_must_share():
    """Every sentence of Luxembourg's response may say "Luxembourg": the sentence that answers
    is the one about bracelets, so the country's names do not count towards it."""
    parsed = parse("what does Luxembourg's criminal law say about electronic bracelets?")
    assert parsed.countries == ["Luxembourg"]
    assert {"bracelet", "electron", "crimin"} <= parsed.stems
    assert "luxembourg" not in parsed.stems
    belgian = parse("Belgian position on darknet markets, Kingdom of Belgium")
    assert belgian.countries == ["Belgium"] and not {"belgian", "belgium", "kingdom"} & belgian.stems
    assert "darknet" in belgian.stems


def test_only_the_words_that_name_the_country_leave_not_the_same_words_elsewhere():
    """"grand" names Luxembourg only inside "Grand Duchy of Luxembourg"; as content it stays."""
    parsed = parse("What does Luxembourg say about the grand-ducal regulation and the Kingdom's law?")
    assert parsed.countries == ["Luxembourg"]
    assert {"grand", "ducal", "regul", "kingdom"} <= parsed.stems and "luxembourg" not in parsed.stems
    alias = parse("reports of the Grand Duchy of Luxembourg on drug checking")
    assert alias.countries == ["Luxembourg"] and not {"grand", "duchi", "luxembourg"} & alias.stems
    assert {"report", "drug", "check"} <= alias.stems


def test_a_query_that_is_only_a_country_keeps_its_words():
    assert parse("Luxembourg").stems == frozenset({"luxembourg"})
    assert "luxembourg" in parse("Luxembourg's").stems  # the possessive alone is no content either


@pytest.mark.parametrize("q", [
    "which countries grant FIU access to police?", "what did each country report on prison health care",
    "money laundering investigations involving drug proceeds, by country", "drug checking per country",
    "country-by-country overview of alternatives to imprisonment", "compare the responses on darknet training",
    "who did not answer the recommendation on gender-sensitive cooperation", "who has reported on police referral",
    "Who answered Issue II?", "what have member states done to train financial investigators?",
    "how are governments sharing risk assessments with UNODC",
    "has either country cut prison sentences for drug users?", "did any of the states train customs officers",
    "does either government fund treatment in prison",
    "what did respondents say about darknet markets", "responding states' data on women who use drugs"])
def test_phrases_that_ask_for_an_answer_per_country_read_as_across_countries(q):
    assert parse(q).across


@pytest.mark.parametrize("q", [
    "how many countries ratified the protocol", "agencies working with each other",
    "data broken down by age and sex", "sold country wide through social media",
    "who checks shipping containers at ports", "torture by state officials", "victims by country of origin",
    "drug use per state prison", "whistleblowers who report corruption",
    "What are the States parties' obligations under article 5 of the Protocol?",
    "how are States Parties required to criminalize trafficking?", "what are the states of emergency provisions",
    "how are the governments' roles defined in the action plan", "victims from any country",
    "are any of the States parties required to criminalize trafficking?",
    "respondents to the survey were anonymous"])
def test_phrases_that_merely_mention_countries_or_a_breakdown_do_not(q):
    assert not parse(q).across


@pytest.mark.parametrize("question, asks", [
    ("who must update circular Col 01/07?", True), ("training for inspectors, and by when?", True),
    ("which ministry handles the victims' files", True), ("competent body and deadline", True),
    ("When did the programme start?", True), ("when is it due", True),
    ("evaluation of the circulars — when were they evaluated", True), ("who is responsible for the flyer", True),
    ("text shown to internet users who try to open a blocked site", False), ("women who use drugs", False),
    ("risk of detection is reduced due to escrow", False), ("customer due diligence obligations", False),
    ("how do competent authorities exchange information", False), ("responsible gambling", False),
    ("which services are offered to victims", False), ("treatment is offered, when possible", False),
    ("by sea or when shipping by air", False)])
def test_a_question_asks_who_acts_or_by_when_only_with_an_asking_word(question, asks):
    from service.query import ASKS_WHO_OR_WHEN

    assert bool(ASKS_WHO_OR_WHEN.search(question)) is asks


def test_a_question_asks_how_many_only_with_a_quantity_word():
    """Asked how many, how long or how often, the sentence holding a number is preferred
    (present.rank_sentences); "a number of measures" asks for the measures."""
    asking = ["how many NPS were reported by 2014?", "How long does a presumed victim have to decide?",
              "how often does the Bureau meet", "number of containers moved each year", "the total number of victims",
              "what share of the world's cargo moves in containers", "How much do traffickers earn?"]
    not_asking = ["a number of measures against cybercrime", "a growing number of measures against cybercrime",
                  "how the police screen drug users", "long-term treatment for women", "How long-term is the treatment",
                  "many countries' responses on FIU access", "how far have states implemented it"]
    assert [q for q in asking if not parse(q).asks_quantity] == []
    assert [q for q in not_asking if parse(q).asks_quantity] == []


def test_how_much_is_asked_as_the_questions_point_not_as_its_topic():
    """A first result answering with no count gives way to one giving a count only when the
    count is the answer (service/ask.py): "how long", "how much"; not "how can the number of
    deaths be reduced", which names a number as its topic."""
    from service.quantity import asks_how_much

    assert all(asks_how_much(q) for q in ["how long does a victim get to decide", "How much time do they have?",
                                           "how often does the Bureau meet", "what share of the cargo"])
    assert not any(asks_how_much(q) for q in ["How can the number of drug-related deaths be reduced?",
                                               "the number of officers trained", "how long-term is the plan"])


@pytest.mark.parametrize("sentence, gives", [
    ("This is likely due to the fact that buying online is considered safer.", True),
    ("Given that the measures are applied by judges, no campaign has been run.", True),
    ("The unit was closed because its funding ended.", True),
    ("Since 2019 the unit has grown to 35 officers.", False),  # a time, not a cause
    ("Since the reform of the prison system, fewer sentences are custodial.", False),
    ("The confiscation of property would therefore no longer be possible.", False),  # what follows, not why
    ("The government will take the measures needed.", False),
    ("The evaluation report is due to be published in 2024.", False),  # a schedule
    ("The new law is due to enter into force next year.", False),
    ("Treatment is given the priority it deserves in the plan.", False),
    ("The results from the 2019 survey show that 12% of students used cannabis.", False),
    ("The fact that pharmacies relocate easily means that measures are essential.", True),
])
def test_a_sentence_gives_a_reason_when_it_names_a_cause(sentence, gives):
    from service.reasons import gives_reason

    assert gives_reason(sentence) is gives


def test_why_is_asked_in_its_several_wordings():
    from service.reasons import asks_why

    assert all(asks_why(q) for q in ["why do buyers prefer hidden web shops", "How come the plan was delayed?",
                                      "what are the reasons for the increase", "what drives demand for NPS"])
    assert not any(asks_why(q) for q in ["what did Belgium say about the reasons", "who runs the shelters",
                                          "the cause of drug-related deaths",
                                          "Which countries explained why they did not act, and what did Belgium do?",
                                          "What did Belgium say about the Why Not? prevention campaign?"])
    assert asks_why("Belgium: why no comment on II.2?") and asks_why("it stopped, and why?")


def test_a_question_asks_a_fact_with_who_when_what_year_or_how_many_not_as_a_topic():
    """A fact (who, when, what year, how many) one country's comment can hold alone; a topic
    every country was asked about is answered by each of them (service/evidence.py)."""
    facts = ["what year did the Tox programme start", "In which year was the unit created?",
             "since when do female prisoners get support", "when was the Tox programme launched?",
             "who trains customs officers", "how many officers were trained abroad"]
    topics = ["cepol darknet courses", "dedicated police unit for web investigations",
              "data on drug use over the years", "free contraception for women who use drugs",
              "is anyone training customs officers on darknet drug crime?"]
    assert [q for q in facts if not parse(q).asks_a_fact] == []
    assert [q for q in topics if parse(q).asks_a_fact] == []


@pytest.mark.parametrize("sentence, holds", [
    ("By December 2014, over 543 different NPS had been reported.", True), ("It meets twice a year.", True),
    ("150 countries use the system.", True), ("the person has 45 days to decide", True),
    ("In 2014 the law changed.", False), ("Article 5 requires it.", False), ("under resolution 55/1", False),
    ("one of the measures taken", False), ("No one is detained.", False), ("Once a victim is identified", False),
    ("records kept for at least one year", True), ("it meets once a month", True),
    ("1. The Board issued a clean opinion for the year ended 31 December 2023.", False),  # its paragraph's number, a day
    ("3. UNDP fully implemented 67 per cent of them.", True), ("In June 15 people were arrested.", True),
    ("after the deposit of the fortieth instrument of ratification", True),  # a treaty spells its numbers
    ("on the first day of the month", False), ("It applies to third countries.", False),
    ("open for signature from 12 to 15 December 2000", False), ("held on 10–14 March", False),  # days, not counts
    ("with Belgium accounting for a third of all cocaine seized in 2017", True), ("a third party", False),
    ("[5] United Nations, World Drug Report 2019.", False)])  # a reference entry's own number
def test_a_sentence_holds_a_number_when_it_counts_not_when_it_names(sentence, holds):
    """Asked how many, a year or an article's number is no answer."""
    from service.quantity import holds_number

    assert holds_number(sentence) is holds


@pytest.mark.parametrize("question, asked", [
    ("how many firearms did the officer buy?", ["firearms"]), ("For how many years in a row?", ["years"]),
    ("how many unaccompanied foreign minors live there", ["unaccompanied", "foreign", "minors"]),
    ("how many of the recommendations were closed", []), ("how long do victims have?", []),
    ("how much cocaine was seized", ["cocaine"]), ("how many prisoners escaped when gangs attacked", ["prisoners", "escaped"]),
    ("how many cases per year", ["cases"]),
    ("number of firearms seized in Haiti", ["firearms", "seized"]), ("the total number of victims", ["victims"]),
    ("a number of measures were taken", [])])  # "a number of" asks for no count
def test_how_many_asks_to_count_the_words_after_it(question, asked):
    from service.quantity import asked_to_count

    assert asked_to_count(question) == asked


@pytest.mark.parametrize("sentence, counted", [
    ("the individual purchased at least 58 firearms, many of which were resold", ["firearms"]),
    ("The case involves a 31-year-old former police officer", ["year-old", "former", "police"]),
    ("This marks 19 consecutive years of clean opinions", ["consecutive", "years", "of"]),
    ("1. The Board issued a clean opinion for the year ended 31 December 2023.", []),  # no count at all
    ("In 2014 the law changed.", []),
    ("Police seized 4.5 tonnes of cocaine.", ["tonnes", "of", "cocaine"]),  # a decimal figure counts as a whole
    ("It deported 31,204 Haitians in February.", ["haitians", "in", "february"])])
def test_what_a_sentences_counts_count_is_the_words_after_them_in_their_clause(sentence, counted):
    from service.quantity import counted_words

    assert counted_words(sentence) == counted


def test_a_citation_and_a_heading_share_one_normal_form():
    """"Issue 2" cites what "Issue II" heads, "Rec. 3" what "Recommendation 3" heads; several
    numbers of one kind are alternatives; a lone roman letter counts only in capitals, and a
    number typed in lower case ("issue ii") only when it is a well-formed roman number."""
    from indexer.references import cited, heading_labels, matches

    response = heading_labels(["Issue II: Alternatives to imprisonment for certain offences", "Recommendation 3"])
    proposal = heading_labels(["4. Investigations and prosecutions", "4.1. Evaluation of the circular", "Proposal 14"])
    assert response == {("issue", "2"), ("recommendation", "3")}
    assert proposal == {("section", "4"), ("section", "4.1"), ("proposal", "14")}
    assert heading_labels(["I — General Provisions", "Article 3 — Use of terms"]) == {("article", "3")}
    assert matches(response, cited("the text of Rec. 3 of Issue 2"))
    assert matches(response, cited("Issue II, recommendations 1 and 3"))
    assert not matches(response, cited("Issue IV, Recommendation 3"))
    assert matches(proposal, cited("Proposal 14")) and matches(proposal, cited("§ 4.1"))
    assert cited("Articles 3, 5 or 6 of the protocol") == {"article": frozenset({"3", "5", "6"})}
    assert cited("I think part i of this is about drugs") == {}
    assert cited("in paragraph 61 the Board recommended") == {}
    assert cited("Which issues 2 and 3 were discussed?") == {"issue": frozenset({"2", "3"})}  # plural kinds
    assert cited("Issues I to IV") == {"issue": frozenset({"1", "2", "3", "4"})}
    assert cited("the recommendation I should cite") == {} and cited("Annex C") == {}  # a pronoun, a letter
    assert heading_labels(["Part Civil society"]) == set() and heading_labels(["10 key messages"]) == set()
    assert heading_labels(["4. Investigations"]) == {("section", "4")}
    assert cited("issue ii recommendation 3") == {"issue": frozenset({"2"}), "recommendation": frozenset({"3"})}
    assert cited("issues ii to iv") == {"issue": frozenset({"2", "3", "4"})} and cited("article xiv") == {
        "article": frozenset({"14"})}
    assert cited("part civil society") == {} and cited("issue mix") == {} and cited("the issue i raised") == {}
    assert cited("issues i to iv") == {"issue": frozenset({"1", "2", "3", "4"})}  # a lone letter ending a number
    assert cited("issue i recommendation 3") == {"issue": frozenset({"1"}), "recommendation": frozenset({"3"})}
    assert cited("section v") == {"section": frozenset({"5"})}


@pytest.mark.parametrize("q", ["by member state", "seizures by country and year", "Who answered Issue II?"])
def test_breakdowns_by_country_and_who_answered_read_as_across_countries(q):
    assert parse(q).across


@pytest.mark.parametrize("q", ["Who reports suspicious transactions to the FIU?", "who responds to an overdose call?"])
def test_who_does_something_is_no_question_across_countries(q):
    assert not parse(q).across


def test_naming_a_recommendation_is_not_asking_for_its_wording():
    assert not parse("what did the countries say on Issue II, Recommendation 3").wording
    assert parse("text of Issue II, Recommendation 3").wording
    assert parse("recommendation on sharing risk assessments with UNODC").wording
    assert parse("boilerplate on cooperation among national authorities for gender-sensitive drug policies").wording


@pytest.mark.parametrize("q", [
    "comments on the recommendation about FIU evidence in court",
    "responses to the recommendation on gender-sensitive cooperation",
    "action taken on the recommendation on flexible sentencing",
    "status of implementation of the recommendation on public awareness",
    "what was done about the recommendation on sharing risk assessments with UNODC",
    "what was said about the recommendation on FIU access",
    "steps taken on the recommendation on flexible sentencing",
])
def test_asking_what_was_done_or_said_about_a_recommendation_is_not_asking_for_its_wording(q):
    """The form's own fields ("Any action taken", "Comments") and what fills them are what was
    done or said: the answer is each country's comment, not the recommendation's text."""
    assert not parse(q).wording


@pytest.mark.parametrize("q", [
    "recommendation about sharing risk assessments with UNODC for a coordinated global response",
    "exact text of the recommendation on sharing risk assessments",
    "the comments' wording on FIU evidence",  # "wording" asks for words, whatever else is named
    "recommendation on a coordinated global response to money-laundering",
    "the recommendation on the implementation of institutional mechanisms for police referral",
    "where is it said that governments must work together to overcome obstacles",  # where the words stand
    "where does the action plan state that victims get residence permits",
    "a clause on training financial investigators",  # a clause is a piece of text, named by its subject
])
def test_a_recommendation_named_by_its_subject_or_wording_asked_for_is_wording(q):
    assert parse(q).wording


def test_asking_how_a_clause_was_applied_is_not_asking_for_its_wording():
    assert not parse("how was the non-punishment clause implemented").wording
    assert not parse("comments on the clause about FIU evidence").wording


def test_asking_who_or_by_when_about_a_recommendation_is_not_asking_for_its_wording():
    parsed = parse("revised deadline for the recommendation on sustainable procurement")
    assert not parsed.wording and parsed.asks_who_or_when
    assert parse("recommendation on sustainable procurement").wording


def test_where_a_country_said_something_is_not_wording():
    assert not parse("where did Belgium say it blocks websites").wording  # a country named: what it said


@pytest.mark.parametrize("q, scope", [
    ("what did the Portuguese reply say about FIU access", ["Portugal"]),
    ("Chilean police training on darknet markets", ["Chile"]),
    ("what the Turkish authorities reported", ["Turkey"]),
    ("German financial investigators", ["Germany"]),
    ("Nigerian trafficking networks", ["Nigeria"]),  # the longer shared name: not Niger
    ("Roman law and the Indiana statute", []),  # no Romania, no India
    ("what did the Belgian response say", ["Belgium"]),  # the manifest's adjectives as before
    ("Pope Francis in Indianapolis", []),  # no France, no India
    ("Australian customs", ["Australia"]),  # the manifest's Australia, not Austria
    ("Turkmenistan reported", ["Turkmenistan"]),  # a name, not Turkey's adjective
    ("the Dominican Republic's reply", ["Dominican Republic"]),  # not also Dominica
    ("Chileans and Germans", ["Chile", "Germany"]),
])
def test_a_country_found_in_an_unlisted_file_is_named_by_its_adjective(q, scope):
    """Countries found in files the manifest does not list have no adjectives from it: a
    capitalised word of an adjective's form names them ("Portuguese" is Portugal's) and is
    their scope, not a word the answer must share."""
    world = [Country(name=n) for n in ("Portugal", "Chile", "Turkey", "Germany", "Niger", "Nigeria", "Romania", "India",
                                        "France", "Austria", "Turkmenistan", "Dominica", "Dominican Republic")]
    australia = Country(name="Australia", adjectives=("Australian",))
    parsed = parse_query(q, COUNTRIES + [australia] + world, {}, STEM)
    assert sorted(parsed.countries) == scope
    if scope and scope != ["Belgium"]:
        assert not any(w in parsed.stems for w in ("portugues", "chilean", "turkish", "german", "nigerian"))


@pytest.mark.parametrize("q, scope", [
    ("what has the Grand Duchy done on electronic bracelets", ["Luxembourg"]),
    ("The Grand Duchy's position on electronic monitoring", ["Luxembourg"]),
    ("what did the Kingdom report on women who use drugs", []),  # one word: no name
    ("the Grand Duchy of Tuscany", []),  # another grand duchy
    ("the grand duchy in lower case", []), ("LUX and BEL are no names", [])])
def test_a_country_is_named_by_its_official_title(q, scope):
    """Staff write "the Grand Duchy" for Luxembourg: ISO 3166 gives its official title."""
    assert sorted(parse(q).countries) == scope


def test_a_title_two_countries_share_names_neither():
    countries = [Country(name="Germany"), Country(name="Nigeria")]
    assert parse_query("what did the Federal Republic report", countries, {}, STEM).countries == []  # both
    assert parse_query("what did the Federal Republic report", countries[:1], {}, STEM).countries == ["Germany"]
    assert parse_query("CAN FIU SHARE DATA WITH POLICE?", [Country(name="Canada")], {}, STEM).countries == []


@pytest.mark.parametrize("question, asks", [
    ("how does the Council of Europe convention define a victim?", True), ("definition of a child", True),
    ("what does exploitation mean under the protocol", True), ("what is meant by forced labour", True),
    ("the defining features of darknet markets", False), ("victims of trafficking in Belgium", False),
    ("what is GRETA?", True), ("what does IRU stand for", True), ("what is drug", False)])
def test_a_question_asks_what_a_term_means(question, asks):
    from service.definitions import asks_definition

    assert asks_definition(question) is asks


@pytest.mark.parametrize("sentence, terms", [
    ("d) ``Child\" shall mean any person under eighteen years of age.", ["child"]),  # the Palermo text's quotes
    ("a) “Trafficking in human beings” shall mean the recruitment", ["trafficking", "in", "human", "beings"]),
    ("c) The receipt of a child shall be considered “trafficking in human beings” even if", []),  # uses, not defines
    ("The term “victim” refers to any natural person", ["victim"]),
    ("The Group of experts (hereinafter referred to as “GRETA”), shall monitor", ["greta"])])
def test_a_sentence_defines_the_quoted_term_before_shall_mean(sentence, terms):
    from service.definitions import defined_terms

    assert defined_terms(sentence) == terms
