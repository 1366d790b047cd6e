"""`precedent eval bench`: how fast Precedent builds, starts, answers, holds under overload and
rebuilds, beside the service a user would write.

Parts (choose with --parts; default build,startup,inprocess,http,compare,overload,rebuild):

  build      cold build into an empty index folder, then an incremental build after one
             sentence is appended to (a copy of) one corpus file; index size on disk
  encoder    each runtime (OpenVINO, torch), precision and thread count: fidelity to
             sentence-transformers fp32 over every gold query, and ms per query at batch
             1, 8 and 32, interleaved; not in the default set
  pdf        PDF pages read per second before the model (extract, parse, verify), over
             ../shared/real-documents or --pdfs DIR; not in the default set
  startup    `precedent serve` started as a subprocess on a free 127.0.0.1 port;
             seconds until the first /search answer succeeds
  inprocess  Engine.search latency on the gold queries, plus where one query's time goes
  http       GET /search at each --concurrency level: latency percentiles, queries/s, errors,
             server CPU per request, model batch size, peak RSS
  compare    Precedent and the peer (eval/peer.py: FastAPI + sentence-transformers + FAISS, one
             model call per request) at each level, interleaved, with Precedent/peer ratios
  soak       --soak SECONDS of 32 concurrent clients: requests, errors, RSS start/end/max
  overload   --overload-clients (256) clients for --overload-seconds, first retrying at once, then
             waiting as Retry-After says: counts by status, p99, RSS
  rebuild    search p99 idle and during POST /admin/rebuild (every document re-embedded), and how
             long the rebuild call took to answer
  scale      --scale 100000,1000000: FAISS exact vs HNSW vs IVF on synthetic vectors

Everything runs on temporary copies of the corpus and index (never the originals) and only
ever sends requests to 127.0.0.1. Results: Markdown on stdout, JSON (and the same Markdown)
in --out. The JSON records the load average before and after so a noisy run can be recognised.
"""
from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from eval.bench import load, parts, report
from eval.bench.common import GOLD, ROOT, git, int_list, load_queries, machine, versions
from eval.bench.server import Server
from eval.loadgen import CLIENTS

log = logging.getLogger("eval.bench")
DEFAULT_OUT = ROOT / "results" / "bench"
DEFAULT_PARTS = ("build", "startup", "inprocess", "http", "compare", "overload", "rebuild")
ALL_PARTS = DEFAULT_PARTS + ("encoder", "pdf", "soak", "scale")
SERVER_PARTS = {"startup", "http", "compare", "soak", "overload", "rebuild"}


