# Havre: `make run` to use it, `make test` to prove it (lint, types, tests, build, smoke).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
POT := translations/messages.pot
CATALOGS := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
# The catalogues' one format: lines of 100 characters, locations by file without line
# numbers, so that `make i18n` rewrites them only when a message changed.
PO_FORMAT := --width=100
# The frozen build and what it is made of: `make build` and `make smoke` (re)build it when one
# of these changed since. The folders are inputs too: removing a file changes its folder.
FROZEN := dist/havre/havre
FROZEN_INPUTS := build.spec $(STAMP) $(COMPILED) $(wildcard packaging/*.py) \
  $(shell find app ui db resources translations/brochure -name __pycache__ -prune -o -print 2>/dev/null)
# The system libraries Qt needs beside the frozen build: installed by `make system-deps`, and
# the Depends of the .deb (the two Wayland ones let Havre draw natively in a Wayland session
# instead of through XWayland).
QT_APT_PACKAGES := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
  libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 \
  libxcb-image0 libwayland-cursor0 libwayland-egl1
# PyInstaller reads and strips the libraries with binutils (objdump, readelf, strip).
APT_PACKAGES := $(QT_APT_PACKAGES) binutils
# The tests read the PDFs back as a reader would (pdftotext, pdffonts, pdfinfo), open counts
# files with age, and run a D-Bus daemon of their own (the system lock watch); `make deb-check`
# validates the .deb's desktop entry and AppStream metadata.
TEST_APT_PACKAGES := poppler-utils age dbus-daemon desktop-file-utils appstream
# The installers' checks: Debian's WiX subset and MSI reader, and the shell scripts' linter.
INSTALLERS_APT_PACKAGES := wixl msitools shellcheck
# The Debian package (`make deb`): its version is Havre's, its release day the day of the
# commit it is built from (set RELEASED=YYYY-MM-DD outside a git checkout).
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' app/__init__.py)
ARCH := $(shell dpkg --print-architecture 2>/dev/null)
RELEASED ?= $(shell git log -1 --format=%cs 2>/dev/null)
DEB_MAINTAINER ?= Havre contributors <havre@havre.invalid>
DEB := dist/havre_$(VERSION)_$(ARCH).deb
DEB_STAGE := build/deb
SUDO := $(shell [ "$$(id -u)" -ne 0 ] && command -v sudo)

.DEFAULT_GOAL := help
# A recipe that fails leaves no half-made target behind (a .mo, the frozen build).
.DELETE_ON_ERROR:
.PHONY: help run test lint typecheck pytest i18n translations bench build smoke screenshots \
        system-deps test-system-deps apt-install migration clean dates installers-check deb \
        deb-check

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -d translations -D messages -l $* 2>&1 | grep -v '^compiling' || true
	test -f $@

translations: $(COMPILED) ## compile the catalogs (.po -> .mo)

run: system-deps $(STAMP) translations ## install if needed and start Havre (first start: set-up wizard)
	$(PY) -m app

system-deps: ## install the system libraries Qt and PyInstaller need (Debian/Ubuntu)
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

test-system-deps: ## the system tools the tests use (Debian/Ubuntu)
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(TEST_APT_PACKAGES)"

apt-install: ## the Debian/Ubuntu PACKAGES="..." that are missing (used by the two above)
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null; then \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

# The frozen build (one core, most of its time) is made beside the tests, which leave part of
# the second core idle; their lines come out as they are written (--output-sync=line).
test: system-deps test-system-deps $(STAMP) translations lint typecheck installers-check ## everything CI checks
	@$(MAKE) --no-print-directory -j2 --output-sync=line pytest build
	@$(MAKE) --no-print-directory smoke
	@# The .deb is made and installed where dpkg is: Debian and Ubuntu (CI's Linux runner).
	@if command -v dpkg-deb >/dev/null; then $(MAKE) --no-print-directory deb-check; \
	else echo "make deb-check: no dpkg on this system, the Debian package is not checked"; fi

# The Windows and macOS builds run only on CI's hosted runners. What can be checked here: the
# workflows and actions against GitHub's schemas, the shell scripts, and (in the test suite,
# tests/test_installers.py) the MSI source compiled by wixl and read back.
installers-check: $(STAMP) ## validate the CI workflows, shellcheck the shell scripts (wixl for the tests)
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(INSTALLERS_APT_PACKAGES)"
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-actions .github/actions/*/action.yml
	shellcheck $$(grep -rlE '^#!(/usr/bin/env |/bin/)(ba|da)?sh( |$$)' .ci packaging)

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The build's scripts are no package (see tests/packaging/scripts.py): checked as files.
typecheck: $(STAMP) ## mypy (strict on app/, db/ and the build's scripts in packaging/)
	$(BIN)/mypy
	$(BIN)/mypy --strict $(wildcard packaging/*.py packaging/linux/*.py)

# xdist hands the tests out one at a time (--maxschedchunk=1): by default the first worker
# gets the first quarter of the list at once, so every slow test (they come first) and the
# others wait for it (9 min instead of 6 on two cores).
XDIST := --numprocesses=auto --maxprocesses=4 --maxschedchunk=1
pytest: $(STAMP) translations ## the test suite, offscreen, on up to 4 cores (pytest-xdist)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(XDIST)

# The tests that depend on days, months and time zones, once more at two awkward moments,
# with the clock of every process moved there (tests/time_travel) and the tests' clock with
# it: a leap day at 23:30 in Brussels, and the autumn night the clocks go back (02:30, the
# first time), on a PC set to another time zone.
AWKWARD_MOMENTS := 2028-02-29T23:30:00+01:00 2027-10-31T02:30:00+02:00
dates: $(STAMP) translations ## the tests marked `dates` again at a leap day 23:30 and the autumn DST night
	@for moment in $(AWKWARD_MOMENTS); do \
	  echo "tests marked dates, the clock at $$moment"; \
	  HAVRE_TRAVEL_TO=$$moment HAVRE_TEST_NOW=$$moment PYTHONPATH=tests/time_travel \
	  QT_QPA_PLATFORM=offscreen TZ=America/Sao_Paulo $(PY) -m pytest -m dates -q \
	    -p no:time_machine -W ignore::pytest.PytestAssertRewriteWarning \
	    $(XDIST) || exit 1; \
	done

i18n: $(STAMP) ## extract the strings, update the catalogs, compile them (untouched if no string changed)
	$(BIN)/pybabel --quiet extract -o $(POT).new --add-comments=TRANSLATORS: -k N_ -k NP_:1c,2 \
	  --project=Havre --copyright-holder=Havre --msgid-bugs-address= \
	  --sort-by-file --add-location=file $(PO_FORMAT) app ui db
	@# Only the date and the year in the header comment differ: no string changed, keep the file.
	@if diff -I '^"POT-Creation-Date: ' -I '^# ' $(POT) $(POT).new >/dev/null 2>&1; \
	then rm $(POT).new; else mv $(POT).new $(POT); fi
	$(BIN)/pybabel --quiet update -i $(POT) -d translations -D messages \
	  --no-fuzzy-matching --ignore-obsolete $(PO_FORMAT)
	@$(MAKE) --no-print-directory translations

bench: $(STAMP) translations ## time the performance budgets (docs/architecture.md, "Performance budgets")
	@# Every part reports, then the target fails if any budget was missed.
	@status=0; \
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.bench || status=1; \
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.bench_desk || status=1; \
	$(PY) -m tools.bench_counts || status=1; \
	$(PY) -m tools.bench_publication || status=1; \
	exit $$status

build: $(FROZEN) ## one-folder desktop build with PyInstaller (dist/havre/), if a source changed

# PyInstaller needs binutils (objdump): the system packages come first, and being checked
# again never makes the build out of date (an order-only prerequisite).
$(FROZEN): $(FROZEN_INPUTS) | system-deps
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec
	touch $@

smoke: $(FROZEN) ## run the frozen build's selfcheck offscreen (builds it first if needed)
	@# In folders of its own: the check leaves the user's settings and logs untouched.
	@home=$$(mktemp -d) && status=0; \
	XDG_CONFIG_HOME=$$home/config XDG_STATE_HOME=$$home/state XDG_DATA_HOME=$$home/data \
	  QT_QPA_PLATFORM=offscreen dist/havre/havre selfcheck --no-crash-dialog || status=$$?; \
	rm -rf "$$home"; exit $$status

deb: $(DEB) ## the Debian package of the frozen build (dist/havre_VERSION_ARCH.deb)

$(DEB): $(FROZEN) $(wildcard packaging/linux/*)
	@test -n "$(RELEASED)" || { echo 'make deb: no git history here: give the release day, e.g. make deb RELEASED=2027-01-06' >&2; exit 2; }
	$(PY) packaging/linux/deb.py dist/havre $@ --stage $(DEB_STAGE) --version $(VERSION) \
	  --released $(RELEASED) --depends "$(QT_APT_PACKAGES)" --maintainer "$(DEB_MAINTAINER)" \
	  --architecture $(ARCH)

# Installs the package on this machine (through sudo when not root), checks what it installed,
# runs the installed selfcheck, then purges the package: the shared desk folder stays.
deb-check: test-system-deps $(DEB) ## install the .deb, validate it, run its selfcheck, purge it
	$(SUDO) dpkg -i $(DEB) >/dev/null
	@home=$$(mktemp -d) && status=0; \
	desktop-file-validate /usr/share/applications/be.havre.Havre.desktop || status=1; \
	appstreamcli validate --no-net --explain /usr/share/metainfo/be.havre.Havre.metainfo.xml || status=1; \
	XDG_CONFIG_HOME=$$home/config XDG_STATE_HOME=$$home/state XDG_DATA_HOME=$$home/data \
	  QT_QPA_PLATFORM=offscreen /usr/bin/havre selfcheck --no-crash-dialog || status=1; \
	rm -rf "$$home"; \
	version=$$(/usr/bin/havre --version); \
	[ "$$version" = "Havre $(VERSION)" ] || { echo "havre --version says $$version" >&2; status=1; }; \
	shared=$$(stat -c '%U:%G %a' /var/lib/havre); \
	[ "$$shared" = "root:havre 2770" ] || { echo "/var/lib/havre is $$shared, not root:havre 2770" >&2; status=1; }; \
	$(SUDO) dpkg --purge havre >/dev/null || status=1; \
	[ -d /var/lib/havre ] || { echo "purging the package removed /var/lib/havre" >&2; status=1; }; \
	[ ! -e /usr/bin/havre ] || { echo "purging the package left /usr/bin/havre" >&2; status=1; }; \
	exit $$status

screenshots: test-system-deps $(STAMP) translations ## main screens (fr, nl) into docs/screenshots/, printed material into docs/printed/
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.screenshots docs/screenshots

migration: $(STAMP) ## new Alembic revision from the models: MESSAGE="what changed" [EMPTY=1: an empty one, to write by hand]
	@test -n "$$MESSAGE" || { echo 'make migration: say what changed, e.g. make migration MESSAGE="case notes"' >&2; exit 2; }
	$(PY) -m db.migrate $(if $(filter-out 0,$(EMPTY)),--empty) -- "$$MESSAGE"

clean: ## remove build output and caches (keeps the virtual environment)
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
