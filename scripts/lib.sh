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

# build_web: the browser app, split by route, into dist/ (scripts/web.sh).
build_web() {
    log "building the web app (release wasm, split by route)"
    command -v brotli >/dev/null || apt_install brotli
    "$ROOT/scripts/web.sh"
}

# pg_tools: makes sure initdb/pg_ctl exist (for the private Postgres).
pg_tools() {
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null \
        || apt_install postgresql
}

# pg_bin: prints the folder of the newest installed PostgreSQL's initdb/pg_ctl.
pg_bin() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
    dirname "$(command -v initdb)"
}

# free_port: prints a free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# private_pg: starts a throwaway Postgres cluster of its own (trust authentication, loopback
# only, an ephemeral port, no fsync) and exports PRIVATE_PG_URL; stop it with private_pg_stop.
# It needs no running system Postgres and no password: a fresh Debian Postgres asks for one on
# 127.0.0.1, and on a new machine none is running.
private_pg() {
    pg_tools
    local bin; bin="$(pg_bin)"
    PRIVATE_PG_DIR="$(mktemp -d /tmp/panel-pg.XXXXXX)"
    local port; port="$(free_port)"
    local as=()
    if [ "$(id -u)" = 0 ]; then   # Postgres refuses to run as root
        chown postgres: "$PRIVATE_PG_DIR"
        as=(runuser -u postgres --)
    fi
    "${as[@]}" "$bin/initdb" -D "$PRIVATE_PG_DIR/data" -U postgres -A trust -E UTF8 --no-sync \
        >"$PRIVATE_PG_DIR/initdb.log" 2>&1 || { cat "$PRIVATE_PG_DIR/initdb.log" >&2; die "initdb failed"; }
    "${as[@]}" "$bin/pg_ctl" -D "$PRIVATE_PG_DIR/data" -l "$PRIVATE_PG_DIR/postgres.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $PRIVATE_PG_DIR -F -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { cat "$PRIVATE_PG_DIR/postgres.log" >&2; die "the private Postgres did not start"; }
    PRIVATE_PG_AS="${as[*]}"
    PRIVATE_PG_BIN="$bin"
    export PRIVATE_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
    log "private Postgres at $PRIVATE_PG_URL ($PRIVATE_PG_DIR)"
}

# private_pg_stop: stops and removes the cluster private_pg started (if any).
private_pg_stop() {
    [ -n "${PRIVATE_PG_DIR:-}" ] || return 0
    # shellcheck disable=SC2086
    $PRIVATE_PG_AS "$PRIVATE_PG_BIN/pg_ctl" -D "$PRIVATE_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PRIVATE_PG_DIR"
    PRIVATE_PG_DIR=
}

# realkube_summary REPORT: prints, per suite, how many tests ran against the real control plane
# and which stayed on fakekube (with why); fails when a test found no control plane.
realkube_summary() {
    local report="$1"
    [ -s "$report" ] || die "no test reported a run against the real control plane"
    awk -F'\t' '
        { n[$1]++; if ($3 == "real") r[$1]++; else if ($3 == "fake-only") { f[$1]++; why[$1] = why[$1] "\n    fakekube only: " $2 " (" $4 ")" } else u[$1]++ }
        END { for (s in n) printf "[realkube] %s: %d of %d ran against the real control plane%s\n", s, r[s], n[s], why[s];
              for (s in u) if (u[s]) { printf "[realkube] %s: %d found no control plane\n", s, u[s]; bad = 1 }
              exit bad }' "$report" >&2 || die "some tests found no control plane"
    rm -f "$report"
}

# bench_stack EXAMPLE: for the benchmarks. Builds the release panel, fakekube and the example
# EXAMPLE; makes a throwaway database (on BENCH_ADMIN_URL, else a private Postgres), starts fakekube
# on its own at 127.0.0.1:16443 (or, with BENCH_CLUSTER=real, the real control plane), exports the panel's environment and creates the user admin
# ("a very good password"). Sets BIN and WORK; everything is removed on exit.
bench_stack() {
    cargo build --release -p server -p fakekube -p realkube --bins --example "$1" >&2
    BIN="$CARGO_TARGET_DIR/release"
    WORK="$(mktemp -d)"
    trap bench_cleanup EXIT
    if [ -z "${BENCH_ADMIN_URL:-}" ]; then private_pg; fi
    BENCH_ADMIN_DB="${BENCH_ADMIN_URL:-$PRIVATE_PG_URL}"
    BENCH_DB="bench_$$"
    psql -q "$BENCH_ADMIN_DB" -c "CREATE DATABASE $BENCH_DB"
    export DATABASE_URL="${BENCH_ADMIN_DB%/*}/$BENCH_DB" PANEL_LISTEN=127.0.0.1:8097 PANEL_METRICS_LISTEN=127.0.0.1:0 \
        PANEL_DATA_DIR="$WORK/data"
    if [ "${BENCH_CLUSTER:-fake}" = real ]; then
        # the real control plane (no node: pods stay Pending), the panel as its Role-bound identity
        PANEL_CONTROLPLANE_BIN="$("$ROOT/scripts/controlplane.sh")" "$BIN/realkube" \
            >"$WORK/realkube.env" 2>"$WORK/realkube.log" &
        FK_PID=$!
        for _ in $(seq 120); do grep -q REALKUBE_PANEL_USER "$WORK/realkube.env" && break; sleep 0.5; done
        set -a; source "$WORK/realkube.env"; set +a
        export PANEL_KUBE=kubeconfig
    else
        RUST_LOG=info,fakekube::logs=debug "$BIN/fakekube" --listen 127.0.0.1:16443 \
            --root "$WORK/fk" --persist false --namespace games >"$WORK/fakekube.log" 2>&1 &
        FK_PID=$!
        export PANEL_KUBE_URL=http://127.0.0.1:16443
    fi
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
    private_pg_stop
    rm -rf "$WORK"
}
