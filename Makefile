# Projektmarktplatz: `make run` starts the portal with demo data, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages install install-dev worker clean

# The stamp files make a second `make run` skip the install: it starts in seconds.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	DEBUG=$${DEBUG:-1} $(MANAGE) migrate --noinput
	DEBUG=$${DEBUG:-1} $(MANAGE) load_demo_data
	DEBUG=$${DEBUG:-1} $(MANAGE) runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext; the compiled .mo files are committed so a fresh machine needs none.
messages: $(VENV)/.installed
	$(MANAGE) makemessages --locale de --locale en --ignore ".venv/*" --ignore "var/*" --ignore "tests/*"
	$(MANAGE) compilemessages --ignore ".venv/*"

worker: $(VENV)/.installed
	$(BIN)/celery -A config worker --beat --loglevel=info

clean:
	rm -rf $(VENV) var
