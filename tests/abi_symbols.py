#!/usr/bin/python3
"""The exported-symbols check (docs/api.md): libparley.so exports exactly its public API.

Usage: abi_symbols.py LIBPARLEY.so INCLUDE_DIR

Fails (exit 1, naming each offender) when a symbol in `nm -D --defined-only` output
  - does not start with pl_ (a helper or a constant that leaked, e.g. PL__BLACK),
  - starts with pl__ (an internal),
  - or is not declared in a header under INCLUDE_DIR (include/parley/),
and when a declaration marked PL_API in those headers is not exported (a lost attribute or a missing definition)."""
import re
import subprocess
import sys
from pathlib import Path


def declared_names(include_dir):
    """(every pl_ name declared as a function or extern variable, the subset marked PL_API)."""
    names, api = set(), set()
    for header in sorted(Path(include_dir).glob("*.h")):
        text = header.read_text()
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)  # comments may name functions in passing
        text = re.sub(r"//[^\n]*", " ", text)
        text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)  # macros are not symbols
        # Top-level declarations end with ';' (function pointer members and typedefs are skipped below).
        for decl in re.split(r"[;{}]", text):
            decl = " ".join(decl.split())
            if not decl or decl.startswith("typedef"):
                continue
            m = re.search(r"\b(pl_[A-Za-z0-9_]+)\s*\(", decl)
            if m is None and decl.startswith(("extern ", "PL_API extern ")):
                m = re.search(r"\b(pl_[A-Za-z0-9_]+)\s*(\[[^\]]*\])?\s*$", decl)
            if m is None:
                continue
            names.add(m.group(1))
            if decl.startswith("PL_API "):
                api.add(m.group(1))
    return names, api


def exported_names(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            syms.add(parts[2].split("@")[0])
    return syms


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    lib, include_dir = sys.argv[1], sys.argv[2]
    names, api = declared_names(include_dir)
    exported = exported_names(lib)
    problems = []
    for s in sorted(exported):
        if not s.startswith("pl_"):
            problems.append(f"{s}: exported but not a pl_ name")
        elif s.startswith("pl__"):
            problems.append(f"{s}: internal (pl__) symbol exported")
        elif s not in names:
            problems.append(f"{s}: exported but not declared in {include_dir}")
    for s in sorted(api - exported):
        problems.append(f"{s}: declared PL_API but not exported")
    if problems:
        print(f"{lib}: {len(problems)} problem(s) with the exported symbols:")
        for p in problems:
            print("  " + p)
        return 1
    print(f"{lib}: {len(exported)} exported symbols, all public pl_ API ({len(api)} PL_API declarations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
