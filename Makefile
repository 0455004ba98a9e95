# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH ?=
# Test processes (pytest-xdist): one per core of the 2-core machines this runs on; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
# Addresses of reverse proxies whose X-Forwarded-For/-Proto uvicorn may believe (e.g. TRUSTED_PROXIES=10.0.0.5).
# Empty (the default): uvicorn ignores those headers, so nobody can fake their address past the per-IP login limit.
TRUSTED_PROXIES ?=
PROXY_FLAGS := $(if $(strip $(TRUSTED_PROXIES)),--proxy-headers --forwarded-allow-ips "$(TRUSTED_PROXIES)",--no-proxy-headers)

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
	@# Stopping the server (Ctrl-C = INT, or TERM) is not an error: stop the housekeeping loop too and end with status 0.
	@# The programs keep stderr (fd 3); the shell's own "Terminated" job notices go nowhere.
	@exec 3>&2 2>/dev/null; \
	$(BIN)/python manage.py housekeeping --loop 30 2>&3 & keeper=$$!; \
	trap 'kill $$keeper; wait $$keeper; exit 0' INT TERM; \
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) $(PROXY_FLAGS) 2>&3; status=$$?; \
	kill $$keeper; wait $$keeper; \
	case $$status in 0|130|143) exit 0;; *) exit $$status;; esac

# db_worker exits on a database error it does not expect (a PostgreSQL restart): start it again, as a supervisor
# (systemd, supervisord) does in production; the housekeeping loop grades anything the gap left ungraded.
# Background work (grading after submit, year closes) runs at nice 10: on one machine, the officers' requests first.
worker: install
	$(BIN)/python manage.py housekeeping --loop 30 & keeper=$$!; trap 'kill $$keeper; exit 0' INT TERM; \
	while true; do nice -n 10 $(BIN)/python manage.py db_worker; echo "db_worker exited ($$?); starting it again in 2 s" >&2; sleep 2; done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run -v0 --settings=config.settings.test
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

bench: install
	$(BIN)/python -m bench $(BENCH)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media tmp
