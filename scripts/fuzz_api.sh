#!/usr/bin/env bash
# Fuzzes the JSON API with schemathesis (PyPI) from its own OpenAPI document: every endpoint
# with generated and hostile bodies, first as an anonymous caller, then with an administrator's
# API token (every scope). Fails on any 500, and on any answer the document does not describe
# (status, content type or body).
#
#   scripts/fuzz_api.sh      (needs PANEL_BIN, TEST_DATABASE_URL and SCHEMATHESIS; run by
#                             scripts/test.sh, which installs schemathesis in its venv)
#
# Its own sandbox panel on a database of its own: the fuzzer deletes what it can.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib.sh
source "$ROOT/scripts/lib.sh"
: "${PANEL_BIN:?the panel binary}" "${TEST_DATABASE_URL:?a Postgres to make a database in}"
: "${SCHEMATHESIS:?the schemathesis command}"
EXAMPLES="${PANEL_FUZZ_EXAMPLES:-25}"

DB="panel_fuzz_$$"
DATA="$(mktemp -d /tmp/panel-fuzz.XXXXXX)"
ADMIN_BASE="${TEST_DATABASE_URL%/*}"
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
cleanup() {
    if [ -n "${PID:-}" ]; then kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; fi
    psql -q "$TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$DATA"
}
trap cleanup EXIT
psql -q "$TEST_DATABASE_URL" -c "CREATE DATABASE $DB" >/dev/null
mkdir -p "$DATA/dist" && echo '<!doctype html><title>Panel</title>' > "$DATA/dist/index.html"
export DATABASE_URL="$ADMIN_BASE/$DB"
PANEL_LISTEN="127.0.0.1:$PORT" PANEL_METRICS_LISTEN=off PANEL_DATA_DIR="$DATA" PANEL_DIST_DIR="$DATA/dist" \
    PANEL_KUBE=sandbox RUST_LOG=warn "$PANEL_BIN" serve > "$DATA/panel.log" 2>&1 &
PID=$!
for _ in $(seq 120); do curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$BASE/readyz" >/dev/null || { cat "$DATA/panel.log" >&2; die "the fuzzed panel did not start"; }

run() {
    local who="$1"; shift
    log "schemathesis as $who ($EXAMPLES examples an endpoint)"
    if ! "$SCHEMATHESIS" run "$BASE/api/openapi.json" "$@" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --max-examples "$EXAMPLES" --workers 2 --no-color >"$DATA/st.log" 2>&1; then
        cat "$DATA/st.log" >&2
        grep -E "ERROR|panicked" "$DATA/panel.log" | tail -20 >&2 || true
        die "schemathesis found answers outside the document (as $who)"
    fi
    grep -E "test cases|generated," "$DATA/st.log" | tail -1 >&2 || true
}

run anonymous

PASSWORD="fuzzing password $$"
echo "$PASSWORD" | "$PANEL_BIN" admin create --username fuzzer >/dev/null
curl -fsS -c "$DATA/cookies" -H "Origin: $BASE" -H 'content-type: application/json' \
    -d "{\"username\":\"fuzzer\",\"password\":\"$PASSWORD\"}" "$BASE/api/login" >/dev/null
SCOPES='"admin","console.read","console.write","control.start","control.stop","control.restart","control.kill","settings","files.read","files.write","files.delete","members","backups","schedules","players","mods","delete"'
TOKEN="$(curl -fsS -b "$DATA/cookies" -H "Origin: $BASE" -H 'content-type: application/json' \
    -d "{\"name\":\"fuzz\",\"scopes\":[$SCOPES],\"expires_days\":1,\"password\":\"$PASSWORD\"}" \
    "$BASE/api/token_create" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
run "an administrator's token" -H "Authorization: Bearer $TOKEN"
