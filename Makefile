# Two commands for a newcomer: `make run` (set up, then serve) and `make test` (set up, then the whole suite).
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: run setup test lint bench

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/qamqor setup

run: setup
	$(BIN)/qamqor serve

test: $(STAMP)
	bash .ci/postgres-up
	bash .ci/chromium-up
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
