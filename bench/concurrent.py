#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Latency under contention: COUNT `member add` commands to COUNT different
groups, all started at once against one store, so each waits its turn for
the store lock. Prints the wall time from the first start to the last
exit, and the slowest and median single command. Each run takes its
members out again afterwards, so runs repeat on the same store.

  bench/concurrent.py MAILGROUP STORE [--count 50] [--runs 3]
"""

import argparse
import os
import statistics
import subprocess
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mailgroup")
    parser.add_argument("store")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    # Spread over the store: every 400th group of 20,000.
    groups = [f"g{(i * 397) % 20000:05d}@lists.example.com" for i in range(args.count)]
    totals, slowest, medians = [], [], []
    for _ in range(args.runs):
        start = time.monotonic()
        procs = {}
        for i, group in enumerate(groups):
            proc = subprocess.Popen(
                [args.mailgroup, "--store", args.store, "--wait", "600",
                 "member", "add", "--no-notify", group, f"visitor{i}@example.com"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs[proc.pid] = (proc, time.monotonic())
        lat = []
        while procs:
            pid, status = os.wait()
            proc, began = procs.pop(pid)
            lat.append(time.monotonic() - began)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"{proc.args} failed")
        totals.append(time.monotonic() - start)
        slowest.append(max(lat))
        medians.append(statistics.median(lat))
        for i, group in enumerate(groups):
            subprocess.run([args.mailgroup, "--store", args.store, "member", "remove",
                            group, f"visitor{i}@example.com"],
                           check=True, stdout=subprocess.DEVNULL)
    print(f"{args.count} concurrent member add: total {statistics.median(totals):.2f} s, "
          f"slowest {statistics.median(slowest):.2f} s, "
          f"median command {statistics.median(medians):.2f} s")


if __name__ == "__main__":
    main()
