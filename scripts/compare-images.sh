#!/usr/bin/env bash
# Start-up of two images' commands side by side: `scripts/compare-images.sh IMAGE_A IMAGE_B [PAIRS]`
# runs, against one TestBackend (benchmarks' TestBackendMain, from its class path; run
# `scripts/bench.sh coldstart` or build the benchmarks module first), each of
#   call 127.0.0.1:PORT --plaintext -n 1
#   call 127.0.0.1:PORT --plaintext --method grpc.health.v1.Health/Check --data {} --protoset F
#   describe 127.0.0.1:PORT --plaintext           (fails: the backend offers no reflection)
# through each image's bin/switchboard, in ABBA order, PAIRS (default 10) pairs after one unmeasured
# run of each; prints a Markdown table of median wall times (ms) and the median of the per-pair
# ratios B / A with their range. F is grpc/health/v1/health.proto as a descriptor set, the one the
# image's build trains with (LauncherAndArchive.java --health-protoset, on the jars of A's build,
# IMAGE_A/../modules). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1 b=$2 pairs=${3:-10}
work=$(mktemp -d)
trap 'kill "$keeper" 2> /dev/null || true; rm -rf "$work"' EXIT
cp="benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)"
mkfifo "$work/stdin"
sleep 3600 > "$work/stdin" &
keeper=$!
java -cp "$cp" dev.switchboard.benchmarks.coldstart.TestBackendMain < "$work/stdin" > "$work/backend.out" 2> /dev/null &
for _ in $(seq 1 100); do grep -q '^port' "$work/backend.out" && break; sleep 0.2; done
port=$(awk '/^port/ {print $2}' "$work/backend.out")
java -cp "$(dirname "$a")/modules/*" distribution/src/build/LauncherAndArchive.java --health-protoset "$work/health.protoset"
target="127.0.0.1:$port"
commands=("call $target --plaintext -n 1"
  "call $target --plaintext --method grpc.health.v1.Health/Check --data {} --protoset $work/health.protoset"
  "describe $target --plaintext")
labels=("call -n 1" "call with JSON (--protoset)" "describe (no reflection)")
ms() { # image, command: wall ms of one run
  local start end
  start=$(date +%s%N)
  "$1/bin/switchboard" $2 > /dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo "| command | A: median ms | B: median ms | B / A: median of $pairs per-pair ratios [min–max] |"
echo "|---|---:|---:|---:|"
for i in "${!commands[@]}"; do
  cmd=${commands[$i]}
  ms "$a" "$cmd" > /dev/null; ms "$b" "$cmd" > /dev/null
  : > "$work/a" ; : > "$work/b"; : > "$work/r"
  for p in $(seq 1 "$pairs"); do
    if (( p % 2 )); then ta=$(ms "$a" "$cmd"); tb=$(ms "$b" "$cmd"); else tb=$(ms "$b" "$cmd"); ta=$(ms "$a" "$cmd"); fi
    echo "$ta" >> "$work/a"; echo "$tb" >> "$work/b"
    awk -v x="$tb" -v y="$ta" 'BEGIN {printf "%.3f\n", x / y}' >> "$work/r"
  done
  range="$(sort -n "$work/r" | head -1)–$(sort -n "$work/r" | tail -1)"
  echo "| ${labels[$i]} | $(median < "$work/a") | $(median < "$work/b") | $(median < "$work/r") [$range] |"
done
