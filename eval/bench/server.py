"""A service under test as a subprocess on a free loopback port: Precedent
(`python -m service serve`) or the peer (`python -m eval.peer`), over the bench's copies."""
from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from eval.bench.common import ROOT, RssSampler, free_port

log = logging.getLogger("eval.bench")


class PortTaken(Exception):
    pass


class Server:
    """Starts a service, waits for its first 200 from /search, samples its RSS, stops it."""

    def __init__(self, index_dir: Path, corpus_dir: Path, log_path: Path, timeout: float, kind: str = "precedent",
                 admin_token: str | None = None):
        self.index_dir, self.corpus_dir, self.log_path, self.timeout = index_dir, corpus_dir, log_path, timeout
        self.kind, self.admin_token = kind, admin_token
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.url = ""
        self.sampler: RssSampler | None = None
        self.startup: dict = {}

    def command(self, port: int) -> list[str]:
        if self.kind == "peer":
            return [sys.executable, "-m", "eval.peer", "--index", str(self.index_dir), "--port", str(port)]
        return [sys.executable, "-m", "service", "serve"]

    def env(self, port: int) -> dict:
        env = dict(os.environ)
        env.pop("PRECEDENT_ADMIN_TOKEN", None)
        env.update(PRECEDENT_INDEX_DIR=str(self.index_dir), PRECEDENT_CORPUS_DIR=str(self.corpus_dir),
                   PRECEDENT_HOST="127.0.0.1", PRECEDENT_PORT=str(port), HF_HUB_OFFLINE="1",
                   TOKENIZERS_PARALLELISM="false", PYTHONUNBUFFERED="1",
                   PYTHONPATH=os.pathsep.join([str(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p]))
        if self.admin_token:
            env["PRECEDENT_ADMIN_TOKEN"] = self.admin_token
        return env

    def start(self, first_query: str) -> dict:
        for _ in range(3):  # a free port can be taken between choosing it and binding it
            try:
                return self._start_once(first_query)
            except PortTaken:
                log.warning("port taken, retrying with another one")
        raise RuntimeError(f"could not start the {self.kind} service on a free port")

    def _start_once(self, first_query: str) -> dict:
        import httpx

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        started = time.perf_counter()
        with open(self.log_path, "ab") as logfile:
            self.process = subprocess.Popen(self.command(self.port), cwd=ROOT, env=self.env(self.port),
                                            stdout=logfile, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.sampler = RssSampler(self.process.pid).start()
        connected = None
        with httpx.Client(base_url=self.url, timeout=30, trust_env=False) as client:
            while True:
                if self.process.poll() is not None:
                    tail = self.log_tail()
                    self.stop()
                    if "address already in use" in tail.lower():
                        raise PortTaken()
                    raise RuntimeError(f"the {self.kind} service exited with code {self.process.returncode}:\n{tail}")
                if time.perf_counter() - started > self.timeout:
                    self.stop()
                    raise RuntimeError(f"no /search answer within {self.timeout:.0f} s:\n{self.log_tail()}")
                try:
                    t0 = time.perf_counter()
                    response = client.get("/search", params={"q": first_query})
                    connected = connected or (t0 - started)
                    if response.status_code == 200:
                        first_ms = (time.perf_counter() - t0) * 1000
                        break
                    log.info("startup: /search answered %s; retrying", response.status_code)
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        self.startup = {"first_answer_s": round(time.perf_counter() - started, 3),
                        "first_connection_s": round(connected, 3), "first_request_ms": round(first_ms, 1),
                        "rss_after_first_answer_bytes": self.sampler.rss(), "port": self.port,
                        "pid": self.process.pid,
                        "note": f"from spawning the {self.kind} service to the first 200 from /search (interpreter, "
                                "imports, model and index load, first query); the OS file cache is warm"}
        return self.startup

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return ""

    def metrics(self) -> dict[str, float]:
        """The Prometheus counters the bench reads: batch sizes and server-side /search time."""
        import httpx

        wanted: dict[str, float] = {}
        if self.kind != "precedent":
            return wanted
        try:
            text = httpx.get(self.url + "/metrics", timeout=10, trust_env=False).text
        except httpx.HTTPError:
            return wanted
        for line in text.splitlines():
            m = re.match(r'^(precedent_query_batch_size_(?:sum|count))\s+(\S+)', line)
            if m:
                wanted[m.group(1)] = float(m.group(2))
            m = re.match(r'^(precedent_request_seconds_(?:sum|count))\{route="/search"\}\s+(\S+)', line)
            if m:
                wanted[m.group(1)] = float(m.group(2))
            m = re.match(r'^precedent_batcher_restarts_total\s+(\S+)', line)
            if m:
                wanted["precedent_batcher_restarts_total"] = float(m.group(1))
        return wanted

    def stop(self) -> None:
        if self.sampler:
            self.sampler.stop()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
