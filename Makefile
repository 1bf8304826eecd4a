# Two commands do all set-up: `make run` serves the portal, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell md5sum requirements.txt | cut -c1-12)
APT_OK := $(shell [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && echo yes)

.PHONY: run run-debug demo-reset test system-packages messages migrate lint audit format bench mutation

$(STAMP): requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required (looked for '$(PYTHON)')."; exit 1; }
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

# CJK fonts (for PDFs), HarfBuzz's font subsetter (WeasyPrint subsets the CJK fonts with it in a fraction of the
# time fontTools takes) and GNU gettext (to compile the translations), from Debian's packages when missing.
system-packages:
	@missing=""; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || missing="$$missing libharfbuzz-subset0"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ "$(APT_OK)" = yes ]; then \
	    echo "Installing$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null || \
	      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; }; \
	  else \
	    echo "Please install these Debian packages first:$$missing (sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

messages: $(STAMP) system-packages
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

migrate: $(STAMP) var/audit_chain_key
	mkdir -p var
	AUDIT_CHAIN_KEY="$$(cat var/audit_chain_key)" $(PY) manage.py migrate --no-input --verbosity 0

# `make run` serves the portal as its users meet it: DEBUG off (the portal's own Chinese 404/403/500 pages, static
# files through whitenoise), a secret key generated once into var/, plain HTTP on loopback. The demo data is
# loaded with DEBUG on, the only way seed_demo agrees to run. `make run-debug` serves Django's debug pages.
LOCAL := DJANGO_DEBUG=False DJANGO_SECRET_KEY="$$(cat var/secret_key)" DJANGO_SECURE_SSL_REDIRECT=False \
	DJANGO_SECURE_COOKIES=False DJANGO_HSTS_SECONDS=0 AUDIT_CHAIN_KEY="$$(cat var/audit_chain_key)"

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# The keys of the ID numbers (SM4) and of their look-up hash (HMAC-SM3), made once like the secret key: with DEBUG
# off the portal refuses the development keys (certificates/checks.py). Both targets use them, so the demo data
# of var/ reads the same whichever served it.
var/certificate_id_key var/certificate_hash_key:
	mkdir -p var
	[ -s var/certificate_id_key ] || $(PYTHON) -c "import secrets; print(secrets.token_hex(16))" > var/certificate_id_key
	[ -s var/certificate_hash_key ] || $(PYTHON) -c "import secrets; print(secrets.token_hex(32))" > var/certificate_hash_key
	chmod 600 var/certificate_id_key var/certificate_hash_key
KEYS := CERTIFICATE_ID_KEY="$$(cat var/certificate_id_key)" CERTIFICATE_HASH_KEY="$$(cat var/certificate_hash_key)" \
	AUDIT_CHAIN_KEY="$$(cat var/audit_chain_key)"

# The audit chain's HMAC-SM3 key, generated once like the secret key (DEBUG off refuses the development key).
var/audit_chain_key:
	mkdir -p var
	[ -s $@ ] || $(PYTHON) -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

run: messages migrate var/secret_key var/certificate_id_key var/certificate_hash_key var/audit_chain_key
	DJANGO_DEBUG=True $(KEYS) $(PY) manage.py seed_demo
	$(LOCAL) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(LOCAL) $(KEYS) $(PY) manage.py runserver 127.0.0.1:8000

run-debug: messages migrate var/certificate_id_key var/certificate_hash_key var/audit_chain_key
	DJANGO_DEBUG=True $(KEYS) $(PY) manage.py seed_demo
	DJANGO_DEBUG=True $(KEYS) $(PY) manage.py runserver 127.0.0.1:8000

# The demo back to the README's description, whatever users changed (seed_demo --reset; other data is kept).
demo-reset: migrate var/certificate_id_key var/certificate_hash_key var/audit_chain_key
	DJANGO_DEBUG=True $(KEYS) $(PY) manage.py seed_demo --reset

# Two test processes (pytest-xdist): each has its own test database and its own Redis databases (portal/settings.py),
# and the suite takes about half the time on the two cores of CI. PYTEST_ARGS="-p no:xdist" runs it in one.
PYTEST_ARGS ?= -n 2
test: messages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0

# Known vulnerabilities of the pinned packages (pip-audit, from requirements-audit.txt: a CI tool, not a runtime
# requirement). Fails on an advisory not accepted in .ci/pip-audit-accepted.txt; says plainly when the
# vulnerability service cannot be reached from this machine (AUDIT_STRICT=1 makes that a failure too).
audit: $(STAMP)
	@[ -x $(VENV)/bin/pip-audit ] || $(PY) -m pip install --quiet -r requirements-audit.txt
	$(PY) .ci/pip_audit.py

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Mutation testing of the rules and the workflow tables (outside CI: it takes a while). Results: `mutmut results`.
mutation: messages
	$(PY) -m pip install --quiet mutmut==3.8.1
	$(VENV)/bin/mutmut run --max-children 2
