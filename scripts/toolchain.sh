#!/usr/bin/env bash
# Sets up the build tools into a cache outside the clone, skipping whatever is already there,
# and writes "$PANEL_CACHE/env.sh" for the other scripts to source:
#   - the wasm32 target: `rustup target add` (with a timeout), or else Debian's rustc-web with
#     its std source (std is then rebuilt for wasm32 with -Zbuild-std);
#   - wasm-bindgen CLI at exactly the version in Cargo.lock;
#   - Trunk; wasm-opt (npm's binaryen: Debian's older binaryen emits wasm Chromium rejects);
#   - wasm-split-cli (crate wasm_split_cli_support), which cuts the app's wasm into the
#     sign-in page's module and the other pages' chunks, loaded on demand.
# Everything comes from crates.io, npm or Debian's archive; nothing else is downloaded.
#
# Env: PANEL_CACHE (default ~/.cache/mc-panel), PANEL_WASM_ROUTE=auto|rustup|debian.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${PANEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mc-panel}"
TOOLS="$CACHE/tools"
ROUTE="${PANEL_WASM_ROUTE:-auto}"
TRUNK_VERSION=0.22.1
TRUNK_FALLBACK_VERSION=0.21.14   # builds with an older stable rustc
BINARYEN_VERSION=132.0.0
WASM_SPLIT_VERSION=0.2.4         # 0.2.3 or later: earlier ones break with wasm-bindgen >= 0.2.128
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' "$ROOT/Cargo.lock")"

log() { printf '\033[1;34m[toolchain]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[toolchain]\033[0m %s\n' "$*" >&2; exit 1; }
mkdir -p "$TOOLS"
[ -n "$WASM_BINDGEN_VERSION" ] || die "no wasm-bindgen in Cargo.lock"
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
export PATH="$HOME/.cargo/bin:$PATH"

# ------------------------------------------------------------------ system packages
apt_install() {   # installs Debian packages that are missing (root only; otherwise says what to do)
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ]; then die "please install: ${missing[*]} (apt-get install ${missing[*]})"; fi
    log "apt-get install ${missing[*]}"
    if [ -z "$(find /var/lib/apt/lists -name '*Packages*' -newermt '-1 day' 2>/dev/null | head -1)" ]; then
        apt-get update -q >&2
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}
if command -v apt-get >/dev/null; then
    command -v npm >/dev/null || apt_install nodejs npm
    command -v cc >/dev/null || apt_install build-essential
    command -v pkg-config >/dev/null || apt_install pkg-config
fi
command -v npm >/dev/null || die "npm not found: install Node.js"

# ------------------------------------------------------------------ wasm32 target
ENV_LINES=()
has_rustup_wasm() { rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; }
if [ "$ROUTE" = auto ] || [ "$ROUTE" = rustup ]; then
    if has_rustup_wasm; then
        ROUTE=rustup
    elif command -v rustup >/dev/null && timeout 120 rustup target add wasm32-unknown-unknown >&2; then
        ROUTE=rustup
    elif [ "$ROUTE" = rustup ]; then
        die "rustup target add wasm32-unknown-unknown failed"
    else
        log "rustup cannot add wasm32 here; using Debian's rustc-web and rebuilding std for wasm32"
        ROUTE=debian
    fi
fi

