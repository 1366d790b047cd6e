"""The harvested glossary, entry by entry: every acronym it expands is expanded rightly."""
from __future__ import annotations

from indexer.glossary import expand, harvest

# Reviewed against the corpus: each entry is what the acronym stands for there. (ISI, harvested
# once from "Illegal Sale of Internationally Controlled Substances", is gone: a phrase that
# runs on into a longer title is not a name.)
EXPECTED = {
    "ATS": "amphetamine-type stimulants",
    "BBI": "bijzondere belastingen inspectie",
    "CCP": "container control programme",
    "CND": "commission on narcotic drugs",
    "EMCDDA": "european monitoring centre for drugs and drug addiction",
    "FATF": "financial action task force",
    "FIU": "financial intelligence units",
    "GPML": "global programme against money laundering",
    "IMI": "internal market information system",
    "INCB": "international narcotics control board",
    "IOM": "international organisation for migration",
    "ION": "international operations on nps",
    "IRU": "internet referral unit",
    "ISP": "internet service providers",
    "ISSL": "international special surveillance list",
    "NPS": "new psychoactive substances",
    "PICS": "precursors incident communication system",
    "THB": "trafficking in human beings",
    "UFM": "unaccompanied foreign minors",
    "UNGASS": "united nations general assembly special session",
    "UNODC": "united nations office on drugs and crime",
    "WACAP": "west african central authorities and prosecutors",
    "WCO": "world customs organization",
}


def test_the_harvested_glossary_is_right_entry_by_entry(settings):
    texts = [p.read_text("utf-8") for p in sorted(settings.corpus_dir.glob("*.txt"))]
    assert harvest(texts) == EXPECTED


def test_a_title_that_runs_on_is_not_an_acronyms_name():
    texts = ["The Guidelines on the Illegal Sale of Internationally Controlled Substances apply (ISI rules)."]
    assert "ISI" not in harvest(texts)


def test_a_description_or_a_glossed_run_is_not_an_acronyms_name():
    """Traps from the CND session report: an observer "Instituto RIA" beside a delegate's "the
    rights and interests of Americans" said three times, and a table of officers flattened to
    lines, in which "States" ends one cell and "Peter Potman" starts the next. A name glossed by
    another abbreviation, even a misspelt one, still counts."""
    texts = ["Statements were made by the observers for Dejusticia, Instituto RIA and others.\n"
             + " ".join(f"Speaker {i} said it was adverse to the rights and interests of Americans." for i in range(3)),
             "Second Vice-Chair Western European and other States \nPeter Potman (Kingdom of the \nNetherlands)\n",
             "The SPP Integration sociale attended. The FATF met. Least Developed Countries (LDC III) met.",
             "13 Financial Action Task Force (FAFT) – Groupe d'action financière. The LDC agenda.",
             "The National Drug Strategy (2016-2020) set goals; the NDS was reviewed.",
             "The Financial Intelligence Unit (Belgium) reported. The FIU met."]
    glossary = harvest(texts)
    assert "RIA" not in glossary and "SPP" not in glossary
    assert glossary["NDS"] == "national drug strategy" and glossary["FIU"] == "financial intelligence unit"
    assert glossary["FATF"] == "financial action task force"
    assert glossary["LDC"] == "least developed countries"


def test_reverse_expansion_needs_the_phrase_not_a_shared_word():
    import Stemmer

    stem = Stemmer.Stemmer("english").stemWord
    glossary = {"EMCDDA": EXPECTED["EMCDDA"], "THB": EXPECTED["THB"], "FIU": EXPECTED["FIU"]}
    assert expand("support for victims of drug trafficking", glossary, stem) == []
    assert expand("drug addiction centre", glossary, stem) == []
    assert expand("trafficking in human beings", glossary, stem) == ["THB"]
    assert expand("financial intelligence unit access", glossary, stem) == ["FIU"]
    assert expand("FIU access", glossary, stem) == ["financial intelligence units"]


def test_words_in_capitals_and_function_words_do_not_make_acronyms():
    """Traps from real UN documents: a heading in capitals ("DRUGS AND CRIME") is not a use of
    an acronym AND, "that his country" is no name for THC, nor Dutch "het instellen van" for
    HIV; a name and its acronym after a dash in one parenthesis is a definition."""
    texts = ["II. DRUGS AND CRIME\nThe availability of narcotic drugs for medical use; the availability of narcotic "
             "drugs remains low. THC levels rose, he said that his country had acted, and that his country would act.",
             "Het instellen van een commissie; het instellen van regels. HIV prevention continued.",
             "Vessels of the National Port Authority (Autorité portuaire nationale – APN) were inspected by the APN."]
    glossary = harvest(texts)
    assert not {"AND", "THC", "HIV", "II"} & set(glossary)
    assert glossary["APN"] == "autorité portuaire nationale"


def test_an_acronym_expands_as_written_in_capitals_or_typed_in_lower_case_unless_a_function_word():
    """"who is responsible" and "drugs and crime" are words; "WHO guidelines", "FIUs" and "fiu"
    are acronyms."""
    import Stemmer

    stem = Stemmer.Stemmer("english").stemWord
    glossary = {"WHO": "world health organization", "AND": "availability of narcotic drugs",
                "FIU": EXPECTED["FIU"]}
    assert expand("who is responsible for drugs and crime, and by when?", glossary, stem) == []
    assert expand("Who decides?", glossary, stem) == []
    assert expand("WHO guidelines on cannabis", glossary, stem) == ["world health organization"]
    assert expand("access of police to FIUs", glossary, stem) == ["financial intelligence units"]
    assert expand("fiu access for police", glossary, stem) == ["financial intelligence units"]  # typed in lower case


def test_an_acronym_and_its_long_form_are_one_concept_when_choosing_the_sentence():
    """Spelt out in the question and abbreviated in the sentence (or the reverse), it is the
    same thing asked: "over 543 different NPS had been reported" holds what "new psychoactive
    substances reported" asks as fully as a sentence holding both forms does."""
    import Stemmer

    from service.present import shared_stems
    from service.query import parse_query
    from service.sentences import SentenceRow, stems_of

    stem = Stemmer.Stemmer("english").stemWord
    glossary = {"NPS": "new psychoactive substances"}

    def sentence(text):
        return SentenceRow(0, len(text), 0, len(text), stems_of(text, stem))

    spelt_out = parse_query("new psychoactive substances reported by 2014", [], glossary, stem)
    assert spelt_out.concepts == ((frozenset({"nps"}), frozenset({"new", "psychoact", "substanc"})),)
    answer = sentence("By December 2014, over 543 different NPS had been reported.")
    both_forms = sentence("The new psychoactive substances (NPS) market grew.")
    assert shared_stems(spelt_out, answer) > shared_stems(spelt_out, both_forms)
    abbreviated = parse_query("NPS reported by 2014", [], glossary, stem)
    assert shared_stems(abbreviated, sentence("Over 543 new psychoactive substances were reported by 2014.")) == \
        len(abbreviated.stems)
    assert shared_stems(abbreviated, sentence("New laws were reported by 2014.")) < len(abbreviated.stems)


def test_a_count_asked_of_a_spelt_out_name_is_answered_by_the_sentence_that_abbreviates_it(engine):
    """The count comes first, not the sentence naming the market by both forms beside it."""
    from service import ask

    answer = ask.ask(engine, "total number of new psychoactive substances that had emerged by December 2014").answer
    assert answer.sentences[0].text.startswith("By December 2014, the emergence of over 543 different NPS")
