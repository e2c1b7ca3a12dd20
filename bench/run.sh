#!/usr/bin/env bash
# Benchmarks motions against the sqlite3 shell doing the same work (../shared/bench), on the
# generated national campaign: 15,000 orgs, 40 motions, 1,000,000 outcomes.
#
# Usage: bench/run.sh [WORKDIR]      (default: $TMPDIR/motions-bench)
# Needs: python3, sqlite3, hyperfine (apt-get install hyperfine), GNU time (/usr/bin/time).
# Prints the median of each measurement and its ratio to the baseline; ratios are what to
# compare between machines, not the absolute times.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
shared=${MOTIONS_BENCH_SHARED:-$root/../shared/bench}
work=${1:-${TMPDIR:-/tmp}/motions-bench}
runs=${RUNS:-10}

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
motions=$root/target/release/motions
mkdir -p "$work/data"
cd "$work"

if [ ! -f data/outcomes.csv ]; then
    python3 "$shared/gen_dataset.py" data --orgs 15000 --motions 40 --outcomes 1000000
fi
if [ ! -f data/clean/outcomes.csv ]; then
    mkdir -p data/clean
    cp data/motions.csv data/orgs.csv data/clean/
    python3 "$root/bench/drop_contradictions.py" data/outcomes.csv data/clean/outcomes.csv
fi

cat > import-motions.sh <<SH
#!/bin/sh
set -e
cd "$work/data/clean" && rm -f m.db m.db-wal m.db-shm
"$motions" --db m.db import motions motions.csv 2>/dev/null
"$motions" --db m.db import orgs orgs.csv 2>/dev/null
"$motions" --db m.db import outcomes outcomes.csv 2>/dev/null
SH
cat > import-sqlite3.sh <<SH
#!/bin/sh
cd "$work/data/clean" && rm -f base.db base.db-wal base.db-shm
sqlite3 base.db < "$shared/baseline_import.sql" > /dev/null
SH
chmod +x import-motions.sh import-sqlite3.sh

echo "== import (3 runs each)"
hyperfine --style basic -r 3 --export-json import.json ./import-sqlite3.sh ./import-motions.sh

echo "== peak memory of each import (KB)"
rm -f data/clean/mem.db*
for what in motions orgs outcomes; do
    /usr/bin/time -f "$what: %M KB, %e s" "$motions" --db data/clean/mem.db import "$what" "data/clean/$what.csv" 2>&1 | tail -n 1
done

db=data/clean/m.db
base=data/clean/base.db
join="SELECT m.slug, o.name, e.status, e.meeting_date, e.votes_for, e.votes_against, e.votes_abstain, e.reported_by, e.source, e.notes FROM outcome e JOIN motion m ON m.id = e.motion_id JOIN org o ON o.id = e.org_id ORDER BY m.slug, o.name, e.meeting_date, e.id"

echo "== export outcomes"
hyperfine --style basic -N -w 1 -r 5 --export-json export.json \
    "sqlite3 -csv $base \"$join\"" \
    "$motions --db $db export outcomes"
echo "== tally and motion list ($runs runs each)"
hyperfine --style basic -N -w 5 -r "$runs" --export-json reports.json \
    "sqlite3 $base -init /dev/null '.read $shared/baseline_tally_one.sql'" \
    "$motions --db $db tally --motion motion-0 --by kind" \
    "sqlite3 $base -init /dev/null '.read $shared/baseline_tally.sql'" \
    "$motions --db $db motion list"

echo "== the coordinators' reports on motion-0 (each should take under 200 ms)"
hyperfine --style basic -N -w 2 -r "$runs" --export-json coordinator.json \
    "$motions --db $db tally --motion motion-0" \
    "$motions --db $db tally --motion motion-0 --by region" \
    "$motions --db $db status --motion motion-0 --status none" \
    "$motions --db $db summary --motion motion-0" \
    "$motions --db $db timeline --motion motion-0" \
    "$motions --db $db report --motion motion-0 -o $work/report.html"

echo "== a single log into the million-event database (30 runs, each a new event)"
python3 - "$motions" "$db" <<'PY'
import statistics, subprocess, sys, time
motions, db = sys.argv[1], sys.argv[2]
times = []
for n in range(30):
    start = time.perf_counter()
    subprocess.run([motions, "--db", db, "log", f"Ward {n * 7 + 1} Branch", "passed", "--motion", "motion-39",
                    "--date", "2020-01-02"], check=False, capture_output=True)
    times.append((time.perf_counter() - start) * 1000)
print(f"log: median {statistics.median(times):.1f} ms (min {min(times):.1f}, max {max(times):.1f})")
PY

echo "== the hex map on the million-event database (after registering the 575 built-in CLPs)"
"$motions" --db "$db" import orgs --builtin uk-clps 2>/dev/null
hyperfine --style basic -N -w 2 -r "$runs" --export-json map.json "$motions --db $db map --motion motion-0 -o $work/map.svg"

echo "== summary (medians; ratio = motions / sqlite3)"
python3 - <<'PY'
import json
def medians(path):
    return [(r["command"], r["median"]) for r in json.load(open(path))["results"]]
pairs = [("import", medians("import.json")), ("export outcomes", medians("export.json"))]
rep = medians("reports.json")
pairs += [("tally --motion motion-0 --by kind", rep[0:2]), ("motion list", rep[2:4])]
for name, ((_, base), (_, ours)) in pairs:
    print(f"{name:36} sqlite3 {base*1000:9.1f} ms   motions {ours*1000:9.1f} ms   ratio {ours/base:5.2f}")
print()
for command, median in medians("coordinator.json") + medians("map.json"):
    name = command.split(" --db ")[1].split(" ", 1)[1]
    print(f"{name:60} median {median*1000:7.1f} ms")
PY
