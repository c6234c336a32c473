# Two commands: `make run` and `make test`. Both create and reuse .venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench catalogue clean browser

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Cần Python 3.11 ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/motcua serve

test: $(VENV)/.installed-dev browser
	$(BIN)/python -m pytest

# Debian's chromium for the web chat's browser tests (no browser download by a test tool)
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
		echo "chromium is not installed and cannot be: browser tests will be skipped"

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/matcher_speed.py

catalogue: $(VENV)/.installed
	$(BIN)/motcua catalogue build

clean:
	rm -rf $(VENV)
