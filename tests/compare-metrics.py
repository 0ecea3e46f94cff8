#!/usr/bin/env python3
"""Compares two metrics CSV files written by MetricsCsvWriter, column by column.

Every column the first file has must hold byte-identical text in the second, except the wall-clock columns
(steps_per_second, elapsed_seconds), which differ between any two runs. Columns only the second file has are listed.
Usage: tests/compare-metrics.py BEFORE.csv AFTER.csv   (exit status 0 when identical)
"""
import csv
import sys

TIMING = {"steps_per_second", "elapsed_seconds"}

with open(sys.argv[1], newline="") as before_file, open(sys.argv[2], newline="") as after_file:
    before, after = list(csv.DictReader(before_file)), list(csv.DictReader(after_file))
columns = [c for c in before[0] if c not in TIMING] if before else []
added = [c for c in (after[0] if after else {}) if before and c not in before[0]]
differences = [(i + 1, c) for i, (b, a) in enumerate(zip(before, after)) for c in columns if b[c] != a.get(c)]
if len(before) != len(after):
    differences.append((0, f"{len(before)} rows vs {len(after)}"))
print(f"{len(before)} rows, {len(columns)} columns compared, {len(differences)} differences; new columns: {added or 'none'}")
for row, column in differences[:10]:
    print(f"  update {row}: {column}")
sys.exit(1 if differences else 0)
