#!/bin/sh
# `make demo`: show a scenario, evaluate a few outcomes for every party, analyse it and negotiate over it.
# Usage: demo.sh PARLEY SCENARIO
set -eu
PARLEY=$1
SCENARIO=$2
say() { printf '\n$ %s\n' "$*"; }

say parley show "$SCENARIO"
"$PARLEY" show "$SCENARIO"

say parley eval "$SCENARIO" --outcome '...' --time 0.5
"$PARLEY" eval "$SCENARIO" --time 0.5 \
    --outcome 'salary=75000,remote_days=2,start=1 month,signing_bonus=5000,title=senior engineer' \
    --outcome 'salary=90000,remote_days=5,start=3 months,signing_bonus=10000,title=staff engineer' \
    --outcome 'salary=60000,remote_days=0,start=2 weeks,signing_bonus=0,title=engineer'

say parley analyze "$SCENARIO" --frontier-limit 8
"$PARLEY" analyze "$SCENARIO" --frontier-limit 8

say parley run "$SCENARIO" --agents boulware,conceder --rounds 1000 --seed 1
"$PARLEY" run "$SCENARIO" --agents boulware,conceder --rounds 1000 --seed 1
