#!/bin/sh
# ctest's `python` test: build parley's C extension in place against BUILD's libparley.a, then run the pytest suite
# (which also runs examples/python/). Exit 77 (skipped) when numpy, pandas, pytest or setuptools is missing.
# Usage: python/tests/run.sh BUILD_DIR
set -e
build=$(cd "$1" && pwd)
pkg=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
if ! $py -c 'import numpy, pandas, pytest, setuptools' 2>/dev/null; then
    echo "skipped: the Python tests need numpy, pandas, pytest and setuptools" \
         "(apt-get install python3-numpy python3-pandas python3-pytest python3-setuptools)"
    exit 77
fi
cd "$pkg"
# warnings are errors here, as in the rest of the build (PL_WERROR)
CFLAGS="${CFLAGS:-} -Werror -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-cast-function-type" \
    PARLEY_BUILD_DIR="$build" $py setup.py -q build_ext --inplace --force --build-temp "$build/python-ext"
cd "$pkg/.."
PYTHONPATH="$pkg" PARLEY_BUILD_DIR="$build" exec $py -m pytest "$pkg/tests" -q -p no:cacheprovider
