#!/usr/bin/env bash
# Measures the README's first command on this checkout: from
# `go run ./cmd/lantu serve` on an empty data folder to the first 200 from
# http://127.0.0.1:PORT/ listing the five goals. Run it twice to see a cold
# and a warm build cache; --cold uses an empty build cache and an empty
# module cache, as on a fresh machine (modules come from the proxy).
#   bench/first-start.sh [--cold] [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--cold" ]; then
  GOCACHE=$(mktemp -d); GOMODCACHE=$(mktemp -d); export GOCACHE GOMODCACHE GOFLAGS=-modcacherw
  shift
fi
port=${1:-18080}
data=$(mktemp -d)
log=$(mktemp)
start=$(date +%s.%N)
set -m
LANTU_DATA="$data" go run ./cmd/lantu serve --addr "127.0.0.1:$port" >"$log" 2>&1 &
pid=$!
# go run's child is the server: stop the whole process group.
trap 'kill -- -$pid 2>/dev/null || kill $pid 2>/dev/null; rm -rf "$data" "$log"' EXIT
for _ in $(seq 1 6000); do
  if curl -fs "http://127.0.0.1:$port/" 2>/dev/null | grep -q 法治古交; then
    end=$(date +%s.%N)
    printf 'first page with the five goals after %.1f s\n' "$(echo "$end - $start" | bc)"
    exit 0
  fi
  sleep 0.1
done
echo "no page after 600 s"; cat "$log"; exit 1
