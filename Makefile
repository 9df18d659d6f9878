# Compact Tracker: the two commands a newcomer needs.
#   make run    set everything up and run web + Celery workers (default and pdf queues) + beat (embedded defaults, demo data)
#   make test   run the whole test suite
.DEFAULT_GOAL := help
SHELL := /bin/bash

.PHONY: help run test setup lint format messages

help:
	@echo "make run    set up and serve Compact Tracker at http://127.0.0.1:8000 (Ctrl-C stops everything)"
	@echo "make test   run the whole test suite"
	@echo "make lint   check the code with ruff and the layers with import-linter"

setup:
	@DEBUG=1 scripts/setup.sh all

# DEBUG=1: the embedded mode is for a local machine (development secret key, demo accounts).
run: setup
	@echo
	@echo "Compact Tracker: http://127.0.0.1:8000  (admin: /admin/, API docs: /api/v1/docs/)"
	@echo "Sign in with any account above and the password 'compact-demo'. Ctrl-C stops web, the workers and beat."
	@echo
	@DEBUG=1 .venv/bin/honcho start

# The suite uses the database and broker in DATABASE_URL / CELERY_BROKER_URL when set (CI sets
# PostgreSQL and Redis), and SQLite with an in-memory broker otherwise. It runs in TEST_WORKERS
# parallel processes (pytest-xdist: one per CPU and one more, since a fair share of the tests wait
# on processes, servers and Chromium; at most eight, each with its own test database and Redis
# databases; see docs/operations.md "Tests in parallel"). Idle workers steal queued tests from busy
# ones (--dist worksteal), so the long tests do not leave one worker finishing alone. PYTEST_ARGS
# come after, so PYTEST_ARGS="-n 0" runs serially.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
test:
	@scripts/setup.sh test
	.venv/bin/pytest -n $(TEST_WORKERS) --dist worksteal --maxprocesses 8 $(PYTEST_ARGS)

lint:
	@scripts/setup.sh deps
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

# Refresh the translation catalogues (locale/<lang>/LC_MESSAGES/django.po) for the UN languages.
messages:
	mkdir -p locale
	DEBUG=1 .venv/bin/python manage.py makemessages -l ar -l zh_Hans -l fr -l ru -l es --ignore ".venv/*" --ignore "var/*"
	DEBUG=1 .venv/bin/python manage.py compilemessages --ignore ".venv/*"

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
