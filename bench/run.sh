#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Measures motions against the sqlite3 shell doing the same work, side by side in one run, on
# a generated national campaign (bench/gen_dataset.py: 15,000 organisations, 40 motions,
# 1,000,000 outcomes), and prints three markdown tables: motions against sqlite3 (with the
# targets of issue 11), the coordinators' reports, and the peak memory of every read command in
# every --format. Everything it needs is in this folder; see bench/README.md.
#
# Usage: bench/run.sh [WORKDIR]        (or WORKDIR=...; default: ${TMPDIR:-/tmp}/motions-bench)
# Settings (environment):
#   QUICK=1        100,000 outcomes instead of 1,000,000, fewer runs: a check that it all works
#   RUNS=N         runs of each quick command (default 10; 5 with QUICK=1)
#   IMPORT_RUNS=N  runs of each import (default 3), EXPORT_RUNS=N (default 5),
#   LOG_RUNS=N     single logs timed (default 50; 20 with QUICK=1)
#   ORGS, MOTIONS, OUTCOMES, SEED   the generated campaign (defaults 15000, 40, 1000000, 7)
# Needs: cargo, python3, sqlite3 (3.35 or later), hyperfine, GNU time at /usr/bin/time.
#
# A command that fails is shown as "failed (exit N)" in the tables and the run goes on.
# Generated data is kept in WORKDIR/data for the next run; WORKDIR/run holds this run's
# databases, hyperfine's output (hyperfine.log) and the raw results.

set -uo pipefail

bench=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$bench")
work=${1:-${WORKDIR:-${TMPDIR:-/tmp}/motions-bench}}
quick=${QUICK:-0}
if [ "$quick" = 1 ]; then
    outcomes=${OUTCOMES:-100000}
    runs=${RUNS:-5}
    log_runs=${LOG_RUNS:-20}
else
    outcomes=${OUTCOMES:-1000000}
    runs=${RUNS:-10}
    log_runs=${LOG_RUNS:-50}
fi
orgs=${ORGS:-15000}
motion_count=${MOTIONS:-40}
seed=${SEED:-7}
import_runs=${IMPORT_RUNS:-3}
export_runs=${EXPORT_RUNS:-5}
slug=motion-0

die() {
    echo "bench: $*" >&2
    exit 1
}
say() { echo "== $*"; }

# --- what it needs ------------------------------------------------------------------------
missing=0
need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "bench: $1 is missing; install it: $2" >&2
        missing=1
    fi
}
need cargo "https://rustup.rs"
need python3 "apt-get install -y python3"
need sqlite3 "apt-get install -y sqlite3"
need hyperfine "apt-get install -y hyperfine (or: cargo install --locked hyperfine)"
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
    echo "bench: GNU time is missing at /usr/bin/time; install it: apt-get install -y time" >&2
    missing=1
fi
[ "$missing" = 0 ] || exit 1
sqlite_version=$(sqlite3 --version | cut -d' ' -f1)
python3 -c 'import sys; v = tuple(map(int, sys.argv[1].split("."))); sys.exit(v < (3, 35))' \
    "$sqlite_version" || die "sqlite3 $sqlite_version is too old for the baselines; 3.35 or later is needed"

# --- the binary and the data --------------------------------------------------------------
say "building the release binary"
(cd "$root" && nice cargo build --release --quiet) || die "cargo build --release failed"
motions=${CARGO_TARGET_DIR:-$root/target}/release/motions
[ -x "$motions" ] || die "no binary at $motions"

mkdir -p "$work" || die "cannot make $work"
work=$(cd "$work" && pwd)
gen_sum=$(sha256sum "$bench/gen_dataset.py" | cut -c1-12)
data=$work/data/orgs$orgs-motions$motion_count-outcomes$outcomes-seed$seed-$gen_sum
if [ ! -f "$data/.complete" ]; then
    say "generating the campaign into $data"
    rm -rf "$data" "$data.partial"
    python3 "$bench/gen_dataset.py" "$data.partial" --orgs "$orgs" --motions "$motion_count" \
        --outcomes "$outcomes" --seed "$seed" || die "the data generator failed"
    touch "$data.partial/.complete" && mv "$data.partial" "$data" || die "cannot keep the data in $data"
