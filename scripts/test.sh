#!/usr/bin/env bash
# The README's second command: the whole test suite.
#   1. lints: rustfmt and clippy (-D warnings), for the server and the wasm build;
#   2. unit and integration tests (cargo test) against a real Postgres: TEST_DATABASE_URL, or
#      a private throwaway cluster this script starts (and stops); fakekube's
#      conformance suite; manifest snapshots and Kubernetes schema validation;
#      backups against a real S3 server (gofakes3) with Debian's restic;
#   3. the Helm chart rendered by the real Helm engine and validated (helm/tests);
#   4. browser tests: the built panel in Debian's Chromium driven by playwright-core.
# PANEL_SKIP_LINT=1 skips step 1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

# The real Kubernetes control plane, built once per machine (cached): in the background, beside
# the Rust builds, since both take minutes on a cold machine.
CP_LOG="$(mktemp /tmp/panel-controlplane.XXXXXX.log)"
"$ROOT/scripts/controlplane.sh" >"$CP_LOG.bin" 2>"$CP_LOG" &
CP_PID=$!

toolchain

# ------------------------------------------------------------------ services
# Postgres: TEST_DATABASE_URL when given, else a private throwaway cluster of this run's own
# (a new machine runs none, and a freshly installed one asks for a password on 127.0.0.1).
CLEANUPS=()
cleanup() { for c in "${CLEANUPS[@]}"; do $c || true; done; }
trap cleanup EXIT
if [ -z "${TEST_DATABASE_URL:-}" ]; then
    private_pg
    CLEANUPS+=(private_pg_stop)
    export TEST_DATABASE_URL="$PRIVATE_PG_URL"
fi
command -v pg_isready >/dev/null || apt_install postgresql-client
pg_isready -q -d "$TEST_DATABASE_URL" || die "Postgres is not answering at $TEST_DATABASE_URL"
pg_tools   # the private-Postgres test needs initdb
[ -x /usr/bin/chromium ] || apt_install chromium
# busybox: fakekube gives Alpine images busybox tools, and the file manager is tested on both
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || apt_install busybox-static
# Prometheus: promtool checks /metrics, and a real Prometheus scrapes it in the tests
command -v promtool >/dev/null || apt_install prometheus
# restic: the backup jobs run Debian's, and the tests restore with it alone
command -v restic >/dev/null || apt_install restic
# gofakes3: an S3 server on loopback for the backup tests (the Go module proxy), built once per
# machine in its module's folder with its own go.sum, as mc-router is. (s3s-fs from crates.io,
# used before, lists nothing when restic lists a folder recursively, so restic's prune failed.)
GOFAKES3_VERSION=1.2.0
GOFAKES3_DIR="$CACHE/tools/gofakes3-$GOFAKES3_VERSION"
if [ ! -x "$GOFAKES3_DIR/gofakes3" ]; then
    log "building gofakes3 v$GOFAKES3_VERSION (once; cached in $GOFAKES3_DIR)"
    mkdir -p "$CACHE/build/gomod" "$GOFAKES3_DIR"
    [ -f "$CACHE/build/gomod/go.mod" ] || (cd "$CACHE/build/gomod" && go mod init panel-tools >/dev/null 2>&1)
    D="$(cd "$CACHE/build/gomod" && go mod download -json "github.com/johannesboyne/gofakes3@v$GOFAKES3_VERSION" \
        | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [ -d "$D" ] || die "gofakes3 v$GOFAKES3_VERSION did not download"
    (cd "$D" && GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -ldflags "-s -w" \
        -o "$GOFAKES3_DIR/gofakes3.tmp" ./cmd/gofakes3) >&2
    mv -f "$GOFAKES3_DIR/gofakes3.tmp" "$GOFAKES3_DIR/gofakes3"
