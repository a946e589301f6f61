#!/usr/bin/env bash
# create --from: COUNT new groups (default 20,000) in one transaction into
# the benchmark store of bench/generate.py (20,000 department groups, 1M
# people; synced or not). Two thirds are department groups (each checked
# against the directory, as one create checks one), one third static
# groups of three people and one existing group (nesting: the cycle check
# runs through the store). Median of RUNS of wall time, CPU and peak RSS
# (/usr/bin/time -v); each run starts from the store without them.
#   bench/bulk_create.sh MAILGROUP WORK_DIR   (WORK_DIR as bench/run.sh's)
#   RUNS=3 COUNT=20000 bench/bulk_create.sh build/mailgroup /tmp/mgbench
set -euo pipefail
mg=$(realpath "$1")
cd "$2"
runs=${RUNS:-3}
count=${COUNT:-20000}
python3 - "$count" >bulk.jsonl <<'PY'
import glob, json, random, re, sys
count = int(sys.argv[1])
rng = random.Random(7)
departments = sorted({m.group(1) for path in glob.glob("store/groups/g*.toml")
                      for m in [re.search(r'^department = "(.*)"$', open(path).read(), re.M)] if m})
for i in range(count):
    group = {"address": f"bulk{i:05d}@lists.example.com", "name": f"Bulk {i}"}
    if i % 3:
        group.update(department=rng.choice(departments),
                     include_subdepartments=rng.random() < 0.5,
                     where=rng.choice(["", "level >= 5", 'location == "Berlin"',
                                       'title contains "engineer"']))
    else:
        group["members"] = [f"user{rng.randrange(1000000):07d}@example.com" for _ in range(3)]
        group["members"].append(f"g{rng.randrange(20000):05d}@lists.example.com")
    print(json.dumps(group))
PY
cp store/log.jsonl log.before 2>/dev/null || : >log.before
for ((run = 1; run <= runs; run++)); do
  find store/groups -name 'bulk*.toml' -delete
  cp log.before store/log.jsonl
  /usr/bin/time -v "$mg" --store store create --from bulk.jsonl --no-notify 2>time.txt
  awk -F': ' '/Elapsed/ {split($2, t, ":"); printf "%.2f ", t[1] * 60 + t[2]}
              /User time/ {u = $2} /System time/ {s = $2}
              /Maximum resident/ {printf "%.2f %d\n", u + s, $2 / 1024}' time.txt
done >runs.txt
python3 - "$count" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open("runs.txt")]
walls = ", ".join(f"{r[0]:.2f}" for r in rows)
print(f"| create --from, {sys.argv[1]} groups | {statistics.median(r[0] for r in rows):.2f} s | "
      f"{statistics.median(r[1] for r in rows):.2f} s | {max(r[2] for r in rows):.0f} MiB | {walls} |")
PY
find store/groups -name 'bulk*.toml' -delete
cp log.before store/log.jsonl
