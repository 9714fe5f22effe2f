#!/usr/bin/env bash
# Console load benchmark (BENCHMARKS.md): one server printing RATE lines/s watched by VIEWERS
# websockets, on loopback. Release builds; fakekube runs in its own process so that the panel's
# CPU and memory are its own. Needs the system Postgres.
#   scripts/bench-console.sh [VIEWERS] [SECONDS] [RATE]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
toolchain
cd "$ROOT"
RUST_LOG=warn bench_stack console_load
RUST_LOG=warn bench_panel
PANEL_URL=http://127.0.0.1:8097 PANEL_PID=$PANEL_PID "$BIN/examples/console_load" "$@"
LOGS="$(sed 's/\x1b\[[0-9;]*m//g' "$WORK/fakekube.log" | grep 'log stream opened' | grep 'bench-flood-0' || true)"
echo "log requests fakekube served for the flood pod: $(grep -c . <<<"$LOGS" || true), of which following: $(grep -c 'follow=true' <<<"$LOGS" || true)"
