# Convenience wrapper around CMake. `make` builds build/parley; `make test` installs dependencies, builds with
# -Werror and runs the suite twice (plain and under ASan+UBSan); `make demo` runs the flagship example (its JSON
# files are kept in $(BUILD)/demo);
# `make install` installs parley, libparley, its headers, parley.pc, the CMake package and the man page under
# PREFIX (default /usr/local; e.g. `make install PREFIX=~/.local`), staged under DESTDIR when given.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DEMO ?= scenarios/ceasefire-2025.json
PREFIX ?= /usr/local
DESTDIR ?=
# `PREFIX=~/.local` reaches make unexpanded from some shells.
INSTALL_PREFIX = $(patsubst ~/%,$(HOME)/%,$(patsubst ~,$(HOME),$(PREFIX)))

TSAN_BUILD ?= build-tsan
# The tests that run threads (tournaments, enumeration, reports, sessions sharing a prepared negotiation).
TSAN_TESTS ?= test_tournament|test_pareto_enum|test_report|test_session$$|test_alloc

.PHONY: all deps build install uninstall test test-plain test-asan tsan demo bench fuzz clean python

all: build

deps:
	@./scripts/setup.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPL_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Installs with `cmake --install` (the files it wrote are listed in $(BUILD)/install_manifest.txt); refreshes the
# shared-library cache when installing for real as root.
install: build
	@DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(INSTALL_PREFIX)"
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi

uninstall:
	@[ -f $(BUILD)/install_manifest.txt ] || { echo "uninstall: nothing installed from $(BUILD)" >&2; exit 1; }
	@xargs rm -f <$(BUILD)/install_manifest.txt

test: test-plain test-asan

test-plain: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DPL_WERROR=ON -DPL_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# ThreadSanitizer on the threaded tests (run by CI after make test).
tsan: deps
	@cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPL_WERROR=ON -DPL_TSAN=ON >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS) --target test_tournament test_pareto_enum test_report test_session test_alloc
	@cd $(TSAN_BUILD) && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ctest --output-on-failure -j $(JOBS) -R '$(TSAN_TESTS)'

# The Python package built in place against $(BUILD)'s libparley.a: then `PYTHONPATH=python /usr/bin/python3 -c
# 'import parley'` works from here (docs/python.md; `pip install ./python` installs it).
python: build
	@cd python && PARLEY_BUILD_DIR="$(abspath $(BUILD))" /usr/bin/python3 setup.py -q build_ext --inplace \
	    --build-temp "$(abspath $(BUILD))/python-ext"

# The demo builds quietly (the log is kept in $(BUILD)/build.log and shown on failure).
demo: deps
	@echo "parley demo: building (log in $(BUILD)/build.log) ..."
	@{ cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPL_WERROR=ON && \
	   cmake --build $(BUILD) -j $(JOBS); } >$(BUILD).log 2>&1 || { cat $(BUILD).log; exit 1; }
	@mv -f $(BUILD).log $(BUILD)/build.log
	@./scripts/demo.sh $(BUILD)/parley $(DEMO) $(BUILD)/demo

bench: build
	@for b in $(BUILD)/bench_*; do [ -x "$$b" ] && "$$b"; done; true

fuzz:
	@./scripts/fuzz.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) build-fuzz python/build python/parley/_parley*.so
