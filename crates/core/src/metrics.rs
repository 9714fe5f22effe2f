//! Prometheus metrics (`GET /metrics`, text exposition format): HTTP requests by route and
//! status with latency histograms, the database pool, sessions, sockets and console upstreams,
//! server creations, deletions and power actions, and reconcile runs. Kept in an explicit
//! registry in [`crate::AppState`]; gauges are read when scraped.

use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// An HTTP request's labels.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The route template (`/api/server_power`, `/api/servers/{id}/console`, `static`).
    pub route: String,
    /// The method.
    pub method: String,
    /// The status code.
    pub status: u16,
}

/// A route's labels (for latency).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// The route template.
    pub route: String,
}

/// A power action's labels.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ActionLabels {
    /// start, stop, restart, kill.
    pub action: String,
}

/// A Server List Ping's labels.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PingLabels {
    /// `answered` or `silent` (refused, timed out, not a status answer).
    pub result: String,
}

/// A schedule run's labels.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ScheduleRunLabels {
    /// What started it: `cron`, `now`, `crash`, `idle`, `console`.
    pub cause: String,
    /// `done`, `failed` or `skipped`.
    pub outcome: String,
}

/// An outcome's labels.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    /// How it ended.
    pub outcome: String,
}

/// A state's labels (servers by state).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StateLabels {
    /// The status (running, stopped...).
    pub status: String,
}

type FloatGauge = Gauge<f64, AtomicU64>;

