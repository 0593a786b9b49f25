# Open Inburgering — every developer and CI command. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
export PYTHONDONTWRITEBYTECODE := 1
export UV_CACHE_DIR ?= $(CURDIR)/.cache/uv

# scenarios-sync copies new public scenario files into the repository.
.PHONY: scenarios-sync help run test lint rules-coverage typecheck format migrations-check openapi openapi-check bench vendor rules-check seed-demo clean

help: ## List every target
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)

$(UV): | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The stamps make second runs fast: the lock is installed again only when it changed.
$(VENV)/.base-installed: requirements/base.txt pyproject.toml | $(UV)
	$(UV) pip sync --quiet --python $(PY) requirements/base.txt
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@rm -f $(VENV)/.test-installed
	@touch $@

$(VENV)/.test-installed: requirements/test.txt pyproject.toml | $(UV)
	$(UV) pip sync --quiet --python $(PY) requirements/test.txt
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@rm -f $(VENV)/.base-installed
	@touch $@

# `run` needs only the base set, but must not downgrade a developer's test set.
install: ## Install the locked runtime dependencies into .venv
	@if [ -f $(VENV)/.test-installed ] && [ $(VENV)/.test-installed -nt requirements/test.txt ]; then :; else $(MAKE) --no-print-directory $(VENV)/.base-installed; fi

install-test: $(VENV)/.test-installed ## Install the locked runtime + test dependencies into .venv

run: install ## Create the venv, migrate the demo SQLite database, load the demo personas and serve on :8000
	@bash scripts/run.sh

test: install-test ## Run the whole test suite (PostgreSQL when reachable, SQLite with a notice otherwise)
	@bash scripts/test.sh

lint: install-test ## ruff, djLint, mypy, makemigrations --check
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts
	$(VENV)/bin/djlint --lint src/openinburgering/templates
	$(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=openinburgering.conf.test $(PY) -m django makemigrations --check --dry-run

format: install-test ## Format the code with ruff
	$(VENV)/bin/ruff format src tests bench scripts
	$(VENV)/bin/ruff check --fix src tests bench scripts

# The schema's integer bounds come from the database backend (SQLite's are 64-bit for every integer field), so it is
# always generated for PostgreSQL, what production runs; no connection is made (the address is never reached).
SCHEMA_ENV := DJANGO_SETTINGS_MODULE=openinburgering.conf.test DATABASE_URL=postgres://schema@127.0.0.1:1/schema-only

openapi: install-test ## Regenerate openapi.yaml from the code
	$(SCHEMA_ENV) $(PY) -m django spectacular --validate --fail-on-warn --file openapi.yaml

openapi-check: install-test ## Fail when openapi.yaml drifts from the code
	@$(SCHEMA_ENV) $(PY) -m django spectacular --validate --fail-on-warn --file .cache/openapi.generated.yaml
	@diff -u openapi.yaml .cache/openapi.generated.yaml && echo "openapi.yaml is up to date"

SHARED_SCENARIOS := ../shared/scenarios

# The public scenarios are kept in tests/rules/scenarios/public/, so a clone runs them on its own; when the shared
# folder sits beside the repository (as in CI) its files run too, so a new public file is checked at once.
rules-check: install ## Run every rule scenario in tests/rules/scenarios (and ../shared/scenarios when it exists)
	@if [ -d $(SHARED_SCENARIOS) ]; then \
		$(PY) -m openinburgering.rules check tests/rules/scenarios $(SHARED_SCENARIOS); \
	else \
		echo "NOTICE: $(SHARED_SCENARIOS) is not beside the repository; running the copy in tests/rules/scenarios/public."; \
		$(PY) -m openinburgering.rules check tests/rules/scenarios; \
	fi

scenarios-sync: ## Copy the public scenario files from ../shared/scenarios into tests/rules/scenarios/public
	cp $(SHARED_SCENARIOS)/*.yaml tests/rules/scenarios/public/

rules-coverage: install-test ## Fail unless the rule tests cover 100% of the branches of rules/
	DATABASE_URL=sqlite:///$(CURDIR)/.cache/rules-coverage.sqlite3 $(PY) -m pytest tests/rules -q -p no:cacheprovider \
		--cov=openinburgering.rules --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=100

bench: install-test ## Seed 100k clients in a separate PostgreSQL database and measure the main pages under load
	@bash bench/run.sh

vendor: ## Refresh static/vendor/ from the npm lockfile (needs Node; running the app does not)
	@bash scripts/vendor.sh

clean: ## Remove the virtualenv and caches (keeps the demo database)
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