else
    say "using the campaign in $data"
fi

run=$work/run
rm -rf "$run"
mkdir -p "$run/out" || die "cannot make $run"
hflog=$run/hyperfine.log
: > "$hflog"
cat > "$run/meta.json" <<JSON
{"orgs": $orgs, "motions": $motion_count, "outcomes": $outcomes, "seed": $seed,
 "runs": $runs, "import_runs": $import_runs, "export_runs": $export_runs, "log_runs": $log_runs,
 "slug": "$slug", "sqlite3": "$sqlite_version", "cores": $(nproc),
 "load": "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)",
 "commit": "$(git -C "$root" rev-parse --short HEAD 2>/dev/null)",
 "dirty": $(if [ -n "$(git -C "$root" status --porcelain -- src schema.sql migrations 2>/dev/null)" ]; then echo true; else echo false; fi)}
JSON

q() { printf '%q' "$1"; }
# hf OUT RUNS WARMUP NAME COMMAND [NAME COMMAND ...]: hyperfine, no shell, failures allowed (the
# exit codes are in OUT, and the tables show them); its report goes to hyperfine.log.
hf() {
    local out=$1 n=$2 warmup=$3
    shift 3
    local args=()
    while [ $# -gt 0 ]; do
        args+=(-n "$1" "$2")
        shift 2
    done
    echo "--- $out" >> "$hflog"
    hyperfine --style basic -N -i -w "$warmup" -r "$n" --export-json "$run/$out" "${args[@]}" \
        >> "$hflog" 2>&1 || echo "bench: hyperfine failed for $out; see $hflog" >&2
}

M=$(q "$motions")
S="sqlite3 -bail -init /dev/null"
B=$(q "$bench")
db=$run/m.db
base=$run/base.db

# --- import -------------------------------------------------------------------------------
cat > "$run/import-motions.sh" <<SH
#!/bin/sh
# motions importing the three files into a new database, as three commands.
cd $(q "$data") || exit 1
rm -f $(q "$db") $(q "$db")-wal $(q "$db")-shm
: > $(q "$run/import-motions.log")
for what in motions orgs outcomes; do
    $M --db $(q "$db") import "\$what" "\$what.csv" >> $(q "$run/import-motions.log") 2>&1 || exit \$?
done
SH
cat > "$run/import-sqlite3.sh" <<SH
#!/bin/sh
# The sqlite3 shell doing the same (bench/baseline_import.sql).
cd $(q "$data") || exit 1
rm -f $(q "$base") $(q "$base")-wal $(q "$base")-shm
$S $(q "$base") < $B/baseline_import.sql > $(q "$run/import-sqlite3.log") 2>&1
SH
say "import, motions and sqlite3 ($import_runs runs each)"
hf import.json "$import_runs" 0 \
    "import: sqlite3" "sh $(q "$run/import-sqlite3.sh")" \
    "import: motions" "sh $(q "$run/import-motions.sh")"

# --- peak memory (the imports first: they make the databases of their own) ----------------
memory=$run/memory.tsv
: > "$memory"
# mem NAME FORMAT COMMAND...: peak resident memory of one run, and its exit code.
mem() {
    local name=$1 format=$2
    shift 2
    /usr/bin/time -f %M -o "$run/time.out" "$@" > /dev/null 2> "$run/mem-stderr.log"
    local rc=$?
    local kb
    kb=$(tail -n 1 "$run/time.out" 2>/dev/null)
    case $kb in '' | *[!0-9]*) kb=0 ;; esac
    printf '%s\t%s\t%s\t%s\n' "$name" "$format" "$kb" "$rc" >> "$memory"
}
say "peak memory of the imports"
rm -f "$run/mem.db"*
for what in motions orgs outcomes; do
    mem "import $what" default "$motions" --db "$run/mem.db" import "$what" "$data/$what.csv"
done
rm -f "$run/mem-base.db"*
(cd "$data" && mem "import (sqlite3 shell, all three files)" default \
    sqlite3 -bail -init /dev/null "$run/mem-base.db" ".read $bench/baseline_import.sql")
