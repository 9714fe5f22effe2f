#!/usr/bin/env bash
# Builds a real Kubernetes control plane from Go modules, once per machine and version, into
# "$PANEL_CACHE/controlplane/k8s-$K8S-etcd-$ETCD/bin" (printed on stdout when ready):
#   kube-apiserver, kube-controller-manager, kube-scheduler and kubectl from k8s.io/kubernetes, and etcd
#   from go.etcd.io/etcd/server/v3, and kubelet-streaming (crates/fakekube/streaming: the kubelet
#   API front of fakekube's node agent), rebuilt when its source changes; and itzg/mc-router (the
#   router of `hostname` mode, for its tests), built in its own module's folder with its own
#   go.sum (`go install …@version` is refused: the proxy will not list its versions).
# `go install k8s.io/kubernetes/cmd/...@v1.x` is refused (the module replaces its staging
# modules with local paths), so each build goes through a small wrapper module that replaces
# every staging module with its published tag, the list read from that release's own go.mod.
# Everything comes from the Go module proxy. Nothing here is committed: only this recipe.
#
# Env: PANEL_CACHE, PANEL_K8S_VERSION (default below), PANEL_ETCD_VERSION.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${PANEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mc-panel}"
K8S="${PANEL_K8S_VERSION:-1.35.4}"
ETCD="${PANEL_ETCD_VERSION:-3.6.16}"
STAGING="0.${K8S#1.}"            # k8s.io/kubernetes v1.N.P pairs with the staging modules v0.N.P
OUT="$CACHE/controlplane/k8s-$K8S-etcd-$ETCD"
BIN="$OUT/bin"

log() { printf '\033[1;35m[controlplane]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[controlplane]\033[0m %s\n' "$*" >&2; exit 1; }

SHIM_SRC="$ROOT/crates/fakekube/streaming"
SHIM_HASH="$(cat "$SHIM_SRC/go.mod" "$SHIM_SRC/go.sum" "$SHIM_SRC"/*.go | sha256sum | cut -c1-16)"
MC_ROUTER="${PANEL_MC_ROUTER_VERSION:-1.46.4}"
have_all() {
    for b in kube-apiserver kube-controller-manager kube-scheduler kubectl etcd "kubelet-streaming-$SHIM_HASH" "mc-router-$MC_ROUTER"; do
        [ -x "$BIN/$b" ] || return 1
    done
}
if have_all; then echo "$BIN"; exit 0; fi
export PATH="$PATH:/usr/local/go/bin"   # where the Go tarball installs, if not on PATH
command -v go >/dev/null || die "Go is needed to build the control plane (Go 1.24 or later)"
mkdir -p "$BIN"
export GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0
t0=$SECONDS

# ------------------------------------------------------------------ Kubernetes
W="$OUT/k8s-module"
K8S_CMDS="kube-apiserver kube-controller-manager kube-scheduler kubectl"
missing=""
for c in $K8S_CMDS; do [ -x "$BIN/$c" ] || missing="$missing $c"; done
if [ -n "$missing" ]; then
    log "building Kubernetes v$K8S (once per machine; cached in $OUT)"
    rm -rf "$W"; mkdir -p "$W"; cd "$W"
    go mod init panel-controlplane >/dev/null 2>&1
    go mod download -json "k8s.io/kubernetes@v$K8S" >/dev/null
    MOD="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/v$K8S.mod"
    [ -f "$MOD" ] || die "no go.mod for k8s.io/kubernetes v$K8S"
    GOVER="$(awk '$1=="go"{print $2; exit}' "$MOD")"
    go mod edit -go="$GOVER"
    n=0
    for m in $(awk '$2=="=>" && $3 ~ /^\.\/staging\// {print $1}' "$MOD"); do
        go mod edit -replace="$m=$m@v$STAGING"; n=$((n + 1))
    done
    [ "$n" -gt 10 ] || die "found only $n staging modules in $MOD"
    cat > tools.go <<'GO'
//go:build tools

// Package tools pins the control-plane commands this module builds.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
    go get "k8s.io/kubernetes@v$K8S" >&2
    go mod tidy -e >&2 || true
    V="v$K8S"
    LD="-s -w -X k8s.io/component-base/version.gitVersion=$V -X k8s.io/component-base/version.gitMajor=1"
    LD="$LD -X k8s.io/component-base/version.gitMinor=$(echo "$K8S" | cut -d. -f2)"
    LD="$LD -X k8s.io/component-base/version.gitTreeState=clean"
    LD="$LD -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
    for c in $missing; do
        t1=$SECONDS
        go build -trimpath -ldflags "$LD" -o "$BIN/$c.tmp" "k8s.io/kubernetes/cmd/$c" >&2
        mv -f "$BIN/$c.tmp" "$BIN/$c"
        log "$c built in $((SECONDS - t1)) s"
    done
fi

# ------------------------------------------------------------------ etcd
if [ ! -x "$BIN/etcd" ]; then
    log "building etcd v$ETCD"
    E="$OUT/etcd-module"
    rm -rf "$E"; mkdir -p "$E"; cd "$E"
    go mod init panel-etcd >/dev/null 2>&1
    cat > tools.go <<'GO'
//go:build tools

// Package tools pins the etcd server this module builds.
package tools

import _ "go.etcd.io/etcd/server/v3"
GO
    go get "go.etcd.io/etcd/server/v3@v$ETCD" >&2
    t1=$SECONDS
    go build -trimpath -ldflags "-s -w" -o "$BIN/etcd.tmp" go.etcd.io/etcd/server/v3 >&2
    mv -f "$BIN/etcd.tmp" "$BIN/etcd"
    log "etcd built in $((SECONDS - t1)) s"
fi

# ------------------------------------------------------------------ the node agent's front
if [ ! -x "$BIN/kubelet-streaming-$SHIM_HASH" ]; then
    log "building kubelet-streaming ($SHIM_HASH)"
    t1=$SECONDS
    (cd "$SHIM_SRC" && go build -trimpath -ldflags "-s -w" -o "$BIN/kubelet-streaming.tmp" .) >&2
    mv -f "$BIN/kubelet-streaming.tmp" "$BIN/kubelet-streaming-$SHIM_HASH"
    ln -sfn "kubelet-streaming-$SHIM_HASH" "$BIN/kubelet-streaming"
    log "kubelet-streaming built in $((SECONDS - t1)) s"
fi

# ------------------------------------------------------------------ mc-router
if [ ! -x "$BIN/mc-router-$MC_ROUTER" ]; then
    log "building mc-router v$MC_ROUTER"
    D="$(cd "$OUT" && go mod download -json "github.com/itzg/mc-router@v$MC_ROUTER" \
        | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [ -d "$D" ] || die "mc-router v$MC_ROUTER did not download"
    t1=$SECONDS
    (cd "$D" && GOFLAGS="-mod=readonly -buildvcs=false" go build -trimpath \
        -ldflags "-s -w -X main.version=v$MC_ROUTER" -o "$BIN/mc-router.tmp" ./cmd/mc-router) >&2
    mv -f "$BIN/mc-router.tmp" "$BIN/mc-router-$MC_ROUTER"
    ln -sfn "mc-router-$MC_ROUTER" "$BIN/mc-router"
    log "mc-router built in $((SECONDS - t1)) s"
fi

have_all || die "the control plane is incomplete in $BIN"
log "ready in $((SECONDS - t0)) s: $("$BIN/kube-apiserver" --version), etcd $("$BIN/etcd" --version | awk 'NR==1{print $3}')"
echo "$BIN"
