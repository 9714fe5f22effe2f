#!/usr/bin/env bash
# Checks the image's runtime stage without a Docker engine: the Dockerfile's last stage applied
# to a Debian bookworm root made by debootstrap (its RUN step run in the root, its COPY steps
# copied), then the panel started in it as the image starts it — its user (10001), its ENV,
# the root filesystem read-only, writable only /var/lib/panel and /tmp as the chart mounts them —
# until /readyz answers; then Chromium loads the page from the image's dist/ and it mounts.
#
#   scripts/image_check.sh   (as root; needs PANEL_BIN, FAKEKUBE_BIN, TEST_DATABASE_URL and
#                             the built dist/; run by scripts/test.sh)
#
# What this does not check: the build stages (the toolchain and web stages run the same
# scripts the suite runs, but not inside rust:1-bookworm), the arm64 build, and the registry.
# The root is cached outside the clone, keyed by the runtime stage's text.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib.sh
source "$ROOT/scripts/lib.sh"
: "${PANEL_BIN:?the panel binary}" "${FAKEKUBE_BIN:?the fakekube binary}"
: "${TEST_DATABASE_URL:?a Postgres to make a database in}"
[ "$(id -u)" = 0 ] || die "image_check.sh needs root (debootstrap, chroot, mounts)"
CACHE="${PANEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mc-panel}"

# The runtime stage: from the last FROM to the end.
STAGE="$(awk '/^FROM /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$ROOT/Dockerfile")"
BASE="$(printf '%s' "$STAGE" | sed -n 's/^FROM \([^ ]*\).*/\1/p')"
[ "$BASE" = "debian:bookworm-slim" ] || die "the runtime stage is FROM $BASE, not debian:bookworm-slim"
# its RUN step, continuation lines joined
RUN_STEP="$(printf '%s' "$STAGE" | awk '/^RUN /{on=1} on{print} on && !/\\$/{exit}' \
    | sed 's/^RUN //; s/\\$//' | tr '\n' ' ')"
USER_STEP="$(printf '%s' "$STAGE" | sed -n 's/^USER \(.*\)$/\1/p')"
KEY="$(printf '%s' "$STAGE" | sha256sum | cut -c1-16)"
RFS="$CACHE/rootfs/bookworm-$KEY"

if [ ! -x "$RFS/usr/bin/apt-get" ] || [ ! -f "$RFS/.stage-applied" ]; then
    command -v debootstrap >/dev/null || apt_install debootstrap
    rm -rf "$RFS.tmp"
    log "debootstrap bookworm (minbase; once, cached in $RFS)"
    # minbase, as Debian's images are made (with passwd: the slim image has useradd)
    debootstrap --variant=minbase --include=passwd bookworm "$RFS.tmp" http://deb.debian.org/debian >&2
    cp /etc/resolv.conf "$RFS.tmp/etc/resolv.conf"
    log "the runtime stage's RUN: $RUN_STEP"
    mount -t proc proc "$RFS.tmp/proc"
    # shellcheck disable=SC2064
    trap "umount '$RFS.tmp/proc' 2>/dev/null || true" EXIT
    chroot "$RFS.tmp" /bin/sh -ec "$RUN_STEP" >&2
    umount "$RFS.tmp/proc"
    trap - EXIT
    touch "$RFS.tmp/.stage-applied"
    rm -rf "$RFS"
    mv "$RFS.tmp" "$RFS"
fi

WORK="$(mktemp -d /tmp/panel-image.XXXXXX)"
DB="panel_image_$$"
ADMIN_BASE="${TEST_DATABASE_URL%/*}"
cleanup() {
    for p in ${PANEL_PID:-} ${KUBE_PID:-}; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    psql -q "$TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
psql -q "$TEST_DATABASE_URL" -c "CREATE DATABASE $DB" >/dev/null

# The image's COPY steps, into a copy of the root (the cached one stays clean).
IMG="$WORK/image"
mkdir -p "$IMG"
cp -a "$RFS/." "$IMG/"
printf '%s' "$STAGE" | grep -q '^COPY --from=server /src/panel /usr/local/bin/panel$' \
    || die "the runtime stage no longer copies the panel to /usr/local/bin/panel"
printf '%s' "$STAGE" | grep -q '^COPY --from=web /src/dist /app/dist$' \
    || die "the runtime stage no longer copies dist/ to /app/dist"
install -m 0755 "$PANEL_BIN" "$IMG/usr/local/bin/panel"
mkdir -p "$IMG/app"
cp -a "$ROOT/dist" "$IMG/app/dist"
chown -R root:root "$IMG/app" "$IMG/usr/local/bin/panel"

# A cluster for it to reach (a fakekube on loopback, plain HTTP).
KUBE_PORT="$(free_port)"
"$FAKEKUBE_BIN" --listen "127.0.0.1:$KUBE_PORT" --root "$WORK/cluster" --persist false \
    --namespace games > "$WORK/fakekube.log" 2>&1 &
KUBE_PID=$!

# The image's ENV, then what a run overrides: the address, the database, the cluster.
PORT="$(free_port)"
ENVS=()
while read -r kv; do ENVS+=("$kv"); done < <(printf '%s' "$STAGE" \
    | awk '/^ENV /{on=1; sub(/^ENV /,"")} on{print} on && !/\\$/{exit}' \
    | sed 's/\\$//' | tr ' ' '\n' | grep '=')
ENVS+=("PANEL_LISTEN=127.0.0.1:$PORT" "PANEL_METRICS_LISTEN=off" "DATABASE_URL=$ADMIN_BASE/$DB"
    "PANEL_KUBE_URL=http://127.0.0.1:$KUBE_PORT" "PANEL_SECRET=image-check-secret-0123456789abcdef")
log "starting the panel in the image's root: user $USER_STEP, root read-only"
# A mount namespace of its own: the root read-only, the chart's two writable volumes, /dev and
# /proc; then chroot as the image's user.
DATA="$WORK/data"; mkdir -p "$DATA"; chown 10001:10001 "$DATA"
unshare --mount --propagation private /bin/sh -ec '
    IMG="$1"; DATA="$2"; USERSPEC="$3"; shift 3
    mount --bind "$IMG" "$IMG"
    mount --bind "$DATA" "$IMG/var/lib/panel"
    mount -t tmpfs -o mode=1777 tmpfs "$IMG/tmp"
    mount --rbind /dev "$IMG/dev"
    mount -t proc proc "$IMG/proc"
    mount -o remount,bind,ro "$IMG"
    exec chroot --userspec="$USERSPEC" "$IMG" /usr/bin/env -i "$@" /usr/local/bin/panel serve
' sh "$IMG" "$DATA" "$USER_STEP" "${ENVS[@]}" > "$WORK/panel.log" 2>&1 &
PANEL_PID=$!
for _ in $(seq 120); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
if ! curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then
    cat "$WORK/panel.log" >&2
    die "the panel in the image's root did not become ready"
fi
log "ready: /readyz answered from the image's root"
# it is the image's user, and the root is read-only for it
PANEL_UID="$(awk '/^Uid:/{print $2}' "/proc/$(pgrep -f -n '/usr/local/bin/panel serve')/status")"
[ "$PANEL_UID" = 10001 ] || die "the panel runs as uid $PANEL_UID, not 10001"
grep -q '"level":"INFO"' "$WORK/panel.log" || die "the image's JSON log format did not apply"
# the page from the image's dist/ mounts in Chromium
PANEL_URL="http://127.0.0.1:$PORT" node "$ROOT/end2end/mounts.mjs" >&2
log "the page from the image's dist/ mounted in Chromium"
