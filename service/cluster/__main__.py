"""`python -m service.cluster …`: run the sharded service on a Ray cluster.

Inside the cluster's network (a local cluster: `ip netns exec NAME …`):
    serve    --index DIR [--replicas R]   deploy one Serve deployment per shard and the front
    status                                 deployments, and each shard's replicas and their nodes
    kill     --shard I [--replicas N|all]  kill replicas of a shard (fault drills)
    shutdown                               remove the Serve application

On this machine, for a local cluster (what `make cluster` / `make cluster-stop` run):
    up       [--name N] [--shards S] [--replicas R] [--index DIR] [--port P]
             start a 3-node cluster in a private network namespace, build the corpus into S
             shards on it, serve it, and forward 127.0.0.1:P here to the service in the namespace
    down     [--name N]                    stop all of it, by PID
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from service.cluster.local import SERVE_PORT

log = logging.getLogger("service.cluster")


def _connect():
    import ray

    if not ray.is_initialized():
        ray.init(address=os.environ.get("RAY_ADDRESS", "auto"), logging_level="ERROR", log_to_driver=False,
                 namespace="precedent")


def serve_app(index: Path, replicas: int, front_replicas: int, port: int, shard_timeout_s: float,
              spread: bool, front_ongoing: int | None = None, front_queue: int | None = None,
              timeout: float = 300) -> dict:
    from ray import serve

    from service.cluster.serve import APP_NAME, application

    _connect()
    serve.start(proxy_location="HeadOnly", http_options={"host": "127.0.0.1", "port": port})
    bounds = {k: v for k, v in (("front_ongoing", front_ongoing), ("front_queue", front_queue)) if v is not None}
    app = application(index.resolve(), replicas, front_replicas, shard_timeout_s=shard_timeout_s, spread=spread,
                      **bounds)
    serve.run(app, name=APP_NAME, route_prefix="/", blocking=False)
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = serve.status().applications.get(APP_NAME)
        if status and str(status.status).endswith("RUNNING"):
            return replica_status()
        if status and str(status.status).endswith(("DEPLOY_FAILED", "UNHEALTHY")):
            raise RuntimeError(f"the Serve application failed: {status.message}")
        time.sleep(1)
    raise RuntimeError(f"the Serve application was not running after {timeout:.0f} s")


def replicas_of(deployment: str) -> list[str]:
    """Names of the live replica actors of a deployment (SERVE_REPLICA::app#deployment#id)."""
    import ray

    from service.cluster.serve import APP_NAME

    out = []
    for actor in ray.util.list_named_actors(all_namespaces=True):
        name = actor["name"] if isinstance(actor, dict) else actor
        if f"{APP_NAME}#{deployment}#" in name and name.startswith("SERVE_REPLICA"):
            out.append(name)
    return sorted(out)


def replica_status() -> dict:
    """{deployment: {"status", "replicas": [{"actor", "node", "state"}]}} from the Serve controller."""
    import ray
    from ray import serve

    from service.cluster.serve import APP_NAME

    _connect()
    app = serve.status().applications.get(APP_NAME)
    out = {"application": str(app.status).split(".")[-1] if app else None, "deployments": {},
           "nodes": sum(1 for n in ray.nodes() if n.get("Alive"))}
    if not app:
        return out
    for name, dep in app.deployments.items():
        replicas = []
        for actor_name in replicas_of(name):
            try:
                handle = ray.get_actor(actor_name, namespace="serve")
                state = ray._private.state.actors(handle._actor_id.hex())
                replicas.append({"actor": actor_name, "state": state.get("State"),
                                 "node": (state.get("Address") or {}).get("NodeID", "")[:12]})
            except Exception as exc:  # noqa: BLE001 - gone between listing and asking
                replicas.append({"actor": actor_name, "state": f"unknown ({type(exc).__name__})"})
        out["deployments"][name] = {"status": str(dep.status).split(".")[-1],
                                    "running": sum(1 for r in replicas if r["state"] == "ALIVE"),
                                    "replicas": replicas}
    return out


def kill(shard: int, count: int | None) -> list[str]:
    """Kill `count` (None: all) replicas of a shard, as a crash would; Serve starts new ones."""
    import ray

    from service.cluster.front import shard_name

    _connect()
    names = replicas_of(shard_name(shard))
    victims = names if count is None else names[:count]
    for name in victims:
        with contextlib.suppress(ValueError):
            ray.kill(ray.get_actor(name, namespace="serve"), no_restart=True)
    return victims


def probe(query: str, port: int = SERVE_PORT) -> list[dict]:
    """Search `query` as it is and with complete=true, both at once: for each, the status, whether
    partial, the missing shards, the number of results and the seconds it took."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    def one(params: dict) -> dict:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            started = time.perf_counter()
            r = client.get("/search", params=params)
            body = r.json()
            return {"status": r.status_code, "partial": body.get("partial"), "missing": body.get("missing_shards"),
                    "results": len(body.get("results", [])), "detail": body.get("detail"),
                    "seconds": round(time.perf_counter() - started, 3)}

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(one, ({"q": query}, {"q": query, "complete": "true"})))


# ---- on this machine: a local cluster ------------------------------------------------------------
def up(name: str, shards: int, replicas: int, index: Path, port: int, nodes: int = 3,
       corpus: Path | None = None) -> int:
    from service.cluster.local import LocalCluster

    cluster = LocalCluster(name, nodes)
    if corpus:
        cluster.env["PRECEDENT_CORPUS_DIR"] = str(Path(corpus).resolve())
    cluster.start()
    try:
        py = [str(Path(sys.executable))]
        build = cluster.run(py + ["-m", "indexer", "build", "--cluster", cluster.address, "--shards", str(shards),
                                  "--out", str(index.resolve())])
        if build.returncode:
            raise RuntimeError("the distributed build failed")
        served = cluster.run(py + ["-m", "service.cluster", "serve", "--index", str(index.resolve()), "--replicas",
                                   str(replicas)], capture_output=True, text=True)
        if served.returncode:
            raise RuntimeError(f"serving failed: {served.stderr[-2000:]}")
        print(served.stdout.strip())
        forwarder = subprocess.Popen([*py, "-m", "service.cluster", "forward", "--name", name, "--port", str(port)],
                                     start_new_session=True, stdin=subprocess.DEVNULL,
                                     stdout=open(cluster.temp_dir / "forward.log", "ab"), stderr=subprocess.STDOUT)
        state = json.loads(cluster.state_file.read_text())
        state["forwarder_pid"] = forwarder.pid
        state["port"] = port
        cluster.state_file.write_text(json.dumps(state))
    except BaseException:
        cluster.stop()
        raise
    print(f"serving {index} ({shards} shards x {replicas} replicas) on a {nodes}-node Ray cluster in network "
          f"namespace {name!r}: http://127.0.0.1:{port}/ (forwarded), or inside: ip netns exec {name} "
          f"curl http://127.0.0.1:{SERVE_PORT}/health. Stop: make cluster-stop")
    return 0


def down(name: str) -> int:
    """Stop the forwarder `up` started (its PID is in the cluster's state file), then the cluster."""
    from service.cluster.local import LocalCluster

    cluster = LocalCluster(name)
    with contextlib.suppress(FileNotFoundError, ValueError):
        pid = json.loads(cluster.state_file.read_text()).get("forwarder_pid")
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
                time.sleep(0.5)
                os.kill(pid, signal.SIGKILL)
    killed = cluster.stop()
    print(f"stopped cluster {name!r}" + (f" ({len(killed)} processes needed SIGKILL)" if killed else ""))
    return 0


def forward(name: str, port: int, target_port: int = SERVE_PORT) -> int:
    """127.0.0.1:port here -> 127.0.0.1:target_port in the namespace (outbound sockets are made by a
    thread that entered it)."""
    import asyncio
    import socket
    from concurrent.futures import ThreadPoolExecutor

    from service.cluster.local import enter_namespace

    pool = ThreadPoolExecutor(1, initializer=enter_namespace, initargs=(name,))

    def inner_socket():
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        return s

    async def pipe(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def handle(client_reader, client_writer):
        loop = asyncio.get_running_loop()
        sock = await loop.run_in_executor(pool, inner_socket)
        try:
            await loop.sock_connect(sock, ("127.0.0.1", target_port))
        except OSError:
            client_writer.close()
            sock.close()
            return
        reader, writer = await asyncio.open_connection(sock=sock)
        await asyncio.gather(pipe(client_reader, writer), pipe(reader, client_writer))

    async def main():
        server = await asyncio.start_server(handle, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    asyncio.run(main())
    return 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve")
    p.add_argument("--index", type=Path, required=True, help="cluster index folder (cluster.json)")
    p.add_argument("--replicas", type=int, default=2, help="replicas of each shard deployment")
    p.add_argument("--front-replicas", type=int, default=1)
    p.add_argument("--port", type=int, default=SERVE_PORT)
    p.add_argument("--shard-timeout", type=float, default=2.0,
                   help="seconds a shard has to answer before the response is partial (or 503)")
    p.add_argument("--no-spread", action="store_true", help="allow a shard's replicas on one node")
    p.add_argument("--front-ongoing", type=_positive, default=None,
                   help="requests a front replica works on at once (default: FRONT_ONGOING in serve.py)")
    p.add_argument("--front-queue", type=_positive, default=None,
                   help="requests queued for a front replica beyond those, past which it answers 503 with "
                        "Retry-After (default: FRONT_QUEUE in serve.py)")
    sub.add_parser("status")
    p = sub.add_parser("kill")
    p.add_argument("--shard", type=int, required=True)
    p.add_argument("--replicas", default="1", help="how many, or all")
    p.add_argument("--probe", metavar="QUERY", help="right after the kill, search QUERY (partial, then complete=true)")
    p.add_argument("--port", type=int, default=SERVE_PORT)
    sub.add_parser("shutdown")
    p = sub.add_parser("up")
    p.add_argument("--name", default="precedent")
    p.add_argument("--shards", type=int, default=2)
    p.add_argument("--replicas", type=int, default=2)
    p.add_argument("--index", type=Path, default=Path("index-cluster"))
    p.add_argument("--corpus", type=Path, default=None)
    p.add_argument("--port", type=int, default=8001)
    p = sub.add_parser("down")
    p.add_argument("--name", default="precedent")
    p = sub.add_parser("forward")
    p.add_argument("--name", default="precedent")
    p.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "serve":
        print(json.dumps(serve_app(args.index, args.replicas, args.front_replicas, args.port, args.shard_timeout,
                                   not args.no_spread, args.front_ongoing, args.front_queue)))
    elif args.command == "status":
        print(json.dumps(replica_status()))
    elif args.command == "kill":
        killed = kill(args.shard, None if args.replicas == "all" else int(args.replicas))
        out = {"killed": killed}
        if args.probe:
            out["probe"] = probe(args.probe, args.port)
        print(json.dumps(out))
    elif args.command == "shutdown":
        from ray import serve

        _connect()
        serve.shutdown()
    elif args.command == "up":
        return up(args.name, args.shards, args.replicas, args.index, args.port, corpus=args.corpus)
    elif args.command == "down":
        return down(args.name)
    elif args.command == "forward":
        return forward(args.name, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
