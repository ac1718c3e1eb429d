# sahelwatch: `make run` (the main job on the bundled example reports), `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: install system-deps run test bench lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Always (re)install: quick when nothing changed, and it picks up a changed pyproject.toml.
install: $(BIN)/python
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip==25.3
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'

system-deps:
	bash scripts/system-deps.sh

run: install
	$(BIN)/sahelwatch demo examples/

test: install system-deps
	$(BIN)/python -m pytest

bench: install system-deps
	set -e; for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

lint: install
	$(BIN)/ruff check src tests bench
