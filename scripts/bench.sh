#!/usr/bin/env bash
# Builds the benchmarks (through the reactor, nothing installed) and runs JMH on the class path.
#   scripts/bench.sh          quick profile (~1.5 min): 1 fork; pick: 2 warm-up + 3 measured 1 s
#                             iterations; resolver update: 10 warm-up + 20 measured single shots
#   scripts/bench.sh --full   the benchmarks' own settings (3 forks; ~10 min)
#   scripts/bench.sh ARGS...  JMH run with these arguments only, e.g. -f 1 -prof gc PickerBenchmark
# Human-readable results: benchmarks/target/jmh-*.txt; JSON next to them.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q ${MVN_OFFLINE:--o} -pl benchmarks -am package -DskipTests
CP="benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)"
OUT=benchmarks/target

jmh() { # name, then JMH arguments
  local name=$1
  shift
  java -cp "$CP" org.openjdk.jmh.Main -rf json -rff "$OUT/jmh-$name.json" "$@" | tee "$OUT/jmh-$name.txt"
}

case "${1:-}" in
  "")
    jmh picker -f 1 -wi 2 -i 3 -w 1s -r 1s PickerBenchmark
    jmh resolver-update -f 1 -wi 10 -i 20 ResolverUpdateBenchmark
    ;;
  --full) jmh full ;;
  *) jmh custom "$@" ;;
esac
