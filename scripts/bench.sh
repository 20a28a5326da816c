#!/usr/bin/env bash
# Benchmarks (not part of .ci/run). Builds what they need through the reactor (nothing installed),
# then runs them on the class path. Every part writes a Markdown table to benchmarks/target/.
#   scripts/bench.sh [all]     everything below, one after the other (~40 min on 2 cores: JMH with 3
#                              forks, the load comparison's full profile, footprint, cold start, zk, consul), then
#                              benchmarks/target/RESULTS-run.md: all the tables of this run in one file
#   scripts/bench.sh jmh       JMH quick profile (1 fork, not for quoting; ~3 min): Picker.pick,
#                              resolver update to a READY picker (balancer alone and a real channel)
#   scripts/bench.sh load [--profile quick|full|defaults|matrix] [options]
#                              side by side with grpc-java's client, plus the bare Netty floor.
#                              Profiles: quick (default; 1 ABBA pair, short windows, 4 cells, ~2 min)
#                              for iteration; full (4 pairs, the issue's targets at 0 B, 1 KiB and
#                              64 KiB, < 15 min with the re-run allowance); defaults (each client's
#                              own executor, for reference); matrix (every cell, about an hour: pick
#                              cells with --scenarios, --executors, --sizes); protobuf (1 KiB SimpleRequests
#                              through each client's generated stubs beside raw bytes, ~20 min). --dry-run prints the plan
#                              and its expected duration; see benchmarks/README.md for every option
#   scripts/bench.sh footprint retained memory per idle subconn, per READY connection and channel
#   scripts/bench.sh coldstart process start to first completed call: our image (as shipped, without its
#                              archive or flags), ours and grpc-java (NIO, native) on the class path,
#                              with AppCDS
#   scripts/bench.sh jmh-full  the same benchmarks with their own settings, 3 forks each: the figures
#                              to quote (~5.5 min on 2 cores), tables in benchmarks/target/jmh-full.md
#   scripts/bench.sh zk        the zk resolver against a real ZooKeeper (curator-test's TestingServer on
#                              127.0.0.1): 1 000 registered instances to a READY picker (JMH, 3 forks),
#                              one registration / unregistration to the picker (1 000 samples each),
#                              heap per watched service and the one shared session (~5 min), tables in
#                              benchmarks/target/zk.md
#   scripts/bench.sh jmh-args ARGS...   JMH with these arguments only, e.g. -f 1 -prof gc PickerBenchmark
#   scripts/bench.sh consul [JMH args]  the consul resolver against a real agent (`consul agent -dev`, the
#                              binary from scripts/fetch-consul.sh): 1 000 passing instances to a READY
#                              picker (JMH, 3 forks), a check turning critical / passing again to the
#                              picker (500 samples each), heap, threads and sockets per watch (~8 min),
#                              tables in benchmarks/target/consul.md
#   scripts/bench.sh perf CLIENT SCENARIO EXECUTOR SIZE   where one load client's CPU goes (perf, 6 s of
#                              its window): share of samples in kernel, Netty, its own gRPC code, JIT,
#                              the rest; a row appended to benchmarks/target/perf.md (needs perf)
# Arguments after the part's name go to that part (e.g. `bench.sh load --profile full --pairs 2`;
# `bench.sh all ARGS` passes them to the load comparison).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=benchmarks/target
PART=${1:-all}
[ $# -gt 0 ] && shift

build() { # the benchmarks module and, when the image is needed, the distribution
  local modules=benchmarks
  [ "${1:-}" = image ] && modules=benchmarks,distribution
  # Every jar made afresh (resolver-zookeeper's shade step would otherwise start from the shaded jar
  # of the previous build, and its javadoc fails on it: benchmarks/README.md, "The zk resolver"); no
  # javadoc or source jars, which nothing here uses.
  mvn -B -q ${MVN_OFFLINE--o} -pl "$modules" -am package -DskipTests -Dmaven.jar.forceCreation=true \
    -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
}
cp_of() { echo "$OUT/classes:$(cat "$OUT/benchmark.classpath")"; }

jmh() { # name, then JMH arguments
  local name=$1
  shift
  java -cp "$(cp_of)" org.openjdk.jmh.Main -rf json -rff "$OUT/jmh-$name.json" "$@" | tee "$OUT/jmh-$name.txt"
}

run_jmh() { # quick profile: 1 fork; JmhTables heads it "not for quoting"
  jmh picker -f 1 -wi 2 -i 3 -w 1s -r 1s PickerBenchmark
  jmh resolver-update -f 1 -wi 10 -i 20 ResolverUpdateBenchmark
  java -cp "$(cp_of)" dev.switchboard.benchmarks.JmhTables "$OUT/jmh-picker.json" \
    "$OUT/jmh-resolver-update.json" > "$OUT/jmh.md"
}
run_jmh_full() { # the annotations' settings: 3 forks each
  jmh full-picker PickerBenchmark
  jmh full-resolver-update ResolverUpdateBenchmark
  java -cp "$(cp_of)" dev.switchboard.benchmarks.JmhTables "$OUT/jmh-full-picker.json" \
    "$OUT/jmh-full-resolver-update.json" > "$OUT/jmh-full.md"
  cat "$OUT/jmh-full.md"
}
# run_load [--profile NAME] [options]: the quick profile unless one is given (a later option wins).
run_load() {
  java -cp "$(cp_of)" dev.switchboard.benchmarks.load.LoadComparison --profile quick --out "$OUT/load.md" "$@"
}
run_footprint() { java -cp "$(cp_of)" dev.switchboard.benchmarks.footprint.Footprint --out "$OUT/footprint.md" "$@"; }
# cpu_mark: now (ns), the machine's busy clock ticks (/proc/stat, all but idle and iowait) and those of
# this script's finished children (cutime + cstime of $$: a JVM and the JMH forks it waited for).
cpu_mark() {
  echo "$(date +%s%N) $(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat) $(awk '{print $16+$17}' /proc/$$/stat)"
}
# other_cores MARK0 MARK1: the cores that other processes used on average between two marks.
other_cores() {
  local t0 b0 c0 t1 b1 c1
  read -r t0 b0 c0 <<< "$1"
  read -r t1 b1 c1 <<< "$2"
  awk -v t="$((t1 - t0))" -v b="$((b1 - b0))" -v c="$((c1 - c0))" \
    'BEGIN { o = (b - c) / 100 / (t / 1e9); printf "%.2f", (o < 0 ? 0 : o) }'
}
# run_zk [JMH arguments]: JMH with the benchmark's own settings (3 forks) unless told otherwise, then
# the change latency and the footprint, each in a JVM of its own; zk.md holds the three tables.
run_zk() {
  local started mark0 mark1
  started=$(date -u +%FT%TZ)
  mark0=$(cpu_mark)
  jmh zk "$@" ZookeeperResolverBenchmark
  mark1=$(cpu_mark)
  java -cp "$(cp_of)" dev.switchboard.benchmarks.zookeeper.ZookeeperTables "$OUT/jmh-zk.json" > "$OUT/zk-jmh.md"
  java -cp "$(cp_of)" dev.switchboard.benchmarks.zookeeper.ZookeeperChangeLatency --out "$OUT/zk-change.md"
  java -cp "$(cp_of)" dev.switchboard.benchmarks.zookeeper.ZookeeperFootprint --out "$OUT/zk-footprint.md"
  {
    echo "# zk resolver benchmarks $started – $(date -u +%FT%TZ)"
    echo
    echo "Command: \`scripts/bench.sh zk${*:+ $*}\`; commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (with local changes)');"
    echo "$(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)."
    echo "Other processes used $(other_cores "$mark0" "$mark1") cores on average during the JMH part"
    echo "(the machine's busy time minus this script's processes); the other parts say theirs."
    for part in zk-jmh zk-change zk-footprint; do
      echo
      cat "$OUT/$part.md"
    done
  } > "$OUT/zk.md"
  echo "wrote $OUT/zk.md"
}
run_coldstart() {
  java -cp "$(cp_of)" dev.switchboard.benchmarks.coldstart.ColdStart \
    --image distribution/target/switchboard --out "$OUT/coldstart.md" "$@"
}
# run_consul [JMH arguments]: JMH with the benchmark's own settings (3 forks) unless told otherwise, then
# the change latency and the footprint, each in a JVM of its own; consul.md holds the three tables.
run_consul() {
  local started
  started=$(date -u +%FT%TZ)
  CONSUL_BINARY=$(scripts/fetch-consul.sh) # the harness and JMH's forks start the agent from it
  export CONSUL_BINARY
  jmh consul "$@" ConsulResolverBenchmark
  java -cp "$(cp_of)" dev.switchboard.benchmarks.consul.ConsulTables "$OUT/jmh-consul.json" > "$OUT/consul-jmh.md"
  java -cp "$(cp_of)" dev.switchboard.benchmarks.consul.ConsulChangeLatency --out "$OUT/consul-change.md"
  java -cp "$(cp_of)" dev.switchboard.benchmarks.consul.ConsulFootprint --out "$OUT/consul-footprint.md"
  {
    echo "# consul resolver benchmarks $started – $(date -u +%FT%TZ)"
    echo
    echo "Command: \`scripts/bench.sh consul${*:+ $*}\`; commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (with local changes)');"
    echo "$(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); $("$CONSUL_BINARY" version | head -1)."
    for part in consul-jmh consul-change consul-footprint; do
      echo
      cat "$OUT/$part.md"
    done
  } > "$OUT/consul.md"
  echo "wrote $OUT/consul.md"
}

case "$PART" in
  all)
    build image
    started=$(date -u +%FT%TZ)
    run_jmh_full
    run_load --profile full "$@"
    run_footprint
    run_coldstart
    run_zk
    run_consul
    {
      echo "# Benchmark run $started – $(date -u +%FT%TZ)"
      echo
      echo "Command: \`scripts/bench.sh all\`; commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (with local changes)');"
      echo "$(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)."
      for part in jmh-full load footprint coldstart zk-jmh zk-change zk-footprint consul-jmh consul-change consul-footprint; do
        echo
        cat "$OUT/$part.md"
      done
    } > "$OUT/RESULTS-run.md"
    echo "wrote $OUT/RESULTS-run.md"
    ;;
  jmh) build; run_jmh ;;
  load) build; run_load "$@" ;;
  footprint) build; run_footprint "$@" ;;
  coldstart) build image; run_coldstart "$@" ;;
  jmh-full) build; run_jmh_full ;;
  zk) build; run_zk "$@" ;;
  jmh-args) build; jmh custom "$@" ;;
  consul) build; run_consul "$@" ;;
  perf)
    [ $# -eq 4 ] || { echo "usage: scripts/bench.sh perf CLIENT SCENARIO EXECUTOR SIZE" >&2; exit 2; }
    build
    [ -f "$OUT/perf.md" ] || printf '%s\n%s\n' \
      "| client | scenario | executor | size | kernel | Netty | own gRPC code | JIT compiler | JVM, libc, other | harness, JDK |" \
      "|---|---|---|---:|---:|---:|---:|---:|---:|---:|" > "$OUT/perf.md"
    scripts/profile-client.sh "$(cp_of)" "$@" "$OUT/perf.md"
    ;;
  *) echo "unknown part: $PART (all, jmh, load, footprint, coldstart, jmh-full, jmh-args, zk, consul, perf)" >&2; exit 2 ;;
esac
