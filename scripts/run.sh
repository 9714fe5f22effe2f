#!/usr/bin/env bash
# The README's first command: set up this machine (build tools, Postgres if needed), build the
# panel, and run it on http://127.0.0.1:8080 (PANEL_LISTEN to change). With no DATABASE_URL the
# panel starts a private Postgres under ./data; with no kubeconfig it runs the sandbox.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

toolchain
[ -n "${DATABASE_URL:-}" ] || pg_tools
# the sandbox's backups run Debian's restic
command -v restic >/dev/null || apt_install restic
build_web
log "building the server (release)"
(cd "$ROOT" && cargo build --release -p server -p fakekube >&2)

export PANEL_DIST_DIR="${PANEL_DIST_DIR:-$ROOT/dist}"
export PANEL_DATA_DIR="${PANEL_DATA_DIR:-$ROOT/data}"
export PANEL_LISTEN="${PANEL_LISTEN:-127.0.0.1:8080}"
log "starting the panel on http://$PANEL_LISTEN (Ctrl-C to stop)"
exec "$CARGO_TARGET_DIR/release/panel" serve
