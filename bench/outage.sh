#!/usr/bin/env bash
# Client-observed outage, side by side on the same namespace topology and in the same run: keepalived (VRRP,
# advert_int 1 s = its default, and 0.1 s = its fastest accepted with VRRPv3) against understudy hot and preloaded
# (real agents, IPMI fencing through ipmi_sim, the counter workload), and understudy lockstep on the same topology
# (a pair of lockstep-member processes, a 64-connection client with request ids). Root only: network namespaces.
# Usage: bench/outage.sh [TRIALS]   (default 10; about 40 s per understudy trial, 70 s per lockstep trial, 4 s per
# keepalived trial). Lockstep against preloaded alone:
#   ./mvnw -B -ntp verify -pl system-tests -Dtest='OutageBench#preloaded+lockstep' -Dsurefire.failIfNoSpecifiedTests=false -Dunderstudy.bench.outage=10
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-10}"
case "$trials" in ''|*[!0-9]*|0) echo "usage: $0 [TRIALS>0]" >&2; exit 2;; esac
[ "$(id -u)" = 0 ] || { echo "outage.sh: needs root (network namespaces)" >&2; exit 2; }
need=()
for p in keepalived openipmi ipmitool iputils-arping iproute2 curl; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"; fi

out=$(mktemp -d)
for advert in 1 0.1; do
  ADVERT_INT=$advert bench/netns/keepalived.sh "$trials" | tee "$out/keepalived-$advert.txt" | tail -4
done
./mvnw -q -B -ntp -DskipTests install -pl cli -am
./mvnw -q -B -ntp verify -pl system-tests -Dtest=OutageBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dunderstudy.bench.outage="$trials" > "$out/understudy.log" 2>&1 || { tail -50 "$out/understudy.log"; exit 1; }
echo
echo "== side by side ($trials trials each) =="
for advert in 1 0.1; do echo "keepalived advert_int $advert s:"; grep -E "median|p95" "$out/keepalived-$advert.txt" | head -3; done
cat system-tests/target/outage-hot.txt system-tests/target/outage-preloaded.txt system-tests/target/outage-lockstep.txt
rm -rf "$out"
