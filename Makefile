# The front door. `make book` and `make test` each set up everything they need on a fresh
# machine (a .venv, the pinned installs, the apt packages the tests use), then do their job.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
BUILD := _build
BOOK_STAMP := $(VENV)/.book-deps
TEST_STAMP := $(VENV)/.test-deps
# MathJax (npm, pinned in package-lock.json) copied to a folder the site serves as _static (offline site).
ASSETS := node_modules/.book-static
ASSETS_STAMP := node_modules/.book-static.stamp
MATHJAX := node_modules/mathjax/es5
export PYTHONDONTWRITEBYTECODE := 1
export MPLBACKEND := Agg
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help book test unit lab student bench clean setup setup-test browsers assets

help:
	@echo "make book     build the website into $(BUILD)/html (executes every chapter, warnings are errors)"
	@echo "make test     unit, property, notebook and browser tests, plus the strict book build"
	@echo "make lab      JupyterLab with the MyST chapters openable as notebooks"
	@echo "make student  student and instructor notebooks into $(BUILD)/student and $(BUILD)/instructor"
	@echo "make bench    measured figures into $(BUILD)/bench.json"
	@echo "make clean    remove $(BUILD) (keeps .venv)"

# ---------------------------------------------------------------- set-up
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(BOOK_STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

$(TEST_STAMP): $(BOOK_STAMP) requirements-test.txt
	$(PY) -m pip install -q -r requirements.txt -r requirements-test.txt
	touch $@

# The site serves MathJax from its own _static/: npm ci (package-lock.json), then copy only what a page
# loads (the TeX→CHTML component, its woff-v2 fonts, the TeX extensions it may autoload).
$(ASSETS_STAMP): package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(ASSETS) && mkdir -p $(ASSETS)/mathjax/output/chtml/fonts $(ASSETS)/mathjax/input/tex
	cp $(MATHJAX)/tex-chtml.js $(ASSETS)/mathjax/
	cp -r $(MATHJAX)/output/chtml/fonts/woff-v2 $(ASSETS)/mathjax/output/chtml/fonts/
	cp -r $(MATHJAX)/input/tex/extensions $(ASSETS)/mathjax/input/tex/
	cp node_modules/mathjax/LICENSE $(ASSETS)/mathjax/
	touch $@

assets: $(ASSETS_STAMP)
setup: $(BOOK_STAMP) $(ASSETS_STAMP)
setup-test: $(TEST_STAMP) browsers

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; it downloads nothing).
browsers:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# ---------------------------------------------------------------- the book
book: $(BOOK_STAMP) $(ASSETS_STAMP)
	mkdir -p $(BUILD)
	$(BIN)/jupyter-book build . -W -n --keep-going --builder html 2>&1 | tee $(BUILD)/book.log

# ---------------------------------------------------------------- tests
unit: $(TEST_STAMP)
	$(BIN)/pytest -m "not browser" -q

test: setup-test book
	$(BIN)/pytest -q

# .jupyter/lab/settings/overrides.json makes JupyterLab open the MyST .md chapters as (Jupytext) notebooks.
lab: $(BOOK_STAMP)
	$(BIN)/jupyter lab --notebook-dir=. --LabApp.app_settings_dir="$(CURDIR)/.jupyter/lab/settings" chapters

student: $(BOOK_STAMP)
	$(PY) tools/make_student.py --out $(BUILD)

bench: $(TEST_STAMP)
	mkdir -p $(BUILD)
	$(PY) -m bench --out $(BUILD)/bench.json

clean:
	rm -rf $(BUILD) .pytest_cache .hypothesis
