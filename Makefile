# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEMO_TODAY ?= 2023-01-16

.PHONY: run test lint unit integration e2e bench install clean

$(BIN)/presentis-bot: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(BIN)/presentis-bot node_modules/.package-lock.json

run: install
	$(BIN)/presentis-bot db upgrade
	$(BIN)/presentis-bot demo
	$(BIN)/presentis-bot import-calendar data/trainingskalender-2023.txt \
		data/trainingen-2023-aankondiging.txt
	PRESENTIS_TODAY=$${PRESENTIS_TODAY:-$(DEMO_TODAY)} $(BIN)/presentis-bot local

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q -ra

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf var
