#!/bin/sh
# Install the Debian packages parley needs to build and test. Idempotent: does
# nothing (and prints nothing) when every package is already installed; runs
# `apt-get update` only when something is missing.
#   scripts/setup.sh          build + test dependencies (SQLite; cairo for plots; Open MPI for `parley tournament --mpi`;
#                             Python 3 for the man page and the tests, pandas to read exports, libmicrohttpd for
#                             `parley serve`, chromium + node for its browser tests)
#   scripts/setup.sh fuzz     also clang and its libFuzzer runtime (for `make fuzz`)
set -eu

pkgs="cmake make gcc pkg-config libexpat1-dev libjansson-dev libcmocka-dev libsqlite3-dev libcairo2-dev openmpi-bin libopenmpi-dev"
pkgs="$pkgs python3 python3-dev python3-numpy python3-pandas python3-pytest python3-setuptools libmicrohttpd-dev"
# parley serve's browser tests (tests/browser: Debian's chromium driven by playwright-core from npm)
pkgs="$pkgs chromium nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm" # NodeSource's nodejs ships npm (Debian's npm would conflict)
if [ "${1:-}" = "fuzz" ]; then
    pkgs="$pkgs clang libclang-rt-14-dev"
fi

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "setup: installing${missing}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
