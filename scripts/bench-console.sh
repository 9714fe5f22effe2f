#!/usr/bin/env bash
# Console load benchmark (BENCHMARKS.md): one server printing RATE lines/s watched by VIEWERS
# websockets, on loopback. Release builds; fakekube runs in its own process so that the panel's
# CPU and memory are its own. Needs the system Postgres (DATABASE_URL's server).
#   scripts/bench-console.sh [VIEWERS] [SECONDS] [RATE]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
toolchain
cd "$ROOT"
cargo build --release -p server -p fakekube --bins --example console_load >&2
BIN="$CARGO_TARGET_DIR/release"
WORK="$(mktemp -d)"
ADMIN_DB="${BENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
DB="bench_console_$$"
psql -q "$ADMIN_DB" -c "CREATE DATABASE $DB"
cleanup() {
    kill "${PANEL_PID:-}" "${FK_PID:-}" 2>/dev/null || true
    wait 2>/dev/null || true
    psql -q "$ADMIN_DB" -c "DROP DATABASE IF EXISTS $DB" || true
    rm -rf "$WORK"
}
trap cleanup EXIT
RUST_LOG=info,fakekube::logs=debug "$BIN/fakekube" --listen 127.0.0.1:16443 --root "$WORK/fk" --persist false --namespace games \
    >"$WORK/fakekube.log" 2>&1 &
FK_PID=$!
export DATABASE_URL="${ADMIN_DB%/*}/$DB" PANEL_LISTEN=127.0.0.1:8097 PANEL_DATA_DIR="$WORK/data" \
    PANEL_KUBE_URL=http://127.0.0.1:16443 RUST_LOG=warn
echo 'a very good password' | "$BIN/panel" admin create --username admin >/dev/null
"$BIN/panel" serve >"$WORK/panel.log" 2>&1 &
PANEL_PID=$!
for _ in $(seq 50); do curl -fs http://127.0.0.1:8097/healthz >/dev/null && break; sleep 0.2; done
PANEL_URL=http://127.0.0.1:8097 PANEL_PID=$PANEL_PID "$BIN/examples/console_load" "$@"
LOGS="$(sed 's/\x1b\[[0-9;]*m//g' "$WORK/fakekube.log" | grep 'log stream opened' | grep 'bench-flood-0' || true)"
echo "log requests fakekube served for the flood pod: $(grep -c . <<<"$LOGS" || true), of which following: $(grep -c 'follow=true' <<<"$LOGS" || true)"
