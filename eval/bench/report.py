"""The bench's results as Markdown (stdout and bench.md), and the targets each run is held to."""
from __future__ import annotations

from eval.bench.common import mib

TARGET_P50_C1_MS = 30.0
TARGET_QPS_C32 = 150.0
TARGET_P50_RATIO = 0.6  # Precedent's p50 at concurrency 1 / the peer's
TARGET_QPS_RATIO = 4.0  # Precedent's queries/s at concurrency 32 / the peer's
TARGET_OVERLOAD_P99_MS = 1000.0
TARGET_REBUILD_P99_RATIO = 3.0
TARGET_REBUILD_CALL_MS = 1000.0


def fmt(x, digits=1) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(fmt(c) if not isinstance(c, str) else c for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _target(wanted: str, measured, met: bool) -> dict:
    return {"target": wanted, "measured": measured, "met": bool(met)}


def targets(results: dict) -> dict:
    out = {}
    levels = {lv["concurrency"]: lv for lv in results.get("http", {}).get("levels", [])}
    if 1 in levels:
        p50 = levels[1]["latency_ms"]["p50"]
        out["http_p50_ms_at_c1"] = _target(f"<= {TARGET_P50_C1_MS:g}", p50,
                                           p50 <= TARGET_P50_C1_MS and levels[1]["errors"] == 0)
    if 32 in levels:
        qps, errors = levels[32]["qps"], levels[32]["errors"]
        out["http_qps_at_c32"] = _target(f">= {TARGET_QPS_C32:g}, no errors", qps, qps >= TARGET_QPS_C32 and not errors)
    compare = {lv["concurrency"]: lv for lv in results.get("compare", {}).get("levels", [])}
    if 1 in compare:
        r = compare[1]["ratio"]["p50"]
        out["p50_at_c1_vs_peer"] = _target(f"<= {TARGET_P50_RATIO:g}x", fmt(r, 2),
                                           r is not None and r <= TARGET_P50_RATIO)
    if 32 in compare:
        r = compare[32]["ratio"]["qps"]
        out["qps_at_c32_vs_peer"] = _target(f">= {TARGET_QPS_RATIO:g}x", fmt(r, 2),
                                            r is not None and r >= TARGET_QPS_RATIO)
    below = [lv["errors"] for lv in results.get("http", {}).get("levels", [])]
    below += [lv["sides"][results["compare"]["names"][0]]["errors"] for lv in compare.values()]
    if below:
        out["errors_below_capacity"] = _target("0", sum(below), sum(below) == 0)
    for o in results.get("overload", []):
        how = "_retry_after" if o["clients_wait_retry_after"] else ""
        p99 = o["latency_all_ms"]["p99"]
        out[f"overload{how}_only_200_503"] = _target("only 200 and 503", ", ".join(
            f"{k}: {v}" for k, v in {**o["statuses"], **o["exceptions"]}.items()), o["only_200_and_503"])
        out[f"overload{how}_p99_ms"] = _target(f"<= {TARGET_OVERLOAD_P99_MS:g}", p99, p99 <= TARGET_OVERLOAD_P99_MS)
        out[f"overload{how}_memory_flat"] = _target("flat", o["memory_flat"], o["memory_flat"])
    if "pdf" in results:
        pdf = results["pdf"]
        out["pdf_pages_per_second"] = _target(">= 50, every passage verified", pdf["pages_per_second"],
                                              pdf["pages_per_second"] >= 50 and not pdf["passages_failing_verification"])
    if "rebuild" in results:
        rb = results["rebuild"]
        out["rebuild_p99_vs_idle"] = _target(f"<= {TARGET_REBUILD_P99_RATIO:g}x", fmt(rb["p99_ratio"], 2),
                                             rb["p99_ratio"] is not None and rb["p99_ratio"] <= TARGET_REBUILD_P99_RATIO
                                             and rb["job_state"] == "succeeded")
        out["rebuild_call_ms"] = _target(f"< {TARGET_REBUILD_CALL_MS:g}", rb["rebuild_call_ms"],
                                         rb["rebuild_call_ms"] < TARGET_REBUILD_CALL_MS and rb["rebuild_status"] == 202)
    return out


def _build(b: dict) -> list[str]:
    rows = [["cold (empty index folder)", b["cold"]["seconds"], b["cold"]["passages"], b["cold"]["embedded_passages"],
             b["cold"]["reused_passages"]],
            [f"incremental ({b['incremental']['changed_file']} + 1 sentence)", b["incremental"]["seconds"],
             b["incremental"]["passages"], b["incremental"]["embedded_passages"], b["incremental"]["reused_passages"]]]
    return [f"### Index build ({b.get('encoder', 'torch')} encoder)",
            table(["build", "seconds", "passages", "embedded", "reused"], rows),
            f"Model load before building: {b['model_load_s']:.1f} s. Index on disk: "
            f"{b['index_bytes']['total'] / 2**20:.2f} MiB ("
            + ", ".join(f"{k} {v / 2**10:.0f} KiB" for k, v in b["index_bytes"]["by_file"].items()) + ")"]


def _inprocess(p: dict) -> list[str]:
    lat = p["latency_ms"]
    out = [f"### In-process (Engine.search, gold queries, {p.get('encoder', 'torch')} encoder)",
           table(["requests", "errors", "p50 ms", "p95 ms", "p99 ms", "mean ms", "queries/s"],
                 [[p["requests"], p["errors"], lat["p50"], lat["p95"], lat["p99"], lat["mean"], p["qps"]]])]
    bd = p.get("breakdown", {})
    if "mean_ms" in bd:
        out += ["Where one query's time goes (mean ms): " + ", ".join(f"{k} {v:.2f}" for k, v in bd["mean_ms"].items())]
    if p.get("search_batch_ms_per_query"):
        out += ["search_batch ms per query at batch size "
                + ", ".join(f"{k}: {v:.1f}" for k, v in p["search_batch_ms_per_query"].items())]
    return out


def _http(h: dict) -> list[str]:
    rows = []
    for lv in h["levels"]:
        lat = lv["latency_ms"]
        rows.append([lv["concurrency"], lv["requests"], lv["errors"], lat["p50"], lat["p95"], lat["p99"], lv["qps"],
                     lv["mean_batch_size"], lv["server_cpu_ms_per_request"], lv["server_mean_ms"],
                     lv["client_cpu_ms_per_request"], mib(lv["rss_max_bytes"]), "yes" if lv["capped"] else "no"])
    return [f"### HTTP GET /search (127.0.0.1, {h['client']} client)",
            table(["concurrency", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "queries/s", "batch size",
                   "server CPU ms/req", "server ms", "client CPU ms/req", "peak RSS MiB", "time-capped"], rows),
            "batch size: queries per model call (from /metrics); server ms: the service's own mean /search "
            "time; CPU per request counts every thread of the service (the load generator shares the machine's CPUs)."]


def _compare(c: dict) -> list[str]:
    a, b = c["names"]
    rows = []
    for lv in c["levels"]:
        pa, pb, r = lv["sides"][a], lv["sides"][b], lv["ratio"]
        for label, key, get in (("p50 ms", "p50", lambda s: s["latency_ms"]["p50"]),
                                ("p95 ms", "p95", lambda s: s["latency_ms"]["p95"]),
                                ("queries/s", "qps", lambda s: s["qps"]),
                                ("server CPU ms/request", "cpu_ms_per_request",
                                 lambda s: s["server_cpu_ms_per_request"])):
            rows.append([lv["concurrency"], label, get(pa), get(pb), fmt(r[key], 2)])
        rows.append([lv["concurrency"], "errors", pa["errors"], pb["errors"], ""])
    return [f"### Side by side: {a} and {b} (the service a user would write), interleaved",
            table(["concurrency", "figure", a, b, f"ratio {a}/{b}"], rows), c["note"]]


def _soak(s: dict) -> list[str]:
    return [f"### Soak: {s['concurrency']} clients for {s['duration_s']:.0f} s",
            table(["requests", "errors", "queries/s", "p50 ms", "p99 ms", "RSS start MiB", "RSS end MiB", "RSS max MiB",
                   "growth MiB", "growth after first 25% MiB", "memory flat"],
                  [[s["requests"], s["errors"], s["qps"], s["latency_ms"]["p50"], s["latency_ms"]["p99"],
                    mib(s["rss_start_bytes"]), mib(s["rss_end_bytes"]), mib(s["rss_max_bytes"]),
                    mib(s["rss_growth_bytes"]), mib(s["rss_growth_after_warmup_bytes"]), s["memory_flat"]]]),
            "RSS over the soak (s: MiB): " + ", ".join(f"{t:.0f}: {mib(v)}" for t, v in s["rss_timeline"])]


def _overload(runs: list[dict]) -> list[str]:
    rows = []
    for o in runs:
        statuses = ", ".join(f"{k}: {v}" for k, v in {**o["statuses"], **o["exceptions"]}.items())
        rows.append(["as Retry-After says" if o["clients_wait_retry_after"] else "at once", o["requests"], statuses,
                     o["qps"], o["latency_all_ms"]["p50"], o["latency_all_ms"]["p99"], o["latency_ms"]["p99"],
                     o["latency_503_ms"]["p99"], o["mean_batch_size"], o["server_cpu_util"], mib(o["rss_start_bytes"]),
                     mib(o["rss_max_bytes"]), mib(o["rss_growth_after_warmup_bytes"]), o["memory_flat"],
                     o["batcher_restarts"]])
    return [f"### Overload: {runs[0]['concurrency']} clients for {runs[0]['duration_s']:.0f} s",
            table(["clients retry", "requests", "by status", "answered 200 /s", "p50 ms (all)", "p99 ms (all)",
                   "p99 ms (200)", "p99 ms (503)", "batch size", "server CPUs busy", "RSS start MiB", "RSS max MiB",
                   "growth after first half MiB", "memory flat", "batcher restarts"], rows),
            "at once: each client sends its next request as soon as it has an answer, 503 or not (the load "
            "generator itself then takes a good part of the two cores); as Retry-After says: after a 503 a client "
            "waits the seconds the header gives, as polite HTTP clients do."]


def _rebuild(rb: dict) -> list[str]:
    i, d = rb["idle"], rb["during"]
    return [f"### Search during a rebuild ({rb['concurrency']} clients; every document re-embedded)",
            table(["window", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "queries/s"],
                  [["idle", i["requests"], i["errors"], i["latency_ms"]["p50"], i["latency_ms"]["p95"],
                    i["latency_ms"]["p99"], i["qps"]],
                   ["during the rebuild", d["requests"], d["errors"], d["latency_ms"]["p50"], d["latency_ms"]["p95"],
                    d["latency_ms"]["p99"], d["qps"]]]),
            f"POST /admin/rebuild answered {rb['rebuild_status']} in {rb['rebuild_call_ms']:.1f} ms; the job "
            f"{rb['job_state']} after {rb['job_seconds']:.1f} s; new build served: {fmt(rb['build_changed'])}; "
            f"p99 during / idle: {fmt(rb['p99_ratio'], 2)}, p50: {fmt(rb['p50_ratio'], 2)}"]


def _scale(sc: dict) -> list[str]:
    rows = []
    for size in sc["sizes"]:
        for ix in size["indexes"]:
            more = ix.get("latency_candidates_ms") or {}
            rows.append([size["n"], ix["index"], ix["build_s"], mib(ix["bytes"]), mib(ix["rss_delta_bytes"]),
                         f"{ix['latency_ms']['p50']:.3f}", f"{ix['latency_ms']['p95']:.3f}",
                         f"{more['p50']:.3f}" if more else "–", f"{ix['latency_1thread_ms']['p50']:.3f}",
                         f"{ix['recall_at_10']:.4f}"])
    return [f"### Scale: synthetic {sc['dimension']}-d clustered unit vectors, {sc['queries']} queries, "
            f"faiss {sc['faiss']} ({sc['omp_threads']} threads)",
            table(["n", "index", "build s", "size MiB", "RSS delta MiB", "p50 ms k=10 (batch 1)", "p95 ms k=10",
                   f"p50 ms k={sc.get('candidates')}", "p50 ms k=10, 1 thread", "recall@10"], rows),
            f"Latency is one query per search call with FAISS's default {sc['omp_threads']} OpenMP threads (as "
            f"in the service) unless marked 1 thread; the engine asks FAISS for {sc.get('candidates')} candidates "
            "per query. Recall@10 is against the exact (flat) answers."]


def markdown(results: dict) -> str:
    meta = results["meta"]
    out = [f"## Precedent bench — {meta['started_at']}",
           f"{meta['machine']['cpus']} CPUs, load average {meta['machine']['loadavg']} at start, "
           f"{meta['loadavg_end']} at end; commit {(meta['git']['commit'] or '?')[:10]}"
           f"{' (dirty)' if meta['git']['dirty'] else ''}; parts: {','.join(meta['parts'])}"]
    if "build" in results:
        out += _build(results["build"])
    if "startup" in results:
        s = results["startup"]
        out += ["### Service cold start",
                table(["first /search answer (s)", "first connection (s)", "first request (ms)", "RSS after (MiB)"],
                      [[s["first_answer_s"], s["first_connection_s"], s["first_request_ms"],
                        mib(s["rss_after_first_answer_bytes"])]])]
    if "encoder" in results:
        enc = results["encoder"]
        out += ["### The encoder against sentence-transformers fp32",
                table(["vectors", "n", "min cosine", "same top 10, same order", "same top 10 as a set"],
                      [[f["vectors"], f["n"], f"{f['min_cosine']:.6f}", f"{f['same_top10_order']:.3f}",
                        f"{f['same_top10_set']:.3f}"] for f in enc["fidelity"]]),
                table(["runtime", "precision", "threads", "batch 1 p50", "batch 1 p95", "batch 8, per query",
                       "batch 32, per query"],
                      [[s["runtime"], s["precision"], s["threads"], s["batch1_p50_ms"], s["batch1_p95_ms"],
                        s["batch8_ms_per_query"], s["batch32_ms_per_query"]] for s in enc["speed"]])]
    if "pdf" in results:
        pdf = results["pdf"]
        out += ["### PDF ingestion (no embedding)",
                table(["files", "pages", "passages", "failing verification", "seconds", "pages/s"],
                      [[pdf["files"], pdf["pages"], pdf["passages"], pdf["passages_failing_verification"],
                        pdf["seconds"], pdf["pages_per_second"]]])]
    sections = (("inprocess", _inprocess), ("http", _http), ("compare", _compare), ("soak", _soak),
                ("overload", _overload), ("rebuild", _rebuild))
    for key, render in sections:
        if key in results:
            out += render(results[key])
    if results.get("targets"):
        rows = [[k, v["target"], v["measured"], v["met"]] for k, v in results["targets"].items()]
        out += ["### Targets", table(["target", "wanted", "measured", "met"], rows)]
    if "server" in results and results["server"].get("rss_peak_bytes"):
        out += [f"Service peak RSS over the whole run: {mib(results['server']['rss_peak_bytes'])} MiB"]
    if "scale" in results:
        out += _scale(results["scale"])
    if results.get("errors"):
        out += ["### Parts that failed"] + [f"- {k}: {v}" for k, v in results["errors"].items()]
    return "\n\n".join(out) + "\n"
