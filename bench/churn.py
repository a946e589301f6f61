#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Simulates a day of directory changes on the benchmark directory, in
place: PERCENT of the people leave (status becomes "left") and as many
change department. Seeded.

  bench/churn.py employees.csv [--percent 0.1] [--seed 2]
"""

import argparse
import csv
import random


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("--percent", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(args.csv, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, people = rows[0], rows[1:]
    status, department = header.index("status"), header.index("department")
    departments = sorted({p[department] for p in people})
    n = int(len(people) * args.percent / 100)
    for p in rng.sample(people, n):
        p[status] = "left"
    for p in rng.sample(people, n):
        p[department] = rng.choice(departments)
    with open(args.csv, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(people)


if __name__ == "__main__":
    main()
