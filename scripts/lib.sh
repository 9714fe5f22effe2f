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
}

# pg_tools: makes sure initdb/pg_ctl exist (for the private Postgres).
pg_tools() {
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null \
        || apt_install postgresql
}
