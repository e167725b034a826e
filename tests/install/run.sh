#!/bin/sh
# The installed parley, used as a user would: `cmake --install` into a temporary DESTDIR and prefix, then with
# PKG_CONFIG_PATH at the installed parley.pc only, a plug-in (examples/plugin) and a small program built with
# `pkg-config --cflags --libs parley`, the installed parley running the installed plug-in, and a CMake project
# using find_package(parley) with the shared and the static library. The temporary folder is removed.
#   tests/install/run.sh BUILD_DIR SOURCE_DIR CC CMAKE
set -u
BUILD=$1 SRC=$2 CC=$3 CMAKE=$4
TMP=$(mktemp -d "${TMPDIR:-/tmp}/parley-install.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT INT TERM
fails=0 n=0
ok() { n=$((n + 1)); }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }
die() { bad "$*"; echo "$n checks, $fails failed"; exit 1; }

PREFIX=/opt/parley-test
ROOT="$TMP/dest$PREFIX"
DESTDIR="$TMP/dest" "$CMAKE" --install "$BUILD" --prefix "$PREFIX" >"$TMP/install.log" 2>&1 ||
    { cat "$TMP/install.log"; die "cmake --install"; }
ok

# What is installed where (the lib dir follows GNUInstallDirs: lib or lib/<multiarch>).
pc=$(find "$ROOT" -name parley.pc)
[ -n "$pc" ] && [ "$(basename "$(dirname "$pc")")" = pkgconfig ] && ok || die "no parley.pc under $ROOT"
LIBDIR=$(dirname "$(dirname "$pc")")
for f in "$ROOT/bin/parley" "$LIBDIR/libparley.a" "$LIBDIR/libparley.so" "$ROOT/share/man/man1/parley.1" \
         "$LIBDIR/cmake/parley/parleyConfig.cmake" "$LIBDIR/cmake/parley/parleyConfigVersion.cmake"; do
    [ -e "$f" ] && ok || bad "not installed: ${f#"$ROOT"/}"
done
soname=$(ls "$LIBDIR"/libparley.so.* 2>/dev/null | wc -l)
[ "$soname" -eq 2 ] && [ -L "$LIBDIR/libparley.so" ] && ok || bad "libparley.so: expected the soname and version links"
for h in "$SRC"/include/parley/*.h; do
    cmp -s "$h" "$ROOT/include/parley/$(basename "$h")" && ok || bad "header not installed: $(basename "$h")"
done
grep -q '^\.SS "parley run"' "$ROOT/share/man/man1/parley.1" && ok || bad "parley.1 has no section for run"

# pkg-config sees only the installed parley.pc (plus the system's modules it requires).
export PKG_CONFIG_PATH="$LIBDIR/pkgconfig"
version=$(pkg-config --modversion parley) || die "pkg-config does not find parley"
[ "$version" = "$("$ROOT/bin/parley" --version | sed 's/^parley //')" ] && ok ||
    bad "pkg-config version $version differs from parley --version"
CFLAGS_PL=$(pkg-config --cflags parley) && LIBS_PL=$(pkg-config --libs parley) || die "pkg-config --cflags --libs"
case " $CFLAGS_PL " in *"$ROOT"*) ok ;; *"/dest/"*) ok ;; *) bad "pkg-config --cflags does not point into the install: $CFLAGS_PL" ;; esac

# The plug-in and the program, against the installed headers and library only (no -I into the source tree).
# shellcheck disable=SC2086
"$CC" -std=c11 -Wall -Wextra -Werror -shared -fPIC $CFLAGS_PL "$SRC/examples/plugin/example_agent.c" \
    -o "$TMP/libexample_agent.so" $LIBS_PL 2>"$TMP/err" && ok || { cat "$TMP/err"; die "compiling the plug-in"; }
# shellcheck disable=SC2086
"$CC" -std=c11 -Wall -Wextra -Werror $CFLAGS_PL "$SRC/tests/install/count_outcomes.c" -o "$TMP/count" $LIBS_PL \
    2>"$TMP/err" && ok || { cat "$TMP/err"; die "compiling against the installed library"; }
# job-offer: salary 7 x remote days 6 x start 4 x bonus 5 x title 3 options.
expected="job-offer: 2 parties, 2520 outcomes (libparley $version)"
out=$(LD_LIBRARY_PATH="$LIBDIR" "$TMP/count" "$SRC/scenarios/job-offer.json") && ok || bad "count_outcomes failed"
[ "$out" = "$expected" ] && ok || bad "count_outcomes printed '$out', expected '$expected'"
# It runs on the installed libparley.so, not another one.
LD_LIBRARY_PATH="$LIBDIR" LD_TRACE_LOADED_OBJECTS=1 "$TMP/count" 2>/dev/null | grep -q "$LIBDIR/libparley.so" &&
    ok || bad "count_outcomes does not load the installed libparley.so"

# The installed parley with the plug-in built above (linked with -lparley, so it finds libparley.so through
# LD_LIBRARY_PATH; parley's own functions take precedence): the same session as the build tree's parley and plug-in.
run_session() {
    "$1" run "$SRC/scenarios/job-offer.json" --agent-lib "$2" --agents example-floor:floor=0.6,boulware \
        --rounds 300 --seed 5 --json | sed 's/"seconds": [^,}]*//'
}
LD_LIBRARY_PATH="$LIBDIR" run_session "$ROOT/bin/parley" "$TMP/libexample_agent.so" >"$TMP/installed.json" 2>"$TMP/err" && ok ||
    { cat "$TMP/err"; bad "installed parley run with the installed plug-in"; }
grep -q '"example-floor:floor=0.6"' "$TMP/installed.json" && ok || bad "installed run: the plug-in agent is missing"
run_session "$BUILD/parley" "$BUILD/libexample_agent.so" >"$TMP/built.json" 2>&1
cmp -s "$TMP/installed.json" "$TMP/built.json" && ok || bad "installed and build-tree sessions differ"
"$ROOT/bin/parley" help run >/dev/null && ok || bad "installed parley help run"

# find_package(parley): a CMake project against the installed prefix, shared and static.
mkdir -p "$TMP/consumer"
cp "$SRC/tests/install/count_outcomes.c" "$TMP/consumer/"
cat >"$TMP/consumer/CMakeLists.txt" <<'CMK'
cmake_minimum_required(VERSION 3.18)
project(parley_consumer C)
find_package(parley 0.1 REQUIRED)
add_executable(count_shared count_outcomes.c)
target_link_libraries(count_shared PRIVATE parley::parley)
add_executable(count_static count_outcomes.c)
target_link_libraries(count_static PRIVATE parley::parley_static)
CMK
if "$CMAKE" -S "$TMP/consumer" -B "$TMP/consumer/build" -DCMAKE_PREFIX_PATH="$ROOT" -DCMAKE_C_COMPILER="$CC" \
        >"$TMP/cmake.log" 2>&1 && "$CMAKE" --build "$TMP/consumer/build" >>"$TMP/cmake.log" 2>&1; then
    ok
    for exe in count_shared count_static; do
        out=$("$TMP/consumer/build/$exe" "$SRC/scenarios/job-offer.json")
        [ "$out" = "$expected" ] && ok || bad "$exe printed '$out', expected '$expected'"
    done
    grep -q "$ROOT/include" "$TMP/consumer/build/CMakeFiles/count_shared.dir/flags.make" && ok ||
        bad "find_package: include path is not the installed one"
else
    cat "$TMP/cmake.log"
    bad "find_package(parley) project did not configure or build"
fi

echo "$n checks, $fails failed"
[ "$fails" -eq 0 ]
