#!/usr/bin/env bash
# Replicated-state benchmark: write throughput 1 vs 3 nodes, and leader kill -> new leader (median/p95).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests -pl bench -am package
java -cp bench/target/understudy-bench.jar io.understudy.bench.RaftBench "${1:-2000}" "${2:-20}" 2>/dev/null
