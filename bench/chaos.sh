#!/usr/bin/env bash
# The long fault campaign across real processes (issue 13): three server nodes and sim-dc, TRIALS seeded schedules of
# hardware faults, operator actions, node kills (with and without their data), leader kills and partitions (Raft
# partitions only as root with iptables), each trial's history checked against the six invariants and liveness.
# Prints trials, faults injected by kind, leader kills, partitions and the violations found, each with its seed and
# the shortest schedule that still fails. The same seed runs the same campaign again.
# Usage: bench/chaos.sh TRIALS [SEED [FROM]]   (a failing trial is
# re-run up to CHAOS_SHRINK_RUNS times, default 12, to shrink its schedule; FROM skips the first FROM trials of the
# campaign, to run a long one in parts on the same commit: `bench/chaos.sh 1000 7 0` stopped after 400 trials goes on
# with `bench/chaos.sh 1000 7 400`)
# One trial's seed again (as a violation prints it):
#   ./mvnw -B -ntp verify -pl system-tests -am -Dtest=ChaosCampaignTest -Dsurefire.failIfNoSpecifiedTests=false -Dunderstudy.chaos.seeds=SEED
# Against an older build of the server nodes (sim-dc stays this build's):
#   UNDERSTUDY_CHAOS_SERVER_LAUNCHER=/path/to/old-checkout/understudy bench/chaos.sh TRIALS [SEED]
# (a build from before the automatic-job budget, e.g. 4ed273d, also needs UNDERSTUDY_CHAOS_LEGACY_CONFIG=1: it refuses retry* keys)
# UNDERSTUDY_CHAOS_BOOT_ORDER=1 makes p4 start after p3 and p6 after p5 (ordered boot) in every trial.
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-}"
case "$trials" in ''|*[!0-9]*|0) echo "usage: $0 TRIALS>0 [SEED]" >&2; exit 2;; esac
seed="${2:-$(date +%s)}"
case "$seed" in ''|*[!0-9]*) echo "usage: $0 TRIALS [SEED: a number] [FROM]" >&2; exit 2;; esac
from="${3:-0}"
case "$from" in ''|*[!0-9]*) echo "usage: $0 TRIALS SEED [FROM: a number of trials to skip, below TRIALS]" >&2; exit 2;; esac
[ "$from" -lt "$trials" ] || { echo "usage: $0 TRIALS SEED [FROM]: FROM ($from) must be below TRIALS ($trials)" >&2; exit 2; }
log=system-tests/target/chaos-campaign.log
mkdir -p system-tests/target
rm -f system-tests/target/chaos/report.txt
status=0
./mvnw -B -ntp verify -pl system-tests -am -Dtest=ChaosCampaignTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dunderstudy.chaos.trials="$trials" -Dunderstudy.chaos.seed="$seed" -Dunderstudy.chaos.from="$from" -Dunderstudy.chaos.shrinkRuns="${CHAOS_SHRINK_RUNS:-12}" \
  > "$log" 2>&1 || status=$?
if [ -f system-tests/target/chaos/report.txt ]; then
  echo "campaign seed $seed, trials $((from + 1)) to $trials"
  cat system-tests/target/chaos/report.txt
else
  tail -50 "$log"
fi
echo "(Maven log: $log; histories of failing trials and process logs: system-tests/target/chaos/)"
exit $status
