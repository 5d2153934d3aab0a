# The two commands of the README, and what they need.
# Two supported combinations are tested (the README's compatibility table): the oldest, as Open
# edX Ulmo pins it, in .venv (Python 3.11, Django 5.2, XBlock 5.2: requirements/oldest.txt), which
# `make run` uses too; and the newest, for Verawood and the next release, in .venv-newest (Python
# 3.12, the newest Django 5.2 and XBlock 6).
PYTHON ?= python3
# The first Python 3.12 that runs: a pyenv build (our machines have one), or python3.12 on the PATH.
PYTHON_NEWEST ?= $(shell for python in $(HOME)/.pyenv/versions/3.12.*/bin/python python3.12; do \
	"$$python" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && { command -v "$$python"; break; }; done)
VENV ?= .venv
VENV_NEWEST ?= .venv-newest
BIN := $(VENV)/bin
# The workbench's settings and the benchmark are development tools, never installed: dev/ goes on PYTHONPATH.
SETTINGS := coach_dev.workbench_settings
DJANGO := PYTHONPATH=$(CURDIR)/dev DJANGO_SETTINGS_MODULE=$(SETTINGS) $(BIN)/python -m django
PIP_INSTALL := pip install --quiet --disable-pip-version-check

.PHONY: install install-newest tutor-venvs system-packages postgresql run test lint bench

# The oldest supported combination, the workbench and the test tools, in .venv.
install:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/$(PIP_INSTALL) -e '.[workbench]' -r requirements/test.txt -c requirements/oldest.txt

# The newest supported combination, to run the suite on it too.
install-newest:
	@test -n "$(PYTHON_NEWEST)" || { echo "Python 3.12 is missing: set PYTHON_NEWEST=/path/to/python3.12" >&2; exit 1; }
	test -x $(VENV_NEWEST)/bin/python || $(PYTHON_NEWEST) -m venv $(VENV_NEWEST)
	$(VENV_NEWEST)/bin/$(PIP_INSTALL) --upgrade -e '.[workbench]' -r requirements/test.txt

# Tutor 21 (Ulmo) and 22 (Verawood) from PyPI, each in a virtualenv of its own (.venv-tutor21,
# .venv-tutor22) with our Tutor plugin (tutor-contrib-coach, editable), for tests/test_tutor_plugin.py.
tutor-venvs:
	for major in 21 22; do \
	  test -x .venv-tutor$$major/bin/python || $(PYTHON) -m venv .venv-tutor$$major; \
	  .venv-tutor$$major/bin/$(PIP_INSTALL) "tutor>=$$major,<$$((major + 1))" -e ./tutor-contrib-coach || exit 1; \
	done

# Debian's packages the tests use (as root, like CI), each checked and installed on its own:
# Redis for the Celery worker, Chromium for the browser tests, gettext for the translation checks,
# PostgreSQL, and MariaDB with the client library requirements/mariadb.txt builds against. axe-core comes from
# the npm registry with the machine's own npm, never Debian's.
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

test: install install-newest tutor-venvs system-packages
	npm ci --prefix tests/js --no-audit --no-fund --silent
	$(BIN)/ruff check .
	$(DJANGO) makemigrations coach_xblock --check --dry-run
	$(BIN)/python -m pytest
	$(VENV_NEWEST)/bin/python -m pytest -m "not slow"
	scripts/postgres run coach $(BIN)/python -m pytest -m "not slow"
	$(BIN)/$(PIP_INSTALL) -r requirements/mariadb.txt && scripts/mariadb run coach $(BIN)/python -m pytest -m "not slow"

lint: install
	$(BIN)/ruff check .

# Speed and memory at 1,000, 10,000 and 100,000 requests, on a scratch SQLite database in var/,
# then on a throwaway PostgreSQL server; then every endpoint through HTTP (gunicorn) on PostgreSQL
# with fsync on, as the writes of a server in service pay for it.
bench: install postgresql
	mkdir -p var
	WORKBENCH_DATABASES='{"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "var/bench.sqlite3"}}' \
	$(DJANGO) coach_benchmark $(BENCH_ARGS)
	scripts/postgres run coach_bench env $(DJANGO) coach_benchmark --report-rows 1000000 $(BENCH_ARGS)
	COACH_POSTGRES_FSYNC=on scripts/postgres run coach_httpbench env $(DJANGO) coach_http_bench $(HTTP_BENCH_ARGS)