def _parts(text: str) -> list[str]:
    chosen = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in ALL_PARTS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown part(s) {', '.join(unknown) or text!r}; "
                                         f"choose from {','.join(ALL_PARTS)}")
    return [p for p in ALL_PARTS if p in chosen]  # always run in the order that leaves the index for last


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="precedent eval bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--parts", type=_parts, default=None,
                   help=f"comma list of {','.join(ALL_PARTS)} (default: {','.join(DEFAULT_PARTS)}, plus soak "
                        "and scale when --soak / --scale are given)")
    p.add_argument("--requests", type=int, default=400, help="requests per concurrency level and in-process run")
    p.add_argument("--concurrency", type=int_list, default=[1, 8, 32], help="HTTP concurrency levels, e.g. 1,8,32")
    p.add_argument("--soak", type=float, default=None, metavar="SECONDS", help="run the soak for this long")
    p.add_argument("--soak-concurrency", type=int, default=32)
    p.add_argument("--overload-clients", type=int, default=256, help="clients in the overload part")
    p.add_argument("--overload-seconds", type=float, default=30.0, help="how long each overload run lasts")
    p.add_argument("--rebuild-concurrency", type=int, default=8, help="clients searching during the rebuild part")
    p.add_argument("--rebuild-idle-seconds", type=float, default=10.0, help="idle window measured before the rebuild")
    p.add_argument("--scale", type=int_list, default=None, metavar="N,N", help="synthetic sizes, e.g. 100000,1000000")
    p.add_argument("--scale-queries", type=int, default=200, help="queries per index in the scale part")
    p.add_argument("--hnsw-ef-construction", type=int, default=80,
                   help="HNSW efConstruction in the scale part (80 = what indexer/faiss_index.py builds)")
    p.add_argument("--pdfs", type=Path, default=None, metavar="DIR",
                   help="PDFs the pdf part reads (default: ../shared/real-documents)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for bench.json and bench.md")
    p.add_argument("--index", "--index-dir", dest="index", type=Path, default=None,
                   help="index to copy and serve when the build part is not run (default: PRECEDENT_INDEX_DIR)")
    p.add_argument("--corpus", "--corpus-dir", dest="corpus", type=Path, default=None,
                   help="corpus to copy (default: PRECEDENT_CORPUS_DIR)")
    p.add_argument("--gold", type=Path, default=GOLD, help="JSONL whose `query` fields are the bench queries")
    p.add_argument("--k", type=int, default=10, help="results per query")
    p.add_argument("--warmup", type=int, default=20, help="unmeasured requests before each run / level")
    p.add_argument("--repeat", type=int, default=1,
                   help="runs per HTTP level, in-process, and rounds of the side-by-side comparison; the run with the "
                        "median queries/s is reported")
    p.add_argument("--client", choices=CLIENTS, default="httpx",
                   help="load generator client: httpx (an httpx.AsyncClient per worker) or raw (a minimal asyncio "
                        "HTTP/1.1 client, ~10x less client CPU: use it to measure server capacity on 2 shared cores)")
    p.add_argument("--unique-queries", action="store_true",
                   help="append the request number to each query so that no cache can answer a repeat")
    p.add_argument("--time-cap", type=float, default=120.0, help="seconds at most per HTTP level")
    p.add_argument("--request-timeout", type=float, default=30.0, help="seconds before one HTTP request fails")
    p.add_argument("--startup-timeout", type=float, default=300.0)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--profile", action="store_true", help="also cProfile the in-process searches into --out")
    p.add_argument("--workdir", type=Path, default=None, help="where the temporary copies go (default: system temp)")
    p.add_argument("--keep", action="store_true", help="keep the temporary copies and the server log")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed or any request failed")
    args = p.parse_args(argv)
    if args.parts is None:
        args.parts = _parts(",".join(list(DEFAULT_PARTS) + (["soak"] if args.soak else [])
                                     + (["scale"] if args.scale else [])))
    if "soak" in args.parts and not args.soak:
        args.soak = 60.0
    if "scale" in args.parts and not args.scale:
        args.scale = [100_000]
    if args.requests < 1:
        p.error("--requests must be at least 1")
    return args


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _prepare(args, ws: Path, source_index: Path, source_corpus: Path, results: dict) -> None:
    """The bench's own copies: the corpus, and the source's served build (or a fresh one)."""
    shutil.copytree(source_corpus, ws / "corpus")
    if "build" in args.parts:
        results["build"] = parts.part_build(ws)
        return
    (ws / "index").mkdir()
    try:
        results["meta"]["served_build"] = parts.copy_index(source_index, ws / "index")
    except Exception as exc:  # noqa: BLE001 - no usable index: build one (not timed)
        log.warning("no index to copy from %s (%s); building one", source_index, exc)
        from indexer.build import build_index

        shutil.rmtree(ws / "index")
        build_index(parts.settings_for(ws / "index", ws / "corpus"), embedder=parts.embedder()[0])


