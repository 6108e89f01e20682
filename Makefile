# The two commands a newcomer needs: `make demo` and `make test`. Each sets up what it uses.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_STAMP := $(VENV)/.dev-installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: demo test test-install bench lint pictures dot chromium clean
# apt-get waits up to two minutes for another apt process's lock instead of failing at once.
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 -qq

demo: $(DEV_STAMP) dot
	$(PY) demos/tour.py

test: $(DEV_STAMP) dot chromium
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

# Builds the wheel and installs it into fresh venvs beside HIPS autograd, in both orders
# (needs the package registry; about a minute). .ci/run calls it after `make test`.
test-install: $(DEV_STAMP)
	$(PY) -m pytest -q -m install tests/test_install.py

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
	    $(APT_GET) update >/dev/null 2>&1; \
	    $(APT_GET) install -y graphviz >/dev/null || exit 1; \
	  else \
	    echo "Graphviz's 'dot' is missing: install it (apt-get install graphviz | brew install graphviz | conda install graphviz) and rerun."; \
	    exit 1; \
	  fi; }

# Headless Chromium drives the HTML stepper's browser test (tests/viz/test_stepper.py).
# Install it when missing and we are root; if that fails or we are not root, the test
# skips and says why, and `make test` goes on: a browser is optional, `dot` is not.
chromium:
	@{ command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium and chromium-driver (for the stepper's browser test)..."; \
	    $(APT_GET) update >/dev/null 2>&1; \
	    $(APT_GET) install -y chromium chromium-driver >/dev/null 2>&1 \
	      || echo "could not install chromium (apt-get failed): the stepper's browser test will skip."; \
	  else \
	    echo "chromium/chromedriver missing: the stepper's browser test will skip (apt-get install chromium chromium-driver)."; \
	  fi; }

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis .ruff_cache
