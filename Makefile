# The one entry point: `make run` to try the site, `make test` before you push.
# `make help` lists every target.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# Every Django command here is a development command (demo data, console email, SQLite).
export DJANGO_DEBUG := 1

PORT ?= 8000
VENV := .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py
STAMPS := .make
RUBRIC_FIXTURE ?= fixtures/rubric.json
APT_PACKAGES := gettext chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils wrk
# Set BASE_PYTHON=/path/to/python3.12 to skip the search for a Python 3.12.
BASE_PYTHON ?=

.PHONY: help install lock messages setup run test lint fmt bench plotly-bundle lighthouse

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

install: $(STAMPS)/system $(STAMPS)/deps ## Debian packages, .venv (Python 3.12) and the locked dependencies

# Checked once; delete .make/system to check again.
$(STAMPS)/system:
	@if ! command -v dpkg-query >/dev/null; then \
	  echo "warning: not a Debian system; install the equivalents of: $(APT_PACKAGES)" >&2; \
	else \
	  missing=""; \
	  for package in $(APT_PACKAGES); do \
	    status=$$(dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null || true); \
	    [ "$$status" = "install ok installed" ] || missing="$$missing $$package"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" -eq 0 ]; then \
	      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	    else \
	      echo "Missing Debian packages:$$missing. Install them with:" >&2; \
	      echo "  sudo apt-get install -y$$missing" >&2; \
	      exit 1; \
	    fi; \
	  fi; \
	fi
	@mkdir -p $(STAMPS) && touch $@

# pyenv's 3.12 (as .python-version asks), else python3.12 on PATH. An older Python
# would make pip quietly pick Django 5.2, so refuse it here.
$(VENV)/pyvenv.cfg:
	@python="$(BASE_PYTHON)"; \
	if [ -z "$$python" ]; then \
	  python=$$(pyenv which python3.12 2>/dev/null || true); \
	fi; \
	if [ -z "$$python" ]; then \
	  python=$$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.12*/bin/python /root/.pyenv/versions/3.12*/bin/python 2>/dev/null | sort -V | tail -n 1 || true); \
	fi; \
	if [ -z "$$python" ]; then \
	  python=$$(command -v python3.12 || true); \
	fi; \
	if [ -z "$$python" ] || ! "$$python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "error: Python 3.12 or newer is needed (found: $${python:-none})." >&2; \
	  echo "Install it with 'pyenv install 3.12' or pass BASE_PYTHON=/path/to/python3.12." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$python ($$("$$python" -V))"; \
	"$$python" -m venv $(VENV)

# Re-installs only when the lock (or the venv) changes.
$(STAMPS)/deps: requirements.lock $(VENV)/pyvenv.cfg
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "error: $(VENV) runs $$($(PYTHON) -V); Django 6.1 needs 3.12+. Remove $(VENV) and run make install." >&2; \
	  exit 1; }
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install -r requirements.lock
	@mkdir -p $(STAMPS) && touch $@

lock: $(VENV)/pyvenv.cfg ## Re-resolve requirements.lock after editing pyproject.toml
	@$(PYTHON) -m piptools --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(PYTHON) -m piptools compile --quiet \
	  --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
	  --output-file requirements.lock pyproject.toml

messages: install ## Compile the translations (.po -> .mo)
	$(MANAGE) compilemessages --ignore $(VENV)

setup: install messages ## install, migrate, load the rubric and the demo data
	$(MANAGE) migrate --no-input
	$(MANAGE) import_rubric $(RUBRIC_FIXTURE)
	$(MANAGE) load_demo

# scripts/serve.sh runs the web server and the task worker side by side: when
# the worker stops it is started again (and the terminal says so); when the
# web server stops, or on Ctrl-C, both stop. The task worker prepares the PDF
# action plans; --no-reload keeps its Chromium warm (started with the worker),
# --interval 0.5 picks a requested plan up within half a second
# (reports.tasks.WORKER_ARGS; run it so in production too).
run: setup ## Serve on http://127.0.0.1:$PORT (default 8000) with the demo data
	@echo
	@echo "Demo logins (development only), password cx-demo-2026:"
	@echo "  admin (superuser), manager (CX manager), lead and lead2 (team leads)"
	@echo
	@scripts/serve.sh $(MANAGE) runserver 127.0.0.1:$(PORT) \
	  -- $(MANAGE) task_worker --no-reload --no-startup-delay --interval 0.5

test: install messages ## Lint, types, migration and system checks, then the test suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	$(VENV)/bin/pytest

lint: install ## ruff check, ruff format --check and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

fmt: install ## Format and auto-fix with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install messages ## Page throughput as ratios to a signed-in page that does nothing (gunicorn + wrk, scratch DB)
	$(PYTHON) bench/run.py

# frontend/: the npm tools (esbuild, plotly.js's sources, Lighthouse), never served.
# npm ci again only when package-lock.json changes; node_modules stays out of git.
NODE_MODULES := frontend/node_modules/.package-lock.json
$(NODE_MODULES): frontend/package-lock.json
	@command -v npm >/dev/null || { \
	  echo "error: Node.js 18.16+ and npm are needed: sudo apt-get install -y nodejs npm" >&2; exit 1; }
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

# The bench ends with Lighthouse (bench/lighthouse.py), run from frontend/node_modules.
bench: $(NODE_MODULES)

lighthouse: install messages $(NODE_MODULES) ## Lighthouse (mobile) on the results page and the dashboard, served as in production
	BENCH_LIGHTHOUSE_ONLY=1 $(PYTHON) bench/run.py

# The pages draw with plotly.js at the version the plotly Python package bundles
# (its figures are written for it); the build refuses any other.
plotly-bundle: install $(NODE_MODULES) ## Rebuild static/vendor/plotly/plotly-cx.min.js (the trace types the charts use)
	PLOTLY_JS_VERSION=$$($(PYTHON) -c 'from plotly.offline import get_plotlyjs_version; print(get_plotlyjs_version())') \
	  node frontend/build-plotly.mjs
