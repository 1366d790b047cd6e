"""The parts that put HTTP load on a running service (eval/loadgen.py sends it): levels of
concurrency, Precedent beside the peer (interleaved), soak, overload past capacity, and search
while the index is rebuilt."""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from eval.bench.common import cpu_delta, median_run, ratio
from eval.bench.server import Server
from eval.loadgen import percentiles, run_load

log = logging.getLogger("eval.bench")


def server_stats(server: Server, cpu: dict, m0: dict, m1: dict, completed: int) -> dict:
    def delta(name):
        return m1.get(name, 0.0) - m0.get(name, 0.0)

    batches = delta("precedent_query_batch_size_count")
    served = delta("precedent_request_seconds_count")
    return {
        "rss_max_bytes": server.sampler.max_between(cpu["t0"], cpu["t1"]) if server.sampler else None,
        "server_cpu_ms_per_request": round(1000 * cpu["server_cpu_s"] / completed, 2) if completed else None,
        "server_cpu_util": round(cpu["server_cpu_s"] / cpu["wall_s"], 2) if cpu["wall_s"] else None,
        "client_cpu_ms_per_request": round(1000 * cpu["client_cpu_s"] / completed, 2) if completed else None,
        "model_calls": int(batches),
        "mean_batch_size": round(delta("precedent_query_batch_size_sum") / batches, 2) if batches else None,
        "server_mean_ms": round(1000 * delta("precedent_request_seconds_sum") / served, 2) if served else None,
    }


def measured_run(server: Server, queries: list[dict], concurrency: int, **load) -> dict:
    m0 = server.metrics()
    with cpu_delta(server.sampler) as cpu:
        result = run_load(server.url, queries, concurrency, **load)
    row = result.summary()
    row.update(server_stats(server, cpu, m0, server.metrics(), result.completed))
    return row


