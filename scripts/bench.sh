#!/usr/bin/env bash
# Builds the benchmarks (through the reactor, nothing installed) and runs JMH on them.
#   scripts/bench.sh                 quick profile: 1 fork, 2 warm-up and 3 measured iterations
#   scripts/bench.sh --full          the benchmarks' own settings (3 forks, 5+5 or 5+10 iterations)
#   scripts/bench.sh [--full] ARGS   extra JMH arguments, e.g. a benchmark regex: PickerBenchmark
# Results go to benchmarks/target/jmh-result.txt (human) and jmh-result.json.
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE=(-f 1 -wi 2 -i 3 -w 1s -r 1s)
if [ "${1:-}" = "--full" ]; then
  PROFILE=()
  shift
fi

mvn -B -q ${MVN_OFFLINE:--o} -pl benchmarks -am package -DskipTests
CP="benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)"
exec java -cp "$CP" org.openjdk.jmh.Main "${PROFILE[@]}" \
  -rf json -rff benchmarks/target/jmh-result.json -o benchmarks/target/jmh-result.txt "$@"
