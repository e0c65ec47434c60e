#!/usr/bin/env bash
# A 3-node control plane on one machine, for trying it out (on real hosts, run one line per host with its own
# address). Each node has its own data directory; they share one tokens file (the first node to start creates it).
# Every node must be given the same data-center file (or start without --config to keep the group's).
# Stop with Ctrl-C; kill -9 one node and the others keep the state, elect a leader and carry on.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 1 ]; then
  echo "usage: examples/three-nodes.sh DC.yaml   (a data-center file whose servers have real BMCs and agents, e.g." >&2
  echo "       one made from examples/real-hardware.yaml; a simulated one runs as its own process: understudy sim-dc)" >&2
  exit 2
fi
config=$1
peers=n1=127.0.0.1:8081,n2=127.0.0.1:8091,n3=127.0.0.1:8101
base=${XDG_DATA_HOME:-$HOME/.local/share}/understudy/three-nodes
mkdir -p "$base"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for i in 1 2 3; do
  port=$((8070 + 10 * i))
  ./understudy server --node-id n$i --peers "$peers" --config "$config" --port $port \
      --data-dir "$base/n$i" --tokens "$base/tokens.json" > "$base/n$i.log" 2>&1 &
  pids+=($!)
done
echo "logs in $base/n{1,2,3}.log; once they run:"
echo "  ./understudy cluster status --url http://127.0.0.1:8080,http://127.0.0.1:8090,http://127.0.0.1:8100 --token \"\$(jq -r '.[] | select(.role==\"admin\") | .token' $base/tokens.json)\""
wait
