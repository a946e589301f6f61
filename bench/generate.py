#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes a synthetic benchmark store: an employee directory (CSV) and a
store with department groups. Seeded, so every run writes the same bytes.

  bench/generate.py OUT [--employees 1000000] [--groups 20000] [--seed 1]

Departments: about 2,000 in a tree up to 6 levels deep; people are spread
over them with skewed (Zipf-like) sizes. Fields include quoted values with
commas and doubled quotes, and UTF-8 names and cities. Groups pick a
department (half of them with sub-departments) and 0-3 conditions. On top,
--company-groups groups of the root department (the whole company) with a
condition on a title, a location or the kind of employment: the few huge
lists a real company has (all engineers, everyone in London).
"""

import argparse
import os
import random

FIRST = ["Ada", "Grace", "Linus", "Ken", "Margaret", "Alan", "Joan", "Barbara",
         "Dennis", "Katherine", "Dorothy", "Mary", "José", "Zoë", "Åsa", "Jürgen",
         "François", "Łukasz", "Søren", "Chloé", "Mei", "Hiroshi", "Olusegun", "Priya"]
LAST = ["Lovelace", "Hopper", "Torvalds", "Thompson", "Hamilton", "Turing", "Clarke",
        "Liskov", "Ritchie", "Johnson", "Vaughan", "Jackson", "García", "Müller",
        "Øster", "Nowak", "Dubois", "O'Neil", "Tanaka", "Okafor", "Patel", "Smith"]
CITIES = ["London", "Zürich", "München", "São Paulo", "New York", "Berlin", "Paris",
          "Tokyo", "Lagos", "Bengaluru", "Kraków", "Malmö", "Montréal", "Boston",
          "Portland", "Austin", "Dublin", "Madrid", "Lisbon", "Oslo"]
TITLES = ["Engineer", "Senior Engineer", "Staff Engineer", "Manager", "Director",
          "Analyst", "Designer", "Sales Representative", "Account Executive",
          "Engineer, Platform", 'Lead "Special Projects"', "Support Specialist"]
TYPES = ["full-time"] * 8 + ["part-time", "contractor"]
STATUS = ["active"] * 19 + ["left"]
UNITS = ["Engineering", "Sales", "Marketing", "Finance", "Research", "Operations",
         "Support", "Legal", "People", "Product"]
SUB = ["Platform", "Apps", "Data", "Infra", "EMEA", "APAC", "Americas", "Core",
       "Tools", "Growth", "Quality", "Security", "Mobile", "Web", "Payments",
       "Identity", "Search", "Storage", "Network", "Billing"]


def csv_field(text):
    if any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def departments(rng, target):
    tree = [(u,) for u in UNITS]
    frontier = list(tree)
    while len(tree) < target:
        parent = rng.choice(frontier)
        if len(parent) >= 6:
            continue
        child = parent + (f"{rng.choice(SUB)} {len(tree)}",)
        tree.append(child)
        frontier.append(child)
    return ["/".join(parts) for parts in tree]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--employees", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=20_000)
    parser.add_argument("--departments", type=int, default=2_000)
    parser.add_argument("--company-groups", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--members-third", action="store_true",
                        help="make every third group members-only (the policy benchmark)")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    depts = departments(rng, args.departments)
    # Zipf-like sizes: a few huge departments, many small ones.
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(depts))]
    rng.shuffle(weights)

    os.makedirs(os.path.join(args.out, "store", "groups"), exist_ok=True)
    with open(os.path.join(args.out, "employees.csv"), "w", encoding="utf-8",
              newline="") as f:
        f.write("email,name,department,title,location,employment_type,status,"
                "hire_date,cost_center,level\r\n")
        chosen = rng.choices(depts, weights=weights, k=args.employees)
        for i, dept in enumerate(chosen):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if i % 7 == 0:
                name = f"{name.split()[1]}, {name.split()[0]}"
            row = [f"user{i:07d}@example.com", name, dept, rng.choice(TITLES),
                   rng.choice(CITIES), rng.choice(TYPES), rng.choice(STATUS),
                   f"{rng.randint(2000, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                   f"CC-{rng.randint(1000, 9999)}", str(rng.randint(1, 10))]
            f.write(",".join(csv_field(x) for x in row) + "\r\n")

    conditions = [
        lambda: f"level >= {rng.randint(2, 9)}",
        lambda: f'location == "{rng.choice(CITIES)}"',
        lambda: f'location in ["{rng.choice(CITIES)}", "{rng.choice(CITIES)}"]',
        lambda: 'employment_type != "contractor"',
        lambda: f'title contains "{rng.choice(["engineer", "manager", "sales"])}"',
        lambda: f"hire_date >= {rng.randint(2000, 2025)}-01-01",
        lambda: f'cost_center startswith "CC-{rng.randint(1, 9)}"',
        lambda: f'name matches "^{rng.choice("ABCDEGJKLMOPSZ")}"',
    ]
    with open(os.path.join(args.out, "store", "mailgroup.toml"), "w") as f:
        f.write('domains = ["example.com", "lists.example.com"]\n\n'
                '[defaults]\nadministrators = ["it@example.com"]\n\n'
                '[directory]\npath = "../employees.csv"\n\n'
                '[sync]\nmax_removal_share = 0.5\n')
    for g in range(args.groups):
        dept = rng.choice(depts)
        parts = [rng.choice(conditions)() for _ in range(rng.randint(0, 3))]
        where = ""
        for k, part in enumerate(parts):
            where += part if k == 0 else f" {rng.choice(['and', 'and', 'or'])} {part}"
        address = f"g{g:05d}@lists.example.com"
        perm = rng.choice(["domain", "domain", "members", "anyone", "whitelist"])
        if args.members_third:
            # Exactly every third group members-only, without touching the
            # random sequence (the other groups stay as they were).
            perm = "members" if g % 3 == 0 else ("domain" if perm == "members" else perm)
        with open(os.path.join(args.out, "store", "groups", address + ".toml"), "w") as f:
            f.write(f'address = "{address}"\nadministrators = ["it@example.com"]\n'
                    f'permission = "{perm}"\n')
            if perm == "whitelist":
                f.write('whitelist = ["@partner.example"]\n')
            where_toml = where.replace("\\", "\\\\").replace('"', '\\"')
            f.write(f'\n[dynamic]\ndepartment = "{dept}"\n'
                    f'include_subdepartments = {"true" if rng.random() < 0.5 else "false"}\n'
                    f'where = "{where_toml}"\n')
    write_company_groups(args, random.Random(args.seed + 1))


def write_company_groups(args, rng):
    """Groups of the root department, from their own random stream so the
    department groups stay the same bytes with or without them."""
    conditions = [
        lambda: f'location == "{rng.choice(CITIES)}"',
        lambda: f'title == "{rng.choice([t for t in TITLES if chr(34) not in t])}"',
        lambda: f'title contains "{rng.choice(["engineer", "manager", "sales"])}"',
        lambda: f'location in ["{rng.choice(CITIES)}", "{rng.choice(CITIES)}"] '
                f'and employment_type == "full-time"',
        lambda: 'employment_type == "contractor"',
    ]
    for g in range(args.company_groups):
        address = f"company{g:03d}@lists.example.com"
        where_toml = rng.choice(conditions)().replace("\\", "\\\\").replace('"', '\\"')
        with open(os.path.join(args.out, "store", "groups", address + ".toml"), "w",
                  encoding="utf-8") as f:
            f.write(f'address = "{address}"\nadministrators = ["it@example.com"]\n'
                    f'permission = "domain"\n\n[dynamic]\ndepartment = "/"\n'
                    f'include_subdepartments = true\nwhere = "{where_toml}"\n')


if __name__ == "__main__":
    main()
