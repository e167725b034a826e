#!/bin/sh
# Build the libFuzzer targets in build-fuzz/ (clang, ASan + UBSan), build their seed corpora from the project's
# files (and the ANAC corpus when present), and run each for FUZZ_SECONDS. Exits non-zero if any target crashes
# (or leaks, times out, runs out of memory); the reproducers are in build-fuzz/artifacts/<target>/.
#   scripts/fuzz.sh                      every target, 60 s each
#   FUZZ_SECONDS=30 scripts/fuzz.sh      shorter runs
#   FUZZ_TARGETS="fuzz_genius_xml" scripts/fuzz.sh
# Other knobs: FUZZ_TIMEOUT (seconds one input may take, default 10), ANAC_DIR (default ../shared/scenarios/anac).
set -eu

cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${FUZZ_SECONDS:-60}
timeout=${FUZZ_TIMEOUT:-10}
targets=${FUZZ_TARGETS:-"fuzz_parley_json fuzz_genius_xml fuzz_geniusweb_json fuzz_agent_spec fuzz_record fuzz_commands"}
anac=${ANAC_DIR:-"$root/../shared/scenarios/anac"}
build="$root/build-fuzz"

scripts/setup.sh fuzz

echo "fuzz: configuring $build" >&2
CC=clang cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DPL_FUZZ=ON -DPL_TESTS=OFF >/dev/null
echo "fuzz: building" >&2
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target fuzzers >/dev/null

# ---- seed corpora ----
# The part separator every multi-file target splits on: a line "----".
separator() {
    printf '\n----\n'
}

corpus="$build/corpus"
mkdir -p "$corpus/fuzz_parley_json" "$corpus/fuzz_genius_xml" "$corpus/fuzz_geniusweb_json" "$corpus/fuzz_agent_spec" \
    "$corpus/fuzz_record"
# Agent specs: every built-in name, and the documented composite forms.
i=0
for spec in boulware,conceder 'timebased:e=0.5,linear' hardliner,random:p_accept=0.3 tit-for-tat,micro \
    'aspiration:exponent=3,tolerance=0.05,genius-boulware' 'boa:bidding=timebased(e=0.2),model=frequency,accept=combi(t=0.98),conceder' \
    'boa:bidding=boulware,model=frequency(learning=0.1,window=0.05),accept=const(a=0.8),boa:model=none,accept=time(t=0.9)'; do
    i=$((i + 1))
    printf '%s' "$spec" >"$corpus/fuzz_agent_spec/seed-$i"
done

# seed_name PATH: a file name derived from a path (stable, so re-runs overwrite rather than duplicate).
seed_name() {
    printf 'seed-%s' "$1" | sed 's|^\./||; s|[^A-Za-z0-9._-]|_|g'
}

# Project files, found with find so that tests/data/** recurses.
project_files() { # $1: name pattern
    for d in scenarios tests/data; do
        [ -d "$d" ] && find "$d" -type f -name "$1" | LC_ALL=C sort
    done
    return 0
}

project_files '*.json' | while IFS= read -r f; do
    cp "$f" "$corpus/fuzz_parley_json/$(seed_name "$f")"
    cp "$f" "$corpus/fuzz_geniusweb_json/$(seed_name "$f")"
done
project_files '*.xml' | while IFS= read -r f; do
    cp "$f" "$corpus/fuzz_genius_xml/$(seed_name "$f")"
done

