#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# SECONDS (default 20), starting from tests/fuzz/corpus/TARGET (copied:
# the committed seeds stay as they are). A crash stops the run with the
# input saved as crash-*; turn it into a regression test and a seed.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
# Longer runs: tests/fuzz/run.sh 3600 rule   (or run build/fuzz/tests/fuzz/fuzz_rule
# by hand with -jobs=N, -max_len=, and a corpus directory of your own).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(address csv toml_directory directory_rule group rule postfix
  queue requests policy)
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DMAILGROUP_FUZZ=ON \
  -DBUILD_TESTING=OFF -DMAILGROUP_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# Quiet unless it fails: a compile error must show in CI's log.
if ! cmake --build build/fuzz >"${TMPDIR:-/tmp}/mailgroup-fuzz-build.log" 2>&1; then
  grep -E -B2 -A8 'error|warning' "${TMPDIR:-/tmp}/mailgroup-fuzz-build.log" | head -80
  echo "fuzz: the build failed (clang, -Werror)"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  cp -r "tests/fuzz/corpus/$target/." "$work/$target/"
  echo "fuzz_$target: ${seconds} s"
  if ! (cd "$work" && UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$OLDPWD/build/fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" \
        -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        "$work/$target" 2>"$work/$target.log"); then
    tail -40 "$work/$target.log"
    cp "$work"/crash-* "$work"/timeout-* "$work"/oom-* . 2>/dev/null || true
    echo "fuzz: $passed passed, 1 failed"
    exit 1
  fi
  grep -E 'stat::number_of_executed_units|cov:' "$work/$target.log" | tail -2
  passed=$((passed + 1))
done
echo "fuzz: $passed passed, 0 failed"
