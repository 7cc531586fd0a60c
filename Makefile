# Akhbar: the two commands are `make run` and `make test`; both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
AKHBAR := $(VENV)/bin/akhbar
PYTEST := $(VENV)/bin/pytest
STAMP := $(VENV)/.installed

.PHONY: setup run test test-faults test-unit test-integration up down status lint bench soak clean help ingest-real eval-dedup relevance-index relevance bench-search model bench-models bench-spacy

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

# the search page's map: Natural Earth countries as TopoJSON, from the npm package world-atlas (npm
# checks the tarball against the registry's integrity hash); package data of the search service
ATLAS := services/search/data/countries-110m.json
ATLAS_PACKAGE := world-atlas@2.0.2
$(ATLAS):
	@command -v npm >/dev/null || { echo "the search page's map needs npm (apt-get install npm)" >&2; exit 1; }
	tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent $(ATLAS_PACKAGE) >/dev/null && tar -xzf world-atlas-*.tgz) \
	  && mv $$tmp/package/countries-110m.json $@ && rm -rf $$tmp

setup: $(STAMP) $(ATLAS) ## Virtual environment with the project installed, map data (engines are fetched by `up`)

up: setup ## Start Kafka, Elasticsearch and every service (idempotent)
	$(AKHBAR) up

down: ## Stop everything `up` started (idempotent)
	@if [ -x $(AKHBAR) ]; then $(AKHBAR) down; else echo "nothing to stop"; fi

status: setup ## Health, readiness and consumer lag of every service
	$(AKHBAR) status

run: up ## Set up, start everything, ingest seeds/ and show what was indexed
	$(AKHBAR) ingest seeds/ --wait 180
	$(AKHBAR) report
	@echo
	@echo "Search page: http://127.0.0.1:8107/   (terminal: $(AKHBAR) search النازحين)"
	@echo "Search it:  curl -sG 'http://127.0.0.1:9200/articles/_search?pretty' --data-urlencode 'q=body:تدمر'"
	@echo "Health:     $(AKHBAR) status      Logs: .run/logs/      Stop: make down"

# the search page test drives Debian's headless Chromium; a test tool never downloads a browser
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	else echo "the search page test needs Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi

test: setup /usr/bin/chromium ## Set up and run the whole suite against real Kafka and Elasticsearch
	$(AKHBAR) up
	$(PYTEST) -q

test-faults: setup ## Only the fault drills (they need the stack to themselves)
	$(AKHBAR) up
	$(PYTEST) -q -m faults

test-unit: setup ## Only the tests that need no servers
	$(PYTEST) -q -m "not integration and not faults"

lint: setup ## ruff and mypy
	$(VENV)/bin/ruff check akhbar shared services tests benchmarks
	$(VENV)/bin/mypy akhbar shared services benchmarks

bench: up ## Benchmarks against the pipeline's limits; empties the pipeline, rewrites BENCHMARKS.md (20 min)
	$(VENV)/bin/pip install --quiet -e '.[bench]'
	$(VENV)/bin/python -m benchmarks.run

# dedup keeps this many articles during the soak: reached in its 5-minute warm-up at the soak's rate,
# so that a growing RSS is a leak, not dedup's state filling towards its cap
SOAK_DEDUP_MAX_ARTICLES ?= 8000

soak: setup ## ANT articles at half the sustained rate for 30 min: memory, lag, freshness; restarts the stack; writes BENCHMARKS.md (40 min)
	$(VENV)/bin/pip install --quiet -e '.[bench]'
	$(AKHBAR) down
	AKHBAR_DEDUP_MAX_ARTICLES=$(SOAK_DEDUP_MAX_ARTICLES) $(AKHBAR) up
	AKHBAR_DEDUP_MAX_ARTICLES=$(SOAK_DEDUP_MAX_ARTICLES) $(VENV)/bin/python -m benchmarks.soak; \
	status=$$?; $(AKHBAR) down; $(AKHBAR) up; exit $$status

ingest-real: up ## The whole ANT corpus (../shared, or AKHBAR_SHARED) through akhbar ingest --wait, then checks (15 min)
	$(VENV)/bin/python -m benchmarks.ingest_real

relevance-index: setup ## The whole ANT corpus enriched in process into its own index behind the alias akhbar-ant (never `articles`); needs Elasticsearch only (7 min)
	$(VENV)/bin/python -m benchmarks.relevance_index

relevance: setup ## The judged ANT queries against the current, improved and plain-BM25 searches on akhbar-ant (`make relevance-index` first): recall@10, nDCG@10, MRR into benchmarks/relevance.json and BENCHMARKS.md
	$(VENV)/bin/python -m benchmarks.relevance

bench-search: setup ## p95 latency of the search API over the judged queries on akhbar-ant; benchmarks/bench_search.json and BENCHMARKS.md
	$(VENV)/bin/python -m benchmarks.bench_search

eval-dedup: setup ## Dedup's verdicts on the first 20,000 ANT articles scored against an exhaustive truth; no stack needed, writes benchmarks/dedup_eval.json (2 min)
	$(VENV)/bin/python -m benchmarks.eval_dedup

model: setup ## Train the entities CRF (AKHBAR_ENTITIES_RECOGNIZER=crf) on ../shared/corpora/ner (AKHBAR_SHARED) into services/entities/model (5 min)
	$(VENV)/bin/python -m services.entities.train

bench-models: setup ## Rules, CRFs and their unions on every entity gold set and ANT speed in one run; trains the other variants into .run/models (25 min)
	$(VENV)/bin/python -m benchmarks.entity_models --models .run/models --train

bench-spacy: setup ## spaCy's trainable NER against the CRF on the same split and the ANT gold (installs the compare extra; 20 min)
	$(VENV)/bin/pip install --quiet -e '.[compare]'
	$(VENV)/bin/python -m benchmarks.entity_spacy

clean: ## Stop everything and delete local state: topics, index, logs (the engine cache stays)
	@if [ -x $(AKHBAR) ]; then $(AKHBAR) clean; else rm -rf .run; fi
