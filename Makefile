# AIGC from Zero — every command sets up .venv first if it is missing or out of date.
#   make course   run every notebook (default mode), write build/*.ipynb, build/*.html, build/report.md
#   make test     unit tests, then every notebook through nbval, then the browser test
#   make lab      JupyterLab on the course;  make lab-zh  the same in Chinese (menus, notebooks/zh, messages)
#   make web-assets   (part of make venv) with a network: npm fetches the widget scripts the HTML pages use
#   make hub      (as root) the classroom server: JupyterHub for a class, settings in hub/classroom.toml (README "For teachers")
#   make test-hub (as root) the classroom's load test: 8 learners run a lesson at once, the hub restarted mid-run
#   make book     the course website from the notebooks make course executed: build/book/ (build/book/zh/), offline
# Variables: PYTHON (interpreter used to create .venv), FAST=1 (quick pass of `make course`),
#            EDITION=zh|all (`make course` runs the Chinese edition into build/zh, or both editions).
# Offline kit, for x86_64 Linux with CPython 3.11 (a classroom with no internet; see README "For teachers"):
#   make wheelhouse [WHEELHOUSE=DIR] [WITH_DEV=1]   with a network: every wheel into WHEELHOUSE (default wheelhouse/)
#                                                   plus MANIFEST.json; WITH_DEV=1 adds the test tools (pytest ...)
#   make install-offline WHEELHOUSE=/media/usb/wheelhouse   no network: check the kit's SHA-256s, create .venv from it

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Exact pins verified on x86_64 Linux with Python 3.11; elsewhere the ranges in pyproject.toml apply.
CONSTRAINTS := $(if $(filter x86_64-Linux,$(shell uname -m)-$(shell uname -s)),-c constraints.txt,)
OFFLINE := HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1

.PHONY: help venv web-assets hub-proxy hub hub-env test-hub course book test test-unit test-notebooks test-browser lab lab-zh doctor benchmarks clean wheelhouse install-offline

help:
	@sed -n '/^#/!q;p' Makefile

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check $(CONSTRAINTS) -e '.[dev,book,hub]'
	@touch $(STAMP)

# The widget scripts for build/*.html (require.js, @jupyter-widgets/html-manager; see web/README.md), from npm into
# web/node_modules. Without npm or a network this only says so: the pages then show widgets as text.
WEB_STAMP := web/node_modules/.installed

$(WEB_STAMP): web/package.json
	@if command -v npm >/dev/null 2>&1 && (cd web && npm install --no-package-lock --ignore-scripts --no-audit --no-fund --fetch-retries=1); then \
	  touch $(WEB_STAMP); \
	else \
	  echo "widget scripts not installed (needs npm and a network): HTML pages will show widgets as text; run make web-assets later"; \
	  echo "未能安装控件脚本（需要 npm 和网络）：HTML 页面中的控件将以文字显示；之后请运行 make web-assets"; \
	fi

web-assets: $(WEB_STAMP)

# JupyterHub's proxy (configurable-http-proxy) from npm into hub/node_modules, for make hub and its load test
# (part of make venv). Without npm or a network this only says so.
HUB_STAMP := hub/node_modules/.installed

$(HUB_STAMP): hub/package.json
	@if command -v npm >/dev/null 2>&1 && (cd hub && npm install --no-package-lock --ignore-scripts --no-audit --no-fund --fetch-retries=1); then \
	  touch $(HUB_STAMP); \
	else \
	  echo "JupyterHub's proxy not installed (needs npm and a network): make hub will not start; run make hub-proxy later"; \
	  echo "未能安装 JupyterHub 的代理（需要 npm 和网络）：make hub 无法启动；之后请运行 make hub-proxy"; \
	fi

hub-proxy: $(HUB_STAMP)

hub: $(STAMP) $(HUB_STAMP)
	$(OFFLINE) $(BIN)/aigc-course hub serve --settings hub/classroom.toml

