#!/usr/bin/env bash
# Baseline for failover outage: keepalived (VRRP) moving the VIP from server a to server b, as seen by a real
# client in network namespaces (topology.sh). Per trial: topology up, keepalived + service in a and b, wait until
# the client reaches a (the master), start probe.py in the client, kill server a like a dying host, wait until the
# probe is answered by b, stop the probe, topology down. Prints the outage per trial, then median / p95 / max.
#
# Usage: bench/netns/keepalived.sh [TRIALS]        (default 20; needs root, iproute2, python3, keepalived)
# Environment: NETNS_PREFIX (default ukb: namespaces ukb-a, ukb-b, ukb-c, ukb-br), ADVERT_INT (default 0.1,
# falls back to 1 if this keepalived refuses it), KEEP_LOGS=1 keeps the work directory (keepalived logs, probe
# output) and prints where it is.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
trials="${1:-20}"
prefix="${NETNS_PREFIX:-ukb}"
want_advert="${ADVERT_INT:-0.1}"
port=8080
# shellcheck source=topology.sh
source "$here/topology.sh"   # topo_up / topo_down and A_IP, B_IP, C_IP, VIP, PLEN

[ "$(id -u)" = 0 ] || { echo "keepalived.sh: needs root (network namespaces)" >&2; exit 2; }
case "$trials" in ''|*[!0-9]*|0) echo "usage: $0 [TRIALS>0]" >&2; exit 2;; esac
if ! command -v keepalived >/dev/null 2>&1 && [ ! -x /usr/sbin/keepalived ]; then
  command -v apt-get >/dev/null 2>&1 || { echo "keepalived.sh: keepalived missing and no apt-get" >&2; exit 2; }
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends keepalived >/dev/null
fi
KEEPALIVED="$(command -v keepalived || echo /usr/sbin/keepalived)"
# The system python (stdlib only); a pyenv shim would work too but adds a startup step inside each namespace.
PY="$(command -v /usr/bin/python3 || command -v python3)"

work="$(mktemp -d /tmp/understudy-netns-keepalived.XXXXXX)"
probe_pid=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$probe_pid" ]; then kill -9 "$probe_pid" 2>/dev/null || true; fi
  topo_down "$prefix" || rc=1
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
  left="$(ip netns list | grep -E "^$prefix-(a|b|c|br)( |\$)" || true)"
  if [ -n "$left" ]; then echo "ip netns list: NOT clean: $left" >&2; rc=1; else echo "ip netns list: clean (no $prefix-* namespaces left)"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits until "$@" succeeds: at most $1 tries, $2 seconds apart (so bounded in count and in time).
wait_for() {
  local tries="$1" pause="$2" i
  shift 2
  for ((i = 0; i < tries; i++)); do
    if "$@"; then return 0; fi
    sleep "$pause"
  done
  return 1
}

ka_conf() { # host state priority advert version
  cat <<EOF
global_defs {
  router_id $1
  vrrp_version $5
}
vrrp_instance VI_1 {
  state $2
  interface eth0
  virtual_router_id 51
  priority $3
  advert_int $4
  virtual_ipaddress {
    $VIP/$PLEN dev eth0
  }
}
EOF
}

# advert_int: as small as this keepalived allows. Fractional intervals need VRRPv3 (v2 rounds them to whole seconds).
advert="$want_advert" vrrp_version=3
ka_conf a MASTER 150 "$advert" "$vrrp_version" > "$work/check.conf"
if ! "$KEEPALIVED" -f "$work/check.conf" --config-test > "$work/check.log" 2>&1 || grep -qi advert "$work/check.log"; then
  echo "keepalived refuses advert_int $advert: $(cat "$work/check.log"); using 1 s"
  advert=1
fi
ka_version="$("$KEEPALIVED" --version 2>&1 | sed -n 1p)"  # not head: SIGPIPE under pipefail
echo "keepalived: $ka_version; VRRPv$vrrp_version advert_int ${advert} s; a priority 150 (MASTER), b priority 100 (BACKUP)"
echo "probe: TCP request to $VIP:$port every 10 ms from $prefix-c, answer expected within 200 ms"
echo "kill of server a: bridge port va (a's link) set down, then kill -9 of every process in $prefix-a (keepalived parent + VRRP child, service)"

holds_vip() { ip -n "$prefix-$1" -o addr show dev eth0 | grep -q " $VIP/"; }
answered_by() { [ "$(ip netns exec "$prefix-c" "$PY" "$here/probe.py" --host "$VIP" --port "$port" --once 2>/dev/null)" = "$1" ]; }
settled() { holds_vip a && ! holds_vip b && answered_by a; }
probe_saw() { grep -q "\"event\":\"server\".*\"server\":\"$1\"" "$work/probe.out"; }
start_in() { # host logfile cmd...: runs cmd inside PREFIX-host, detached (found later by `ip netns pids`)
  local host="$1" log="$2"
  shift 2
  (ip netns exec "$prefix-$host" "$@" > "$log" 2>&1 < /dev/null &)
}