# genius_seed DIR OUT: the domain and the first two profiles of a Genius XML folder, joined by the separator.
genius_seed() {
    dom=$(grep -l '<negotiation_template' "$1"/*.xml 2>/dev/null | LC_ALL=C sort | head -n 1 || true)
    # A domain nests a <utility_space> too: profiles are the files that mention one but are not domains.
    profs=$(grep -L '<negotiation_template' "$1"/*.xml 2>/dev/null | LC_ALL=C sort |
        while IFS= read -r f; do grep -q '<utility_space' "$f" && printf '%s\n' "$f"; done | head -n 2 || true)
    [ -n "$dom" ] || return 0
    [ "$(printf '%s\n' "$profs" | grep -c .)" -eq 2 ] || return 0
    p1=$(printf '%s\n' "$profs" | sed -n 1p)
    p2=$(printf '%s\n' "$profs" | sed -n 2p)
    { cat "$dom"; separator; cat "$p1"; separator; cat "$p2"; } >"$2"
}

# geniusweb_seed DIR OUT: the first two GeniusWeb profiles of a folder, joined by the separator.
geniusweb_seed() {
    profs=$(grep -l 'LinearAdditiveUtilitySpace' "$1"/*.json 2>/dev/null | LC_ALL=C sort | head -n 2 || true)
    [ "$(printf '%s\n' "$profs" | grep -c .)" -eq 2 ] || return 0
    p1=$(printf '%s\n' "$profs" | sed -n 1p)
    p2=$(printf '%s\n' "$profs" | sed -n 2p)
    { cat "$p1"; separator; cat "$p2"; } >"$2"
}

for d in scenarios tests/data; do
    [ -d "$d" ] || continue
    find "$d" -type d | LC_ALL=C sort | while IFS= read -r dir; do
        genius_seed "$dir" "$corpus/fuzz_genius_xml/$(seed_name "$dir")-scenario"
        geniusweb_seed "$dir" "$corpus/fuzz_geniusweb_json/$(seed_name "$dir")-scenario"
    done
done

# A few ANAC folders: the first three of each year (sorted), as domain + two profiles, and (when the parley CLI is
# available: the main build's, else one built here) converted to parley JSON for the parley JSON target.
if [ -d "$anac" ]; then
    cli=""
    if [ -x "$root/build/parley" ]; then
        cli="$root/build/parley"
    elif cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target parley >/dev/null 2>&1; then
        cli="$build/parley"
    else
        echo "fuzz: no parley CLI; the parley JSON target gets no ANAC seeds" >&2
    fi
    for year in y2010 y2011 y2012 y2014 y2015; do
        [ -d "$anac/$year" ] || continue
        find "$anac/$year" -mindepth 1 -maxdepth 1 -type d | LC_ALL=C sort | head -n 3 | while IFS= read -r dir; do
            name="seed-anac-$year-$(basename "$dir")"
            genius_seed "$dir" "$corpus/fuzz_genius_xml/$name"
            if [ -n "$cli" ]; then
                "$cli" convert "$dir" -o "$corpus/fuzz_parley_json/$name.json" >/dev/null 2>&1 || true
            fi
        done
    done
else
    echo "fuzz: no ANAC corpus at $anac; seeding from the project's files only" >&2
fi

# Run results and traces (fuzz_record): sessions run by the parley CLI (the main build's, else one built here) on
# the three checked-in scenarios, each file prefixed with the target's selector byte (bit 0: trace; bits 1-: the
# scenario, 0 job-offer, 1 supply-contract, 2 ceasefire-2025).
record_cli=""
if [ -x "$root/build/parley" ]; then
    record_cli="$root/build/parley"
elif cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target parley >/dev/null 2>&1; then
    record_cli="$build/parley"
fi
if [ -n "$record_cli" ]; then
    tmp=$(mktemp -d)
    i=0
    for spec in "0 job-offer --agents boulware,conceder --rounds 40" \
        "1 supply-contract --agents hardliner,conceder,boulware --rounds 10 --protocol saop-genius" \
        "2 ceasefire-2025 --protocol single-text --rounds 30"; do
        set -- $spec
        sel=$1 name=$2
        shift 2
        i=$((i + 1))
        "$record_cli" run "scenarios/$name.json" "$@" --seed "$i" --trace "$tmp/t.jsonl" --out "$tmp/r.json" \
            >/dev/null 2>&1 || continue
        { printf "\\$(printf '%03o' $((sel * 2)))"; cat "$tmp/r.json"; } >"$corpus/fuzz_record/seed-run-$name"
        { printf "\\$(printf '%03o' $((sel * 2 + 1)))"; cat "$tmp/t.jsonl"; } >"$corpus/fuzz_record/seed-trace-$name"
    done
    rm -rf "$tmp"
else
    echo "fuzz: no parley CLI; fuzz_record starts from its built-in seed only" >&2
fi
printf '\001{"round": 1, "t": 0, "party": "employer", "action": "end", "outcome": null}\n' \
    >"$corpus/fuzz_record/seed-builtin"

# Small built-in seeds, so every target starts from a well-formed input even when the project has no such files.
cat >"$corpus/fuzz_parley_json/seed-builtin" <<'EOF'
{"format": "parley-scenario", "version": 1, "name": "tiny", "description": "built-in fuzz seed",
 "issues": [
  {"name": "price", "type": "integer", "lower": 0, "upper": 10, "step": 2},
  {"name": "colour", "type": "discrete", "values": ["red", "green", "blue"]},
  {"name": "speed", "type": "real", "lower": 0.5, "upper": 2.5, "levels": 5}
 ],
 "parties": [
  {"name": "buyer", "reservation": 0.2, "discount": 0.9,
   "utility": {"type": "linear_additive",
    "weights": {"price": 0.5, "colour": 0.3, "speed": 0.2},
    "values": {"price": {"type": "linear", "offset": 1, "slope": -0.1},
               "colour": {"red": 0, "green": 0.5, "blue": 1},
               "speed": {"type": "triangular", "start": 0.5, "peak": 1.5, "end": 2.5}}}},
  {"name": "seller",
   "utility": {"type": "hyper_rectangle", "max_utility": 10,
    "rectangles": [
     {"utility": 6, "bounds": [{"issue": "price", "min": 4, "max": 10}]},
     {"utility": 4, "bounds": [{"issue": "colour", "from": "green", "to": "blue"},
                               {"issue": "speed", "min": 1, "max": 2, "exclude": true}]}]}}
 ]}
EOF
{
    printf '%s' '{"LinearAdditiveUtilitySpace": {"name": "buyer", "domain": {"name": "tiny", "issuesValues": {'
    printf '%s' '"colour": {"values": ["red", "green", "blue"]}, "size": {"values": ["S", "M", "L"]}}},'
    printf '%s' ' "issueWeights": {"colour": 0.6, "size": 0.4}, "issueUtilities": {'
    printf '%s' '"colour": {"DiscreteValueSetUtilities": {"valueUtilities": {"red": 0, "green": 0.5, "blue": 1}}},'
    printf '%s' ' "size": {"DiscreteValueSetUtilities": {"valueUtilities": {"S": 1, "M": 0.5, "L": 0}}}},'
    printf '%s' ' "reservationBid": {"issuevalues": {"colour": "green", "size": "M"}}}}'
    separator
    printf '%s' '{"LinearAdditiveUtilitySpace": {"name": "seller", "domain": {"name": "tiny", "issuesValues": {'
    printf '%s' '"colour": {"values": ["red", "green", "blue"]}, "size": {"values": ["S", "M", "L"]}}},'
    printf '%s' ' "issueWeights": {"colour": 0.3, "size": 0.7}, "issueUtilities": {'
    printf '%s' '"colour": {"DiscreteValueSetUtilities": {"valueUtilities": {"red": 1, "green": 0.5, "blue": 0}}},'
    printf '%s' ' "size": {"DiscreteValueSetUtilities": {"valueUtilities": {"S": 0, "M": 0.5, "L": 1}}}}}}'
    printf '\n'
} >"$corpus/fuzz_geniusweb_json/seed-builtin"
cat >"$corpus/fuzz_genius_xml/seed-builtin" <<'EOF'
<negotiation_template>
<utility_space number_of_issues="3">
<objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="colour" type="discrete" etype="discrete" vtype="discrete">
<item index="1" value="red"/><item index="2" value="green"/><item index="3" value="blue"/>
</issue>
<issue index="2" name="amount" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="5"/>
<issue index="3" name="temperature" type="real" etype="real" vtype="real" lowerbound="10" upperbound="30"/>
</objective>
</utility_space>
</negotiation_template>
----
<utility_space>
<objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="colour" type="discrete" etype="discrete" vtype="discrete">
<item index="1" value="red" evaluation="1"/><item index="2" value="green" evaluation="5"/>
<item index="3" value="blue" evaluation="10"/>
</issue>
<weight index="1" value="0.7"/>
<issue index="2" name="amount" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="5">
<evaluator ftype="linear" slope="0.25" offset="0"/>
</issue>
<weight index="2" value="0.2"/>
<issue index="3" name="temperature" type="real" etype="real" vtype="real" lowerbound="10" upperbound="30">
<evaluator ftype="triangular" parameter0="15" parameter1="25" parameter2="21"/>
</issue>
<weight index="3" value="0.1"/>
</objective>
<reservation value="0.25"/>
<discount_factor value="0.8"/>
</utility_space>
----
<utility_space>
<objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="colour" type="discrete" etype="discrete" vtype="discrete">
<item index="1" value="red" evaluation="3"/><item index="2" value="green" evaluation="2"/>
<item index="3" value="blue" evaluation="1"/>
</issue>
<weight index="1" value="0.4"/>
<issue index="2" name="amount" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="5">
<evaluator ftype="linear" slope="-0.25" offset="1"/>
</issue>
<weight index="2" value="0.5"/>
<issue index="3" name="temperature" type="real" etype="real" vtype="real" lowerbound="10" upperbound="30">
<evaluator ftype="linear" parameter0="0" parameter1="0.02"/>
</issue>
<weight index="3" value="0.1"/>
</objective>
</utility_space>
EOF

# The scenario commands read parley JSON: the same seeds.
mkdir -p "$corpus/fuzz_commands"
cp "$corpus/fuzz_parley_json/"* "$corpus/fuzz_commands/" 2>/dev/null || true

# ---- runs ----
status=0
failed=""
for t in $targets; do
    bin="$build/fuzz/$t"
    if [ ! -x "$bin" ]; then
        echo "fuzz: no such target: $t" >&2
        status=1
        failed="$failed $t"
        continue
    fi
    mkdir -p "$corpus/$t" "$build/artifacts/$t" "$build/logs"
    log="$build/logs/$t.log"
    n_seeds=$(find "$corpus/$t" -type f | wc -l)
    echo "fuzz: $t for ${seconds}s ($n_seeds inputs in $corpus/$t)" >&2
    rc=0
    "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=262144 -timeout="$timeout" \
        -artifact_prefix="$build/artifacts/$t/" -print_final_stats=1 "$corpus/$t" >"$log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "fuzz: $t FAILED (exit $rc); log: $log" >&2
        tail -n 60 "$log" >&2
        echo "fuzz: reproducers:" >&2
        ls -1 "$build/artifacts/$t/" >&2 || true
        echo "fuzz: reproduce with: $bin <reproducer>" >&2
        status=1
        failed="$failed $t"
    else
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
        echo "fuzz: $t ok (${runs:-?} runs, ${cov:-cov: ?})" >&2
    fi
done

if [ "$status" -ne 0 ]; then
    echo "fuzz: failures in:$failed" >&2
fi
exit "$status"
