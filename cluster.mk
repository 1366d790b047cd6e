# A local sharded deployment on Ray (issue 12), included by the Makefile after VENV and PY are set.
#   make cluster        a 3-node Ray cluster in a private network namespace (needs root and `ip netns`),
#                       the corpus built into CLUSTER_SHARDS shards on it (Ray Data), served by Ray Serve
#                       with CLUSTER_REPLICAS replicas per shard, forwarded to http://127.0.0.1:CLUSTER_PORT/
#   make cluster-stop   stop everything `make cluster` started, by PID, and delete the namespace
CLUSTER_NAME ?= precedent
CLUSTER_SHARDS ?= 2
CLUSTER_REPLICAS ?= 2
CLUSTER_PORT ?= 8001
CLUSTER_INDEX ?= index-cluster

.PHONY: cluster cluster-stop cluster-install

# Ray is an optional extra: `make run` never needs it.
cluster-install: install
	@$(PY) -c 'import ray' 2>/dev/null || $(PY) -m pip install -q $(CONSTRAINTS) -e '.[test,cluster]'

cluster: cluster-install
	$(PY) -m service.cluster up --name $(CLUSTER_NAME) --shards $(CLUSTER_SHARDS) --replicas $(CLUSTER_REPLICAS) \
		--index $(CLUSTER_INDEX) --port $(CLUSTER_PORT)

cluster-stop:
	$(PY) -m service.cluster down --name $(CLUSTER_NAME)
