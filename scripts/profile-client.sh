#!/usr/bin/env bash
# Where one load client's CPU goes: `scripts/bench.sh perf CLIENT SCENARIO EXECUTOR SIZE` runs one
# LoadClient (as `bench.sh load` does, against a LoadServer of its own) with the JVM's perf map and
# frame pointers, samples it with `perf record -F 1999 -g` for 6 s inside its measured window, and
# prints its RESULT line and a Markdown row: the share of its samples in the kernel, Netty, the
# client's own gRPC code, the JIT compiler, the JVM and libc (and what perf cannot name), and the
# harness and the JDK. Needs perf (Debian: linux-perf) and kernel.perf_event_paranoid <= 1 or root.
# Called by scripts/bench.sh with the class path; not on its own.
set -euo pipefail
cp=$1 client=$2 scenario=$3 executor=$4 size=$5 out=$6
command -v perf > /dev/null || { echo "perf: not installed (Debian: apt-get install linux-perf)" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill "$keeper" 2> /dev/null || true; rm -rf "$work"' EXIT
mkfifo "$work/stdin"
sleep 3600 > "$work/stdin" &
keeper=$! # holds the server's stdin open: it stops when its stdin closes
java -cp "$cp" dev.switchboard.benchmarks.load.LoadServer < "$work/stdin" > "$work/server.out" 2> /dev/null &
for _ in $(seq 1 150); do grep -q '^PORT' "$work/server.out" && break; sleep 0.2; done
read -r _ port _ server_pid < <(grep '^PORT' "$work/server.out")
java -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer -cp "$cp" \
  dev.switchboard.benchmarks.load.LoadClient --client "$client" --scenario "$scenario" --executor "$executor" \
  --sizes "$size" --port "$port" --server-pid "$server_pid" --warmup-seconds 10 --seconds 10 > "$work/client.out" 2>&1 &
client_pid=$!
sleep 13 # past the warm-up (10 s, longer while the JIT works): inside the 10 s window
perf record -q -F 1999 -g -p "$client_pid" -o "$work/perf.data" -- sleep 6 > /dev/null 2>&1
wait "$client_pid"
grep '^RESULT' "$work/client.out"
perf report -i "$work/perf.data" --no-children --sort sym -g none --stdio 2> /dev/null | grep '%' | awk \
  -v row="| $client | $scenario | $executor | $size |" '
  { share = $1; sub("%", "", share); $1 = ""; s = $0; sub(/\(.*/, "", s); part = "other"
    # s is now the symbol up to its parameters: the method and its class decide
    if (s ~ /\[k\]/) part = "kernel"
    else if (s ~ /dev\.switchboard\.channel|io\.grpc\.(internal|stub|netty\.shaded\.io\.grpc|[A-Z])/) part = "own"
    else if (s ~ /io\.netty|io\.grpc\.netty\.shaded\.io\.netty/) part = "netty"
    else if (s ~ /Phase|Compile|IndexSet|Node::|Matcher|LinearScan|C2Compiler/) part = "jit"
    else if (s ~ /dev\.switchboard\.benchmarks|org\.HdrHistogram| java\.| jdk\./) part = "harness"
    sum[part] += share }
  END { printf "%s %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% |\n", row, sum["kernel"], sum["netty"],
        sum["own"], sum["jit"], sum["other"], sum["harness"] }' \
  | tee -a "$out"
