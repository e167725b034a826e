#!/usr/bin/python3
"""The module graph of src/ has no cycle (docs/architecture.md, "The check").

A module is a folder of src/ (core, io, analysis, negotiation, agents, protocol, tournament, plot). The graph is built
three ways and each must hold:

  include  `#include "folder/file.h"` from a file in one folder to a header of another. Headers of
           include/parley/ are the public API, which every module may see: they are not edges (agent.h and
           session.h each serve two modules, and declarations alone link nothing). What a module really uses of
           another's public API shows in the link graph.
  link     for each object file of the library (the build tree's CMakeFiles/parley_objs.dir/src/...), every
           undefined pl_ / pl__ symbol, mapped by `nm` to the folder whose object defines it.
  headers  no header of src/<folder>/ declares a function that an object of another folder defines.

Usage: check_modules.py SOURCE_DIR BUILD_DIR. Prints each graph; exits 1 on a cycle (printed) or a misplaced
declaration, 2 when the build tree has no library objects (build first)."""

import os
import re
import subprocess
import sys

INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# A function declared at file level (not a call inside a static inline body, which is indented).
DECL_RE = re.compile(r"^(?!static\b|typedef\b|#|\s)[^;{}()]*?\b(pl__?[A-Za-z0-9_]+)\s*\(", re.M)


def module_of(rel):
    """'agents/registry.c' -> 'agents'; None for a file directly in src/."""
    parts = rel.split("/")
    return parts[0] if len(parts) > 1 else None


def source_files(src):
    out = []
    for root, _, files in os.walk(src):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                out.append(os.path.relpath(os.path.join(root, f), src).replace(os.sep, "/"))
    return sorted(out)


def include_graph(src):
    edges = {}  # (a, b) -> [evidence]
    for rel in source_files(src):
        a = module_of(rel)
        with open(os.path.join(src, rel), encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        for inc in INCLUDE_RE.findall(text):
            if inc.startswith("parley/"):
                continue  # the public API
            b = module_of(inc) if "/" in inc else a  # "x.h": the including file's own folder
            if a and b and a != b:
                edges.setdefault((a, b), []).append("%s includes %s" % (rel, inc))
    return edges


def nm_all(args, objects):
    """{object path: [nm output lines]} from one nm run over every object (-A prefixes each line with its file)."""
    res = subprocess.run(["nm", "-A"] + args + [obj for _, _, obj in objects], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True, check=True)
    out = {obj: [] for _, _, obj in objects}
    for line in res.stdout.splitlines():
        path, _, rest = line.partition(":")  # object paths in the build tree hold no colon
        out.setdefault(path, []).append(rest)
    return out


def library_objects(src, build):
    """(module, source path relative to src, object path) for each library object whose source still exists (a
    build tree can keep objects of moved files)."""
    objdir = os.path.join(build, "CMakeFiles", "parley_objs.dir", "src")
    out = []
    for root, _, files in os.walk(objdir):
        for f in sorted(files):
            if not f.endswith(".c.o"):
                continue
            obj = os.path.join(root, f)
            rel = os.path.relpath(obj, objdir).replace(os.sep, "/")[: -len(".o")]
            if os.path.exists(os.path.join(src, rel)) and module_of(rel):
                out.append((module_of(rel), rel, obj))
    return sorted(out)


def symbol_owners(objects):
    owner = {}  # symbol -> (module, source)
    lines = nm_all(["-g", "--defined-only"], objects)
    for mod, rel, obj in objects:
        for line in lines[obj]:
            parts = line.split()
            if len(parts) >= 3:
                owner[parts[2]] = (mod, rel)
    return owner


def link_graph(objects, owner):
    edges = {}
    unresolved = set()
    lines = nm_all(["-u"], objects)
    for mod, rel, obj in objects:
        for line in lines[obj]:
            sym = line.split()[-1]
            if not sym.startswith("pl_"):
                continue
            if sym not in owner:
                unresolved.add(sym)
                continue
            to, where = owner[sym]
            if to != mod:
                edges.setdefault((mod, to), []).append("%s uses %s (%s)" % (rel, sym, where))
    return edges, unresolved


def misplaced_declarations(src, owner):
    bad = []
    for rel in source_files(src):
        if not rel.endswith(".h"):
            continue
        mod = module_of(rel)
        with open(os.path.join(src, rel), encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        for name in sorted(set(DECL_RE.findall(text))):
            if name in owner and owner[name][0] != mod:
                bad.append("%s declares %s, defined in %s" % (rel, name, owner[name][1]))
    return bad


def find_cycle(nodes, edges):
    """A cycle as a list of nodes [a, b, ..., a], or None (depth-first search)."""
    succ = {n: sorted(b for (a, b) in edges if a == n) for n in nodes}
    state = {n: 0 for n in nodes}  # 0 new, 1 on the stack, 2 done
    stack = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in succ[n]:
            if state[m] == 1:
                return stack[stack.index(m):] + [m]
            if state[m] == 0:
                c = visit(m)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(nodes):
        if state[n] == 0:
            c = visit(n)
            if c:
                return c
    return None


def order(nodes, edges):
    """Modules in levels of dependency order (each after everything it uses), when acyclic."""
    done, out = set(), []
    remaining = set(nodes)
    while remaining:
        ready = sorted(n for n in remaining if all(b in done for (a, b) in edges if a == n))
        if not ready:
            return None
        out.append(", ".join(ready))
        done.update(ready)
        remaining.difference_update(ready)
    return out


def report(title, nodes, edges):
    print("== %s graph (module -> what it uses: edges, first evidence)" % title)
    for n in sorted(nodes):
        outs = sorted(b for (a, b) in edges if a == n)
        if not outs:
            print("  %-12s -> (nothing)" % n)
        for b in outs:
            ev = edges[(n, b)]
            print("  %-12s -> %-12s %4d  e.g. %s" % (n, b, len(ev), ev[0]))
    cycle = find_cycle(nodes, edges)
    if cycle:
        print("CYCLE in the %s graph: %s" % (title, " -> ".join(cycle)))
        for a, b in zip(cycle, cycle[1:]):
            for ev in edges[(a, b)][:5]:
                print("    %s -> %s: %s" % (a, b, ev))
        return False
    print("  no cycle; levels (each uses only earlier ones): %s" % " < ".join(order(nodes, edges)))
    return True


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    root, build = sys.argv[1], sys.argv[2]
    src = os.path.join(root, "src")
    nodes = sorted({module_of(rel) for rel in source_files(src) if module_of(rel)})
    objects = library_objects(src, build)
    if not objects:
        print("no library objects under %s/CMakeFiles/parley_objs.dir: build first" % build)
        return 2
    owner = symbol_owners(objects)
    ok = report("include", nodes, include_graph(src))
    ledges, unresolved = link_graph(objects, owner)
    ok = report("link", nodes, ledges) and ok
    combined = dict(include_graph(src))
    for k, v in ledges.items():
        combined.setdefault(k, []).extend(v)
    ok = report("include + link", nodes, combined) and ok
    if unresolved:
        print("(pl_ symbols used but defined outside the library's objects: %s)" % ", ".join(sorted(unresolved)))
    bad = misplaced_declarations(src, owner)
    print("== headers: functions declared in one folder's header and defined in another's objects")
    for b in bad:
        print("  " + b)
    if not bad:
        print("  none")
    print("modules: %d, objects: %d" % (len(nodes), len(objects)))
    return 0 if ok and not bad else 1


if __name__ == "__main__":
    sys.exit(main())
