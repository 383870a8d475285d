# Two commands for a new user: `make demo` and `make test`.
# Both need only Python 3 (3.10+) and make; everything else goes into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=

.PHONY: test demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { echo "could not create $(VENV): install Python's venv module (Debian: python3-venv)"; exit 1; }

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest autograd nn optim viz tests README.md

demo: $(STAMP)
	$(BIN)/python examples/demo.py $(ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(ARGS)

clean:
	rm -rf $(VENV) demo-output examples-output .pytest_cache .hypothesis
