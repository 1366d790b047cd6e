"""`python -m eval bench` runs end to end on small inputs and writes well-formed results.

Benchmarks are commands, not timed tests: nothing here asserts a speed.
"""
from __future__ import annotations

import json
import shutil

import pytest

from eval import bench
from eval.loadgen import NotLoopback, percentiles, run_load


def _run(tmp_path, *argv) -> tuple[dict, str]:
    out = tmp_path / "out"
    code = bench.main([*argv, "--out", str(out), "--workdir", str(tmp_path)])
    assert code == 0
    data = json.loads((out / "bench.json").read_text("utf-8"))
    markdown = (out / "bench.md").read_text("utf-8")
    assert "errors" not in data, data.get("errors")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("precedent-bench-")], "temp copies left behind"
    return data, markdown


def _positive_latencies(lat: dict) -> None:
    assert set(lat) >= {"p50", "p95", "p99", "mean", "max"}
    assert 0 < lat["p50"] <= lat["p95"] <= lat["p99"] <= lat["max"]


def test_service_parts_run_and_report(settings, embedder, tmp_path):
    data, markdown = _run(tmp_path, "--parts", "startup,inprocess,http,soak", "--requests", "20",
                          "--concurrency", "1,4", "--warmup", "2", "--soak", "2", "--soak-concurrency", "4",
                          "--index", str(settings.index_dir), "--corpus", str(settings.corpus_dir))
    assert data["meta"]["parts"] == ["startup", "inprocess", "http", "soak"]
    assert data["startup"]["first_answer_s"] > 0 and data["startup"]["rss_after_first_answer_bytes"] > 0

    inproc = data["inprocess"]
    assert inproc["requests"] == inproc["ok"] == 20 and inproc["errors"] == 0 and inproc["qps"] > 0
    _positive_latencies(inproc["latency_ms"])
    assert inproc["breakdown"]["mean_ms"]["encode"] > 0  # the breakdown reached the engine's stages

    levels = data["http"]["levels"]
    assert [lv["concurrency"] for lv in levels] == [1, 4]
    for lv in levels:
        assert lv["requests"] == lv["ok"] == 20 and lv["errors"] == 0 and not lv["capped"]
        assert lv["statuses"] == {"200": 20} and lv["qps"] > 0 and lv["rss_max_bytes"] > 0
        assert lv["model_calls"] >= 1 and lv["mean_batch_size"] >= 1
        _positive_latencies(lv["latency_ms"])
    assert set(data["targets"]) == {"http_p50_ms_at_c1", "errors_below_capacity"}  # no level 32, no peer

    soak = data["soak"]
    assert soak["requests"] > 0 and soak["errors"] == 0 and soak["concurrency"] == 4
    assert soak["rss_start_bytes"] > 0 and soak["rss_end_bytes"] > 0
    assert soak["rss_max_bytes"] >= max(soak["rss_start_bytes"], soak["rss_end_bytes"])
    assert data["server"]["rss_peak_bytes"] >= soak["rss_max_bytes"]

    for heading in ("### Service cold start", "### In-process", "### HTTP GET /search", "### Soak", "### Targets"):
        assert heading in markdown


