# Tformance — `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
SANDBOX_PORT ?= 8765
# Local commands run in DEBUG unless told otherwise; production uses the Procfile.
DEV := DEBUG=$${DEBUG:-1}

.DEFAULT_GOAL := help
.PHONY: help install test lint format migrate run worker demo bench

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned packages

test: $(STAMP) ## Run the tests (PostgreSQL when DATABASE_URL points at it, else SQLite)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check + format check; fail on any async code or import cycle
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m tformance.core.asyncban config tformance github_sandbox
	$(BIN)/python .ci/import-cycles config tformance github_sandbox

format: $(STAMP) ## Fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP) ## Apply database migrations
	$(DEV) $(BIN)/python manage.py migrate --noinput

run: migrate ## Run the web app on http://127.0.0.1:8000 (SQLite unless DATABASE_URL is set)
	$(DEV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: $(STAMP) ## The whole product offline on http://127.0.0.1:8000 (ONBOARDED=1: skip the wizard)
	@if [ -z "$$DATABASE_URL" ]; then rm -f demo.sqlite3 demo.sqlite3-shm demo.sqlite3-wal; fi
	DEBUG=$${DEBUG:-1} PRODUCT_ERROR_PAGES=$${PRODUCT_ERROR_PAGES:-1} DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/demo.sqlite3} \
		$(BIN)/python manage.py demo --port $(PORT) --sandbox-port $(SANDBOX_PORT) $(if $(ONBOARDED),--onboarded,)

bench: $(STAMP) ## Benchmarks (sandbox, PostgreSQL; <15 min): each figure, its floor, before and now
	$(BIN)/python bench/run.py

worker: $(STAMP) ## Run a Dramatiq worker (needs REDIS_URL)
	$(DEV) $(BIN)/python manage.py rundramatiq --processes $${WORKER_PROCESSES:-1} --threads $${WORKER_THREADS:-4}
