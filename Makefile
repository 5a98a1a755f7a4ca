# Projektmarktplatz: `make run` starts the portal with demo data, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails and the console name the address `make run` serves, unless set otherwise.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test lint typecheck format messages install install-dev lock worker bench clean

# Installs come from the lock files (requirements/*.txt: exact versions with hashes),
# so every machine gets the same packages; `make lock` writes them anew from pyproject.toml.
# The stamp files make a second `make run` skip the install: it starts in seconds.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# uv installs a lock file in seconds where pip took 36 s (a clean clone's `make install-dev`);
# uv itself comes from its own lock file (requirements/uv.txt), and pip takes over wherever
# uv cannot run. Both check every file against the lock's hashes. --compile-bytecode as pip
# does: else every first process (xdist's workers, gunicorn, Celery) compiles what it imports.
$(VENV)/.uv: requirements/uv.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/uv.txt
	touch $@

LOCKED_INSTALL = $(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes --compile-bytecode -r $(1) \
	|| $(BIN)/python -m pip install --quiet --require-hashes -r $(1)
PROJECT_INSTALL = $(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e . \
	|| $(BIN)/python -m pip install --quiet --no-deps -e .

$(VENV)/.installed: requirements/base.txt | $(VENV)/.uv
	$(call LOCKED_INSTALL,requirements/base.txt)
	$(PROJECT_INSTALL)
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt | $(VENV)/.uv
	$(call LOCKED_INSTALL,requirements/dev.txt)
	$(PROJECT_INSTALL)
	touch $(VENV)/.installed $@

# Same versions for everyone until someone upgrades on purpose:
# `make lock` after editing pyproject.toml, `make lock UPGRADE=1` for the newest releases.
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet $(if $(UPGRADE),--upgrade)
lock: $(VENV)/.installed-dev
	$(LOCK) -o requirements/base.txt
	$(LOCK) --extra dev -o requirements/dev.txt
	grep -oE "^uv==[0-9.]+" requirements/dev.txt | $(BIN)/uv pip compile - --universal \
		--python-version 3.11 --generate-hashes --quiet -o requirements/uv.txt

# The Nu Html Checker for the page sweep (tests/test_page_sweep.py): npm's vnu-jar, exactly
# as package-lock.json names it (version and integrity hash), run by Debian's Java. Without
# npm the sweep skips the checker, unless REQUIRE_BROWSER=1 (CI) makes that a failure.
# --ignore-scripts: vnu-jar's install script would download a Java of its own.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --ignore-scripts && touch $@; \
	else echo "npm not found: the page sweep cannot run the Nu Html Checker"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

# A second run starts in seconds: `migrate --check` finds nothing to do, and the demo
# data notices that it is loaded already (`load_demo_data --force` loads it again).
RUN_ENV := DEBUG=$${DEBUG:-1} SITE_URL="$(SITE_URL)"
run: $(VENV)/.installed
	$(RUN_ENV) $(MANAGE) migrate --check >/dev/null 2>&1 || $(RUN_ENV) $(MANAGE) migrate --noinput
	$(RUN_ENV) $(MANAGE) load_demo_data
	$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

# The suite on two processes (pytest-xdist; each its own database, cache prefix and Celery
# queue). Three were no faster on this 2-core machine (353 s against 346 s with two), as the
# suite keeps both cores busy. PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= 2
test: $(VENV)/.installed-dev node_modules/.installed
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs over the apps (pyproject.toml [tool.mypy]); DEBUG=1 lets the
# settings load without a SECRET_KEY, as the plugin imports them.
typecheck: $(VENV)/.installed-dev
	DEBUG=1 $(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext; the compiled .mo files are committed so a fresh machine needs none.
messages: $(VENV)/.installed
	$(MANAGE) makemessages --locale de --locale en --ignore ".venv/*" --ignore "var/*" --ignore "tests/*"
	$(MANAGE) compilemessages --ignore ".venv/*"

worker: $(VENV)/.installed
	$(BIN)/celery -A config worker --beat --loglevel=info

# The benchmark (PostgreSQL only, see README "Performance"): seeds 100,000 projects into
# DATABASE_URL (skipped when present), measures at 100 projects in a scratch database and
# at full size, writes bench/results.json. E.g. BENCH_ARGS="--duration 3 --client python".
BENCH_ARGS ?=
bench: $(VENV)/.installed
	@case "$$DATABASE_URL" in postgres*) ;; *) \
		echo "make bench needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/pm_bench make bench"; \
		exit 2;; esac
	BENCHMARK=1 SECRET_KEY=$${SECRET_KEY:-bench-only-not-secret} DEBUG=0 HTTPS=0 $(MANAGE) bench_run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var node_modules
