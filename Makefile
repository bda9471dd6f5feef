# Two commands do everything: `make lab` opens the course, `make test` runs every test.
# Both build .venv from requirements.lock first if it is missing or older than the pins.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# JupyterLab reads overrides.json here (its application settings directory).
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
# Wheels for tests/test_colab_like.py's small environments (ipywidgets 7, a clean first cell),
# fetched before the tests go offline.
WHEELS := $(VENV)/wheels

CLASSROOM ?= 0
# JupyterLab refuses to run as root (containers, some classroom machines) unless told to.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test claims pins lint clean-venv

# `make lab CLASSROOM=1`: large fonts and thick lines for a projector.
# Opens lesson 00 in front, with the course's JupyterLab settings (jupyter/overrides.json: no
# news pop-up, a lesson's kernel shut down when its tab is closed), refreshed at every start.
lab: $(STAMP)
	@mkdir -p $(LAB_SETTINGS) && cp jupyter/overrides.json $(LAB_SETTINGS)/overrides.json
	LESSONS_CLASSROOM=$(CLASSROOM) $(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/00_start_here.ipynb

test: $(STAMP) $(WHEELS)/.downloaded
	tools/browser_deps
	tools/offline $(BIN)/python -m pytest

# Re-run every lesson with other seeds, oneDNN on and one core; record the outcome (slow).
claims: $(STAMP)
	$(BIN)/python tools/check_claims.py --write-report

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; ok = (3, 10) <= sys.version_info[:2] <= (3, 13); ok or sys.exit("Python 3.10 to 3.13 is needed (TensorFlow 2.21), found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	mkdir -p $(LAB_SETTINGS) && cp jupyter/overrides.json $(LAB_SETTINGS)/overrides.json
	touch $(STAMP)

$(WHEELS)/.downloaded: tests/colab_like.lock $(STAMP)
	$(BIN)/python -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
		-d $(WHEELS) -r tests/colab_like.lock
	touch $@

pins: $(STAMP)
	$(BIN)/python tools/update_pins.py
	$(BIN)/python tools/sync_binder.py

lint: $(STAMP)
	$(BIN)/ruff check .

clean-venv:
	rm -rf $(VENV)
