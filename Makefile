# Two entry points for a fresh machine with Python 3.11 and pip:
#   make report   set up .venv and render the London quarterly report
#   make test     set up .venv and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup report test lint format constraints bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

report: $(STAMP)
	$(BIN)/pingan report --dataset london --language zh

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check pingan tests benchmarks notebooks
	$(BIN)/ruff format --check pingan tests benchmarks notebooks
	$(BIN)/nbstripout --verify notebooks/*.ipynb

format: $(STAMP)
	$(BIN)/ruff format pingan tests benchmarks notebooks
	$(BIN)/ruff check --fix pingan tests benchmarks notebooks
	$(BIN)/nbstripout notebooks/*.ipynb

constraints: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt.new
	mv constraints.txt.new constraints.txt

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
