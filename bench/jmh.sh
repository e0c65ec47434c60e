#!/usr/bin/env bash
# JMH micro-benchmarks (the 16-server demo is the baseline in the same run). Extra arguments go to JMH.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests -pl bench -am package
java -cp bench/target/understudy-bench.jar org.openjdk.jmh.Main "${@:-EngineRoundBench}"
