#!/usr/bin/env bash
# The cost of lockstep: requests/s and p50/p99 of the example key-value service run by a pair (primary, twin, arbiter
# on this machine) against the same service unreplicated, same run. Usage: bench/lockstep.sh [REQUESTS [THREADS]]
# bench/lockstep.sh sync [MIB]: the time to sync an empty twin into a pair holding MIB MiB (default 100) while a client
# keeps sending, and that client's latency before and during it.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests -pl bench -am package
if [ "${1:-}" = sync ]; then
  exec java -Xmx2g -cp bench/target/understudy-bench.jar io.understudy.bench.LockstepSyncBench "${2:-100}" 2>/dev/null
fi
java -cp bench/target/understudy-bench.jar io.understudy.bench.LockstepBench "${1:-20000}" "${2:-16}" 2>/dev/null
