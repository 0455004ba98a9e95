# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH ?=

.PHONY: run test lint install system-deps messages migrate seed serve worker bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) system-deps messages

# Debian packages the app and its tests use: gettext (translations), chromium + Noto CJK (browser tests),
# WenQuanYi Micro Hei (a TrueType CJK font reportlab can embed in compilation PDFs), poppler-utils (PDF text checks). Installed only when missing; needs root (as on these machines).
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing="$$missing fonts-noto-cjk"; \
	fc-list 2>/dev/null | grep -qi "wenquanyi micro hei" || missing="$$missing fonts-wqy-microhei"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	    || echo "could not install$$missing (browser/PDF tests will skip)"; \
	fi

messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

migrate: install
	$(BIN)/python manage.py migrate --noinput -v0

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "执法学堂: http://$(HOST):$(PORT)/"
	$(BIN)/python manage.py sweep_attempts --loop 30 & sweeper=$$!; \
	$(BIN)/python manage.py housekeeping --loop 60 & keeper=$$!; trap 'kill $$sweeper $$keeper' EXIT INT TERM; \
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT)

worker: install
	$(BIN)/python manage.py sweep_attempts --loop 30 & sweeper=$$!; \
	$(BIN)/python manage.py housekeeping --loop 60 & keeper=$$!; trap 'kill $$sweeper $$keeper' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0 --settings=config.settings.test
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python -m bench $(BENCH)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media tmp
