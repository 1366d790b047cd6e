"""Small helpers every part of the bench shares: argument types, the gold queries, sizes,
what machine and versions a run was on, and RSS/CPU sampling of a server process."""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold" / "dev.jsonl"


def int_list(text: str) -> list[int]:
    try:
        values = [int(float(x)) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive numbers, got {text!r}")
    return values


def load_queries(path: Path = GOLD) -> list[str]:
    queries = [json.loads(line)["query"] for line in path.read_text("utf-8").splitlines() if line.strip()]
    if not queries:
        raise SystemExit(f"no queries in {path}")
    return queries


def dir_bytes(path: Path) -> dict:
    """Size on disk of a build folder: total, and per top-level file or folder."""
    by_entry = {}
    for entry in sorted(path.iterdir()):
        files = [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
        by_entry[entry.name] = sum(p.stat().st_size for p in files)
    return {"total": sum(by_entry.values()), "by_file": by_entry}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mib(n: float | int | None) -> float | None:
    return None if n is None else round(n / 2**20, 1)


def ratio(a: float | None, b: float | None, digits: int = 2) -> float | None:
    return round(a / b, digits) if a is not None and b else None


def git() -> dict:
    """The commit measured and whether the work tree differed (eval.run's own record)."""
    from eval.run import code_version

    return code_version() or {"commit": None, "dirty": None}


def machine() -> dict:
    import psutil

    return {"cpus": os.cpu_count(), "cpu_model": platform.processor() or platform.machine(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "loadavg": [round(x, 2) for x in os.getloadavg()], "python": platform.python_version(),
            "platform": platform.platform()}


BENCH_LIBRARIES = ("openvino", "torch", "sentence-transformers", "faiss-cpu", "fastapi", "uvicorn", "httpx", "numpy",
                   "psutil", "uvloop", "httptools", "orjson")


def versions() -> dict:
    from indexer.build import library_versions

    return library_versions(BENCH_LIBRARIES)


def median_run(runs: list[dict]) -> dict:
    """The run with the median throughput: one whole run, so its numbers belong together."""
    ordered = sorted(runs, key=lambda r: r["qps"])
    return dict(ordered[(len(ordered) - 1) // 2])


class RssSampler:
    """Samples a process's RSS (with its children) in a background thread."""

    def __init__(self, pid: int, interval: float = 0.1):
        import psutil

        self.process = psutil.Process(pid)
        self.interval = interval
        self._children: list = []
        self._children_at = 0.0
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def rss(self) -> int | None:
        import psutil

        try:
            total = self.process.memory_info().rss
            if time.perf_counter() - self._children_at > 5:  # scanning /proc for children is not free
                self._children = self.process.children(recursive=True)
                self._children_at = time.perf_counter()
            for child in self._children:
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            return None
        self.samples.append((time.perf_counter(), total))  # every reading counts towards the peak
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.rss()
            self._stop.wait(self.interval)

    def start(self) -> "RssSampler":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def max_between(self, t0: float, t1: float) -> int | None:
        values = [v for t, v in self.samples if t0 <= t <= t1]
        return max(values) if values else None

    def peak(self) -> int | None:
        return max((v for _, v in self.samples), default=None)

    def cpu_seconds(self) -> float:
        """CPU of the server process itself (a rebuild's child process is not counted)."""
        import psutil

        try:
            t = self.process.cpu_times()
            return t.user + t.system
        except psutil.Error:
            return 0.0


@contextmanager
def cpu_delta(sampler: RssSampler | None):
    """Server and client CPU seconds and wall time spent inside the block."""
    import psutil

    me = psutil.Process()
    box: dict = {}
    s0 = sampler.cpu_seconds() if sampler else 0.0
    c0 = sum(me.cpu_times()[:2])
    t0 = time.perf_counter()
    yield box
    box.update(server_cpu_s=(sampler.cpu_seconds() - s0) if sampler else None,
               client_cpu_s=sum(me.cpu_times()[:2]) - c0, wall_s=time.perf_counter() - t0, t0=t0,
               t1=time.perf_counter())
