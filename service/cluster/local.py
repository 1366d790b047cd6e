"""A local Ray cluster for tests, `make cluster` and `python -m eval cluster`: a head and
workers on this machine, inside a private network namespace that has only loopback.

Why a namespace: Ray listens on every interface even with `--node-ip-address=127.0.0.1`;
in a namespace with only `lo` up nothing it opens is reachable from outside. Everything that
talks to the cluster (drivers, HTTP clients) runs in the namespace too: `LocalCluster.run`,
`LocalCluster.popen`, or a thread that entered it (`in_namespace`).

Why by PID: Ray survives SIGTERM. `stop()` sends SIGTERM to every process in the namespace
(all of them were started here: the namespace is private to this cluster), waits a grace
period, then SIGKILLs the rest by PID and deletes the namespace.

    python -m service.cluster.local start --name precedent --nodes 3
    python -m service.cluster.local stop --name precedent
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
STATE_DIR = Path(os.environ.get("PRECEDENT_CLUSTER_STATE", "/tmp/precedent-cluster"))
GCS_PORT = 6379
SERVE_PORT = 8000


class ClusterError(RuntimeError):
    pass


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True)


def netns_pids(name: str) -> list[int]:
    out = _ip("netns", "pids", name, check=False)
    return [int(p) for p in out.stdout.split()] if out.returncode == 0 else []


def netns_exists(name: str) -> bool:
    return name in [line.split()[0] for line in _ip("netns", "list", check=False).stdout.splitlines() if line.strip()]


@dataclass
class LocalCluster:
    """`nodes` Ray nodes (a head and nodes-1 workers) in the network namespace `name`."""

    name: str = "precedent"
    nodes: int = 3
    cpus_per_node: float = 2
    object_store_mb: int = 150
    env: dict = field(default_factory=dict)
    pids: list[int] = field(default_factory=list)  # the `ray start --block` process of each node

    @property
    def address(self) -> str:
        return f"127.0.0.1:{GCS_PORT}"

    @property
    def temp_dir(self) -> Path:
        return Path(f"/tmp/pray-{self.name}")  # short: Ray's unix socket paths must stay under 107 bytes

    @property
    def state_file(self) -> Path:
        return STATE_DIR / f"{self.name}.json"

    def environment(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
        env.update({"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "RAY_USAGE_STATS_ENABLED": "0",
                    "RAY_ADDRESS": self.address, "PYTHONPATH": str(ROOT), "PATH": f"{VENV_BIN}:{env.get('PATH', '')}",
                    "RAY_DEDUP_LOGS": "0",
                    # the cluster lives in a namespace with only loopback: no tokens. Set, not left to
                    # Ray, which turns them on for a head that finds ~/.ray/auth_token (another Ray run
                    # left one there) and not for the nodes joining it, which then fail to connect
                    "RAY_AUTH_MODE": "disabled"})
        env.update(self.env)
        return env

    def _cmd(self, *args: str) -> list[str]:
        return ["ip", "netns", "exec", self.name, *args]

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self, timeout: float = 180) -> "LocalCluster":
        if netns_exists(self.name):
            raise ClusterError(f"network namespace {self.name!r} exists: a cluster is running "
                               f"(stop it: python -m service.cluster.local stop --name {self.name})")
        _ip("netns", "add", self.name)
        try:
            subprocess.run(self._cmd("ip", "link", "set", "lo", "up"), check=True)
            self.temp_dir.mkdir(parents=True, exist_ok=True)
            STATE_DIR.mkdir(parents=True, exist_ok=True)
            for i in range(self.nodes):  # one at a time: nodes starting together race for socket names
                self.pids.append(self._start_node(i))
                self._save()
                self._wait_started(i, timeout)
            self.wait_nodes(self.nodes, timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_node(self, i: int) -> int:
        ray = str(VENV_BIN / "ray")
        base = 20000 + 1000 * i  # every node its own ports: they share one loopback
        args = [ray, "start", "--block", "--node-ip-address=127.0.0.1", f"--num-cpus={self.cpus_per_node}",
                f"--object-store-memory={self.object_store_mb * 1024 * 1024}",
                f"--resources={json.dumps({f'node{i}': 1})}",
                f"--node-manager-port={base + 1}", f"--object-manager-port={base + 2}",
                f"--metrics-export-port={base + 3}", f"--dashboard-agent-listen-port={base + 4}",
                f"--dashboard-agent-grpc-port={base + 5}", f"--runtime-env-agent-port={base + 6}",
                f"--min-worker-port={base + 100}", f"--max-worker-port={base + 999}", "--disable-usage-stats"]
        if i == 0:
            args += ["--head", f"--port={GCS_PORT}", "--include-dashboard=false", f"--temp-dir={self.temp_dir}",
                     f"--ray-client-server-port={base + 7}"]
        else:
            args += [f"--address={self.address}"]
        log = open(self.temp_dir / f"node{i}.log", "wb")
        proc = subprocess.Popen(self._cmd(*args), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=self.environment(), cwd=ROOT, start_new_session=True)
        log.close()
        return proc.pid

    def _wait_started(self, i: int, timeout: float) -> None:
        log = self.temp_dir / f"node{i}.log"
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = log.read_text(errors="replace") if log.exists() else ""
            if "block forever" in text:
                return
            if "Traceback" in text or "Error" in text and "exception" in text.lower():
                break
            time.sleep(0.3)
        raise ClusterError(f"Ray node {i} did not start; see {log}")

    def node_count(self) -> int:
        out = self.run([str(VENV_BIN / "python"), "-m", "service.cluster.local", "nodes"], capture_output=True,
                       text=True, timeout=120)
        try:
            return int(out.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return 0

    def wait_nodes(self, count: int, timeout: float = 180) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.node_count() >= count:
                return
            time.sleep(1)
        raise ClusterError(f"fewer than {count} Ray nodes came up in {timeout:.0f} s; see {self.temp_dir}/node*.log")

    def stop(self, grace: float = 8) -> list[int]:
        """SIGTERM every process in the namespace, SIGKILL what is left after `grace`, delete it.
        Returns the PIDs that needed SIGKILL."""
        killed = stop_namespace(self.name, grace)
        self.pids.clear()
        with contextlib.suppress(FileNotFoundError):
            self.state_file.unlink()
        if not os.environ.get("PRECEDENT_CLUSTER_KEEP_LOGS"):  # Ray's session logs, a few MB a run
            shutil.rmtree(self.temp_dir, ignore_errors=True)
        return killed

    def _save(self) -> None:
        self.state_file.write_text(json.dumps({"name": self.name, "nodes": self.nodes, "pids": self.pids,
                                               "address": self.address}))

    # ---- running things inside ---------------------------------------------------------------
    def run(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        kwargs.setdefault("env", self.environment())
        kwargs.setdefault("cwd", ROOT)
        return subprocess.run(self._cmd(*args), **kwargs)

    def popen(self, args: list[str], **kwargs) -> subprocess.Popen:
        kwargs.setdefault("env", self.environment())
        kwargs.setdefault("cwd", ROOT)
        return subprocess.Popen(self._cmd(*args), **kwargs)

    def python(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """`python ARGS` inside the namespace, connected to this cluster (RAY_ADDRESS is set)."""
        return self.run([str(VENV_BIN / "python"), *args], **kwargs)

    def __enter__(self) -> "LocalCluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def stop_namespace(name: str, grace: float = 8) -> list[int]:
    """Stop every process in namespace `name` by PID (SIGTERM, then SIGKILL), then delete it."""
    killed: list[int] = []
    if not netns_exists(name):
        return killed
    pids = netns_pids(name)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.time() + grace
    while time.time() < deadline and netns_pids(name):
        time.sleep(0.3)
    for _ in range(10):
        left = netns_pids(name)
        if not left:
            break
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
        time.sleep(0.5)
    _ip("netns", "del", name, check=False)
    return killed


_libc = None


def enter_namespace(name: str) -> None:
    """Move the calling thread into network namespace `name` (setns(2): this thread only).
    Sockets made by the thread afterwards live in the namespace, and can be used from any thread."""
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL("libc.so.6", use_errno=True)
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        if _libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
            raise OSError(ctypes.get_errno(), f"setns into {name} failed")
    finally:
        os.close(fd)


def in_namespace(name: str, fn, *args, **kwargs):
    """Call fn(*args, **kwargs) on a fresh thread that entered the namespace; return its result."""
    import threading

    box: dict = {}

    def target():
        try:
            enter_namespace(name)
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # handed back to the caller
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.cluster.local", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start a local cluster in a private network namespace")
    start.add_argument("--name", default="precedent")
    start.add_argument("--nodes", type=int, default=3)
    start.add_argument("--cpus-per-node", type=float, default=2)
    stop = sub.add_parser("stop", help="stop everything in the namespace, by PID, and delete it")
    stop.add_argument("--name", default="precedent")
    sub.add_parser("nodes", help="(inside the namespace) how many Ray nodes are alive")
    args = parser.parse_args(argv)
    if args.command == "nodes":
        import ray

        ray.init(address=os.environ.get("RAY_ADDRESS", f"127.0.0.1:{GCS_PORT}"), logging_level="ERROR",
                 log_to_driver=False)
        print(sum(1 for n in ray.nodes() if n.get("Alive")))
        return 0
    if args.command == "start":
        cluster = LocalCluster(args.name, args.nodes, args.cpus_per_node).start()
        print(f"Ray cluster {args.name!r}: {args.nodes} nodes at {cluster.address} in network namespace "
              f"{args.name!r}; node PIDs {cluster.pids}")
        return 0
    LocalCluster(args.name).stop()
    print(f"stopped network namespace {args.name!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
