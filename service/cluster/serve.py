"""Ray Serve deployments: one per shard (replicas configurable) and the front, whose ingress
is the same FastAPI app as the single process (service/app.py), with the same web page and
HTTP contract; /search also takes `complete=true` and answers `partial` / `missing_shards`.

    shard-0 … shard-N-1   ShardSearcher over the shard's build (service/cluster/front.py)
    front                 encodes the query once, fans out to every shard, merges, fuses and
                          builds the results as the single process does
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Query
from ray import serve
from ray.serve.config import BackpressureConfig

from service.cluster.front import (ClusterEngine, ClusterSearchRequest, ClusterSearchResponse, Fanout, ShardSearcher,
                                   shard_name)
from service.cluster.sharded import ShardedIndex

log = logging.getLogger(__name__)
APP_NAME = "precedent"
# The front's result building mostly waits on shards: several batches are built at once, so a
# dead shard's timeout is paid by the batches in flight together, not by each in turn.
BUILDS_IN_FLIGHT = 8


@serve.deployment(ray_actor_options={"num_cpus": 0.25}, max_ongoing_requests=32, health_check_period_s=2,
                  health_check_timeout_s=10, graceful_shutdown_timeout_s=1, graceful_shutdown_wait_loop_s=0.5)
class Shard:
    def __init__(self, cluster_dir: str, shard: int, entry: dict):
        """`entry`: this shard's line of the cluster manifest the application was deployed with."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        self.searcher = ShardSearcher(Path(cluster_dir) / entry["build"], shard)

    def candidates(self, queries: list[dict]) -> list[dict]:
        """A batch of queries' candidates from this shard, in one call."""
        return self.searcher.candidates_batch(queries)


def build_app(engine: ClusterEngine, settings):
    """The single process's app (service/app.py) serving `engine`, with /search taking
    `complete` and answering `partial` and `missing_shards`."""
    from service.app import create_app

    app = create_app(settings, builds_in_flight=BUILDS_IN_FLIGHT, engine=engine)
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) != "/search"]

    async def current() -> ClusterEngine:  # async: no thread hop for an engine that is already open
        return engine

    async def search(request: ClusterSearchRequest, engine: ClusterEngine) -> ClusterSearchResponse:
        """Through the app's batcher, as in one process: queries share a model call, and past
        capacity or the deadline the client gets 503 with Retry-After."""
        engine.validate(request, engine.index)
        return await app.state.batcher.submit(request)

    @app.get("/search", response_model=ClusterSearchResponse, tags=["search"])
    async def search_get(request: Annotated[ClusterSearchRequest, Query()], engine=Depends(current)):
        """Ranked passages with citations, from every shard. `complete=true`: 503 rather than a
        partial answer when a shard has no live replica."""
        return await search(request, engine)

    @app.post("/search", response_model=ClusterSearchResponse, tags=["search"])
    async def search_post(request: ClusterSearchRequest, engine=Depends(current)):
        return await search(request, engine)

    return app


# Defaults for requests a front replica works on at once, and how many more Serve's proxy queues
# for it; past that the proxy refuses with 503 and Retry-After at once. Everything admitted waits
# behind the requests in flight, so the two together bound an admitted request's wait
# (`python -m service.cluster serve --front-ongoing N --front-queue M` sets them per deployment).
FRONT_ONGOING, FRONT_QUEUE = 16, 16


@serve.deployment(ray_actor_options={"num_cpus": 0.5}, max_ongoing_requests=FRONT_ONGOING,
                  max_queued_requests=FRONT_QUEUE,
                  backpressure_config=BackpressureConfig(status_code=503, retry_after_s=1), health_check_period_s=2,
                  graceful_shutdown_timeout_s=1, graceful_shutdown_wait_loop_s=0.5)
@serve.ingress()
class Front:
    def __init__(self, cluster_dir: str, shards: list, settings: dict | None = None, shard_timeout_s: float = 2.0,
                 manifest: dict | None = None):
        from indexer.embed import Embedder
        from indexer.settings import Settings

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        base = Settings(**(settings or {}))
        # waiting for a shard is part of answering: a request's deadline covers the shard timeout too,
        # so a dead shard is reported (partial, or 503 naming it) rather than timing the request out
        self.settings = base.model_copy(update={"request_deadline_s": base.request_deadline_s + shard_timeout_s})
        self.handles = shards
        embedder = Embedder(threads=self.settings.model_threads, encoder=self.settings.encoder,
                            cache_dir=self.settings.model_cache_dir)
        fanout = Fanout(len(shards), lambda i, **kw: self.handles[i].candidates.remote(**kw), shard_timeout_s)
        self.engine = ClusterEngine(self.settings, ShardedIndex(Path(cluster_dir), manifest), embedder, fanout)
        self.engine.prepare(self.engine.index)

    def __serve_build_asgi_app__(self):
        return build_app(self.engine, self.settings)


def application(cluster_dir: Path, replicas: int = 2, front_replicas: int = 1, settings: dict | None = None,
                shard_timeout_s: float = 2.0, spread: bool = True, front_ongoing: int = FRONT_ONGOING,
                front_queue: int = FRONT_QUEUE):
    """The Serve application for the cluster index at `cluster_dir`."""
    from indexer.cluster_build import read_cluster_manifest

    manifest = read_cluster_manifest(Path(cluster_dir))
    shards = []
    for i in range(len(manifest["shards"])):
        options = {"name": shard_name(i), "num_replicas": replicas}
        if spread:
            options["max_replicas_per_node"] = 1  # a shard's replicas on different nodes
        shards.append(Shard.options(**options).bind(str(cluster_dir), i, manifest["shards"][i]))
    return Front.options(name="front", num_replicas=front_replicas, max_ongoing_requests=front_ongoing,
                         max_queued_requests=front_queue).bind(str(cluster_dir), shards, settings or {},
                                                                         shard_timeout_s, manifest)