rm -f "$run/mem.db"* "$run/mem-base.db"*

# --- do both stores hold the same, and give the same answers? -----------------------------
say "checking that motions and sqlite3 hold the same events and give the same answers"
checks=$run/checks.txt
: > "$checks"
count() { sqlite3 -readonly -init /dev/null "$1" "SELECT count(*) FROM outcome" 2>/dev/null || echo "none"; }
echo "outcomes stored: motions $(count "$db"), sqlite3 $(count "$base"), in the file $outcomes" >> "$checks"
"$motions" --db "$db" tally --motion "$slug" --by kind --format csv > "$run/out/tally.motions.csv" 2>/dev/null
$S "$base" ".read $bench/baseline_tally_one.sql" > "$run/out/tally.sqlite3.csv" 2>/dev/null
"$motions" --db "$db" motion list --format csv > "$run/out/list.motions.csv" 2>/dev/null
$S "$base" ".read $bench/baseline_motion_list.sql" > "$run/out/list.sqlite3.csv" 2>/dev/null
"$motions" --db "$db" export outcomes > "$run/out/export.motions.csv" 2>/dev/null
$S "$base" ".read $bench/baseline_export.sql" > "$run/out/export.sqlite3.csv" 2>/dev/null
python3 - "$run/out" >> "$checks" <<'PY'
import csv, os, sys
out = sys.argv[1]
def rows(path):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.reader(f))
    except OSError:
        return None
said = []
for name, what in [("tally", "tally by kind"), ("list", "motion list"), ("export", "export outcomes")]:
    a, b = rows(os.path.join(out, f"{name}.motions.csv")), rows(os.path.join(out, f"{name}.sqlite3.csv"))
    same = a is not None and len(a) > 1 and a == b
    said.append(f"{what} {'yes' if same else 'NO'}")
print("same answers from both: " + ", ".join(said))
PY
rm -f "$run/out/export.motions.csv" "$run/out/export.sqlite3.csv"
indexes() {
    sqlite3 -readonly -init /dev/null "$1" \
        "SELECT tbl_name || ' ' || count(*) FROM sqlite_master WHERE type = 'index' \
         AND tbl_name IN ('motion', 'org', 'org_name', 'outcome', 'standing') \
         GROUP BY tbl_name ORDER BY 1" 2>/dev/null | paste -sd, -
}
if [ "$(indexes "$db")" != "$(indexes "$base")" ]; then
    echo "schema: the indexes differ (motions: $(indexes "$db"); sqlite3: $(indexes "$base")): make bench/baseline_import.sql follow the schema" >> "$checks"
else
    echo "schema: the same number of indexes on every table of the records in both (the web intake's tables have no counterpart)" >> "$checks"
fi

# --- motions against sqlite3 on the same database ----------------------------------------
say "export outcomes ($export_runs runs each)"
hf export.json "$export_runs" 1 \
    "export outcomes: sqlite3" "$S $(q "$base") $(q ".read $bench/baseline_export.sql")" \
    "export outcomes: motions" "$M --db $(q "$db") export outcomes"
say "one-motion tally by kind and motion list ($runs runs each)"
hf tally.json "$runs" 3 \
    "tally: sqlite3" "$S $(q "$base") $(q ".read $bench/baseline_tally_one.sql")" \
    "tally: motions" "$M --db $(q "$db") tally --motion $slug --by kind"
hf list.json "$runs" 2 \
    "motion list: sqlite3" "$S $(q "$base") $(q ".read $bench/baseline_motion_list.sql")" \
    "motion list: motions" "$M --db $(q "$db") motion list"

# --- a single log into the big database (on a copy) ---------------------------------------
say "a single log into the database ($log_runs runs on a copy, each a new event)"
cp "$db" "$run/log.db" 2>/dev/null
for suffix in -wal -shm; do [ -f "$db$suffix" ] && cp "$db$suffix" "$run/log.db$suffix"; done
python3 - "$motions" "$run/log.db" "$data/orgs.csv" "$slug" "$log_runs" > "$run/log.json" <<'PY'
import csv, json, statistics, subprocess, sys, time
motions, db, orgs_csv, slug, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
with open(orgs_csv, newline="", encoding="utf-8") as f:
    names = [row["name"] for row in csv.DictReader(f)]