/// Every metric of the panel.
pub struct Metrics {
    registry: Registry,
    /// HTTP requests by route, method and status.
    pub requests: Family<RequestLabels, Counter>,
    /// HTTP request latency by route.
    pub latency: Family<RouteLabels, Histogram>,
    /// Servers created.
    pub servers_created: Counter,
    /// Servers deleted.
    pub servers_deleted: Counter,
    /// Sleeping servers a player woke through the router.
    pub servers_woken: Counter,
    /// Servers the panel stopped because nobody played on them.
    pub servers_idle_stopped: Counter,
    /// Power actions by action.
    pub power: Family<ActionLabels, Counter>,
    /// Backups made.
    pub backups_done: Counter,
    /// Backups that failed.
    pub backups_failed: Counter,
    /// How long a backup takes (made ones).
    pub backup_seconds: Histogram,
    /// Bytes backups added to the repositories.
    pub backup_added_bytes: Counter,
    /// Schedule runs by cause and outcome.
    pub schedule_runs: Family<ScheduleRunLabels, Counter>,
    /// Webhook delivery tries by outcome.
    pub webhook_deliveries: Family<OutcomeLabels, Counter>,
    /// How long a schedule's run takes (its tasks and their offsets).
    pub schedule_run_seconds: Histogram,
    /// Reconcile runs.
    pub reconcile_runs: Counter,
    /// Reconcile runs that failed.
    pub reconcile_errors: Counter,
    /// Reconcile durations.
    pub reconcile_seconds: Histogram,
    /// Pod watch failures (each restarts the watch).
    pub watch_restarts: Counter,
    /// Server List Pings by result.
    pub pings: Family<PingLabels, Counter>,
    pool_size: Gauge,
    pool_max: Gauge,
    pool_idle: Gauge,
    pool_waiting: Gauge,
    sessions: Gauge,
    sockets: Gauge,
    upstreams: Gauge,
    servers: Family<StateLabels, Gauge>,
    up_seconds: FloatGauge,
    started: std::time::Instant,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A registry with every metric registered.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("panel");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route, method and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([
                0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ])
        });
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route (websockets: until the upgrade)",
            latency.clone(),
        );
        let servers_created = Counter::default();
        registry.register(
            "servers_created",
            "Servers created",
            servers_created.clone(),
        );
        let servers_woken = Counter::default();
        registry.register(
            "servers_woken",
            "Sleeping servers a player woke through the router",
            servers_woken.clone(),
        );
        let servers_idle_stopped = Counter::default();
        registry.register(
            "servers_idle_stopped",
            "Servers the panel stopped because nobody played on them",
            servers_idle_stopped.clone(),
        );
        let servers_deleted = Counter::default();
        registry.register(
            "servers_deleted",
            "Servers deleted",
            servers_deleted.clone(),
        );
        let power = Family::<ActionLabels, Counter>::default();
        registry.register("power_actions", "Power actions by action", power.clone());
        let reconcile_runs = Counter::default();
        registry.register(
            "reconcile_runs",
            "Full reconciliations run",
            reconcile_runs.clone(),
        );
        let reconcile_errors = Counter::default();
        registry.register(
            "reconcile_errors",
            "Full reconciliations that failed",
            reconcile_errors.clone(),
        );
        let backups_done = Counter::default();
        registry.register("backups_done", "Backups made", backups_done.clone());
        let backups_failed = Counter::default();
        registry.register(
            "backups_failed",
            "Backups that failed",
            backups_failed.clone(),
        );
        let backup_seconds = Histogram::new([
            1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
        ]);
        registry.register(
            "backup_duration_seconds",
            "How long a backup takes, saving off to done",
            backup_seconds.clone(),
        );
        let schedule_runs = Family::<ScheduleRunLabels, Counter>::default();
        registry.register(
            "schedule_runs",
            "Schedule runs by cause (cron, now, crash, idle, console) and outcome (done, failed, skipped)",
            schedule_runs.clone(),
        );
        let webhook_deliveries = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "webhook_deliveries",
            "Webhook delivery tries by outcome (delivered, pending: to be tried again, failed: given up)",
            webhook_deliveries.clone(),
        );
        let schedule_run_seconds =
            Histogram::new([1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0]);
        registry.register(
            "schedule_run_duration_seconds",
            "How long a schedule's run takes, its tasks and offsets included",
            schedule_run_seconds.clone(),
        );
        let backup_added_bytes = Counter::default();
        registry.register(
            "backup_added_bytes",
            "Bytes backups added to the repositories (after deduplication)",
            backup_added_bytes.clone(),
        );
        let reconcile_seconds =
            Histogram::new([0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0]);
        registry.register(
            "reconcile_duration_seconds",
            "How long a full reconciliation takes",
            reconcile_seconds.clone(),
        );
        let watch_restarts = Counter::default();
        registry.register(
            "pod_watch_restarts",
            "Pod watch failures, each followed by a restart with back-off",
            watch_restarts.clone(),
        );
        let pings = Family::<PingLabels, Counter>::default();
        registry.register(
            "server_list_pings",
            "Server List Pings of running servers, by result (answered, silent)",
            pings.clone(),
        );
        let gauge = |registry: &mut Registry, name: &str, help: &str| {
            let g = Gauge::default();
            registry.register(name, help, g.clone());
            g
        };
        let pool_size = gauge(
            &mut registry,
            "db_pool_connections",
            "Database connections open",
        );
        let pool_max = gauge(
            &mut registry,
            "db_pool_max_connections",
            "Database connections allowed",
        );
        let pool_idle = gauge(
            &mut registry,
            "db_pool_idle_connections",
            "Database connections open and idle",
        );
        let pool_waiting = gauge(
            &mut registry,
            "db_pool_waiting",
            "Callers waiting for a database connection",
        );
        let sessions = gauge(
            &mut registry,
            "sessions_active",
            "Signed-in sessions not expired or revoked",
        );
        let sockets = gauge(
            &mut registry,
            "websockets_open",
            "Open websockets (consoles and event streams)",
        );
        let upstreams = gauge(
            &mut registry,
            "console_upstreams",
            "Pod log streams followed (one per watched server)",
        );
        let servers = Family::<StateLabels, Gauge>::default();
        registry.register("servers", "Servers by status", servers.clone());
        let up_seconds = FloatGauge::default();
        registry.register(
            "uptime_seconds",
            "Seconds since the panel started",
            up_seconds.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            servers_created,
            servers_deleted,
            servers_woken,
            servers_idle_stopped,
            power,
            backups_done,
            backups_failed,
            backup_seconds,
            backup_added_bytes,
            schedule_runs,
            webhook_deliveries,
            schedule_run_seconds,
            reconcile_runs,
            reconcile_errors,
            reconcile_seconds,
            watch_restarts,
            pings,
            pool_size,
            pool_max,
            pool_idle,
            pool_waiting,
            sessions,
            sockets,
            upstreams,
            servers,
            up_seconds,
            started: std::time::Instant::now(),
        }
    }

    /// Records one HTTP request.
    pub fn request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_string(),
                method: method.to_string(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_string(),
            })
            .observe(seconds);
    }

    /// Counts a Server List Ping.
    pub fn ping(&self, answered: bool) {
        self.pings
            .get_or_create(&PingLabels {
                result: if answered { "answered" } else { "silent" }.into(),
            })
            .inc();
    }

    /// Counts a backup made in `took`, which added `added` bytes.
    pub fn backup_done(&self, took: std::time::Duration, added: u64) {
        self.backups_done.inc();
        self.backup_seconds.observe(took.as_secs_f64());
        self.backup_added_bytes.inc_by(added);
    }

    /// Counts a schedule run started by `cause` that ended as `outcome` (after `took`, for a
    /// run that ran).
    pub fn schedule_run(&self, cause: &str, outcome: &str, took: Option<std::time::Duration>) {
        self.schedule_runs
            .get_or_create(&ScheduleRunLabels {
                cause: cause.into(),
                outcome: outcome.into(),
            })
            .inc();
        if let Some(t) = took {
            self.schedule_run_seconds.observe(t.as_secs_f64());
        }
    }

    /// Counts a webhook delivery's try by how it ended.
    pub fn webhook_delivery(&self, outcome: &str) {
        self.webhook_deliveries
            .get_or_create(&OutcomeLabels {
                outcome: outcome.into(),
            })
            .inc();
    }

    /// Counts a failed backup.
    pub fn backup_failed(&self) {
        self.backups_failed.inc();
    }

    /// Counts a power action.
    pub fn power_action(&self, action: &str) {
        self.power
            .get_or_create(&ActionLabels {
                action: action.to_string(),
            })
            .inc();
    }
}

