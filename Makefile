# make run  — the product on embedded defaults (SQLite + embedded Redis) at http://127.0.0.1:5000
# make test — the whole test suite against PostgreSQL and Redis (see README)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint translations messages services bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

translations: $(STAMP)
	$(VENV)/bin/pybabel compile -d app/translations >/dev/null

# Refresh the catalogs after adding strings (then translate the new entries in ru and kk).
messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations

run: $(STAMP) translations
	$(PY) -m app.devserver

services:
	./scripts/test-services.sh

test: $(STAMP) translations services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	@echo "see README: Benchmarks"

clean:
	rm -rf $(VENV) instance
