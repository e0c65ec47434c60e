#!/usr/bin/env bash
# Test network for failover benchmarks, built only from network namespaces (nothing in the root namespace):
#
#   PREFIX-a  eth0 198.18.0.11/24 ──┐
#   PREFIX-b  eth0 198.18.0.12/24 ──┼── bridge br0 in PREFIX-br (its ports: va, vb, vc)
#   PREFIX-c  eth0 198.18.0.100/24 ─┘   client; the service alias (VIP) is 198.18.0.50/24
#
# Usage: topology.sh up|down PREFIX
#   up    creates the four namespaces and links (fails if PREFIX-* already exist: run down first)
#   down  kills every process still inside PREFIX-a/-b/-c/-br (only this benchmark starts any there), deletes the
#         namespaces (their veths go with them); safe to run twice or on a half-built topology
# Addresses come from 198.18.0.0/15 (benchmarking range, RFC 2544) only. Needs root and iproute2.
# Other scripts source the address variables with `source topology.sh env`.
set -euo pipefail

A_IP=198.18.0.11
B_IP=198.18.0.12
C_IP=198.18.0.100
VIP=198.18.0.50
PLEN=24
export A_IP B_IP C_IP VIP PLEN

topo_nss() { local p="$1"; echo "$p-a $p-b $p-c $p-br"; }

topo_absent() {
  local ns
  for ns in $(topo_nss "$1"); do
    if [ -e "/run/netns/$ns" ]; then echo "topology.sh: namespace $ns already exists (run: topology.sh down $1)" >&2; return 1; fi
  done
}

topo_up() {
  local p="$1" ns
  topo_absent "$p"
  for ns in $(topo_nss "$p"); do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    # No IPv6 on the test links: no router solicitations, MLD or DAD in the traces and timings.
    ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  # STP off (the default) and no multicast snooping: the bridge forwards at once and floods VRRP adverts.
  ip -n "$p-br" link add br0 type bridge stp_state 0 mcast_snooping 0
  ip -n "$p-br" link set br0 up
  local host ip
  for host in a b c; do
    case $host in a) ip=$A_IP;; b) ip=$B_IP;; c) ip=$C_IP;; esac
    # Created inside PREFIX-br with the peer end placed straight into the host's namespace.
    ip -n "$p-br" link add name "v$host" type veth peer name eth0 netns "$p-$host"
    ip -n "$p-br" link set dev "v$host" master br0 up
    ip -n "$p-$host" addr add "$ip/$PLEN" dev eth0
    ip -n "$p-$host" link set dev eth0 up
  done
}

topo_down() {
  local p="$1" ns pids
  for ns in $(topo_nss "$p"); do
    [ -e "/run/netns/$ns" ] || continue
    # A namespace lives on while a process is in it: kill what is left there (by pid) first.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      pids="$(ip netns pids "$ns" 2>/dev/null || true)"
      [ -z "$pids" ] && break
      # shellcheck disable=SC2086
      kill -9 $pids 2>/dev/null || true
      sleep 0.1
    done
    ip netns del "$ns" 2>/dev/null || true
  done
  for ns in $(topo_nss "$p"); do
    if [ -e "/run/netns/$ns" ]; then echo "topology.sh: could not delete namespace $ns" >&2; return 1; fi
  done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  [ $# -eq 2 ] || { echo "usage: $0 up|down PREFIX" >&2; exit 2; }
  [ "$(id -u)" = 0 ] || { echo "topology.sh: needs root" >&2; exit 2; }
  case "$1" in
    up)
      # set -e is off inside a function called from `cmd || ...`, so clean up a half-built topology from a trap.
      topo_absent "$2" || exit 1
      trap 'rc=$?; if [ $rc -ne 0 ]; then topo_down "$2"; fi; exit $rc' EXIT
      topo_up "$2"
      trap - EXIT ;;
    down) topo_down "$2" ;;
    *) echo "usage: $0 up|down PREFIX" >&2; exit 2 ;;
  esac
fi
