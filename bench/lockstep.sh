#!/usr/bin/env bash
# The cost of lockstep: requests/s and p50/p99 of the example key-value service run by a pair (primary, twin, arbiter
# on this machine) against the same service unreplicated, same run. Usage: bench/lockstep.sh [REQUESTS [THREADS]]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests -pl bench -am package
java -cp bench/target/understudy-bench.jar io.understudy.bench.LockstepBench "${1:-20000}" "${2:-16}" 2>/dev/null
