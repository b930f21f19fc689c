#!/usr/bin/env bash
# Measures the README's first command on this checkout: from
# `go run ./cmd/lantu serve` on an empty data folder to the first 200 from
# http://127.0.0.1:PORT/ listing the five goals. Run it twice to see a cold
# and a warm build cache; pass --cold to empty the build cache first.
#   bench/first-start.sh [--cold] [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--cold" ]; then go clean -cache; shift; fi
port=${1:-18080}
data=$(mktemp -d)
log=$(mktemp)
start=$(date +%s.%N)
LANTU_DATA="$data" go run ./cmd/lantu serve --addr "127.0.0.1:$port" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; pkill -f "lantu serve --addr 127.0.0.1:$port" 2>/dev/null; rm -rf "$data" "$log"' EXIT
for _ in $(seq 1 1200); do
  if curl -fs "http://127.0.0.1:$port/" 2>/dev/null | grep -q 法治古交; then
    end=$(date +%s.%N)
    printf 'first page with the five goals after %.1f s\n' "$(echo "$end - $start" | bc)"
    exit 0
  fi
  sleep 0.1
done
echo "no page after 120 s"; cat "$log"; exit 1
