# The two commands of the README, and what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SETTINGS := coach_xblock.workbench_settings
DJANGO := DJANGO_SETTINGS_MODULE=$(SETTINGS) $(BIN)/python -m django

.PHONY: install run test lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[workbench]' -r requirements/test.txt

run: install
	$(DJANGO) migrate --run-syncdb --verbosity 0
	$(DJANGO) runserver 127.0.0.1:8000

test: install
	$(BIN)/ruff check .
	$(DJANGO) makemigrations coach_xblock --check --dry-run
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
