#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Latency under contention: COUNT `member add` commands to COUNT different
groups, all started at once against one store, so each waits its turn for
the store lock. Prints the wall time from the first start to the last
exit (median of the runs), the per-command latency over all runs (p50,
p99), and one command alone, uncontended (median of 5): an upper bound of
how long each holds the store lock, which the others queue behind. Each
run takes its members out again afterwards, so runs repeat on the same
store.

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
    totals, latencies = [], []
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
        latencies += lat
        for i, group in enumerate(groups):
            subprocess.run([args.mailgroup, "--store", args.store, "member", "remove",
                            group, f"visitor{i}@example.com"],
                           check=True, stdout=subprocess.DEVNULL)
    alone = []
    for i in range(5):
        began = time.monotonic()
        subprocess.run([args.mailgroup, "--store", args.store, "member", "add",
                        "--no-notify", groups[0], "alone@example.com"], check=True)
        alone.append(time.monotonic() - began)
        subprocess.run([args.mailgroup, "--store", args.store, "member", "remove",
                        groups[0], "alone@example.com"], check=True)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"{args.count} concurrent member add: total {statistics.median(totals):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in totals)}), "
          f"per command p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms; one alone {statistics.median(alone) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