# Where the course's Python lives in a folder other accounts cannot read (pyenv under /root, say):
# hub/learner-env, a Python every account can run (HUB_PYTHON) that uses .venv's packages.
HUB_PYTHON ?= /usr/bin/python3

hub-env: $(STAMP)
	$(BIN)/aigc-course hub env --python $(HUB_PYTHON) --settings hub/classroom.toml

venv: $(STAMP) $(WEB_STAMP) $(HUB_STAMP)

course: $(STAMP)
	$(OFFLINE) $(BIN)/aigc-course run --out build $(if $(FAST),--fast,) $(if $(EDITION),--edition $(EDITION),)

# The course website (Sphinx, MyST-NB, sphinx-book-theme: the `book` extra) from build/*.ipynb and
# build/zh/*.ipynb; executes nothing, and says to run `make course` first when they are missing.
book: $(STAMP)
	$(OFFLINE) $(BIN)/python -m aigc_course.book

test: test-unit test-notebooks test-browser test-hub

test-unit: $(STAMP)
	$(OFFLINE) $(BIN)/python -m pytest -m "not browser and not classroom" tests

# pytest exits 5 when it collects nothing (a course with no notebooks yet): not a failure.
# AIGC_HOME: a throw-away answers folder, so tests never touch a learner's saved answers.
test-notebooks: $(STAMP)
	$(OFFLINE) AIGC_HOME=$$(mktemp -d) $(BIN)/python -m pytest --nbval-lax -p no:cacheprovider notebooks/; \
	  rc=$$?; if [ $$rc -eq 5 ]; then echo "no notebooks to execute yet"; exit 0; fi; exit $$rc

# Skipped with a reason by tests/browser/conftest.py where /usr/bin/chromium is missing.
test-browser: $(STAMP)
	@if [ -d tests/browser ]; then \
	  $(OFFLINE) $(BIN)/python -m pytest -m browser -rs tests/browser; \
	  rc=$$?; if [ $$rc -eq 5 ]; then echo "no browser tests collected"; exit 0; fi; exit $$rc; \
	else echo "no browser tests yet"; fi

# The classroom server's load test (about 2 minutes): skipped with a reason where it cannot run
# (not root, no useradd, no proxy).
test-hub: $(STAMP)
	$(OFFLINE) $(BIN)/python -m pytest -m classroom -rs tests/classroom

lab: $(STAMP)
	$(OFFLINE) $(BIN)/jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

# JupyterLab's own settings for the Chinese course live in build/lab-zh, so the learner's usual Lab is untouched.
LAB_ZH_SETTINGS := build/lab-zh/@jupyterlab/translation-extension/plugin.jupyterlab-settings

lab-zh: $(STAMP)
	@mkdir -p $(dir $(LAB_ZH_SETTINGS))
	@test -f $(LAB_ZH_SETTINGS) || echo '{"locale": "zh_CN"}' > $(LAB_ZH_SETTINGS)
	$(OFFLINE) AIGC_LANG=zh JUPYTERLAB_SETTINGS_DIR=$(CURDIR)/build/lab-zh $(BIN)/jupyter lab notebooks/zh $(if $(filter 0,$(shell id -u)),--allow-root,)

doctor: $(STAMP)
	$(OFFLINE) $(BIN)/aigc-course doctor

benchmarks: $(STAMP)
	@for script in benchmarks/[!_]*.py; do echo "== $$script"; $(OFFLINE) $(BIN)/python $$script || exit 1; done

clean:
	rm -rf build .pytest_cache

# The offline kit (aigc_course/kit/): run by the system Python, since a laptop has no .venv yet.
WHEELHOUSE ?= wheelhouse
KIT := $(PYTHON) -m aigc_course.cli wheelhouse

wheelhouse:
	$(KIT) build --out '$(WHEELHOUSE)' $(if $(filter-out 0,$(WITH_DEV)),--with-dev,)

install-offline:
	$(KIT) install --from '$(WHEELHOUSE)' --venv $(VENV)
	@touch $(STAMP)
