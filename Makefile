# Two commands do all set-up on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: run test lint

$(BIN)/patron: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

run: $(BIN)/patron
	$(BIN)/patron run $(ARGS)

test: $(BIN)/patron
	$(BIN)/python -m pytest $(ARGS)

# ruff, then the layers and the plugin boundary (import-linter contracts in pyproject.toml;
# the example plugin is checked from its source folder).
lint: $(BIN)/patron
	$(BIN)/ruff check .
	PYTHONPATH=examples/patron-hello $(BIN)/lint-imports
