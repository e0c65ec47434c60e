#!/usr/bin/env bash
# Leader kill -9 across real processes: three `understudy server` processes in one Raft group and a `sim-dc`
# process; per trial a regular server loses power and, while its failover job is in its activate step, the leader's
# JVM is killed. Prints per-trial times to a new leader and to the job's next step, then median / p95 / max.
# Usage: bench/leader-kill.sh [TRIALS] [WORK_DIR]   (WORK_DIR keeps config, data and process logs; default: a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests package -pl cli,bench -am
java -cp bench/target/understudy-bench.jar io.understudy.bench.LeaderKillBench "${1:-20}" cli/target/understudy.jar ${2:+"$2"}
