"""`precedent`, the one command line, run as a user runs it: a subprocess over a real index."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def run(settings):
    env = {**os.environ, "PRECEDENT_CORPUS_DIR": str(settings.corpus_dir), "PRECEDENT_INDEX_DIR": str(settings.index_dir),
           "HF_HUB_OFFLINE": "1"}

    def precedent(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "precedent", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300)
    return precedent


def test_search_prints_ranked_passages_with_exact_citations(run, settings):
    done = run("search", "FIU access to police", "--country", "Belgium", "-k", "3", "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)["results"]
    assert len(results) == 3 and {r["document"]["country"] for r in results} == {"Belgium"}
    first = results[0]["citation"]
    text = (settings.corpus_dir / first["file"]).read_text("utf-8")
    assert text[first["start"]:first["end"]].startswith(results[0]["text"][:40])


def test_ask_across_countries_prints_one_line_per_country(run):
    done = run("ask", "which countries grant FIU access to police?")
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("By country: Issue IV, Recommendation 1")
    rows = [line for line in lines[1:] if line.startswith(("  Belgium", "  Luxembourg"))]
    assert len(rows) == 2 and all(".txt:" in row for row in rows), done.stdout


def test_ask_about_a_whole_issue_prints_each_recommendations_rows(run):
    done = run("ask", "issue IV comments by country")
    assert done.returncode == 0, done.stderr[-2000:]
    heads = sorted(line for line in done.stdout.splitlines() if line.startswith("By country: "))
    assert heads == [f"By country: Issue IV, Recommendation {n}" for n in (1, 2, 3, 4)], done.stdout
    rows = [line for line in done.stdout.splitlines() if line.startswith(("  Belgium", "  Luxembourg"))]
    assert len(rows) == 8, done.stdout


def test_build_when_current_says_so(run):
    done = run("build", "--if-stale")
    assert done.returncode == 0 and "is up to date" in done.stdout, done.stderr[-2000:]


def test_bad_filter_is_one_line_with_the_valid_values(run):
    done = run("search", "anything", "--kind", "treaty")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == ("precedent search: unknown kind 'treaty'; valid values: "
                                                    "questionnaire-response, action-plan, position-paper, report")
    assert "Traceback" not in done.stderr


def test_settings_prints_every_setting(run):
    from indexer.settings import Settings

    done = run("settings")
    assert done.returncode == 0
    assert all(f"PRECEDENT_{name.upper()}" in done.stdout for name in Settings.model_fields)


def test_a_build_logs_at_the_level_set_and_no_librarys_debug_lines(workspace):
    """bm25s sets its own logger to DEBUG when imported: every build had printed its "DEBUG
    bm25s: Building index from IDs objects". At the default level a build prints INFO and up."""
    env = {**os.environ, "PRECEDENT_CORPUS_DIR": str(workspace.corpus), "PRECEDENT_INDEX_DIR": str(workspace.index),
           "HF_HUB_OFFLINE": "1"}
    env.pop("PRECEDENT_LOG_LEVEL", None)
    done = subprocess.run([sys.executable, "-m", "precedent", "build"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Index built at" in done.stdout + done.stderr
    assert not [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("DEBUG")], done.stderr


def test_ask_about_a_country_no_document_is_of_says_so_first(run):
    done = run("ask", "What did Brazil report on FIU access for police?")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines()[0] == "No document in the index is of Brazil: this is what the other documents say."


@pytest.mark.parametrize("args, env, code, last_line", [
    (("search", "FIU", "-k", "0"), {}, 2, "precedent search: error: argument -k: '0': give a whole number from 1 to 100"),
    (("ask", "FIU", "-k", "1000"), {}, 2, "precedent ask: error: argument -k: '1000': give a whole number from 1 to 100"),
    (("search", "FIU"), {"PRECEDENT_FUSION": "foo"}, 2, "precedent: PRECEDENT_FUSION='foo': Input should be 'rrf' or 'wsum'"),
    # settings out of their range, each a line naming the variable (tracebacks, or nan scores, before)
    (("search", "FIU"), {"PRECEDENT_DENSE_WEIGHT": "nan"}, 2, "precedent: PRECEDENT_DENSE_WEIGHT='nan': Input should be a "
                                                             "finite number"),
    (("search", "FIU"), {"PRECEDENT_MODEL_THREADS": "-3"}, 2, "precedent: PRECEDENT_MODEL_THREADS='-3': Input should be "
                                                             "greater than or equal to 0"),
    (("search", "FIU"), {"PRECEDENT_LOG_LEVEL": "LOUD"}, 2, "precedent: PRECEDENT_LOG_LEVEL='LOUD': String should match "
                                                           "pattern '(?i)^(?:debug|info|warning|error|critical)$'"),
    (("search", "FIU", "--k", "5"), {}, 2, "precedent: error: unrecognized arguments: --k 5"),  # no "--kind 5"
    (("search", "FIU"), {"PRECEDENT_INDEX_DIR": "/nonexistent/index"}, 1,
     "precedent search: No index at /nonexistent/index. Build one with `precedent build` (or `make index`)."),
    (("ask", "caf\udce9 FIU"), {}, 2, "precedent ask: the query `q` holds U+DCE9, which is no character (a lone "
                                     "surrogate: text not in UTF-8?); send the query as UTF-8 text"),
    (("ask", "Issue II, Recommendation 99"), {}, 0, None),
])
def test_bad_arguments_settings_and_bytes_are_one_line_not_a_traceback(run, settings, args, env, code, last_line):
    """-k outside 1-100, a PRECEDENT_* setting it cannot be, no index, and bytes that are not
    UTF-8 (a latin-1 terminal's "café": Python reads them as lone surrogates) each end in one
    line saying what to do; a recommendation that does not exist is said so, first."""
    environment = {**os.environ, "PRECEDENT_CORPUS_DIR": str(settings.corpus_dir),
                   "PRECEDENT_INDEX_DIR": str(settings.index_dir), "HF_HUB_OFFLINE": "1", **env}
    argv = [a.encode("utf-8", "surrogateescape") for a in args]  # the bytes a terminal would pass
    done = subprocess.run([sys.executable.encode(), b"-m", b"precedent", *argv], cwd=ROOT, env=environment,
                          capture_output=True, timeout=300)
    out, err = done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    assert done.returncode == code and "Traceback" not in err, err[-2000:]
    if last_line:
        assert err.strip().splitlines()[-1] == last_line
    else:
        assert out.splitlines()[0] == "No passage is headed Issue 2, Recommendation 99."