def part_http(server: Server, queries: list[dict], levels: list[int], requests: int, warmup: int, repeat: int,
              time_cap: float, timeout: float, client: str) -> dict:
    out = {"requests_per_level": requests, "time_cap_s": time_cap, "client": client, "levels": []}
    for c in levels:
        if warmup:
            run_load(server.url, queries, c, requests=max(warmup, c), time_cap=time_cap, timeout=timeout,
                     offset=len(queries) // 2, client=client)
        runs = []
        for r in range(repeat):
            row = measured_run(server, queries, c, requests=requests, time_cap=time_cap, timeout=timeout,
                               client=client)
            runs.append(row)
            log.info("http c=%d run %d: %d ok, %d errors, p50 %.1f ms, %.1f q/s", c, r + 1, row["ok"], row["errors"],
                     row["latency_ms"]["p50"], row["qps"])
        level = median_run(runs)
        if repeat > 1:
            level["runs"] = runs
        out["levels"].append(level)
    return out


def part_compare(servers: dict[str, Server], queries: list[dict], levels: list[int], requests: int, warmup: int,
                 repeat: int, time_cap: float, timeout: float, client: str) -> dict:
    """Precedent and the peer, measured in turn at each level (the order swaps every round), so
    a change in the machine's load falls on both; each figure with Precedent / peer."""
    names = list(servers)
    runs: dict[tuple[str, int], list[dict]] = {}
    for name, server in servers.items():  # warm both before anything is measured
        run_load(server.url, queries, max(levels), requests=max(warmup, max(levels)), time_cap=time_cap,
                 timeout=timeout, offset=len(queries) // 2, client=client)
    for r in range(max(1, repeat)):
        for c in levels:
            for name in (names if r % 2 == 0 else names[::-1]):
                row = measured_run(servers[name], queries, c, requests=requests, time_cap=time_cap, timeout=timeout,
                                   client=client)
                runs.setdefault((name, c), []).append(row)
                log.info("compare %s c=%d round %d: p50 %.1f ms, %.1f q/s, %d errors", name, c, r + 1,
                         row["latency_ms"]["p50"], row["qps"], row["errors"])
    levels_out = []
    for c in levels:
        sides = {name: median_run(runs[(name, c)]) for name in names}
        p, q = sides[names[0]], sides[names[1]]
        levels_out.append({"concurrency": c, "sides": sides, "ratio": {
            "p50": ratio(p["latency_ms"]["p50"], q["latency_ms"]["p50"]),
            "p95": ratio(p["latency_ms"]["p95"], q["latency_ms"]["p95"]),
            "qps": ratio(p["qps"], q["qps"]),
            "cpu_ms_per_request": ratio(p["server_cpu_ms_per_request"], q["server_cpu_ms_per_request"])}})
    return {"names": names, "client": client, "requests_per_level": requests, "rounds": max(1, repeat),
            "levels": levels_out,
            "note": "interleaved: each round runs every level on each service in turn, the order swapped every "
                    "round; the run with the median queries/s of each service and level is shown; ratio = "
                    f"{names[0]} / {names[1]}"}


def rss_window(sampler, t0: float, t1: float, seconds: float, rss_start: int | None, rss_end: int | None,
               warmup_share: float = 0.25) -> dict:
    """RSS over a run, and whether it stayed flat once the warm-up (new connections, bigger batches,
    allocator arenas; `warmup_share` of the run) was over: after it, RSS may grow by no more than
    2% or 16 MiB, whichever is more."""
    window = [(t - t0, v) for t, v in sampler.samples if t0 <= t <= t1]
    step = max(1.0, seconds / 12)
    timeline, next_t = [], 0.0
    for t, v in window:
        if t >= next_t:
            timeline.append([round(t, 1), v])
            next_t += step
    rss_max = max([v for _, v in window] + [x for x in (rss_start, rss_end) if x is not None], default=None)
    settled = next((v for t, v in window if t >= seconds * warmup_share), None)
    late_growth = (rss_end - settled) if settled and rss_end else None
    return {"rss_start_bytes": rss_start, "rss_end_bytes": rss_end, "rss_max_bytes": rss_max,
            "rss_growth_bytes": (rss_end - rss_start) if rss_start and rss_end else None,
            "rss_after_warmup_bytes": settled, "rss_growth_after_warmup_bytes": late_growth,
            "warmup_share": warmup_share,
            "memory_flat": late_growth is not None and late_growth <= max(0.02 * settled, 16 * 2**20),
            "rss_timeline": timeline}


def part_soak(server: Server, queries: list[dict], seconds: float, concurrency: int, timeout: float,
              client: str) -> dict:
    rss_start = server.sampler.rss()
    m0 = server.metrics()
    with cpu_delta(server.sampler) as cpu:
        result = run_load(server.url, queries, concurrency, duration=seconds, time_cap=seconds, timeout=timeout,
                          client=client)
    m1 = server.metrics()
    row = result.summary()
    row.pop("planned_requests", None)
    row.update(server_stats(server, cpu, m0, m1, result.completed))
    row.update(rss_window(server.sampler, cpu["t0"], cpu["t1"], seconds, rss_start, server.sampler.rss()))
    row["requests_timeline"] = [list(x) for x in result.timeline[:: max(1, int(max(1.0, seconds / 12)))]]
    return row


def part_overload(server: Server, queries: list[dict], clients: int, seconds: float, timeout: float,
                  client: str, retry_after: bool = False) -> dict:
    """Far more clients than the service can serve, each sending again as soon as it is answered
    (or, `retry_after`, once the Retry-After of a 503 has passed): what they get (by status), how
    fast (p99 over every answer), and whether memory stays flat."""
    rss_start = server.sampler.rss()
    m0 = server.metrics()
    with cpu_delta(server.sampler) as cpu:
        result = run_load(server.url, queries, clients, duration=seconds, time_cap=seconds, timeout=timeout,
                          client=client, retry_after=retry_after)
    m1 = server.metrics()
    row = result.summary()
    row.pop("planned_requests", None)
    row.update(server_stats(server, cpu, m0, m1, result.completed))
    # hundreds of connections opening and closing take longer to settle than the soak: half the run is warm-up
    row.update(rss_window(server.sampler, cpu["t0"], cpu["t1"], seconds, rss_start, server.sampler.rss(), 0.5))
    row["clients_wait_retry_after"] = retry_after
    row["latency_503_ms"] = percentiles(result.latencies_of(503))
    row["only_200_and_503"] = set(row["statuses"]) <= {"200", "503"} and not row["exceptions"]
    row["batcher_restarts"] = int(m1.get("precedent_batcher_restarts_total", 0) - m0.get(
        "precedent_batcher_restarts_total", 0))
    return row


def part_rebuild(server: Server, corpus_dir: Path, queries: list[dict], concurrency: int, idle_s: float,
                 timeout: float, client: str, job_cap_s: float = 600.0) -> dict:
    """Search latency idle, then while POST /admin/rebuild re-embeds every document (each corpus
    file of the bench's copy gets one more sentence), and how long the rebuild call took to answer."""
    import httpx

    from eval.bench.parts import append_sentence

    idle = run_load(server.url, queries, concurrency, duration=idle_s, time_cap=idle_s, timeout=timeout,
                    client=client)
    for path in sorted(p for p in corpus_dir.iterdir() if p.is_file() and p.suffix in {".txt", ".md"}):
        append_sentence(path)
    headers = {"X-Admin-Token": server.admin_token or ""}
    stop, box = threading.Event(), {}
    loader = threading.Thread(target=lambda: box.update(result=run_load(
        server.url, queries, concurrency, duration=job_cap_s, time_cap=job_cap_s, timeout=timeout, client=client,
        stop=stop)), name="rebuild-load", daemon=True)
    with httpx.Client(base_url=server.url, timeout=30, trust_env=False) as admin:
        build_before = admin.get("/health").json().get("build_id")
        loader.start()
        time.sleep(1.0)  # the load is running before the rebuild starts
        t0 = time.perf_counter()
        response = admin.post("/admin/rebuild", headers=headers)
        call_ms = (time.perf_counter() - t0) * 1000
        job = response.json()
        while response.status_code == 202 and time.perf_counter() - t0 < job_cap_s:
            job = admin.get(job["url"] if "url" in job else f"/admin/jobs/{job['id']}", headers=headers).json()
            if job.get("state") in ("succeeded", "failed"):
                break
            time.sleep(0.25)
        t1 = time.perf_counter()
        time.sleep(0.5)
        stop.set()
        loader.join(timeout=timeout + 30)
        build_after = admin.get("/health").json().get("build_id")
    during = box["result"]
    idle_lat, during_lat = percentiles(idle.latencies_ms), percentiles(during.latencies_of(200, t0, t1))
    window = [s for s in during.samples if t0 - during.started_at <= s[0] <= t1 - during.started_at]
    return {"concurrency": concurrency, "rebuild_call_ms": round(call_ms, 1), "rebuild_status": response.status_code,
            "job_state": job.get("state"), "job_seconds": round(t1 - t0, 2), "job_summary": job.get("summary"),
            "job_error": job.get("error"), "build_changed": build_before != build_after,
            "idle": {"requests": idle.completed, "errors": idle.errors, "latency_ms": idle_lat,
                     "qps": idle.summary()["qps"]},
            "during": {"requests": len(window), "errors": sum(1 for s in window if s[2] != 200),
                       "exceptions": during.exceptions, "latency_ms": during_lat,
                       "qps": round(len(window) / (t1 - t0), 2) if t1 > t0 else 0.0},
            "p99_ratio": ratio(during_lat["p99"], idle_lat["p99"]),
            "p50_ratio": ratio(during_lat["p50"], idle_lat["p50"])}
