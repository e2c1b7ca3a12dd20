#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prints the tables of a bench/run.sh run from the results it left in RUN_DIR.

Usage: tables.py RUN_DIR

Three markdown tables: motions against the sqlite3 shell (medians, ratio motions / sqlite3,
the targets of issue 11), the reports on one motion (each to take under 200 ms), and the peak
memory of the import and of every read command in every --format (each under 200 MB). A
command that failed shows "failed (exit N)"; one that was not measured shows "not measured".
"""

import json
import os
import sys

REPORT_TARGET = 0.200  # seconds, every report
MEMORY_TARGET_MB = 200
FORMATS = ["default", "csv", "json", "markdown"]


def load(run, name):
    try:
        with open(os.path.join(run, name), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def hyperfine(run, name):
    """Results of one hyperfine export by command name: (median s, min s, max s) or an error."""
    data = load(run, name)
    results = {}
    for r in (data or {}).get("results", []):
        codes = [c for c in r.get("exit_codes", []) if c not in (0, None)]
        if codes:
            results[r["command"]] = f"failed (exit {codes[0]})"
        else:
            results[r["command"]] = (r["median"], r["min"], r["max"])
    return results


def cpu(run, name):
    """Mean CPU time (user + system) by command name, for those that ran without failing."""
    data = load(run, name)
    return {r["command"]: r["user"] + r["system"] for r in (data or {}).get("results", [])
            if not [c for c in r.get("exit_codes", []) if c not in (0, None)]}


def seconds(value):
    if isinstance(value, str):
        return value
    if value is None:
        return "not measured"
    if value >= 1:
        return f"{value:.2f} s"
    return f"{value * 1000:.1f} ms"


def median(result):
    return result[0] if isinstance(result, tuple) else result


def ratio_row(what, ours, theirs, limit=None, aim=None):
    ours, theirs = median(ours), median(theirs)
    if isinstance(ours, float) and isinstance(theirs, float) and theirs > 0:
        ratio = ours / theirs
        ratio_text = f"{ratio:.2f}×"
    else:
        ratio = None
        ratio_text = "—"
    if limit is None:
        target = "—"
    else:
        target = f"≤ {limit:g}×" + (f" (aim {aim:g}×)" if aim else "")
        if ratio is None:
            target += ": not measured"
        elif ratio <= limit:
            target += ": met" + (", and the aim" if aim and ratio <= aim else "")
        else:
            target += ": missed"
    return f"| {what} | {seconds(ours)} | {seconds(theirs)} | {ratio_text} | {target} |"


def under(value, limit, text):
    if isinstance(value, str) and value.startswith("failed"):
        return f"{text}: failed"
    if not isinstance(value, float):
        return f"{text}: not measured"
    return f"{text}: met" if value < limit else f"{text}: missed"


def main():
    run = sys.argv[1]
    meta = load(run, "meta.json") or {}
    slug = meta.get("slug", "motion-0")
    not_run = "not measured"

    imp = hyperfine(run, "import.json")
    exp = hyperfine(run, "export.json")
    tally = hyperfine(run, "tally.json")
    lst = hyperfine(run, "list.json")
    log = load(run, "log.json") or {}
    if log.get("failure"):
        log_value = f"failed (exit {log['failure']['exit']})"
    else:
        log_value = log.get("median")

    commit = meta.get("commit") or "?"
    if meta.get("dirty"):
        commit += " (with uncommitted changes)"
    print(f"motions {commit} against sqlite3 {meta.get('sqlite3', '?')}, on "
          f"{meta.get('outcomes', 0):,} outcomes, {meta.get('orgs', 0):,} organisations and "
          f"{meta.get('motions', 0)} motions; {meta.get('cores', '?')} cores, load "
          f"{meta.get('load', '?')} at the start. Medians; ratio = motions / sqlite3.")
    print()
    print("| What | motions | sqlite3 | ratio | target |")
    print("|---|---:|---:|---:|---|")
    print(ratio_row(f"import motions, orgs and outcomes ({meta.get('import_runs', '?')} runs)",
                    imp.get("import: motions", not_run), imp.get("import: sqlite3", not_run),
                    0.6, 0.5))
    print(ratio_row("export outcomes", exp.get("export outcomes: motions", not_run),
                    exp.get("export outcomes: sqlite3", not_run)))
    print(ratio_row(f"tally --motion {slug} --by kind", tally.get("tally: motions", not_run),
                    tally.get("tally: sqlite3", not_run), 0.25))
    print(ratio_row("motion list", lst.get("motion list: motions", not_run),
                    lst.get("motion list: sqlite3", not_run)))
    log_what = f"log one outcome (median of {len(log.get('times', []))}, on a copy)"
    print(f"| {log_what} | {seconds(log_value)} | — | — | {under(log_value, 0.020, '< 20 ms')} |")
    print()
    said = []
    for what, name, prefix in [("import", "import.json", "import"),
                               ("export", "export.json", "export outcomes"),
                               ("tally", "tally.json", "tally"),
                               ("motion list", "list.json", "motion list")]:
        times = cpu(run, name)
        ours, theirs = times.get(f"{prefix}: motions"), times.get(f"{prefix}: sqlite3")
        if ours is not None and theirs:
            said.append(f"{what} {seconds(ours)} / {seconds(theirs)} = {ours / theirs:.2f}×")
    if said:
        print("- CPU time (user + system, mean; less moved by other work on the machine than the "
              "wall times above), motions / sqlite3: " + "; ".join(said))
    try:
        with open(os.path.join(run, "checks.txt"), encoding="utf-8") as f:
            for line in f:
                print(f"- {line.strip()}")
    except OSError:
        pass
    print()

    print(f"| Report on {slug} | median | min | max | target |")
    print("|---|---:|---:|---:|---|")
    for command, result in hyperfine(run, "reports.json").items():
        if isinstance(result, tuple):
            low, high = seconds(result[1]), seconds(result[2])
        else:
            low = high = "—"
        verdict = under(median(result), REPORT_TARGET, "< 200 ms")
        print(f"| `{command}` | {seconds(median(result))} | {low} | {high} | {verdict} |")
    print()

    rows, order = {}, []
    try:
        with open(os.path.join(run, "memory.tsv"), encoding="utf-8") as f:
            for line in f:
                name, fmt, kb, rc = line.rstrip("\n").split("\t")
                if name not in rows:
                    rows[name] = {}
                    order.append(name)
                rows[name][fmt] = (int(kb), int(rc))
    except OSError:
        pass
    print("| Peak memory | default | csv | json | markdown | target |")
    print("|---|---:|---:|---:|---:|---|")
    for name in order:
        cells, worst, failed = [], 0.0, False
        for fmt in FORMATS:
            if fmt not in rows[name]:
                cells.append("—")
                continue
            kb, rc = rows[name][fmt]
            mb = kb / 1024
            worst = max(worst, mb)
            if rc != 0:
                failed = True
                cells.append(f"failed (exit {rc})" + (f", {mb:.0f} MB" if kb else ""))
            else:
                cells.append(f"{mb:.1f} MB")
        if "sqlite3" in name:
            verdict = "(for comparison)"
        else:
            verdict = "< 200 MB: met" if worst < MEMORY_TARGET_MB else "< 200 MB: missed"
            if failed:
                verdict += " (where it ran)"
        print(f"| `{name}` | " + " | ".join(cells) + f" | {verdict} |")
    print()
    print("default: without --format (a table; the file itself for import, export, report, "
          "map and check).")


if __name__ == "__main__":
    main()
