#!/usr/bin/env python3
"""Copies an outcomes CSV, leaving out rows that contradict an earlier row: a second, different
decision (passed, passed-amended, rejected) for the same motion, organisation and meeting date.

motions refuses such a file, as the contract says, and gen_dataset.py's random histories contain
a few hundred such pairs in a million rows; the benchmarks import the rest, and so does the
sqlite3 baseline beside them.
Usage: drop_contradictions.py IN.csv OUT.csv
"""
import csv
import sys

DECISIONS = {"passed", "passed-amended", "rejected"}

def main():
    source, target = sys.argv[1], sys.argv[2]
    first = {}
    dropped = 0
    with open(source, newline="", encoding="utf-8") as f, open(target, "w", newline="", encoding="utf-8") as g:
        reader, writer = csv.reader(f), csv.writer(g)
        writer.writerow(next(reader))
        for row in reader:
            motion, org, status, date = row[0], row[1], row[2], row[3]
            if status in DECISIONS:
                key = (motion, org, date)
                if first.setdefault(key, status) != status:
                    dropped += 1
                    continue
            writer.writerow(row)
    print(f"left out {dropped} contradicting rows", file=sys.stderr)

if __name__ == "__main__":
    main()
