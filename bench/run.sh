#!/usr/bin/env bash
# Benchmarks mailgroup on a synthetic company: 1,000,000 people in about
# 2,000 departments, 20,000 department groups. Builds a Release binary,
# generates the data (seeded) and times each step, median of RUNS runs,
# with the median CPU time (user + sys: less noisy than wall time on a
# shared machine) and peak RSS. Results go to stdout as a Markdown table.
#   bench/run.sh [WORK_DIR] (default /tmp/mailgroup-bench; needs ~2 GB)
#   RUNS=5 EMPLOYEES=1000000 GROUP_COUNT=20000 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/mailgroup-bench}
runs=${RUNS:-5}
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/bench >/dev/null
mg=$PWD/build/bench/mailgroup
rm -rf "$work"
python3 bench/generate.py "$work" --employees "${EMPLOYEES:-1000000}" --groups "${GROUP_COUNT:-20000}"
cd "$work"
cp employees.csv employees.orig.csv

# measure LABEL SETUP COMMAND...: runs SETUP then COMMAND, RUNS times;
# prints the median wall and CPU times and the largest peak RSS.
measure() {
  local label=$1 setup=$2
  shift 2
  python3 - "$runs" "$setup" "$@" <<'PY' | sed "s/^/| $label | /"
import os, statistics, subprocess, sys, time
runs, setup, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
walls, cpus, rss = [], [], 0
for _ in range(runs):
    if setup:
        subprocess.run(setup, shell=True, check=True)
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    walls.append(time.monotonic() - start)
    cpus.append(usage.ru_utime + usage.ru_stime)
    rss = max(rss, usage.ru_maxrss)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{cmd} exited {code}")
def seconds(x):
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"
print(f"{seconds(statistics.median(walls))} | {seconds(statistics.median(cpus))} | "
      f"{rss / 1024:.0f} MiB |")
PY
}

echo "| step | median wall | median CPU | peak RSS |"
echo "|---|---|---|---|"
measure "sync, first (writes 20,000 member files)" \
  "rm -rf store/resolved; cp employees.orig.csv employees.csv" \
  "$mg" --store store sync --summary --force
# The first no-op run does the whole work and writes .sync-stamp (its
# inputs are older than 2 s by then); the stamp answers the next ones.
measure "sync, nothing changed, no stamp" "rm -f store/.sync-stamp; sleep 2" \
  "$mg" --store store sync
"$mg" --store store sync >/dev/null
measure "sync, nothing changed (stamp)" "" "$mg" --store store sync
measure "sync, a day of churn (0.1% leave, 0.1% move)" \
  "cp employees.orig.csv employees.csv; $mg --store store sync --force >/dev/null; python3 $OLDPWD/bench/churn.py employees.csv --percent 0.1" \
  "$mg" --store store sync --summary
measure "eval one group (loads everything)" "" \
  "$mg" --store store eval g00000@lists.example.com
# One group of 20,000: each run starts from the same group file.
group=g01234@lists.example.com
cp "store/groups/$group.toml" group.orig.toml
measure "member add G ADDR (one group)" "cp group.orig.toml store/groups/$group.toml" \
  "$mg" --store store member add --no-notify "$group" newcomer@example.com
measure "show G" "" "$mg" --store store show "$group"
measure "create G --member ADDR" "rm -f store/groups/new@lists.example.com.toml" \
  "$mg" --store store create new@lists.example.com --member a@example.com
rm -f store/groups/new@lists.example.com.toml
measure "generate postfix, first" "rm -rf maps" \
  "$mg" --store store generate postfix --output maps
# The stamp answers a no-op (man mailgroup, generate); without it, the
# whole run finds nothing to write.
measure "generate postfix, nothing changed" "" \
  "$mg" --store store generate postfix --output maps
measure "generate postfix, nothing changed, no stamp" "rm -f maps/.mailgroup-stamp" \
  "$mg" --store store generate postfix --output maps
if command -v postmap >/dev/null; then
  mkdir -p pfconf && echo 'compatibility_level = 3.6' >pfconf/main.cf
  measure "generate postfix --postmap (hash), first" "rm -rf maps" \
    "$mg" --store store generate postfix --output maps --postmap --postfix-config pfconf
fi
echo
python3 "$OLDPWD/bench/concurrent.py" "$mg" store --count 50 --runs "$runs"
echo "memberships: $(cat store/resolved/*.members | grep -vc '^#'), store: $(du -sh store | cut -f1), virtual map: $(du -h maps/virtual | cut -f1)"
