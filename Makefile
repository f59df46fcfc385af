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
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Matplotlib's backend is left to each process: a Jupyter kernel (make book, make lab, a student's
# Jupyter) then uses the inline backend and shows figures; tests pick Agg themselves.

.PHONY: help book book-course test fast unit lint format chapter lab student bench clean setup setup-test browsers assets \
	grade-venv assignments assignments-test

help: ## list every target
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/make \1\t\2/' | expand -t 16

# ---------------------------------------------------------------- set-up
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# The book needs requirements.txt only; the packages install with their declared dependencies
# (pyproject.toml), which the pins in requirements.txt satisfy.
$(BOOK_STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install -q -r requirements.txt -e ".[book,course]"
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

assets: $(ASSETS_STAMP) ## install MathJax from npm into the folder the site serves
setup: $(BOOK_STAMP) $(ASSETS_STAMP) ## the .venv and assets that make book needs
setup-test: $(TEST_STAMP) browsers ## setup plus the test tools and Chromium

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; it downloads nothing).
browsers: ## Debian's chromium, if missing
	@if ! command -v chromium >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# ---------------------------------------------------------------- the book
# Sphinx copies static files and runs the build's extensions only when it writes a page, and it
# tracks neither: after a change to the site's own CSS/JavaScript or to _ext/, every page is written
# again (from the execution cache: nothing is executed), so no stale copy stays in _build/html; the
# same after a change to the tools that post-process the built pages.
SITE_SOURCES := $(wildcard chapters/_static/* chapters/gru_book/static/* _ext/*.py) tools/prerender_math.mjs tools/subset_icons.py tools/bundle_styles.py
SITE_STAMP := $(BUILD)/.site-sources
$(SITE_STAMP): $(SITE_SOURCES)
	mkdir -p $(BUILD)
	if [ -d $(BUILD)/html ]; then find $(BUILD)/html -name '*.html' -delete; fi
	touch $@

book: $(BOOK_STAMP) $(ASSETS_STAMP) $(SITE_STAMP) ## build the website into _build/html (executes every chapter; warnings are errors)
	mkdir -p $(BUILD)
	$(BIN)/jupyter-book build . -W -n --keep-going --builder html 2>&1 | tee $(BUILD)/book.log
	node tools/prerender_math.mjs $(BUILD)/html
	$(PY) tools/subset_icons.py $(BUILD)/html
	$(PY) tools/bundle_styles.py $(BUILD)/html
	$(PY) tools/make_student.py --out $(BUILD) --site $(BUILD)/html --site-url "$(SITE_URL)"

# The course edition: the same site without solutions or page sources (_ext/course_mode.py), sharing the
# book's execution cache (after make book it executes nothing).
COURSE := $(BUILD)/course
book-course: $(BOOK_STAMP) $(ASSETS_STAMP) ## the site without solutions, for a course that grades, into _build/course/_build/html
	$(PY) tools/book_course.py --out $(COURSE)
	$(BIN)/jupyter-book build . -W -n --keep-going --builder html --path-output $(COURSE) --config $(COURSE)/_config.yml 2>&1 | tee $(COURSE)/book.log
	node tools/prerender_math.mjs $(COURSE)/_build/html
	$(PY) tools/subset_icons.py $(COURSE)/_build/html
	$(PY) tools/bundle_styles.py $(COURSE)/_build/html
	$(PY) tools/make_student.py --out $(BUILD) --site $(COURSE)/_build/html --site-url "$(SITE_URL)"

# ---------------------------------------------------------------- tests
fast: $(TEST_STAMP) ## the library's and the book helpers' quick tests (no notebooks, builds, browsers or frameworks)
	HYPOTHESIS_PROFILE=fast $(BIN)/pytest -q -p no:cacheprovider -m "not slow and not browser and not live" tests/lib tests/book

unit: $(TEST_STAMP) ## every Python test except the browser ones
	$(BIN)/pytest -m "not browser" -q

test: setup-test book ## every test: unit, property, notebooks, frameworks, browser, plus the strict book build
	$(BIN)/pytest -q

LINT_PATHS := gru_lib chapters/gru_book gru_course tests tools bench frameworks _ext
lint: $(TEST_STAMP) ## ruff (lint and format check) on the code and the chapters, mypy on the packages
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/nbqa ruff chapters/*.md
	$(BIN)/mypy

# Chapters are linted, never rewritten by a tool: a round trip through jupytext reflows their cell
# options, and the shown code is wrapped by hand to the 79 columns a page shows.
format: $(TEST_STAMP) ## apply ruff's fixes and formatting to the code (the chapters are only linted)
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

NAME ?=
chapter: $(BOOK_STAMP) ## execute one chapter: make chapter NAME=proof (writes _build/chapters/NAME.ipynb)
	@test -n "$(NAME)" -a -f chapters/$(NAME).md || { echo "usage: make chapter NAME=<one of: $$(cd chapters && ls *.md | sed 's/\.md$$//' | tr '\n' ' ')>"; exit 2; }
	mkdir -p $(BUILD)/chapters
	$(BIN)/jupytext --to ipynb --execute --run-path chapters --output $(BUILD)/chapters/$(NAME).ipynb chapters/$(NAME).md

# .jupyter/lab/settings/overrides.json makes JupyterLab open the MyST .md chapters as (Jupytext) notebooks.
lab: $(BOOK_STAMP) ## JupyterLab with the MyST chapters openable as notebooks
	$(BIN)/jupyter lab --notebook-dir=. --LabApp.app_settings_dir="$(CURDIR)/.jupyter/lab/settings" chapters

# SITE_URL: where a copy of the site serves its downloads/ folder (Colab's set-up cell installs from there).
SITE_URL ?=
student: $(BOOK_STAMP) ## student and instructor notebooks, the two wheels, zips per chapter and for the book, into _build
	$(PY) tools/make_student.py --out $(BUILD) --site-url "$(SITE_URL)" $$( [ -f $(BUILD)/html/index.html ] && echo --site $(BUILD)/html )

bench: $(TEST_STAMP) ## measured figures into _build/bench.json
	mkdir -p $(BUILD)
	$(PY) -m bench --out $(BUILD)/bench.json

clean: ## remove _build (keeps .venv)
	rm -rf $(BUILD) .pytest_cache .hypothesis

# ---------------------------------------------------------------- graded mode (Otter-Grader)
# Otter lives in its own venv (requirements-grade.txt), never in the book's .venv.
GRADE_VENV := .venv-grade
GRADE_STAMP := $(GRADE_VENV)/.grade-deps
$(GRADE_STAMP): requirements-grade.txt pyproject.toml
	test -x $(GRADE_VENV)/bin/python || $(PYTHON) -m venv $(GRADE_VENV)
	$(GRADE_VENV)/bin/python -m pip install -q --upgrade pip
	$(GRADE_VENV)/bin/python -m pip install -q -r requirements-grade.txt
	$(GRADE_VENV)/bin/python -m pip install -q --no-deps -e .
	touch $@

grade-venv: $(GRADE_STAMP) ## the venv with Otter-Grader (.venv-grade) that make assignments uses

assignments: $(GRADE_STAMP) ## Otter sources, student notebooks and autograder.zip per chapter into _build/assignments
	PYTHONPATH="$(CURDIR):$(CURDIR)/chapters" $(GRADE_VENV)/bin/python tools/make_assignments.py --out $(BUILD)/assignments

assignments-test: $(GRADE_STAMP) $(TEST_STAMP) ## grade synthetic submissions with Otter (no Docker): tests/course/test_assignments.py
	$(BIN)/pytest -q -p no:cacheprovider tests/course/test_assignments.py

# ---------------------------------------------------------------- frameworks
# One environment per framework family (frameworks/<family>.txt, rebuilt only when that file changes),
# each probe run in its own env, every row identified against gru_lib in the .venv (frameworks/run.py).
.PHONY: frameworks
frameworks: $(BOOK_STAMP) ## run every framework row of the convention map live into chapters/gru_book/data/frameworks.json
	$(PY) frameworks/run.py
