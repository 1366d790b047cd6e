"""Sharded serving on Ray Serve and distributed builds on Ray Data (issue 12); optional: the
`cluster` extra (`pip install '.[cluster]'`). `make run` stays one process and never imports this.

Modules:
    local.py    a local Ray cluster (head + workers) in a private network namespace, stopped by PID
    front.py    the shard searcher, the exact merge, the fan-out, ClusterEngine
    sharded.py  ShardedIndex: the front's view of the shards' builds under global rowids
    serve.py    the Serve deployments: shard-0..N-1 (replicas configurable) and the front (the same
                FastAPI app as `precedent serve`)
    harness.py  start, build, serve, query, stop: for `python -m eval cluster` and the tests
    __main__.py `python -m service.cluster serve | status | kill | shutdown | up | down | forward`

On real machines (no network namespace needed when the hosts are on a private network):
    head$    ray start --head --port 6379 --num-cpus 8 --node-ip-address HEAD_IP
    worker$  ray start --address HEAD_IP:6379 --num-cpus 8 --node-ip-address WORKER_IP
    any$     RAY_ADDRESS=HEAD_IP:6379 precedent build --cluster HEAD_IP:6379 \\
                 --shards 4 --out /shared/index-cluster
    any$     RAY_ADDRESS=HEAD_IP:6379 python -m service.cluster serve --index /shared/index-cluster --replicas 2
The index folder must be readable at the same path on every node (a shared or replicated file
system): shards and the front open their builds from it. Shard replicas ask for 0.25 CPU and the
front 0.5 (see serve.py); a shard's replicas go to different nodes (max_replicas_per_node=1), so
replicas per shard can be at most the node count unless `--no-spread` is given.
"""