: > "$work/results"
for ((t = 1; t <= trials; t++)); do
  topo_up "$prefix"
  for h in a b; do
    # The service: python3's http.server serving a file that names the server. Chosen over socat because python3 is
    # already needed for the probe (no extra package) and HTTP gives a real request/answer with a status line.
    mkdir -p "$work/www-$h"
    echo "$h" > "$work/www-$h/who"
    start_in "$h" "$work/service-$h.log" "$PY" -m http.server --bind 0.0.0.0 --directory "$work/www-$h" "$port"
  done
  ka_conf a MASTER 150 "$advert" "$vrrp_version" > "$work/ka-a.conf"
  ka_conf b BACKUP 100 "$advert" "$vrrp_version" > "$work/ka-b.conf"
  for h in a b; do
    # Fresh pid files per trial: the last trial's keepalived may still be an unreaped zombie, and keepalived takes a
    # live pid in its pid file for "daemon is already running".
    mkdir -p "$work/pid-$t"
    start_in "$h" "$work/ka-$h-$t.log" "$KEEPALIVED" --dont-fork --vrrp --log-console --log-detail --no-syslog \
      -f "$work/ka-$h.conf" -p "$work/pid-$t/ka-$h.pid" -r "$work/pid-$t/ka-$h-vrrp.pid" -c "$work/pid-$t/ka-$h-chk.pid"
  done
  # The client reaches the master a, and b is a settled backup (does not hold the VIP), twice 1 s apart.
  if ! wait_for 100 0.1 settled || ! sleep 1 || ! settled; then
    echo "trial $t: a never became the only master reachable from the client" >&2; exit 1
  fi

  : > "$work/probe.out"
  ip netns exec "$prefix-c" "$PY" "$here/probe.py" --host "$VIP" --port "$port" --interval-ms 10 --timeout-ms 200 \
    --limit-s 30 > "$work/probe.out" 2> "$work/probe.err" &
  probe_pid=$!
  wait_for 50 0.1 probe_saw a || { echo "trial $t: probe never reached a" >&2; exit 1; }
  # A random phase against a's advert timer: 0.5 .. 1.5 s of normal service first.
  sleep "$(printf '0.%03d' $((RANDOM % 1000)))"; sleep 0.5

  ip -n "$prefix-br" link set dev va down
  t_kill="$(date +%s.%N)" # a is cut off from here on (an answer already received may still complete just before)
  victims="$(ip netns pids "$prefix-a")"
  [ -n "$victims" ] || { echo "trial $t: nothing running in $prefix-a" >&2; exit 1; }
  # shellcheck disable=SC2086
  kill -9 $victims

  if ! wait_for 200 0.05 probe_saw b; then echo "trial $t: the probe never reached b within 10 s" >&2; exit 1; fi
  sleep 0.2 # a few successes from b after the switch
  kill -TERM "$probe_pid"
  wait_for 50 0.1 grep -q '"event":"summary"' "$work/probe.out" || { echo "trial $t: probe gave no summary" >&2; exit 1; }
  wait "$probe_pid" || true
  probe_pid=""

  "$PY" - "$work/probe.out" "$t_kill" "$t" >> "$work/results" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
s = [l for l in lines if l["event"] == "summary"][0]
kill = float(sys.argv[2])
b_at = [l["t"] for l in lines if l["event"] == "server" and l["server"] == "b"][0]
ok = s["server_before"] == "a" and s["server_after"] == "b" and s["gap_start"] <= kill <= s["gap_end"]
print(json.dumps({"trial": int(sys.argv[3]), "outage_ms": s["outage_ms"], "kill_to_b_ms": round((b_at - kill) * 1000, 1),
                  "last_a_before_kill_ms": round((kill - s["gap_start"]) * 1000, 1), "failures": s["failures"],
                  "failures_by_kind": s["failures_by_kind"], "late_starts": s["late_starts"], "valid": ok}))
PY
  "$PY" - "$work/results" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
print(f"trial {r['trial']:2d}: outage {r['outage_ms']:7.1f} ms (kill -> first answer from b {r['kill_to_b_ms']:7.1f} ms; "
      f"last answer from a {r['last_a_before_kill_ms']:4.1f} ms before the kill; {r['failures']} failed requests "
      f"{r['failures_by_kind']}; late probe starts {r['late_starts']})" + ("" if r["valid"] else "  INVALID: gap not around the kill"))
PY
  topo_down "$prefix"
done

"$PY" - "$work/results" "$ka_version" "$advert" "$vrrp_version" <<'PY'
import json, math, sys
rs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
bad = [r["trial"] for r in rs if not r["valid"]]
def stats(xs):
    xs = sorted(xs)
    n = len(xs)
    med = xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
    p95 = xs[max(0, math.ceil(0.95 * n) - 1)]  # nearest rank
    return med, p95, xs[0], xs[-1]
print(f"\nkeepalived: {sys.argv[2]}; VRRPv{sys.argv[4]}, advert_int {sys.argv[3]} s; {len(rs)} trials"
      + (f"; INVALID trials: {bad}" if bad else ""))
for key, label in (("outage_ms", "outage (longest gap between successful requests)"),
                   ("kill_to_b_ms", "kill -> first answer from b")):
    med, p95, lo, hi = stats([r[key] for r in rs])
    print(f"{label}: median {med:.1f} ms, p95 {p95:.1f} ms, min {lo:.1f} ms, max {hi:.1f} ms")
PY
[ -z "$(grep '"valid": false' "$work/results" || true)" ]
