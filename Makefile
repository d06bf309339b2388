# make run   installs what is missing, builds, and runs the main job (DQN on a maze, headless)
# make test  installs what is missing, builds, and runs every test (what CI runs)
# make bench runs the benchmarks beside their peers (../shared/anchors)
#
# Installing needs root or sudo for the Debian packages; without either, the missing packages
# are named and the make stops.

SHELL := /bin/bash
APT_PACKAGES := libopenblas-dev libsdl2-dev pkg-config python3-venv libzstd-dev zlib1g-dev libpng-dev libsqlite3-dev xvfb xauth
PKGCONFIG_NEEDED := openblas sdl2 libzstd zlib libpng sqlite3
TOOLS := .tools
TOOLS_PY := $(CURDIR)/$(TOOLS)/bin/python
TOOLS_STAMP := $(TOOLS)/.installed-$(shell cksum < scripts/requirements.txt | cut -d' ' -f1)
SWIFT_RELEASE := swift build -c release
RL := .build/release/rl

.PHONY: run test bench deps tools build clean

# The main job: DQN on a maze, headless, a few minutes; progress, evaluation, where the run is.
RUN_ENV ?= maze/empty-8
RUN_STEPS ?= 30000
run: deps tools build
	$(RL) train --env $(RUN_ENV) --agent dqn --preset maze --steps $(RUN_STEPS)

test: deps tools
	RL_TOOLS_PYTHON=$(TOOLS_PY) swift test -c release

build: deps
	$(SWIFT_RELEASE) --product rl

bench: deps tools build
	scripts/bench.sh

# Debian packages: installed only where pkg-config cannot find the libraries.
deps:
	@if ! command -v pkg-config >/dev/null || ! pkg-config --exists $(PKGCONFIG_NEEDED) \
	     || ! python3 -c 'import venv, ensurepip' 2>/dev/null || ! command -v Xvfb >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	  elif command -v sudo >/dev/null; then SUDO="sudo"; \
	  else echo "error: missing Debian packages; install them as root: apt-get install $(APT_PACKAGES)" >&2; exit 1; fi; \
	  echo "installing Debian packages: $(APT_PACKAGES)"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES) >/dev/null \
	    || { echo "error: apt-get install $(APT_PACKAGES) failed" >&2; exit 1; }; \
	fi

# The Python tool environment for the oracles (numpy, safetensors, MiniGrid, ale-py).
tools: $(TOOLS_STAMP)

$(TOOLS_STAMP): scripts/requirements.txt
	@echo "creating the Python tool environment in $(TOOLS)/ (oracles for the tests)"
	@[ -x $(TOOLS)/bin/python ] || python3 -m venv $(TOOLS) \
	  || { echo "error: python3 -m venv failed: install python3 and python3-venv" >&2; exit 1; }
	@$(TOOLS)/bin/pip install -q --disable-pip-version-check -r scripts/requirements.txt \
	  || { echo "error: pip could not install scripts/requirements.txt into $(TOOLS)/" >&2; exit 1; }
	@rm -f $(TOOLS)/.installed-*; touch $@

clean:
	rm -rf .build $(TOOLS)
