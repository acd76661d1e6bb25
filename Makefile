# One entry point for running, testing and measuring the project.
#   make run           serve the product (embedded default) on http://127.0.0.1:8000 (PORT=... to change)
#   make test          every test suite, installing what they need first
#   make bench         engine vs moto speed comparison, then the browser benchmarks (never part of `make test`)
#   make bench-browser the editor on 300 states and the execution view at 200 events/s, in Chromium
#   make bench-endpoints a published 3-state Express endpoint under load (req/s, p50/p99) against `make run`
#   make conformance   the AWS-recorded conformance cases against the engine CLI

SHELL := /bin/bash
.DEFAULT_GOAL := help

SHARED ?= ../shared
HOST ?= 127.0.0.1
PORT ?= 8000
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

# First interpreter that exists and is 3.11+. Python 3.12 preferred; pyenv shims of a
# version that is not the active one need PYENV_VERSION to run.
PYTHON_CANDIDATES := "env PYENV_VERSION=3.12.1 python3.12" python3.12 \
    "env PYENV_VERSION=3.13.0 python3.13" python3.13 python3.11 python3
BOOTSTRAP_PYTHON ?= $(shell for candidate in $(PYTHON_CANDIDATES); do \
    if $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then \
        echo "$$candidate"; break; fi; done)

REQUIREMENTS_STAMP := $(VENV)/.requirements-installed
NODE_STAMP := node_modules/.installed
# The web UI bundle Django serves at / (rebuilt only when its sources change).
UI_INDEX := frontend/dist/index.html
UI_SOURCES := $(shell find frontend/src frontend/public designer/src -type f 2>/dev/null) \
    frontend/index.html frontend/vite.config.ts package-lock.json
HAVE_NPM := $(shell command -v npm >/dev/null 2>&1 && echo yes)

.PHONY: help run test test-python test-js bench bench-browser bench-endpoints conformance deps ui

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

$(PY):
	@test -n '$(BOOTSTRAP_PYTHON)' || { echo "No Python 3.11+ found (tried: $(PYTHON_CANDIDATES))" >&2; exit 1; }
	$(BOOTSTRAP_PYTHON) -m venv $(VENV)

# Re-installs only when requirements.txt changed since the last install.
$(REQUIREMENTS_STAMP): requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

deps: $(REQUIREMENTS_STAMP)

# Without npm the server still runs; / then shows a page saying the UI is not built.
ui:
ifeq ($(HAVE_NPM),yes)
	@$(MAKE) --no-print-directory $(UI_INDEX)
else
	@echo "npm not found: serving without the web UI (make run builds it when npm is installed)"
endif

$(UI_INDEX): $(NODE_STAMP) $(UI_SOURCES)
	npm run -s build:frontend

# The ASGI server: uvicorn (httptools + uvloop: about twice daphne's requests per CPU second,
# which the published-endpoint bar needs); ASGI_SERVER=daphne serves the same application with daphne.
ASGI_SERVER ?= uvicorn
ifeq ($(ASGI_SERVER),daphne)
SERVER_CMD = $(VENV)/bin/daphne -b $(HOST) -p $(PORT) backend.asgi:application
else
SERVER_CMD = $(VENV)/bin/uvicorn backend.asgi:application --host $(HOST) --port $(PORT) \
    --lifespan off --no-access-log --timeout-graceful-shutdown 5
endif

# seed_demo (idempotent) leaves the `sum` function, the tutorial workflow and a few
# examples (Choice, Parallel, Map, Retry/Catch, Wait, callback) owned by user `demo`.
# DEMO_ADMIN=1 creates user admin/admin (or DEMO_ADMIN_PASSWORD) if it does not exist.
run: deps ui
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo $(if $(DEMO_PASSWORD),--password '$(DEMO_PASSWORD)')
	$(if $(DEMO_ADMIN),$(PY) manage.py ensure_demo_admin --password '$(or $(DEMO_ADMIN_PASSWORD),admin)')
	@echo "Serving on http://$(HOST):$(PORT)/"
	exec $(SERVER_CMD)

# Runs every suite even when an earlier one fails, then fails if any did.
test: deps
	@status=0; \
	if [ -f package.json ]; then $(MAKE) --no-print-directory ui || status=1; fi; \
	$(MAKE) --no-print-directory test-python || status=1; \
	if [ -f package.json ]; then $(MAKE) --no-print-directory test-js || status=1; fi; \
	exit $$status

# pytest exits 5 when it collected nothing: that is a failure, said out loud.
# SHARED_DIR tells the conformance suite where the reference folder is.
test-python: deps
	@SHARED_DIR=$(abspath $(SHARED)) $(PY) -m pytest tests; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; \
	exit $$status

$(NODE_STAMP): package.json $(wildcard package-lock.json)
	if [ -f package-lock.json ]; then npm ci; else npm install; fi
	touch $@

test-js: $(NODE_STAMP)
	npm test

