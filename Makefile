# The two commands a newcomer needs: `make demo` and `make test`. Each sets up what it uses.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_STAMP := $(VENV)/.dev-installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: demo test bench lint pictures dot chromium clean

demo: $(DEV_STAMP) dot
	$(PY) demos/tour.py

test: $(DEV_STAMP) dot chromium
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

bench: $(BENCH_STAMP)
	$(PY) -m benchmarks

pictures: $(DEV_STAMP) dot
	$(PY) scripts/pictures.py

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

$(BENCH_STAMP): $(DEV_STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,bench]'
	touch $@

# Graphviz's `dot` draws the pictures. Install it when missing and we are root; else say how.
dot:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing graphviz (for the dot program)..."; \
	    apt-get update -qq >/dev/null 2>&1; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "Graphviz's 'dot' is missing: install it (apt-get install graphviz | brew install graphviz | conda install graphviz) and rerun."; \
	    exit 1; \
	  fi; }

# Headless Chromium drives the HTML stepper's browser test (tests/viz/test_stepper.py).
# Install it when missing and we are root; otherwise that test skips and says why.
chromium:
	@{ command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium and chromium-driver (for the stepper's browser test)..."; \
	    apt-get update -qq >/dev/null 2>&1; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "chromium/chromedriver missing: the stepper's browser test will skip (apt-get install chromium chromium-driver)."; \
	  fi; }

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis .ruff_cache