def test_peer_overload_and_rebuild_parts_run_and_report(settings, embedder, tmp_path):
    """Precedent beside the peer, overload past a tiny capacity, and a rebuild under load (of a
    one-document corpus, so the rebuild is short): all well-formed, with ratios and statuses."""
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    name = "belgium-cnd-position-paper-online-drug-trafficking.txt"
    shutil.copy(settings.corpus_dir / name, tiny / name)
    data, markdown = _run(tmp_path, "--parts", "compare,overload,rebuild", "--requests", "12", "--concurrency", "1,2",
                          "--warmup", "2", "--overload-clients", "16", "--overload-seconds", "2",
                          "--rebuild-idle-seconds", "1", "--rebuild-concurrency", "2", "--client", "raw",
                          "--index", str(settings.index_dir), "--corpus", str(tiny))
    compare = data["compare"]
    assert compare["names"] == ["precedent", "peer"] and [lv["concurrency"] for lv in compare["levels"]] == [1, 2]
    for lv in compare["levels"]:
        for side in lv["sides"].values():
            assert side["requests"] == side["ok"] == 12 and side["errors"] == 0
            _positive_latencies(side["latency_ms"])
        assert set(lv["ratio"]) == {"p50", "p95", "qps", "cpu_ms_per_request"}
        assert all(v is None or v > 0 for v in lv["ratio"].values())

    assert [o["clients_wait_retry_after"] for o in data["overload"]] == [False, True]
    for overload in data["overload"]:
        assert overload["concurrency"] == 16 and overload["requests"] > 0
        assert set(overload["statuses"]) <= {"200", "503"} and overload["only_200_and_503"] in (True, False)
        assert overload["rss_max_bytes"] > 0 and overload["latency_all_ms"]["p99"] > 0

    rebuild = data["rebuild"]
    assert rebuild["rebuild_status"] == 202 and rebuild["job_state"] == "succeeded" and rebuild["build_changed"]
    assert rebuild["rebuild_call_ms"] > 0 and rebuild["idle"]["requests"] > 0 and rebuild["during"]["requests"] > 0
    assert rebuild["p99_ratio"] > 0
    assert (tiny / name).read_text("utf-8") == (settings.corpus_dir / name).read_text("utf-8")  # source untouched

    assert {"p50_at_c1_vs_peer", "overload_p99_ms", "rebuild_p99_vs_idle", "rebuild_call_ms"} <= set(data["targets"])
    for heading in ("### Side by side", "### Overload", "### Search during a rebuild", "### Targets"):
        assert heading in markdown


def test_build_part_times_cold_and_incremental(settings, embedder, tmp_path):
    tiny = tmp_path / "tiny"  # one small document keeps the cold build short
    tiny.mkdir()
    name = "belgium-cnd-position-paper-online-drug-trafficking.txt"
    shutil.copy(settings.corpus_dir / name, tiny / name)
    data, markdown = _run(tmp_path, "--parts", "build", "--corpus", str(tiny))
    build = data["build"]
    assert build["cold"]["seconds"] > 0 and build["cold"]["embedded_passages"] == build["cold"]["passages"] > 0
    incr = build["incremental"]
    assert incr["changed_file"] == name and incr["documents"] == 1
    assert 0 < incr["embedded_passages"] <= incr["passages"]
    assert build["index_bytes"]["total"] == sum(build["index_bytes"]["by_file"].values()) > 0
    assert (tiny / name).read_text("utf-8") == (settings.corpus_dir / name).read_text("utf-8")  # source untouched
    assert "### Index build" in markdown


def test_scale_part_compares_exact_hnsw_ivf(tmp_path):
    data, markdown = _run(tmp_path, "--parts", "scale", "--scale", "2000", "--scale-queries", "50")
    (size,) = data["scale"]["sizes"]
    assert size["n"] == 2000 and data["scale"]["dimension"] == 384
    rows = {row["index"]: row for row in size["indexes"]}
    assert set(rows) == {"flat", "hnsw efSearch=64", "hnsw efSearch=128", "ivf nprobe=16"}
    assert rows["flat"]["recall_at_10"] == 1.0
    assert rows["ivf nprobe=16"]["params"]["nlist"] == round(2000 ** 0.5 * 4)
    for row in rows.values():
        assert row["bytes"] > 384 * 4 * 2000 and row["build_s"] >= 0 and row["latency_ms"]["p50"] > 0
        assert 0 <= row["recall_at_10"] <= 1
    assert "### Scale" in markdown


def test_loadgen_refuses_anything_but_loopback():
    with pytest.raises(NotLoopback):
        run_load("http://example.com:80", [{"q": "x"}], 1, requests=1)
    with pytest.raises(NotLoopback):
        run_load("http://10.0.0.1:8000", [{"q": "x"}], 1, requests=1)


def test_percentiles_of_nothing_and_of_something():
    assert percentiles([])["p50"] == 0.0
    p = percentiles(list(range(1, 101)))
    assert p["p50"] == 50.5 and p["max"] == 100 and p["p99"] > p["p95"] > p["p50"]
