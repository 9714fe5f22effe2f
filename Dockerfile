# The panel's image: the web app (Trunk, cargo, wasm-split, wasm-bindgen), the server built in release, and a small
# non-root runtime with the binary and dist/. Build: docker build -t mc-panel .
# (Not built on the development machines, which have no Docker engine; see the README.)

# ---- toolchain: Rust, and the web tools exactly as the scripts set them up (scripts/toolchain.sh:
# the wasm32 target, Trunk, wasm-bindgen at Cargo.lock's version, wasm-split-cli, and npm's
# binaryen 132: Debian bookworm's binaryen 108 writes wasm that Chromium refuses to run)
FROM rust:1-bookworm AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm brotli \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
ENV PANEL_CACHE=/opt/panel-tools PANEL_WASM_ROUTE=rustup
COPY Cargo.lock Trunk.toml ./
COPY scripts/toolchain.sh scripts/
RUN scripts/toolchain.sh

# ---- web app (dist/): the scripts' own build, split by route and compressed (scripts/web.sh)
FROM toolchain AS web
COPY . .
RUN . /opt/panel-tools/env.sh && scripts/web.sh

# ---- server
FROM toolchain AS server
COPY . .
RUN . /opt/panel-tools/env.sh && cargo build --release --locked -p server --bin panel \
 && cp "$CARGO_TARGET_DIR/release/panel" /src/panel

# ---- runtime
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/panel --create-home panel
COPY --from=server /src/panel /usr/local/bin/panel
COPY --from=web /src/dist /app/dist
USER 10001:10001
ENV PANEL_LISTEN=0.0.0.0:8080 \
    PANEL_DIST_DIR=/app/dist \
    PANEL_DATA_DIR=/var/lib/panel \
    PANEL_KUBE=kubeconfig \
    PANEL_LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/panel"]
CMD ["serve"]
