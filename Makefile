# Two commands on a fresh machine: `make html` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
# The browser suite's pinned npm tools (Nu Html Checker, axe-core); --ignore-scripts: vnu-jar's
# postinstall would download a JDK, and the tests use the machine's java instead.
BROWSER := tests/browser
NODE_STAMP := $(BROWSER)/node_modules/.installed

.PHONY: html test check bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	touch $@

$(NODE_STAMP): $(BROWSER)/package.json $(BROWSER)/package-lock.json
	cd $(BROWSER) && npm ci --silent --ignore-scripts --no-audit --no-fund
	touch $@

html: $(STAMP)
	$(VENV)/bin/zhuanlan build --site . --output output

check: $(STAMP)
	$(VENV)/bin/zhuanlan check --site .

test: $(TEST_STAMP) $(NODE_STAMP)
	$(PY) -m pytest -q

bench: $(BENCH_STAMP)
	$(PY) bench/bench_check.py
	$(PY) bench/bench_loading.py
	$(PY) bench/bench_build.py
	$(PY) bench/bench_search.py
	$(PY) bench/bench_match.py

clean:
	rm -rf output .zhuanlan-cache
