#!/bin/bash
# From the repository root, with the image built; PORT from scripts/StartupBackend.java.
# Usage: measure-startup.sh PORT — median wall time (ms) of 10 runs of `switchboard call` -n 1.
for i in $(seq 10); do
  s=$(date +%s%N); distribution/target/switchboard/bin/switchboard call 127.0.0.1:$1 --plaintext -n 1 >/dev/null || exit 1
  e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
done | sort -n | tee /dev/stderr | awk '{a[NR]=$1} END {print "median ms: " (a[5]+a[6])/2}'
