# Hip2Knee: `make run` on a laptop with only Python; `make test` for the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000

.PHONY: install run test lint format bench lock clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	PORT=$(PORT) $(PY) manage.py run

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: install
	$(PY) tests/bench/run.py

# Re-pin after changing pyproject.toml: a fresh venv, the newest allowed versions, frozen.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e '.[dev]'
	(echo '# Exact versions for every install (make uses this as pip constraints). Regenerate with `make lock`.'; \
	 .venv-lock/bin/pip freeze --exclude-editable | grep -v '^hip2knee') > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
