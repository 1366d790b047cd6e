"""The corpus grows by files dropped into its folder: another country, in PDF, unlisted.

The manifest declares Belgium and Luxembourg. A third country's questionnaire response, printed
to PDF and not listed, must still be that country's: its rows in tables across countries, its
column in /coverage, its name narrowing a question.
"""
from __future__ import annotations

import re

import pytest

from indexer.build import build_index
from indexer.countries import named_country
from test_formats import CORPUS, make_pdf


@pytest.mark.parametrize("title, stem, text, country", [
    ("Portugal - response to the CND questionnaire", "resp", "", "Portugal"),
    ("Response to the questionnaire", "bolivia-cnd-response-2019", "", "Bolivia"),
    ("Response", "resp", "Plurinational State of Bolivia reports. " * 5 + "Peru was consulted.", "Bolivia"),
    ("Report", "r", "South Korea and Japan. " * 3, None),  # two countries alike: no subject
    ("Report of the Commission", "e-2025-28", "United States " * 46 + "Colombia " * 27, None),
    ("Report", "r", "Portugal once.", None),  # below the floor
])
def test_a_country_of_iso_3166_is_named_by_title_file_name_or_a_dominant_text(title, stem, text, country):
    found, where = named_country(title, stem, text, floor=2)
    assert (found.name if found else None) == country, where
    assert where


def test_a_third_countrys_response_dropped_in_as_pdf_gets_its_rows(workspace, embedder):
    from service import ask, coverage
    from service.engine import Engine

    text = (CORPUS / "luxembourg-cnd-questionnaire-response.txt").read_text("utf-8").replace("Luxembourg", "Portugal")
    text = text.replace("Officers in the Narcotics Section of the national police have received relevant "
                        "specialized training abroad", "The Judiciary Police runs a cybercrime unit whose "
                        "investigators completed courses on darknet markets")
    paras = [re.sub(r"\s+", " ", p) for p in text.split("\n\n") if p.strip()]
    pdf = make_pdf([paras[i:i + 8] for i in range(0, len(paras), 8)], title="Portugal - response to the CND questionnaire")
    (workspace.corpus / "portugal-cnd-response.pdf").write_bytes(pdf)
    summary = build_index(workspace.settings, embedder=embedder)
    assert any("country=Portugal (inferred)" in w for w in summary.warnings)

    engine = Engine.open(workspace.settings, embedder=embedder)
    answer = ask.ask(engine, "which countries trained police on cybercrime?").answer
    rows = {r.country: r for r in answer.by_country}
    assert answer.type == "by_country" and set(rows) == {"Belgium", "Luxembourg", "Portugal"}
    assert "Judiciary Police runs a cybercrime unit" in rows["Portugal"].sentence
    assert coverage.coverage(engine.index).countries == ["Belgium", "Luxembourg", "Portugal"]
    scoped = ask.ask(engine, "what did Portugal say about FIU access?")
    assert scoped.answer.type == "single" and scoped.answer.sentences
    assert {r.document.country for r in scoped.results} == {"Portugal"}