fi
export PANEL_S3_BIN="$GOFAKES3_DIR/gofakes3"
# actionlint: checks the GitHub Actions workflows (the Go module proxy), built once per machine
ACTIONLINT_VERSION=1.7.12
ACTIONLINT_DIR="$CACHE/tools/actionlint-$ACTIONLINT_VERSION"
if [ ! -x "$ACTIONLINT_DIR/actionlint" ]; then
    log "building actionlint v$ACTIONLINT_VERSION (once; cached in $ACTIONLINT_DIR)"
    mkdir -p "$CACHE/build/gomod" "$ACTIONLINT_DIR"
    [ -f "$CACHE/build/gomod/go.mod" ] || (cd "$CACHE/build/gomod" && go mod init panel-tools >/dev/null 2>&1)
    D="$(cd "$CACHE/build/gomod" && go mod download -json "github.com/rhysd/actionlint@v$ACTIONLINT_VERSION" \
        | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [ -d "$D" ] || die "actionlint v$ACTIONLINT_VERSION did not download"
    (cd "$D" && GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -ldflags "-s -w" \
        -o "$ACTIONLINT_DIR/actionlint.tmp" ./cmd/actionlint) >&2
    mv -f "$ACTIONLINT_DIR/actionlint.tmp" "$ACTIONLINT_DIR/actionlint"
fi
# Kubernetes JSON schemas for the manifest tests (PyPI kubernetes-validate, schemas included)
KV="$CACHE/venv"
if [ ! -x "$KV/bin/kubernetes-validate" ]; then
    log "pip install kubernetes-validate"
    python3 -m venv "$KV" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$KV"; }
    "$KV/bin/pip" install -q kubernetes-validate==1.37.0 >&2
fi
# The real Helm engine for the chart tests (PyPI helm-python-sdk bundles it)
if ! "$KV/bin/python" -c 'import helm_python' 2>/dev/null; then
    log "pip install helm-python-sdk"
    "$KV/bin/pip" install -q helm-python-sdk==0.2.2 pyyaml >&2
fi
# The API fuzzer (PyPI schemathesis), run against the API's OpenAPI document
if [ ! -x "$KV/bin/schemathesis" ]; then
    log "pip install schemathesis"
    "$KV/bin/pip" install -q schemathesis==4.32.5 >&2
fi
export PATH="$PATH:$KV/bin" PANEL_REQUIRE_KUBE_VALIDATE=1
if [ ! -d end2end/node_modules/playwright-core ] || [ ! -d end2end/node_modules/oidc-provider ]; then
    log "npm ci (end2end)"
    npm ci --prefix end2end --no-audit --no-fund >&2
fi

