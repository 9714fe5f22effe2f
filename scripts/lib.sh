# Shared by the scripts: paths, logging, and installing what is missing from Debian's archive.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${PANEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mc-panel}"
export PANEL_CACHE="$CACHE"

log() { printf '\033[1;32m[panel]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[panel]\033[0m %s\n' "$*" >&2; exit 1; }

# apt_install PKG... : installs the Debian packages that are missing (as root), or says how.
apt_install() {
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "please install: ${missing[*]}"
    [ "$(id -u)" = 0 ] || die "please install: ${missing[*]} (sudo apt-get install ${missing[*]})"
    log "apt-get install ${missing[*]}"
    if [ -z "$(find /var/lib/apt/lists -name '*Packages*' -newermt '-1 day' 2>/dev/null | head -1)" ]; then
        apt-get update -q >&2
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# toolchain: sets up (or finds cached) build tools and loads their environment.
toolchain() {
    "$ROOT/scripts/toolchain.sh"
    # shellcheck source=/dev/null
    source "$CACHE/env.sh"
}

# build_web: the browser app, with Trunk, into dist/.
build_web() {
    log "building the web app (Trunk, release wasm)"
    (cd "$ROOT" && env ${PANEL_TRUNK_ENV:-} trunk build --offline --release >&2)
    # compressed once here, served as they are (the panel does not gzip them per request)
    gzip -9 -k -f "$ROOT"/dist/*.wasm "$ROOT"/dist/*.js "$ROOT"/dist/*.css
}

# pg_tools: makes sure initdb/pg_ctl exist (for the private Postgres).
pg_tools() {
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null \
        || apt_install postgresql
}

# bench_stack EXAMPLE: for the benchmarks. Builds the release panel, fakekube and the example
# EXAMPLE; makes a throwaway database on the system Postgres (BENCH_ADMIN_URL), starts fakekube
# on its own at 127.0.0.1:16443, exports the panel's environment and creates the user admin
# ("a very good password"). Sets BIN and WORK; everything is removed on exit.
bench_stack() {
    cargo build --release -p server -p fakekube --bins --example "$1" >&2
    BIN="$CARGO_TARGET_DIR/release"
    WORK="$(mktemp -d)"
    BENCH_ADMIN_DB="${BENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
    BENCH_DB="bench_$$"
    psql -q "$BENCH_ADMIN_DB" -c "CREATE DATABASE $BENCH_DB"
    trap bench_cleanup EXIT
    RUST_LOG=info,fakekube::logs=debug "$BIN/fakekube" --listen 127.0.0.1:16443 \
        --root "$WORK/fk" --persist false --namespace games >"$WORK/fakekube.log" 2>&1 &
    FK_PID=$!
    export DATABASE_URL="${BENCH_ADMIN_DB%/*}/$BENCH_DB" PANEL_LISTEN=127.0.0.1:8097 \
        PANEL_DATA_DIR="$WORK/data" PANEL_KUBE_URL=http://127.0.0.1:16443
    echo 'a very good password' | "$BIN/panel" admin create --username admin >/dev/null
}

# bench_panel: starts the release panel (after bench_stack) and waits until it answers.
bench_panel() {
    "$BIN/panel" serve >"$WORK/panel.log" 2>&1 &
    PANEL_PID=$!
    for _ in $(seq 50); do curl -fs http://127.0.0.1:8097/healthz >/dev/null && break; sleep 0.2; done
}

bench_cleanup() {
    kill "${PANEL_PID:-}" "${FK_PID:-}" 2>/dev/null || true
    wait 2>/dev/null || true
    psql -q "$BENCH_ADMIN_DB" -c "DROP DATABASE IF EXISTS $BENCH_DB" || true
    rm -rf "$WORK"
}