warmup = 3
times, failure = [], None
for n in range(warmup + runs):
    # A different organisation each time, on a day no generated history reaches.
    name = names[(n * 7919) % len(names)]
    start = time.perf_counter()
    done = subprocess.run([motions, "--db", db, "log", name, "passed", "--motion", slug,
                           "--date", "2024-06-03", "--for", "12", "--against", "3"],
                          stdin=subprocess.DEVNULL, capture_output=True)
    took = time.perf_counter() - start
    if done.returncode != 0 and failure is None:
        failure = {"exit": done.returncode, "stderr": done.stderr.decode(errors="replace")[-300:]}
    if n >= warmup:
        times.append(took)
json.dump({"times": times, "median": statistics.median(times) if times else None,
           "failure": failure}, sys.stdout)
PY
rm -f "$run/log.db"*

# --- the coordinators' reports ------------------------------------------------------------
# On a copy that also holds the built-in CLPs of England and Wales, so the map has hexes to
# colour by code.
cp "$db" "$run/r.db" 2>/dev/null
"$motions" --db "$run/r.db" import orgs --builtin uk-clps > "$run/builtin.log" 2>&1 ||
    echo "import orgs --builtin uk-clps failed (exit $?): $(tail -n 1 "$run/builtin.log")" >> "$checks"
rdb=$run/r.db
R="$M --db $(q "$rdb")"
org=$(python3 -c 'import csv, sys; r = csv.DictReader(open(sys.argv[1], encoding="utf-8")); print(next(r)["organisation"])' "$data/outcomes.csv")
say "the reports on $slug ($runs runs each)"
hf reports.json "$runs" 2 \
    "tally --motion $slug" "$R tally --motion $slug" \
    "tally --motion $slug --by region" "$R tally --motion $slug --by region" \
    "status --motion $slug --status none" "$R status --motion $slug --status none" \
    "summary --motion $slug" "$R summary --motion $slug" \
    "timeline --motion $slug" "$R timeline --motion $slug" \
    "report --motion $slug -o report.html" "$R report --motion $slug -o $(q "$run/out/report.html")" \
    "map --motion $slug -o map.svg" "$R map --motion $slug -o $(q "$run/out/map.svg")" \
    "history --org \"$org\" (every motion)" "$R history --org $(q "$org")"

# --- peak memory of every read command, in every --format ---------------------------------
say "peak memory of the read commands, in every format"
formatted=(
    "motion list|motion list"
    "motion show $slug|motion show $slug"
    "org list|org list"
    "status --motion $slug|status --motion $slug"
    "tally --motion $slug|tally --motion $slug"
    "tally --motion $slug --by region|tally --motion $slug --by region"
    "summary --motion $slug|summary --motion $slug"
    "timeline --motion $slug|timeline --motion $slug"
    "history --motion $slug|history --motion $slug"
    "history --org \"$org\"|history --org $(q "$org")"
    "history (every motion)|history"
    "info|info"
)
for entry in "${formatted[@]}"; do
    name=${entry%%|*}
    eval "args=(${entry#*|})"
    for format in default csv json markdown; do
        if [ "$format" = default ]; then
            mem "$name" "$format" "$motions" --db "$rdb" "${args[@]}"
        else
            mem "$name" "$format" "$motions" --db "$rdb" "${args[@]}" --format "$format"
        fi
    done
done
mem "report --motion $slug" default "$motions" --db "$rdb" report --motion "$slug" -o "$run/out/report.html"
mem "map --motion $slug" default "$motions" --db "$rdb" map --motion "$slug" -o "$run/out/map.svg"
for what in motions orgs outcomes; do
    mem "export $what" default "$motions" --db "$rdb" export "$what"
done
mem "check" default "$motions" --db "$rdb" check

# --- the tables ---------------------------------------------------------------------------
echo
python3 "$bench/tables.py" "$run"
