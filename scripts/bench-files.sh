#!/usr/bin/env bash
# File manager throughput (BENCHMARKS.md): list ENTRIES entries, read and write 4 MiB of text,
# upload and download UPLOAD_MIB MiB, against a release panel and fakekube on loopback; the
# panel's peak memory (VmHWM) before and after. Needs the system Postgres.
#   scripts/bench-files.sh [ENTRIES] [ROUNDS] [UPLOAD_MIB]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
toolchain
cd "$ROOT"
bench_stack files_load
export RUST_LOG=warn
bench_panel
mem() { grep -E 'VmRSS|VmHWM' "/proc/$PANEL_PID/status" | tr -s ' ' | tr '\n' ' '; }
echo "panel memory before: $(mem)"
PANEL_URL=http://127.0.0.1:8097 "$BIN/examples/files_load" "${1:-10000}" "${2:-10}" "${3:-200}"
echo "panel memory after: $(mem)"
