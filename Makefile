# Two commands do all the set-up: `make demo` (the main job) and `make test` (the whole suite:
# tests, ruff, mypy and the documentation built with warnings as errors).
# Each creates .venv and installs torch 2.13.0 first (from PyPI: the CUDA build on Linux x86-64;
# README.md shows how to start from the CPU-only build), then the package.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-slow test-ray docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install torch==2.13.0
	$(BIN)/python -m pip install -e '.[dev,plot]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/quickstart.py

# mkdocs without --quiet: --quiet drops the warnings that --strict turns into a failure.
test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q
	$(BIN)/ruff check polyclass tests examples benchmarks
	$(BIN)/ruff format --check polyclass tests examples benchmarks
	$(BIN)/mypy polyclass
	$(BIN)/mkdocs build --strict -f docs/mkdocs.yml

test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow -q

# The Ray backend of the atlas against a local Ray instance (installs the `ray` extra).
test-ray: $(STAMP)
	$(BIN)/python -m pip install -e '.[ray]'
	$(BIN)/python -m pytest -m slow -q tests/test_atlas.py -k ray

# The documentation at http://127.0.0.1:8000, rebuilt on every edit (site/ is the static copy).
docs: $(STAMP)
	$(BIN)/mkdocs serve -f docs/mkdocs.yml

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
