# The two commands of the README, and what they need.
PYTHON ?= python3
VENV ?= .venv
VENV_DJANGO42 ?= .venv-django42
BIN := $(VENV)/bin
SETTINGS := coach_xblock.workbench_settings
DJANGO := DJANGO_SETTINGS_MODULE=$(SETTINGS) $(BIN)/python -m django
PIP_INSTALL := pip install --quiet --disable-pip-version-check

.PHONY: install install-django42 system-packages postgresql run test lint bench

# The newest supported Django (5.2), the workbench and the test tools, in .venv.
install:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/$(PIP_INSTALL) -e '.[workbench]' -r requirements/test.txt

# The oldest supported Django (4.2), to run the suite on it too.
install-django42:
	test -x $(VENV_DJANGO42)/bin/python || $(PYTHON) -m venv $(VENV_DJANGO42)
	$(VENV_DJANGO42)/bin/$(PIP_INSTALL) -e '.[workbench]' -r requirements/test.txt 'Django>=4.2,<5'

# Debian's packages the tests use (as root, like CI), each checked and installed on its own:
# Redis for the Celery worker, Chromium for the browser tests, gettext for the translation checks
# and PostgreSQL. axe-core comes from the npm registry with the machine's own npm, never Debian's.
system-packages:
	scripts/system-packages

# Debian's PostgreSQL, whose binaries scripts/postgres runs a throwaway server with (as root, like CI).
postgresql:
	scripts/system-packages postgresql

# The workbench, and beside it the worker that sends notifications (mails land in var/mail/).
run: install
	$(DJANGO) migrate --run-syncdb --verbosity 0
	$(DJANGO) coach_notifications --interval 5 & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	$(DJANGO) runserver 127.0.0.1:8000

test: install install-django42 system-packages
	npm ci --prefix tests/js --no-audit --no-fund --silent
	$(BIN)/ruff check .
	$(DJANGO) makemigrations coach_xblock --check --dry-run
	$(BIN)/python -m pytest
	$(VENV_DJANGO42)/bin/python -m pytest -m "not slow"
	scripts/postgres run coach $(BIN)/python -m pytest -m "not slow"

lint: install
	$(BIN)/ruff check .

# Speed and memory at 1,000, 10,000 and 100,000 requests, on a scratch SQLite database in var/,
# then on a throwaway PostgreSQL server.
bench: install postgresql
	mkdir -p var
	WORKBENCH_DATABASES='{"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "var/bench.sqlite3"}}' \
	$(DJANGO) coach_benchmark $(BENCH_ARGS)
	scripts/postgres run coach_bench env $(DJANGO) coach_benchmark $(BENCH_ARGS)
