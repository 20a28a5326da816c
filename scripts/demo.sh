#!/usr/bin/env bash
# Builds the switchboard image (without running any test suite) and runs its demo: three test
# backends on loopback, round_robin over them, one stopped and started again with no failed call.
# Extra arguments go to Maven (for example -o to stay offline).
set -euo pipefail
cd "$(dirname "$0")/.."

# -DskipTests skips surefire and failsafe but still compiles the tests; the image is built in the
# package phase and checked there by running `switchboard plugins --check-defaults`.
mvn -B -ntp -q -pl distribution -am package -DskipTests "$@"
exec distribution/target/switchboard/bin/switchboard demo
