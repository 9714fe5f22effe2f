# The panel's image: the web app (Trunk, cargo, wasm-split, wasm-bindgen), the server built in release, and a small
# non-root runtime with the binary and dist/. Build: docker build -t mc-panel .
# (Not built on the development machines, which have no Docker engine; see the README.)

# ---- toolchain: Rust with the wasm32 target, Trunk, wasm-bindgen and binaryen
FROM rust:1-bookworm AS toolchain
RUN rustup target add wasm32-unknown-unknown \
 && apt-get update \
 && apt-get install -y --no-install-recommends binaryen brotli \
 && rm -rf /var/lib/apt/lists/*
# Trunk, wasm-bindgen and the wasm splitter at the versions the lock file, Trunk.toml and
# scripts/toolchain.sh pin
RUN cargo install --locked trunk@0.22.1 \
 && cargo install --locked wasm-bindgen-cli@0.2.130 \
 && cargo install --locked wasm_split_cli_support@0.2.4 --features build-binary
WORKDIR /src

# ---- web app (dist/)
FROM toolchain AS web
COPY . .
# split by route: the sign-in page's module, the other pages' chunks, compressed (scripts/web.sh)
RUN scripts/web.sh

# ---- server
FROM toolchain AS server
COPY . .
RUN cargo build --release --locked -p server --bin panel

# ---- runtime
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/panel --create-home panel
COPY --from=server /src/target/release/panel /usr/local/bin/panel
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