def _run_servers(args, ws: Path, queries: list[str], results: dict, started: list[Server]) -> None:
    chosen = set(args.parts)
    precedent = Server(ws / "index", ws / "corpus", ws / "server.log", args.startup_timeout,
                       admin_token=secrets.token_hex(16))
    started.append(precedent)
    log.info("startup: starting the service")
    results["startup"] = precedent.start(queries[0])
    log.info("startup: first answer after %.1f s", results["startup"]["first_answer_s"])
    http_queries = [{"q": q, "k": args.k} for q in queries]
    if args.unique_queries:  # as many distinct queries as any level sends, all different
        total = max(args.requests, args.warmup, max(args.concurrency)) * 4
        http_queries = [{"q": f"{queries[i % len(queries)]} {i}", "k": args.k} for i in range(total)]
    common = dict(time_cap=args.time_cap, timeout=args.request_timeout, client=args.client)
    if "http" in chosen:
        results["http"] = load.part_http(precedent, http_queries, args.concurrency, args.requests, args.warmup,
                                         args.repeat, **common)
    if "compare" in chosen:
        peer = Server(ws / "index", ws / "corpus", ws / "peer.log", args.startup_timeout, kind="peer")
        started.append(peer)
        log.info("compare: starting the peer")
        results["peer_startup"] = peer.start(queries[0])
        results["compare"] = load.part_compare({"precedent": precedent, "peer": peer}, http_queries, args.concurrency,
                                               args.requests, args.warmup, args.repeat, **common)
        peer.stop()
    if "soak" in chosen:
        log.info("soak: %d clients for %.0f s", args.soak_concurrency, args.soak)
        results["soak"] = load.part_soak(precedent, http_queries, args.soak, args.soak_concurrency,
                                         args.request_timeout, args.client)
    if "overload" in chosen:
        log.info("overload: %d clients for %.0f s", args.overload_clients, args.overload_seconds)
        results["overload"] = [load.part_overload(precedent, http_queries, args.overload_clients,
                                                  args.overload_seconds, args.request_timeout, args.client, polite)
                               for polite in (False, True)]  # retrying at once, then as Retry-After says
    if "rebuild" in chosen:
        log.info("rebuild: %d clients, idle %.0f s, then a rebuild", args.rebuild_concurrency,
                 args.rebuild_idle_seconds)
        results["rebuild"] = load.part_rebuild(precedent, ws / "corpus", http_queries, args.rebuild_concurrency,
                                               args.rebuild_idle_seconds, args.request_timeout, args.client)
    results["server"] = {"rss_peak_bytes": precedent.sampler.peak(), "pid": precedent.process.pid,
                         "log": str(precedent.log_path) if args.keep else None}


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    for noisy in ("httpx", "httpcore"):  # one line per request otherwise
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from indexer.settings import Settings

    defaults = Settings()
    source_index = Path(args.index or defaults.index_dir).resolve()
    source_corpus = Path(args.corpus or defaults.corpus_dir).resolve()
    queries = load_queries(args.gold)
    results: dict = {"meta": {"started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                              "argv": list(argv if argv is not None else sys.argv[1:]), "parts": args.parts,
                              "requests": args.requests, "concurrency": args.concurrency, "k": args.k,
                              "warmup": args.warmup, "client": args.client, "unique_queries": args.unique_queries,
                              "repeat": args.repeat, "queries": len(queries), "gold": str(args.gold),
                              "source_index": str(source_index), "source_corpus": str(source_corpus),
                              "machine": machine(), "git": git(), "versions": versions(),
                              "precedent_env": {k: v for k, v in os.environ.items()
                                                if k.startswith("PRECEDENT_") and k != "PRECEDENT_ADMIN_TOKEN"}},
                     "errors": {}}
    ws = Path(tempfile.mkdtemp(prefix="precedent-bench-", dir=args.workdir))
    started: list[Server] = []
    previous_sigterm = None
    if threading.current_thread() is threading.main_thread():  # a killed bench still stops its servers
        previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    log.info("bench workspace %s; parts %s", ws, ",".join(args.parts))
    try:
        if set(args.parts) & (SERVER_PARTS | {"inprocess", "build"}):
            _prepare(args, ws, source_index, source_corpus, results)
        if "inprocess" in args.parts:
            log.info("inprocess: %d searches", args.requests)
            results["inprocess"] = parts.part_inprocess(parts.settings_for(ws / "index", ws / "corpus"), queries,
                                                        args.requests, args.warmup, args.repeat,
                                                        args.out / "inprocess.pstats" if args.profile else None)
            gc.collect()
        if "encoder" in args.parts:
            from eval.bench.encoder import part_encoder

            results["encoder"] = part_encoder(source_index, source_corpus, defaults.passage_tokens,
                                              rounds=args.repeat)
        if "pdf" in args.parts:
            from eval.bench.ingest import REAL_DOCUMENTS, part_pdf

            results["pdf"] = part_pdf(args.pdfs or REAL_DOCUMENTS)
        if set(args.parts) & SERVER_PARTS:
            _run_servers(args, ws, queries, results, started)
        results["targets"] = report.targets(results)
        if "scale" in args.parts:
            results["scale"] = parts.part_scale(args.scale, args, ws)
    except KeyboardInterrupt:
        results["errors"]["interrupted"] = "stopped by the user"
    except Exception as exc:  # noqa: BLE001 - write what was measured, then fail
        log.exception("bench failed")
        results["errors"]["bench"] = f"{type(exc).__name__}: {exc}"
    finally:
        for server in started:
            server.stop()
        if not args.keep:
            shutil.rmtree(ws, ignore_errors=True)
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)
    return _finish(args, results)


def _finish(args, results: dict) -> int:
    results["meta"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["meta"]["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    if not results["errors"]:
        del results["errors"]
    if not results.get("targets"):
        results.pop("targets", None)
    text = report.markdown(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    (args.out / "bench.md").write_text(text, "utf-8")
    print(text)
    print(f"JSON: {args.out / 'bench.json'}", file=sys.stderr)
    if results.get("errors"):
        return 1
    if args.strict:
        failed = [k for k, v in results.get("targets", {}).items() if not v["met"]]
        if results.get("soak", {}).get("errors"):
            failed.append("soak errors")
        if failed:
            print("missed: " + ", ".join(failed), file=sys.stderr)
            return 1
    return 0