# --- benchmarks: moto (peer) and our engine side by side, same session -------------
BENCH_CACHE ?= $(HOME)/.cache/asw-bench
MOTO_VENV ?= $(BENCH_CACHE)/moto-venv
MOTO_PYTHON ?= python3.11
BENCH_REPEAT ?= 10
BENCH_WARMUP ?= 2
BENCH_ARGS ?=
# A PostgreSQL database for the runtime figures too (e.g. postgresql://postgres@127.0.0.1:5432/bench)
BENCH_DATABASE_URL ?=
ENGINE_BENCH_CMD := $(abspath $(PY)) -m backend.engine bench {definition} --input {input} --repeat {repeat} --warmup {warmup}

$(MOTO_VENV)/.installed: $(SHARED)/perf/requirements-moto.txt
	$(MOTO_PYTHON) -m venv $(MOTO_VENV)
	$(MOTO_VENV)/bin/pip install --quiet -r $(SHARED)/perf/requirements-moto.txt
	touch $@

bench: deps $(MOTO_VENV)/.installed
	@status=0; \
	echo "== in memory =="; \
	$(PY) $(SHARED)/perf/compare.py --peer-python $(MOTO_VENV)/bin/python \
	    --engine-cmd "$(ENGINE_BENCH_CMD)" --engine-name "engine (in memory)" --engine-cwd $(CURDIR) \
	    --repeat $(BENCH_REPEAT) --warmup $(BENCH_WARMUP) \
	    --json-out $(BENCH_CACHE)/compare-memory.json $(BENCH_ARGS) || status=1; \
	echo; echo "== persisted to SQLite =="; \
	rm -f $(BENCH_CACHE)/engine-bench.sqlite3*; \
	$(PY) $(SHARED)/perf/compare.py --peer-python $(MOTO_VENV)/bin/python \
	    --engine-cmd "$(ENGINE_BENCH_CMD) --persist sqlite:$(BENCH_CACHE)/engine-bench.sqlite3" \
	    --engine-name "engine (sqlite)" --engine-cwd $(CURDIR) \
	    --repeat $(BENCH_REPEAT) --warmup $(BENCH_WARMUP) \
	    --json-out $(BENCH_CACHE)/compare-sqlite.json $(BENCH_ARGS) || status=1; \
	echo; echo "== runtime: Express and Standard (durable) executions vs the durable floor, SQLite =="; \
	SQLITE_PATH=$(BENCH_CACHE)/runtime-bench.sqlite3 DATABASE_URL= $(PY) manage.py migrate --noinput -v 0 && \
	SQLITE_PATH=$(BENCH_CACHE)/runtime-bench.sqlite3 DATABASE_URL= $(PY) manage.py bench_runtime --floor --rounds 3 \
	    || status=1; \
	if [ -n "$(BENCH_DATABASE_URL)" ]; then \
	    echo; echo "== runtime on PostgreSQL (BENCH_DATABASE_URL) =="; \
	    DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v 0 && \
	    DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_runtime --express 0 && \
	    DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_runtime --express 0 --threads 4 || status=1; \
	fi; \
	echo; echo "== live streams: 100 WebSocket watchers of one execution =="; \
	$(PY) -m backend.live.bench $(LIVE_BENCH_ARGS) || status=1; \
	echo; echo "== published endpoint: a 3-state Express workflow over HTTP, load from another process =="; \
	$(MAKE) --no-print-directory bench-endpoints || status=1; \
	echo; echo "== in the browser =="; \
	$(MAKE) --no-print-directory bench-browser || status=1; \
	exit $$status

# backend/live/bench.py: LIVE_BENCH_ARGS="--redis redis://127.0.0.1:6379/7" for the scale-out layout.
LIVE_BENCH_ARGS ?=

# tests/bench/endpoints_bench.py: a fresh `make run` and tests/bench/loadgen.py (N keep-alive connections)
# in a separate process; ENDPOINT_BENCH_ARGS="--connections 64 --duration 30 --check" (--check: exit 1 below the bar).
ENDPOINT_BENCH_ARGS ?=
bench-endpoints: deps
	$(PY) tests/bench/endpoints_bench.py $(ENDPOINT_BENCH_ARGS)

# Debian's chromium driven by Playwright against a fresh `make run` (frontend/bench/browser_bench.py).
BROWSER_BENCH_ARGS ?=
bench-browser: deps ui $(NODE_STAMP)
	PYTHONPATH=. $(PY) frontend/bench/browser_bench.py $(BROWSER_BENCH_ARGS)

# --- conformance: AWS-recorded cases through `python -m backend.engine run` ----------
CONFORMANCE_JOBS ?= 2
CONFORMANCE_ARGS ?=

conformance: deps
	$(PY) $(SHARED)/conformance/run.py --cwd $(CURDIR) --jobs $(CONFORMANCE_JOBS) \
	    --cmd "$(abspath $(PY)) -m backend.engine run --definition {definition} --input {input} --functions {functions} --type {type}" \
	    $(CONFORMANCE_ARGS)
