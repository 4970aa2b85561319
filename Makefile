# make run  — the product on embedded defaults (SQLite + embedded Redis) at http://127.0.0.1:5000
# make test — the whole test suite against PostgreSQL and Redis (see README)
VENV := .venv
PY := $(VENV)/bin/python
# Two stamps: `run` needs only the runtime packages; `test` and `lint` add the dev tools
# (pytest, Playwright, moto…), which take most of the install time.
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

.PHONY: run test lint translations messages services bench clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUNTIME): requirements.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	touch $(RUNTIME)

# requirements-dev.txt includes requirements.txt, so this brings the runtime up to date too.
$(DEV): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(RUNTIME) $(DEV)

translations: $(RUNTIME)
	$(VENV)/bin/pybabel compile -d app/translations >/dev/null

# Refresh the catalogs after adding strings (then translate the new entries in ru and kk).
messages: $(RUNTIME)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations

run: $(RUNTIME) translations
	$(PY) -m app.devserver

services:
	./scripts/test-services.sh

test: $(DEV) translations services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -q -p no:cacheprovider

lint: $(DEV)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: $(DEV)
	@echo "see README: Benchmarks"

clean:
	rm -rf $(VENV) instance
