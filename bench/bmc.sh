#!/usr/bin/env bash
# Time to confirmed power-off per BMC driver (Redfish vs the simulator's Redfish service, IPMI vs ipmi_sim,
# fence_ipmilan vs ipmi_sim): median and p95 over TRIALS (default 30) trials each.
# Needs Debian's openipmi (ipmi_sim), ipmitool and fence-agents; starts ipmi_sim on loopback itself and stops it after.
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-30}"
for tool in ipmi_sim ipmitool fence_ipmilan; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "bmc.sh: $tool not installed (apt-get install openipmi ipmitool fence-agents)" >&2; exit 2; }
done

work="$(mktemp -d)"
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free UDP port on loopback, and a password only this run knows.
port="$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
umask 077
head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n' | sed 's/^/pw/' > "$work/password"
echo 1 > "$work/power"
# The stand-in host: ipmi_sim runs this for every chassis request; power is a file.
cat > "$work/chassis.sh" <<'SH'
#!/bin/sh
D=$(dirname "$0")
case "$2" in
  get) shift 2; out=""; for n in "$@"; do case $n in power) out="$out power:$(cat "$D/power")";; esac; done; echo $out;;
  set) shift 2; while [ $# -gt 1 ]; do case $1 in power) echo "$2" > "$D/power";; esac; shift 2; done;;
esac
SH
chmod 700 "$work/chassis.sh"
cat > "$work/lan.conf" <<CONF
name "understudy-bench"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 $port
    priv_limit admin
    allowed_auths_callback none md5 straight
    allowed_auths_user none md5 straight
    allowed_auths_operator none md5 straight
    allowed_auths_admin none md5 straight
    guid a123456789abcdefa123456789abcdef
  endlan
  chassis_control "$work/chassis.sh 0x20"
  user 2 true "admin" "$(cat "$work/password")" admin 10 none md5 straight
CONF
printf 'mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr\nmc_enable 0x20\n' > "$work/bmc.emu"
mkdir "$work/state"
(cd "$work" && exec ipmi_sim -c lan.conf -f bmc.emu -s state -n > ipmi_sim.log 2>&1) &
sim_pid=$!
for _ in $(seq 50); do
  grep -qi "0100007F:$(printf '%04X' "$port")" /proc/net/udp && break
  sleep 0.1
done

./mvnw -q -B -DskipTests -pl bench -am package
java -cp bench/target/understudy-bench.jar io.understudy.bench.BmcBench "$trials" "127.0.0.1:$port" "$work/password"
