#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes sender/recipient pairs for bench/policy_load.cpp from a synced
benchmark store (seeded): members-only groups with a member and with an
outsider, other groups with a local sender, addresses that are no group.

  bench/policy_pairs.py STORE OUT [--pairs 10000] [--seed 1]
"""

import argparse
import os
import random


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("out")
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    members_only, others = [], []
    groups_dir = os.path.join(args.store, "groups")
    for name in sorted(os.listdir(groups_dir)):
        address = name[:-len(".toml")]
        with open(os.path.join(groups_dir, name)) as f:
            text = f.read()
        (members_only if 'permission = "members"' in text else others).append(address)
    cache = {}
    pairs = []
    while len(pairs) < args.pairs:
        kind = rng.random()
        if kind < 0.6:
            group = rng.choice(members_only)
            if group not in cache:
                path = os.path.join(args.store, "resolved", group + ".members")
                with open(path) as f:
                    cache[group] = [line.strip() for line in f
                                    if "@" in line and not line.startswith("#")]
            members = cache[group]
            sender = rng.choice(members) if members and kind < 0.4 else "outsider@evil.example"
            pairs.append((sender, group))
        elif kind < 0.9:
            pairs.append((f"someone{rng.randint(1, 999)}@example.com", rng.choice(others)))
        else:
            pairs.append(("someone@example.com", f"nobody{rng.randint(1, 999)}@example.com"))
    with open(args.out, "w") as f:
        for sender, recipient in pairs:
            f.write(f"{sender} {recipient}\n")


if __name__ == "__main__":
    main()
