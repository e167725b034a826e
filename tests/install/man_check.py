#!/usr/bin/python3
"""Structural checks of the generated man page, without groff: the sections NAME, SYNOPSIS, DESCRIPTION, COMMANDS
and EXIT STATUS in that order; one subsection per command that `parley --help` lists, holding that command's usage
line; only known requests; no text line that roff would take for a request.
    tests/install/man_check.py PARLEY PARLEY.1"""
import re
import subprocess
import sys

parley, page = sys.argv[1], sys.argv[2]
help_text = subprocess.run([parley, "--help"], check=True, capture_output=True, text=True).stdout
lines = open(page).read().split("\n")
fails = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        fails.append(what)


# The command list, read independently of the generator: indented names under "Commands:".
block = help_text.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
names = [m.group(1) for m in re.finditer(r"^  ([a-z][a-z-]*)\b", block, re.M)]
check(len(names) >= 10, "parley --help lists %d commands" % len(names))

sections = [l[4:].strip('"') for l in lines if l.startswith(".SH ")]
want = ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS"]
check([s for s in sections if s in want] == want, "sections %s, expected %s in order" % (sections, want))
check(lines[0].startswith(".\\\"") and any(l.startswith(".TH PARLEY 1 ") for l in lines), "no .TH header")

subs = {}
current = None
for l in lines:
    if l.startswith(".SS "):
        current = l[4:].strip('"').replace("\\-", "-")
        subs[current] = []
    elif l.startswith(".SH "):
        current = None
    elif current:
        subs[current].append(l.replace("\\e", "\\").replace("\\-", "-").replace("\\&", ""))
for name in names:
    sec = subs.get("parley " + name)
    check(sec is not None, "no section for command %s" % name)
    if sec is None:
        continue
    usage = subprocess.run([parley, "help", name], check=True, capture_output=True, text=True).stdout.split("\n")[0]
    check(usage in sec, "section %s lacks its usage line %r" % (name, usage))
    check(len(sec) > 3, "section %s is nearly empty" % name)
check(len(subs) == len(names), "subsections %s for commands %s" % (sorted(subs), names))

known = {"TH", "SH", "SS", "PP", "TP", "nf", "fi", "nh", "ad", "\\\""}
for k, l in enumerate(lines, 1):
    if l.startswith("."):
        req = l[1:].split(" ")[0]
        check(req in known, "line %d: unknown request %r" % (k, l[:40]))
    check(not l.startswith("'"), "line %d starts with a quote (a roff control line)" % k)
nf = [l for l in lines if l in (".nf", ".fi")]
check(all(nf[i] == (".nf" if i % 2 == 0 else ".fi") for i in range(len(nf))), ".nf/.fi do not pair up")

for f in fails:
    print("FAIL: " + f)
print("%d checks, %d failed" % (checks, len(fails)))
sys.exit(1 if fails else 0)