/// Reads the gauges and renders every metric in the text exposition format.
pub async fn render(state: &crate::AppState) -> String {
    let m = &state.metrics;
    let pool = db::pool_status(&state.pool);
    m.pool_size.set(pool.size as i64);
    m.pool_max.set(pool.max_size as i64);
    m.pool_idle.set(pool.available as i64);
    m.pool_waiting.set(pool.waiting as i64);
    m.sockets.set(state.live.sockets().len() as i64);
    m.upstreams.set(state.live.upstreams() as i64);
    m.up_seconds.set(m.started.elapsed().as_secs_f64());
    if let Ok(mut c) = crate::conn(state).await {
        if let Ok(n) = db::Session::count_active(&mut c).await {
            m.sessions.set(n);
        }
        if let Ok(rows) = db::Server::count_by_status(&mut c).await {
            m.servers.clear();
            for (status, n) in rows {
                m.servers
                    .get_or_create(&StateLabels {
                        status: status.as_str().into(),
                    })
                    .set(n);
            }
        }
    }
    let mut out = String::new();
    if prometheus_client::encoding::text::encode(&mut out, &m.registry).is_err() {
        tracing::error!("could not encode the metrics");
    }
    prometheus_text(&out)
}

/// The encoder writes OpenMetrics; Prometheus' own text format (which `promtool` checks and
/// every scraper reads) names a counter family after its `_total` samples and has no `# EOF`
/// or `# UNIT` lines.
pub fn prometheus_text(openmetrics: &str) -> String {
    let counters: std::collections::HashSet<&str> = openmetrics
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.strip_suffix(" counter"))
        .collect();
    let mut out = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        let renamed = ["# HELP ", "# TYPE "].iter().find_map(|p| {
            let rest = line.strip_prefix(p)?;
            let (name, tail) = rest.split_once(' ')?;
            counters
                .contains(name)
                .then(|| format!("{p}{name}_total {tail}"))
        });
        out.push_str(renamed.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_named_after_their_samples() {
        let om = "# HELP panel_runs Runs.\n# TYPE panel_runs counter\npanel_runs_total 3\n# HELP panel_up Up.\n# TYPE panel_up gauge\n# UNIT panel_up seconds\npanel_up 1\n# EOF\n";
        assert_eq!(
            prometheus_text(om),
            "# HELP panel_runs_total Runs.\n# TYPE panel_runs_total counter\npanel_runs_total 3\n# HELP panel_up Up.\n# TYPE panel_up gauge\npanel_up 1\n"
        );
    }

    #[test]
    fn requests_are_counted_by_route_and_status() {
        let m = Metrics::new();
        m.request("/api/servers", "POST", 200, 0.003);
        m.request("/api/servers", "POST", 200, 0.004);
        m.request("/api/servers", "POST", 401, 0.001);
        m.power_action("start");
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &m.registry).unwrap();
        assert!(
            out.contains(
                "panel_http_requests_total{route=\"/api/servers\",method=\"POST\",status=\"200\"} 2"
            ),
            "{out}"
        );
        assert!(out.contains("panel_power_actions_total{action=\"start\"} 1"));
        assert!(
            out.contains(
                "panel_http_request_duration_seconds_bucket{le=\"0.005\",route=\"/api/servers\"} 3"
            ),
            "{out}"
        );
    }
}
