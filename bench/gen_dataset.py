#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a generated national campaign for the benchmarks: motions.csv, orgs.csv, outcomes.csv.

The files follow the CSV contract of motions (DESIGN.md, "CSV"), so both `motions import` and
the sqlite3 shell (bench/baseline_import.sql) load them as they are:

- motions.csv: slug, title, issued_by, issued_on, deadline: `motion-0` … `motion-{M-1}`,
  issued a week apart from 2019-01-24.
- orgs.csv: name, kind, region, union, parent, code: a registry shaped like a national
  campaign: CLPs first (so a branch's parent is always earlier in the file), then ward
  branches (each under a CLP of its region), union branches (with a union and a branch
  number as code), Momentum groups, trades councils and other bodies, in 11 regions. The
  names are plainly invented ("Constituency 12 CLP", "Ward 345 Branch").
- outcomes.csv: motion, organisation, status, meeting_date, votes_for, votes_against,
  votes_abstain, reported_by, source, notes: histories of (motion, organisation) pairs as a
  body handles a motion: sometimes planned first, then moved, then passed, passed amended,
  rejected, deferred, referred, withdrawn or ruled out; deferred and referred motions come
  back at a later meeting. Decisions carry votes.

Every file is the same for the same options and seed. No history holds two events of one
pair on one day with the same status (a repeat, which an import skips), nor two different
decisions (passed, passed-amended, rejected) for one pair on one day (a contradiction, which
an import refuses): on one day a pair has at most "moved" and what became of it. So every row
is imported, by motions and by the sqlite3 shell alike, and both stores hold the same events.

Usage: gen_dataset.py OUTDIR [--orgs 15000] [--motions 40] [--outcomes 1000000] [--seed 7]
"""

import argparse
import csv
import datetime
import os
import random
import sys

REGIONS = [
    "East Midlands", "Eastern", "London", "North East", "North West", "Scotland",
    "South East", "South West", "Wales", "West Midlands", "Yorkshire and the Humber",
]
UNIONS = [
    "Unite", "UNISON", "GMB", "CWU", "USDAW", "ASLEF", "TSSA", "Musicians' Union",
    "Community", "NUM", "FBU", "BFAWU", "PCS", "RMT", "NEU", "UCU",
]
# Shares of the registry by kind, after the CLPs (4 % of it, at least one).
KINDS = [
    ("labour-branch", 0.40),
    ("union-branch", 0.52),
    ("momentum-group", 0.02),
    ("trades-council", 0.015),
    ("other", 0.005),
]
# What becomes of a motion once moved, and of a deferred or referred one.
AFTER_MOVED = [
    ("passed", 0.45), ("passed-amended", 0.10), ("rejected", 0.18), ("deferred", 0.14),
    ("referred", 0.04), ("withdrawn", 0.06), ("ruled-out", 0.03),
]
AFTER_PENDING = [("moved", 0.70), ("withdrawn", 0.15), (None, 0.15)]
DECISIONS = ("passed", "passed-amended", "rejected")
FIRST_ISSUE = datetime.date(2019, 1, 24)


def chooser(rng, pairs):
    """A function picking one value of `pairs` (value, share) at random."""
    values = [v for v, _ in pairs]
    bounds, acc = [], 0.0
    for _, share in pairs:
        acc += share
        bounds.append(acc)

    def choose():
        r = rng.random() * acc
        for value, bound in zip(values, bounds):
            if r < bound:
                return value
        return values[-1]

    return choose


def write_motions(path, count):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["slug", "title", "issued_by", "issued_on", "deadline"])
        for m in range(count):
            issued = FIRST_ISSUE + datetime.timedelta(days=7 * m)
            w.writerow([
                f"motion-{m}",
                f"Sample model motion number {m}",
                "Sample Solidarity Campaign",
                issued.isoformat(),
                (issued + datetime.timedelta(days=90)).isoformat(),
            ])


def make_orgs(rng, count):
    """The registry, as rows of orgs.csv, CLPs first."""
    clp_count = max(1, round(count * 0.04))
    rows = []
    clps = []
    clps_by_region = {}
    for i in range(min(clp_count, count)):
        region = REGIONS[i % len(REGIONS)]
        name = f"Constituency {i} CLP"
        clps.append(name)
        clps_by_region.setdefault(region, []).append(name)
        rows.append([name, "clp", region, "", "", ""])
    kind_of = chooser(rng, KINDS)
    for i in range(len(rows), count):
        kind = kind_of()
        region = rng.choice(REGIONS)
        union = parent = code = ""
        if kind == "labour-branch":
            name = f"Ward {i} Branch"
            # A CLP of the branch's region (any CLP in a registry too small to have one there).
            parent = rng.choice(clps_by_region.get(region) or clps)
        elif kind == "union-branch":
            union = rng.choice(UNIONS)
            name = f"{union} Sample Branch {i}"
            code = f"UB{i:06d}"
        elif kind == "momentum-group":
            name = f"Town {i} Momentum"
        elif kind == "trades-council":
            name = f"Town {i} Trades Council"
        else:
            name = f"Sample Campaign Group {i}"
        rows.append([name, kind, region, union, parent, code])
    return rows


def write_outcomes(path, rng, slugs, names, count):
    """Writes `count` events, one history (chain) of a (motion, org) pair after another."""
    motions, orgs = len(slugs), len(names)
    pairs = motions * orgs
    after_moved = chooser(rng, AFTER_MOVED)
    after_pending = chooser(rng, AFTER_PENDING)
    issued = [FIRST_ISSUE + datetime.timedelta(days=7 * m) for m in range(motions)]
    day_cache = {}

    def iso(day):
        text = day_cache.get(day)
        if text is None:
            text = day_cache[day] = day.isoformat()
        return text

    # Pairs are visited in a random order; a pair visited again (only when the events outnumber
    # what one pass over every pair gives) starts its new history after its last event.
    last_day = {}
    order = list(range(pairs))
    rng.shuffle(order)
    days = datetime.timedelta
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([
            "motion", "organisation", "status", "meeting_date", "votes_for", "votes_against",
            "votes_abstain", "reported_by", "source", "notes",
        ])
        rows = []
        position = 0
        while written < count:
            if position == pairs:
                rng.shuffle(order)
                position = 0
            pair = order[position]
            position += 1
            m, o = divmod(pair, orgs)
            slug, name = slugs[m], names[o]
            if pair in last_day:
                day = last_day[pair] + days(rng.randrange(7, 60))
            else:
                day = issued[m] + days(rng.randrange(1, 60))
            reporter = f"Reporter {rng.randrange(500)}"
            status = "planned" if rng.random() < 0.1 else "moved"
            while True:
                votes_for = votes_against = votes_abstain = ""
                source = notes = ""
                if status in DECISIONS:
                    big, small = 10 + rng.randrange(70), rng.randrange(30)
                    if status == "rejected":
                        votes_for, votes_against = small, big + small
                    else:
                        votes_for, votes_against = big + small, small
                    votes_abstain = rng.randrange(10)
                    if rng.random() < 0.3:
                        source = f"minutes of {iso(day)}"
                elif status == "deferred" and rng.random() < 0.5:
                    notes = "not reached"
                rows.append((slug, name, status, iso(day), votes_for, votes_against,
                             votes_abstain, reporter, source, notes))
                written += 1
                if written == count:
                    break
                # The same day only for what became of a motion moved that day; any other
                # next event is at a later meeting.
                if status == "moved":
                    status = after_moved()
                    if status in ("withdrawn", "ruled-out", "deferred", "referred") and rng.random() < 0.3:
                        day += days(rng.randrange(7, 35))
                elif status == "planned":
                    status = "moved"
                    day += days(rng.randrange(3, 30))
                elif status in ("deferred", "referred"):
                    status = after_pending()
                    day += days(rng.randrange(7, 42))
                else:
                    status = None
                if status is None:
                    break
            last_day[pair] = day
            if len(rows) >= 50_000:
                w.writerows(rows)
                rows.clear()
        w.writerows(rows)
    return written


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", help="the folder to write motions.csv, orgs.csv and outcomes.csv into")
    ap.add_argument("--orgs", type=int, default=15000, help="organisations in the registry")
    ap.add_argument("--motions", type=int, default=40, help="motions of the campaign")
    ap.add_argument("--outcomes", type=int, default=1_000_000, help="events in all")
    ap.add_argument("--seed", type=int, default=7, help="the same seed gives the same files")
    a = ap.parse_args()
    if a.orgs < 1 or a.motions < 1 or a.outcomes < 0:
        ap.error("--orgs and --motions must be at least 1, --outcomes at least 0")
    rng = random.Random(a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    slugs = [f"motion-{m}" for m in range(a.motions)]
    write_motions(os.path.join(a.outdir, "motions.csv"), a.motions)
    orgs = make_orgs(rng, a.orgs)
    with open(os.path.join(a.outdir, "orgs.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "kind", "region", "union", "parent", "code"])
        w.writerows(orgs)
    names = [row[0] for row in orgs]
    written = write_outcomes(os.path.join(a.outdir, "outcomes.csv"), rng, slugs, names, a.outcomes)
    print(f"wrote {a.motions} motions, {len(orgs)} organisations and {written} outcomes "
          f"to {a.outdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
