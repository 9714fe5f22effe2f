#!/usr/bin/env bash
# Servers at scale (BENCHMARKS.md): COUNT servers in a fakekube run on its own, a release panel:
# the full resync at start, the panel's memory, Kubernetes API requests at rest, and the time a
# pod's status change takes to reach a page. Starts a private Postgres (or BENCH_ADMIN_URL).
#   scripts/bench-servers.sh [COUNT] [REST_SECONDS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
COUNT="${1:-500}"
REST="${2:-60}"
toolchain
cd "$ROOT"
bench_stack status_push
export RUST_LOG=warn,panel_core::reconcile=info
# COUNT stopped servers written straight to the database: the reconciler creates them at start.
psql -q "$DATABASE_URL" <<SQL
UPDATE users SET max_servers = $COUNT, max_memory_mib = 1000000, max_disk_gib = 1000000;
INSERT INTO servers (id, name, object_name, owner_id, template_id, plan_id, variables, desired)
SELECT id, 'bench-' || g, 'mc-' || replace(id::text, '-', ''), (SELECT id FROM users WHERE username = 'admin'),
       (SELECT id FROM templates WHERE slug = 'vanilla'), (SELECT id FROM plans WHERE slug = 'small'),
       '{}'::jsonb, 'stopped'
FROM (SELECT gen_random_uuid() AS id, g FROM generate_series(1, $COUNT) g) AS fresh;
SQL
bench_panel
for _ in $(seq 600); do grep -q '"reconciled"\|reconciled' "$WORK/panel.log" && break; sleep 0.5; done
echo "full resync at start: $(grep -m1 reconciled "$WORK/panel.log")"
if [ "${BENCH_CLUSTER:-fake}" = real ]; then
    # counted from the apiserver's audit log: every request of the panel's identity
    sleep 5
    n0=$(grep -c "\"username\":\"$REALKUBE_PANEL_USER\"" "$REALKUBE_AUDIT_LOG" || true)
    sleep "$REST"
    n1=$(grep -c "\"username\":\"$REALKUBE_PANEL_USER\"" "$REALKUBE_AUDIT_LOG" || true)
    echo "API requests at rest (audit log): $((n1 - n0)) in $REST s"
    python3 - "$REALKUBE_AUDIT_LOG" "$REALKUBE_PANEL_USER" <<'PY'
import collections, json, sys
c = collections.Counter()
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["user"]["username"] == sys.argv[2]:
        c[(e["verb"], e.get("objectRef", {}).get("resource", ""), e.get("responseStatus", {}).get("code"))] += 1
for k, v in sorted(c.items()):
    print(f"  {v:6d}  {k[0]} {k[1]} -> {k[2]}")
PY
    echo "panel memory at rest with $COUNT servers: $(grep -E 'VmRSS|VmHWM' /proc/$PANEL_PID/status | tr -s ' ' | tr '\n' ' ')"
    # the pod runs on realkube's node (fakekube's node agent); its status is patched as admin
    PANEL_URL=http://127.0.0.1:8097 BENCH_KUBECONFIG="$REALKUBE_ADMIN_KUBECONFIG" \
        BENCH_NAMESPACE="$PANEL_NAMESPACE" "$BIN/examples/status_push" 20 bench-1
    exit 0
fi
echo "StatefulSets in the cluster: $(curl -s http://127.0.0.1:16443/apis/apps/v1/namespaces/games/statefulsets | grep -o '"name":"mc-[0-9a-f]*"' | sort -u | wc -l)"
sleep 5
r0=$(curl -s http://127.0.0.1:16443/fakekube/requests)
sleep "$REST"
r1=$(curl -s http://127.0.0.1:16443/fakekube/requests)
python3 - "$r0" "$r1" "$REST" <<'PY'
import json, sys
a, b, secs = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
d = {k: v - a["by_path"].get(k, 0) for k, v in b["by_path"].items() if v - a["by_path"].get(k, 0)}
print(f"API requests at rest: {sum(d.values())} in {secs} s ({sum(d.values()) * 60 / secs:.1f}/min)")
for k, v in sorted(d.items()):
    print(f"  {v:5d}  {k}")
PY
echo "panel memory at rest with $COUNT servers: $(grep -E 'VmRSS|VmHWM' /proc/$PANEL_PID/status | tr -s ' ' | tr '\n' ' ')"
PANEL_URL=http://127.0.0.1:8097 KUBE_URL=http://127.0.0.1:16443 "$BIN/examples/status_push" 20 bench-1
echo "panel memory after: $(grep -E 'VmRSS|VmHWM' /proc/$PANEL_PID/status | tr -s ' ' | tr '\n' ' ')"
