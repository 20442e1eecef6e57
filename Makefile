# Two entry points for a fresh machine: `make run` and `make test`.
# Each one builds .venv from pyproject.toml on first use (and again when it changes), with
# every dependency at the version pinned in requirements.lock (`make lock` re-pins them).
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
LOCK := requirements.lock

.PHONY: run test bench bench-documents bench-turns bench-receipts load load-pg lint lock wheel
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --constraint $(LOCK) -e '.[dev,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/python -m bot

test: $(STAMP)
	@# The operator console is tested in Debian's headless Chromium (no browser download).
	command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| echo "chromium could not be installed: the browser tests will be skipped"
	@# The receipt reader (tests/receipts) uses Tesseract and its language data from Debian.
	$(MAKE) --no-print-directory tesseract
	@# Storage, conversation and console tests also run on PostgreSQL: a throwaway server
	@# the tests start themselves (tests/postgres_server.py) from Debian's packages.
	$(MAKE) --no-print-directory postgresql
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	REQUIRE_POSTGRES=1 $(VENV)/bin/python -m pytest -q

# Benchmarks and the load test are not part of `make test`: they print figures.
bench: bench-documents bench-turns

bench-documents: $(STAMP)
	@# Legibility is measured with Tesseract, from Debian's packages.
	command -v tesseract >/dev/null 2>&1 \
		|| (apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-fra) \
		|| echo "tesseract could not be installed: legibility will not be measured"
	@# Photos are timed on core 0, albums and batches on cores 0 and 1 (the bench pins itself).
	taskset -c 0,1 $(VENV)/bin/python -m bench.documents

bench-receipts: $(STAMP) tesseract
	@# Reading receipts (total, currency, date), per OCR engine, on one core.
	taskset -c 0 $(VENV)/bin/python -m bench.receipts_ocr

.PHONY: postgresql
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| (apt-get update -qq && apt-get install -y -qq postgresql postgresql-contrib)
	@# The package's own cluster is not used: stop it if the install started one.
	-@service postgresql stop >/dev/null 2>&1 || true

TESSERACT_LANGS := eng fra spa deu ita por pol tha
.PHONY: tesseract
tesseract:
	@for lang in $(TESSERACT_LANGS); do \
		tesseract --list-langs 2>/dev/null | grep -qx $$lang || missing="$$missing tesseract-ocr-$$lang"; \
	done; \
	if [ -n "$$missing" ] || ! command -v tesseract >/dev/null 2>&1; then \
		apt-get update -qq && apt-get install -y -qq tesseract-ocr $$missing; \
	fi

bench-turns: $(STAMP)
	$(VENV)/bin/python -m bench.turns

load: $(STAMP)
	$(VENV)/bin/python -m pytest -m load tests/load/test_load.py -s -q

# 4 webhook workers on a throwaway PostgreSQL, 500 travellers over HTTP, one worker killed;
# then the same on one SQLite process, and the two rates side by side.
load-pg: $(STAMP) postgresql
	$(VENV)/bin/python -m pytest -m load tests/load/test_load_pg.py -s -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Pin every dependency (all extras, every platform, Python 3.11 as in the image) after a change
# to pyproject.toml's dependencies; commit requirements.lock. A test checks they agree.
lock: $(STAMP)
	$(VENV)/bin/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
		--quiet -o $(LOCK)

# The wheel (config/, templates and styles inside) in dist/, as the image builds it.
wheel: $(STAMP)
	$(VENV)/bin/pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .
