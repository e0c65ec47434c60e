#!/usr/bin/env bash
# Simulator end-to-end benchmark: detection latency and hot failover time, with ratios to a baseline from the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests -pl bench -am package
java -jar bench/target/understudy-bench.jar "${1:-50}"