# ------------------------------------------------------------------ lint
if [ "${PANEL_SKIP_LINT:-0}" != 1 ]; then
    log "actionlint (the GitHub Actions workflows)"
    "$ACTIONLINT_DIR/actionlint" -no-color .github/workflows/*.yml
    log "rustfmt"
    cargo fmt --all -- --check
    log "clippy"
    cargo clippy --workspace --all-targets -- -D warnings
    if [ "${PANEL_WASM_ROUTE:-rustup}" = rustup ]; then
        cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
        cargo clippy -p frontend --features split --target wasm32-unknown-unknown -- -D warnings
    fi
fi

# ------------------------------------------------------------------ build
build_web
log "building the server"
cargo build -p server -p fakekube

# ------------------------------------------------------------------ unit + integration
log "waiting for the control plane build"
if ! wait "$CP_PID"; then cat "$CP_LOG" >&2; die "building the control plane failed"; fi
tail -1 "$CP_LOG" >&2
export PANEL_CONTROLPLANE_BIN="$(tail -1 "$CP_LOG.bin")" PANEL_REALKUBE=require
export PANEL_REALKUBE_REPORT="$(mktemp /tmp/panel-realkube.XXXXXX.tsv)"
rm -f "$CP_LOG" "$CP_LOG.bin"
log "cargo test"
# Snapshots are found from this checkout, whatever checkout the shared target dir last built a
# test binary in (its compile-time paths can name another clone).
export INSTA_WORKSPACE_ROOT="$PWD"
cargo test --workspace
realkube_summary "$PANEL_REALKUBE_REPORT"

# ------------------------------------------------------------------ chart
log "chart tests (Helm engine + Kubernetes schemas)"
"$KV/bin/python" -m unittest discover -s helm/tests

# ------------------------------------------------------------------ API fuzzing
PANEL_BIN="$CARGO_TARGET_DIR/debug/panel" SCHEMATHESIS="$KV/bin/schemathesis" scripts/fuzz_api.sh

# ------------------------------------------------------------------ the image's runtime stage
PANEL_BIN="$CARGO_TARGET_DIR/debug/panel" FAKEKUBE_BIN="$CARGO_TARGET_DIR/debug/fakekube" \
    scripts/image_check.sh

# ------------------------------------------------------------------ browser
log "browser tests"
E2E_DB="panel_e2e_$$"
E2E_DATA="$(mktemp -d /tmp/panel-e2e.XXXXXX)"
ADMIN_BASE="${TEST_DATABASE_URL%/*}"
psql -q "$TEST_DATABASE_URL" -c "CREATE DATABASE $E2E_DB" >/dev/null
PORT="$(free_port)"
e2e_cleanup() {
    if [ -n "${PANEL_PID:-}" ]; then kill "$PANEL_PID" 2>/dev/null && wait "$PANEL_PID" 2>/dev/null; fi
    if [ -n "${APIS_PID:-}" ]; then kill "$APIS_PID" 2>/dev/null && wait "$APIS_PID" 2>/dev/null; fi
    if [ -n "${OIDC_PID:-}" ]; then kill "$OIDC_PID" 2>/dev/null && wait "$OIDC_PID" 2>/dev/null; fi
    psql -q "$TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $E2E_DB WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$E2E_DATA"
}
CLEANUPS=(e2e_cleanup "${CLEANUPS[@]}")
# Modrinth, Spiget, CurseForge (with the key it takes, on its second line) and the version lists
# answered from the tests' fixtures (the machines cannot reach the real ones)
"$CARGO_TARGET_DIR/debug/examples/fake_apis" > "$E2E_DATA/apis.url" &
APIS_PID=$!
for _ in $(seq 40); do [ "$(wc -l < "$E2E_DATA/apis.url")" -ge 2 ] && break; sleep 0.25; done
[ "$(wc -l < "$E2E_DATA/apis.url")" -ge 2 ] || die "the fixtures' APIs did not start"
APIS="$(sed -n 1p "$E2E_DATA/apis.url")"
CF_KEY="$(sed -n 2p "$E2E_DATA/apis.url")"
# a real OpenID Connect provider (npm's oidc-provider) for the sign-in button
OIDC_REDIRECT_URIS="http://127.0.0.1:$PORT/auth/sso/callback" node end2end/oidc-provider.mjs > "$E2E_DATA/oidc.url" &
OIDC_PID=$!
for _ in $(seq 60); do [ -s "$E2E_DATA/oidc.url" ] && break; sleep 0.25; done
OIDC="$(head -1 "$E2E_DATA/oidc.url")"
[ -n "$OIDC" ] || die "the OpenID provider did not start"
DATABASE_URL="$ADMIN_BASE/$E2E_DB" PANEL_LISTEN="127.0.0.1:$PORT" PANEL_METRICS_LISTEN=127.0.0.1:0 PANEL_DATA_DIR="$E2E_DATA" \
    PANEL_DIST_DIR="$ROOT/dist" PANEL_KUBE=sandbox RUST_LOG=warn PANEL_MODRINTH_URL="$APIS" PANEL_MOJANG_URL="$APIS" \
    PANEL_PAPER_URL="$APIS" PANEL_PURPUR_URL="$APIS" PANEL_FABRIC_URL="$APIS" PANEL_SPIGET_URL="$APIS" \
    PANEL_CURSEFORGE_URL="$APIS" PANEL_CURSEFORGE_API_KEY="$CF_KEY" \
    PANEL_PUBLIC_URL="http://127.0.0.1:$PORT" PANEL_OIDC_ISSUER="$OIDC" PANEL_OIDC_CLIENT_ID=panel \
    PANEL_OIDC_CLIENT_SECRET=panel-secret PANEL_OIDC_NAME="Test IdP" PANEL_OIDC_SCOPES="email profile groups" \
    PANEL_OIDC_ADMIN_CLAIM="groups=panel-admins" PANEL_WEBHOOK_INTERNAL=true \
    PANEL_SAMPLE_SECS=2 "$CARGO_TARGET_DIR/debug/panel" serve &
PANEL_PID=$!
for _ in $(seq 60); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null || die "the panel did not become ready"
PANEL_URL="http://127.0.0.1:$PORT" PANEL_BIN="$CARGO_TARGET_DIR/debug/panel" PANEL_OIDC_URL="$OIDC" \
    DATABASE_URL="$ADMIN_BASE/$E2E_DB" PANEL_DATA_DIR="$E2E_DATA" \
    node --test --test-concurrency=1 end2end/tests/
