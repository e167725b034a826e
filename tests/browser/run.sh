#!/bin/sh
# Browser tests of parley serve (tests/browser/test.mjs): Debian's chromium driven by playwright-core from npm
# (installed here on first run; never a downloaded browser). Skipped (exit 77) with a message when chromium, node or
# playwright-core cannot be had. Usage: run.sh PARLEY OUTDIR
parley=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
chromium=${PL_CHROMIUM:-$(command -v chromium || command -v chromium-browser)}
if [ -z "$chromium" ]; then
    echo "SKIP: no chromium (apt-get install -y chromium)"
    exit 77
fi
if ! command -v node >/dev/null 2>&1; then
    echo "SKIP: no node (apt-get install -y nodejs npm)"
    exit 77
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
    (cd "$here" && npm install --no-audit --no-fund >/dev/null 2>&1) || {
        echo "SKIP: cannot install playwright-core with npm (offline?)"
        exit 77
    }
fi
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 exec node "$here/test.mjs" "$parley" "$chromium" "$out"
