"""A local sharded deployment from start to stop, for `python -m eval cluster` and the tests:
a 3-node Ray cluster in a private network namespace, the corpus built into shards on it,
served by Ray Serve, queried over HTTP from a thread inside the namespace.

    with ClusterHarness(corpus, workdir, shards=2, replicas=2) as h:
        h.search_many([{"q": "..."}])
"""
from __future__ import annotations

import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service.cluster.local import SERVE_PORT, LocalCluster, enter_namespace



class ClusterHarness:
    def __init__(self, corpus: Path, workdir: Path, shards: int = 2, replicas: int = 2, nodes: int = 3,
                 name: str | None = None, shard_timeout_s: float = 2.0, front_bounds: tuple[int, int] | None = None):
        """`front_bounds`: (requests a front replica works on at once, requests queued for it);
        None keeps the deployment's own (service/cluster/serve.py)."""
        self.corpus, self.workdir = Path(corpus).resolve(), Path(workdir).resolve()
        self.shards, self.replicas, self.nodes, self.shard_timeout_s = shards, replicas, nodes, shard_timeout_s
        self.front_bounds = front_bounds
        self.cluster = LocalCluster(name or f"prc{os.getpid()}", nodes)
        self.cluster.env["PRECEDENT_CORPUS_DIR"] = str(self.corpus)
        self.index = self.workdir / "cluster-index"
        self.timings: dict[str, float] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._local = threading.local()

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self) -> "ClusterHarness":
        self.workdir.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        self.cluster.start()
        self.timings["cluster_start_s"] = round(time.perf_counter() - t, 1)
        try:
            self.build()
            t = time.perf_counter()
            bounds = (["--front-ongoing", str(self.front_bounds[0]), "--front-queue", str(self.front_bounds[1])]
                      if self.front_bounds else [])
            self.module("serve", "--index", str(self.index), "--replicas", str(self.replicas), "--shard-timeout",
                        str(self.shard_timeout_s), *bounds)
            self.timings["serve_s"] = round(time.perf_counter() - t, 1)
        except BaseException:
            self.stop()
            raise
        return self

    def build(self) -> str:
        t = time.perf_counter()
        out = self.cluster.python("-m", "indexer", "build", "--cluster", self.cluster.address, "--shards",
                                  str(self.shards), "--out", str(self.index), capture_output=True, text=True,
                                  timeout=900)
        if out.returncode:
            raise RuntimeError(f"distributed build failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
        self.timings["build_s"] = round(time.perf_counter() - t, 1)
        return out.stdout

    def stop(self) -> None:
        if self._pool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self.cluster.stop()

    def __enter__(self) -> "ClusterHarness":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---- inside the cluster ------------------------------------------------------------------
    def module(self, *args: str, timeout: float = 600) -> dict | list | None:
        """`python -m service.cluster ARGS` in the namespace; its last line of output, parsed as JSON."""
        out = self.cluster.python("-m", "service.cluster", *args, capture_output=True, text=True, timeout=timeout)
        if out.returncode:
            raise RuntimeError(f"service.cluster {' '.join(args)} failed:\n{out.stderr[-3000:]}")
        lines = [line for line in out.stdout.splitlines() if line.strip()]
        return json.loads(lines[-1]) if lines else None

    def status(self) -> dict:
        return self.module("status")

    def manifest(self) -> dict:
        return json.loads((self.index / "cluster.json").read_text())

    # ---- HTTP, from threads inside the namespace --------------------------------------------------
    def pool(self, workers: int = 4) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(workers, initializer=enter_namespace, initargs=(self.cluster.name,))
        return self._pool

    def _client(self):
        import httpx

        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = httpx.Client(base_url=f"http://127.0.0.1:{SERVE_PORT}", timeout=60)
        return client

    def _get(self, path: str, params: dict | None = None) -> tuple[int, object, float]:
        started = time.perf_counter()
        r = self._client().get(path, params=params)
        seconds = time.perf_counter() - started
        try:
            body = r.json()
        except ValueError:
            body = r.text
        return r.status_code, body, seconds

    def get(self, path: str, params: dict | None = None) -> tuple[int, object, float]:
        return self.pool().submit(self._get, path, params).result()

    def search_many(self, params: list[dict], workers: int = 1) -> list[tuple[int, object, float]]:
        pool = self.pool(max(workers, 4))
        if workers <= 1:
            return [pool.submit(self._get, "/search", p).result() for p in params]
        return list(pool.map(lambda p: self._get("/search", p), params))
