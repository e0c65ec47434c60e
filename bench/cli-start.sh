#!/usr/bin/env bash
# CLI start: one client call end to end (`understudy servers` against a running demo), as an operator's shell sees it.
# Each round calls, in turn: the JVM alone (`java -Xshare:auto -version`, the floor), then `./understudy servers` of
# every checkout named. A demo from the first checkout's jar answers all of them.
# Usage: bench/cli-start.sh [ROUNDS] [CHECKOUT...]   (default 10 rounds, this checkout; each checkout packaged already)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-10}"
case "$rounds" in ''|*[!0-9]*|0) echo "usage: $0 [ROUNDS>0] [CHECKOUT...]" >&2; exit 2;; esac
shift || true
checkouts=("$@")
[ ${#checkouts[@]} -gt 0 ] || checkouts=("$here")
for c in "${checkouts[@]}"; do
  [ -f "$c/cli/target/understudy.jar" ] || { echo "cli-start.sh: no $c/cli/target/understudy.jar: package it first" >&2; exit 2; }
done

home=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
HOME="$home" java -jar "${checkouts[0]}/cli/target/understudy.jar" demo --port "$port" --data-dir "$home/d" >"$home/demo.log" 2>&1 &
demo=$!
trap 'kill $demo 2>/dev/null; wait $demo 2>/dev/null; rm -rf "$home"' EXIT
# The demo writes the client file once it serves; how long that takes depends on the machine's load.
until [ -f "$home/.config/understudy/client.yaml" ]; do
  kill -0 $demo 2>/dev/null || { cat "$home/demo.log" >&2; exit 1; }
  sleep 0.2
done
# One call each first: a launcher's first run may rebuild, and the demo's first answer is slower.
for c in "${checkouts[@]}"; do HOME="$home" "$c/understudy" servers >/dev/null; done

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
results=$(mktemp)
for r in $(seq 1 "$rounds"); do
  echo "jvm $(ms java -Xshare:auto -version)" >>"$results"
  for c in "${checkouts[@]}"; do echo "$c $(HOME="$home" ms "$c/understudy" servers)" >>"$results"; done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %8s %8s %8s  (%s rounds)\n' call median min max "$rounds"
for name in jvm "${checkouts[@]}"; do
  label=$([ "$name" = jvm ] && echo "java -Xshare:auto -version" || echo "$name/understudy servers")
  awk -v n="$name" '$1 == n {print $2}' "$results" | sort -n | awk -v l="$label" '{v[NR]=$1}
    END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%-40s %6d ms %5d ms %5d ms\n", l, m, v[1], v[NR]}'
done
rm -f "$results"
