"""Reports that come back every year are near-duplicates: a question that names the year gets
that year's report, one that does not gets both."""
from __future__ import annotations

import pytest

from indexer.build import build_index

REPORT = """# Regional drug market update {year}

## Cocaine trafficking

Seizures of cocaine along the coastal route reached {tons} tons in {year}, and most shipments
were concealed in fruit containers transiting the main ports.

## Cooperation

Port authorities and customs shared risk profiles through the joint container control programme.
"""


CONVENTION = """# Convention on action against trafficking 2005

## Article 1

Each Party shall adopt such legislative measures as may be necessary to establish trafficking in
human beings as a criminal offence.
"""


@pytest.fixture
def yearly_engine(workspace, embedder):
    from service.engine import Engine

    for year, tons in ((2023, 120), (2024, 185)):
        (workspace.corpus / f"market-{year}.md").write_text(REPORT.format(year=year, tons=tons), "utf-8")
        with open(workspace.corpus / "manifest.toml", "a", encoding="utf-8") as manifest:
            manifest.write(f'\n[[document]]\nid = "market-{year}"\nfile = "market-{year}.md"\n'
                           f'title = "Regional drug market update {year}"\ncountry = "UNODC"\nkind = "report"\n'
                           f'year = {year}\n')
    (workspace.corpus / "convention-2005.md").write_text(CONVENTION, "utf-8")
    with open(workspace.corpus / "manifest.toml", "a", encoding="utf-8") as manifest:
        manifest.write('\n[[document]]\nid = "convention-2005"\nfile = "convention-2005.md"\n'
                       'title = "Convention on action against trafficking 2005"\ncountry = "UNODC"\n'
                       'kind = "report"\nyear = 2005\n')
    build_index(workspace.settings, embedder=embedder)
    return Engine.open(workspace.settings, embedder=embedder)


def documents_ranked(engine, q: str, mode: str = "hybrid") -> list[str]:
    from service.schemas import SearchRequest

    return [r.document.id for r in engine.search(SearchRequest(q=q, k=5, mode=mode)).results]


@pytest.mark.parametrize("year", [2023, 2024])
def test_a_question_naming_the_year_gets_that_years_report(yearly_engine, year):
    ranked = documents_ranked(yearly_engine, f"cocaine seizures on the coastal route in the {year} update")
    yearly = [d for d in ranked if d.startswith("market-")]
    assert yearly and set(yearly) == {f"market-{year}"}, ranked


def test_without_a_year_both_reports_answer(yearly_engine):
    ranked = documents_ranked(yearly_engine, "cocaine seizures on the coastal route")
    assert {"market-2023", "market-2024"} <= set(ranked[:3]), ranked


def test_a_year_no_document_carries_changes_nothing(yearly_engine):
    from service import retrieval
    from service.schemas import SearchRequest

    q = "cocaine seizures on the coastal route"
    request = SearchRequest(q=f"{q} 1999")
    parsed = yearly_engine.parse(request)
    assert parsed.years == [1999]
    assert retrieval.admitted(yearly_engine.index, request, parsed) is None  # no passage is filtered out
    dated = SearchRequest(q=f"{q} 2024")
    assert retrieval.admitted(yearly_engine.index, dated, yearly_engine.parse(dated)) is not None
    assert parsed.carried_years == []  # named, but carried by no document: no narrowing
    # a year no document carries nor mentions leaves the ranking as it is without it
    assert documents_ranked(yearly_engine, f"{q} 2037", "lexical") == documents_ranked(yearly_engine, q, "lexical")
    assert {"market-2023", "market-2024"} <= set(documents_ranked(yearly_engine, f"{q} 1999")[:3])


def test_a_year_that_no_edition_carries_narrows_nothing(yearly_engine):
    """Only editions of a report that comes back are told apart by a year. "The 2005 law" names
    the year a convention of the corpus carries, but that convention is no edition of anything:
    the 2012 action plan, which proposes the changes to that law, still answers."""
    from service import retrieval
    from service.schemas import SearchRequest

    assert yearly_engine.index.editions == [{"market-2023": 2023, "market-2024": 2024}]
    request = SearchRequest(q="changes to the 2005 law on trafficking in human beings proposed in the action plan")
    parsed = yearly_engine.parse(request)
    assert parsed.years == [2005] and parsed.carried_years == [] and parsed.other_editions == []
    assert retrieval.admitted(yearly_engine.index, request, parsed) is None
    assert "be-thb-action-plan" in documents_ranked(yearly_engine, request.q)
    dated = yearly_engine.parse(SearchRequest(q="cocaine seizures in the 2024 update"))
    assert dated.other_editions == ["market-2023"]  # the other edition, and nothing else, is left out


def test_a_year_narrows_its_own_report_not_another_that_comes_back():
    """Three reports that come back, each in two years: naming 2023 leaves out the market
    update's 2024 edition, and neither annual report nor CND session report (none is of 2023)."""
    from service.loaded import editions, left_out

    documents = {"market-2023": {"title": "Regional drug market update 2023", "year": 2023},
                 "market-2024": {"title": "Regional drug market update 2024", "year": 2024},
                 "annual-2019": {"title": "Annual report 2019", "year": 2019},
                 "annual-2020": {"title": "Annual report 2020", "year": 2020},
                 "cnd-68": {"title": "Report on the sixty-eighth session", "year": 2025},
                 "cnd-67": {"title": "Report on the sixty-seventh session", "year": 2024},
                 "convention-2005": {"title": "Convention on action against trafficking", "year": 2005}}
    series = editions(documents)
    assert {frozenset(s) for s in series} == {frozenset({"market-2023", "market-2024"}),
                                              frozenset({"annual-2019", "annual-2020"}),
                                              frozenset({"cnd-67", "cnd-68"})}  # titles differ, ids do not

    assert left_out(series, [2023]) == ["market-2024"]
    assert left_out(series, [2020]) == ["annual-2019"]
    assert left_out(series, [2005]) == []
    assert left_out(series, [2025]) == ["cnd-67"]
