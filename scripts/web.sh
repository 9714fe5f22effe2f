#!/usr/bin/env bash
# Builds the browser app into dist/, split by route:
#   1. Trunk: index.html, the stylesheet and the icons (web/index.html names no Rust app);
#   2. cargo: the wasm with the `split` feature and the linker's relocations (--emit-relocs);
#   3. wasm-split-cli: the sign-in page's module and a chunk per page loaded on demand (and the
#      chunks pages share), with `__wasm_split.js` to fetch them;
#   4. wasm-bindgen on the main module (keeping the linker's exports, which the chunks import),
#      wasm-opt on every module;
#   5. all of it in dist/app-<content hash>/ (cached for ever by the panel), the loader written
#      into index.html, and every wasm, JS and CSS file compressed once (gzip and Brotli).
# Needs the tools of scripts/toolchain.sh on PATH (trunk, wasm-bindgen, wasm-split-cli,
# wasm-opt). Env: PANEL_TRUNK_ENV (extra environment for the wasm builds), CARGO_TARGET_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
DIST="$ROOT/dist"
log() { printf '\033[1;32m[web]\033[0m %s\n' "$*" >&2; }

cd "$ROOT"
log "Trunk: page, stylesheet, icons"
trunk build --offline --release >&2

log "cargo: the app's wasm (release, split feature)"
# shellcheck disable=SC2086
env ${PANEL_TRUNK_ENV:-} CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Clink-args=--emit-relocs" \
    cargo build --locked -p frontend --bin frontend --features split \
    --target wasm32-unknown-unknown --profile wasm-release >&2
RAW="$TARGET/wasm32-unknown-unknown/wasm-release/frontend.wasm"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
log "wasm-split-cli: one module per page"
wasm-split-cli "$RAW" "$WORK/split" --target web --out-name frontend >&2
wasm-bindgen --target web --keep-lld-exports --no-demangle --no-typescript \
    --out-name frontend --out-dir "$WORK/app" "$WORK/split/frontend.wasm"
cp "$WORK/split/__wasm_split.js" "$WORK/app/"
find "$WORK/split" -name '*.wasm' ! -name frontend.wasm -exec cp {} "$WORK/app/" \;
log "wasm-opt: $(find "$WORK/app" -name '*.wasm' | wc -l) modules"
find "$WORK/app" -name '*.wasm' -print0 | xargs -0 -P "$(nproc)" -I{} \
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
    --enable-sign-ext --enable-mutable-globals {} -o {}

HASH="$(cd "$WORK/app" && find . -type f | sort | xargs cat | sha256sum | cut -c1-16)"
rm -rf "$DIST"/app-*
mv "$WORK/app" "$DIST/app-$HASH"
chmod -R a+rX "$DIST/app-$HASH"
APP="/app-$HASH"
LOADER="<link rel=\"modulepreload\" href=\"$APP/frontend.js\" crossorigin=\"anonymous\">\
<link rel=\"preload\" href=\"$APP/frontend_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"anonymous\">\
<script type=\"module\">import init from \"$APP/frontend.js\"; await init({ module_or_path: \"$APP/frontend_bg.wasm\" });</script>"
[ "$(grep -c '</head>' "$DIST/index.html")" = 1 ] || { log "index.html: expected one </head>"; exit 1; }
sed -i "s#</head>#$LOADER</head>#" "$DIST/index.html"

log "compressing (gzip -9, Brotli 11)"
command -v brotli >/dev/null || { log "brotli is missing"; exit 1; }
find "$DIST" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) -print0 \
    | xargs -0 -P "$(nproc)" -I{} sh -c 'gzip -9 -k -f "$1" && brotli -q 11 -k -f "$1"' _ {}
log "dist/: $(du -sh "$DIST" | cut -f1); main module $(gzip -9 -c "$DIST$APP/frontend_bg.wasm" | wc -c) B gzip"