if [ "$ROUTE" = debian ]; then
    # Debian bookworm-security ships rustc-web with its std source; unpack it (no install:
    # it conflicts with rustup) and build std for wasm32 from source.
    RW="$TOOLS/rustc-web"
    mkdir -p "$RW"
    command -v apt-get >/dev/null || die "the Debian route needs apt-get"
    apt-cache show rustc-web >/dev/null 2>&1 || { log "apt-get update"; apt-get update -q >&2; }
    # (no early-exiting readers in these pipes: with pipefail, a SIGPIPE upstream would fail them)
    field() { apt-cache show --no-all-versions "$1" | awk -v f="$2:" '$1==f && !d {sub(/^[^:]*: /,""); print; d=1}'; }
    first() { awk -v re="$1" '!d && match($0, re) {print substr($0, RSTART, RLENGTH); d=1}'; }
    RUST_VER="$(field rustc-web Version)"
    STD_PKG="$(field libstd-rust-web-dev Depends | first 'libstd-rust-web-[0-9.]+')"
    LLVM_MAJ="$(field rust-web-llvm Depends | first 'llvm-[0-9]+' | cut -d- -f2)"
    if [ "$(cat "$RW/.stamp" 2>/dev/null)" != "$RUST_VER llvm$LLVM_MAJ" ]; then
        log "downloading rustc-web $RUST_VER (LLVM $LLVM_MAJ) from Debian"
        rm -rf "$RW/debs" "$RW/root"; mkdir -p "$RW/debs" "$RW/root"
        (cd "$RW/debs" && apt-get download rustc-web "$STD_PKG" libstd-rust-web-dev rust-web-src \
            rust-web-llvm "libllvm$LLVM_MAJ" "lld-$LLVM_MAJ" >&2)
        for f in "$RW"/debs/*.deb; do dpkg -x "$f" "$RW/root"; done
        echo "$RUST_VER llvm$LLVM_MAJ" > "$RW/.stamp"
    fi
    mkdir -p "$RW/bin"
    cat > "$RW/bin/rustc-web.new" <<WRAP
#!/bin/sh
export LD_LIBRARY_PATH="$RW/root/usr/lib/x86_64-linux-gnu:$RW/root/usr/lib/llvm-$LLVM_MAJ/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export PATH="$RW/bin:\$PATH"
exec "$RW/root/usr/bin/rustc" "\$@"
WRAP
    chmod +x "$RW/bin/rustc-web.new"
    if cmp -s "$RW/bin/rustc-web.new" "$RW/bin/rustc-web"; then rm "$RW/bin/rustc-web.new"
    else mv -f "$RW/bin/rustc-web.new" "$RW/bin/rustc-web"; fi
    ln -sfn "$RW/root/usr/lib/llvm-$LLVM_MAJ/bin/lld" "$RW/bin/rust-lld"
    "$RW/bin/rustc-web" -V >&2
    # std's own dependencies, so that the offline (Trunk) build of std for wasm32 finds them
    RUSTC="$RW/bin/rustc-web" RUSTC_BOOTSTRAP=1 cargo fetch -q \
        --manifest-path "$RW/root/usr/lib/rustlib/src/rust/library/Cargo.toml" >&2
    # One compiler for host and wasm builds, so they share the target folder.
    ENV_LINES+=("export RUSTC=\"$RW/bin/rustc-web\"" "export RUSTC_BOOTSTRAP=1"
                "export PANEL_TRUNK_ENV=\"CARGO_UNSTABLE_BUILD_STD=std,panic_abort\"")
fi

# ------------------------------------------------------------------ cargo-installed tools
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }
cargo_tool() {   # crate version binary [toolchain] [features]
    local crate="$1" ver="$2" bin="$3" tc="${4:-}" features="${5:-}" dir="$TOOLS/$1-$2"
    if [ -x "$dir/bin/$bin" ]; then echo "$dir/bin"; return; fi
    log "building $crate $ver (once; cached in $dir)"
    local t0=$SECONDS
    local extra=()
    [ -n "$features" ] && extra=(--features "$features")
    # shellcheck disable=SC2086
    if ! env -u RUSTC -u RUSTC_BOOTSTRAP cargo $tc install "$crate" --version "$ver" --locked \
            "${extra[@]}" --root "$dir" --target-dir "$CACHE/build/$crate" >&2; then
        log "--locked failed (a pinned dependency may be missing); retrying without it"
        env -u RUSTC -u RUSTC_BOOTSTRAP cargo $tc install "$crate" --version "$ver" \
            "${extra[@]}" --root "$dir" --target-dir "$CACHE/build/$crate" >&2
    fi
    log "$crate $ver built in $((SECONDS - t0)) s"
    rm -rf "$CACHE/build/$crate"
    echo "$dir/bin"
}

BINDGEN_BIN="$(cargo_tool wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen)"
SPLIT_BIN="$(cargo_tool wasm_split_cli_support "$WASM_SPLIT_VERSION" wasm-split-cli "" build-binary)"

# Trunk 0.22 needs rustc >= 1.96.1: use stable if it is new enough, else an installed nightly,
# else the previous Trunk release.
rustc_version() { rustc ${1:-} -V 2>/dev/null | awk '{print $2}' | sed 's/-.*//'; }
if version_ge "$(rustc_version +stable)" 1.96.1; then
    TRUNK_BIN="$(cargo_tool trunk "$TRUNK_VERSION" trunk +stable)"
elif version_ge "$(rustc_version +nightly)" 1.96.1; then
    TRUNK_BIN="$(cargo_tool trunk "$TRUNK_VERSION" trunk +nightly)"
else
    TRUNK_BIN="$(cargo_tool trunk "$TRUNK_FALLBACK_VERSION" trunk)"
fi

# ------------------------------------------------------------------ wasm-opt (npm binaryen)
BINARYEN="$TOOLS/binaryen-$BINARYEN_VERSION"
if [ ! -x "$BINARYEN/node_modules/binaryen/bin/wasm-opt" ]; then
    log "npm install binaryen@$BINARYEN_VERSION"
    mkdir -p "$BINARYEN"
    npm install --prefix "$BINARYEN" --no-audit --no-fund --no-save "binaryen@$BINARYEN_VERSION" >&2
fi
mkdir -p "$TOOLS/bin"
ln -sfn "$BINARYEN/node_modules/binaryen/bin/wasm-opt" "$TOOLS/bin/wasm-opt"

# ------------------------------------------------------------------ env.sh
ENV_LINES+=(
    "export PATH=\"$BINDGEN_BIN:$SPLIT_BIN:$TRUNK_BIN:$TOOLS/bin:$HOME/.cargo/bin:\$PATH\""
    "export CARGO_TARGET_DIR=\"\${CARGO_TARGET_DIR:-$CACHE/target}\""
    "export PANEL_WASM_ROUTE=$ROUTE"
)
printf '%s\n' "${ENV_LINES[@]}" > "$CACHE/env.sh.new" && mv -f "$CACHE/env.sh.new" "$CACHE/env.sh"
log "ready ($ROUTE route): wasm-bindgen $WASM_BINDGEN_VERSION, $("$TRUNK_BIN/trunk" --version), wasm-opt $BINARYEN_VERSION, wasm-split-cli $WASM_SPLIT_VERSION"
