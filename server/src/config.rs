//! Configuration from flags and environment variables (`clap`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Kubernetes-native control panel for Minecraft servers.
#[derive(Debug, Parser)]
#[command(name = "panel", version, about)]
pub struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub config: Config,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where `/metrics` is served: an address, or nowhere (`off`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricsListen(pub Option<SocketAddr>);

impl std::str::FromStr for MetricsListen {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().eq_ignore_ascii_case("off") {
            return Ok(MetricsListen(None));
        }
        s.trim()
            .parse()
            .map(|a| MetricsListen(Some(a)))
            .map_err(|_| format!("`{s}` is neither an address (127.0.0.1:9464) nor `off`"))
    }
}

/// The commands of the binary.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the panel (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the first-run setup code (derived from the panel's secret key).
    SetupCode,
    /// Administration from the command line.
    Admin {
        /// The admin action.
        #[command(subcommand)]
        action: AdminCommand,
    },
}

/// Administration commands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an administrator (the password is read from standard input).
    Create {
        /// The new administrator's username.
        #[arg(long)]
        username: String,
        /// Create a plain user instead (someone servers can be shared with).
        #[arg(long)]
        plain: bool,
    },
}

/// Log output format.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line (production).
    Json,
}

/// Settings of the panel.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(
        long,
        env = "PANEL_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,

    /// Address of the metrics listener (`/metrics`, never on the public port), or `off`.
    #[arg(
        long,
        env = "PANEL_METRICS_LISTEN",
        default_value = "127.0.0.1:9464",
        global = true
    )]
    pub metrics_listen: MetricsListen,

    /// Postgres URL. Unset: a private Postgres is started under the data folder.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Size of the database connection pool.
    #[arg(long, env = "PANEL_DB_POOL", default_value_t = 16, global = true)]
    pub db_pool_size: usize,

    /// Folder of the panel's own files (private Postgres, generated secret).
    #[arg(long, env = "PANEL_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Folder of the built web app (Trunk's dist/).
    #[arg(long, env = "PANEL_DIST_DIR", default_value = "dist", global = true)]
    pub dist_dir: PathBuf,

    /// Secret that signs session tokens (at least 32 bytes). Unset: one is generated and kept
    /// in the data folder. Set it, the same on every replica, when running several.
    #[arg(long, env = "PANEL_SECRET", global = true, hide_env_values = true)]
    pub secret: Option<String>,

    /// Log format.
    #[arg(
        long,
        env = "PANEL_LOG_FORMAT",
        value_enum,
        default_value = "pretty",
        global = true
    )]
    pub log_format: LogFormat,

    /// Mark cookies `Secure` (set when the panel is served over HTTPS).
    #[arg(
        long,
        env = "PANEL_SECURE_COOKIES",
        default_value_t = false,
        global = true
    )]
    pub secure_cookies: bool,

    /// Public origin of the panel (e.g. https://panel.example.com); cross-site checks compare
    /// the browser's Origin with it. Unset: compared with the request's Host.
    #[arg(long, env = "PANEL_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Which proxies may name the client in X-Forwarded-For: `false` (none), `true` (one), a
    /// number of proxies in a row, or their addresses and ranges (`10.0.0.0/8,fd00::/8`).
    #[arg(
        long,
        env = "PANEL_TRUST_PROXY",
        default_value = "false",
        global = true
    )]
    pub trust_proxy: panel_core::client_addr::TrustProxy,

    /// Days a kept world lasts before the panel deletes it for good (0: until its owner does).
    #[arg(
        long,
        env = "PANEL_KEPT_WORLD_DAYS",
        default_value_t = 0,
        global = true
    )]
    pub kept_world_days: u32,

    /// Archives packed to .zip or unpacked at once over the panel (one per user): each may use
    /// twice the upload limit of temporary space.
    #[arg(long, env = "PANEL_ARCHIVE_JOBS", default_value_t = 2,
          value_parser = clap::value_parser!(u16).range(1..=64), global = true)]
    pub archive_jobs: u16,

    /// bcrypt cost of new password hashes (12 to 31).
    #[arg(long, env = "PANEL_BCRYPT_COST", default_value_t = 12,
          value_parser = clap::value_parser!(u32).range(12..=31), global = true)]
    pub bcrypt_cost: u32,

    /// Hours a session lasts at most after sign-in.
    #[arg(long, env = "PANEL_SESSION_HOURS", default_value_t = 24 * 14, global = true)]
    pub session_hours: i64,

    /// Failed sign-ins per account within 15 minutes before further attempts are refused.
    #[arg(
        long,
        env = "PANEL_LOGIN_MAX_FAILURES_PER_USER",
        default_value_t = 5,
        global = true
    )]
    pub login_max_failures_per_user: i64,

    /// Failed sign-ins per client address within 15 minutes before further attempts are refused.
    #[arg(
        long,
        env = "PANEL_LOGIN_MAX_FAILURES_PER_IP",
        default_value_t = 20,
        global = true
    )]
    pub login_max_failures_per_ip: i64,

    /// Which Kubernetes to use: `auto` (in-cluster or a kubeconfig when there is one, else the
    /// sandbox), `sandbox` (an embedded fakekube), `kubeconfig` (in-cluster or KUBECONFIG).
    #[arg(
        long,
        env = "PANEL_KUBE",
        value_enum,
        default_value = "auto",
        global = true
    )]
    pub kube: KubeMode,

    /// Talk to the API server at this URL without credentials (a fakekube run on its own).
    #[arg(long, env = "PANEL_KUBE_URL", global = true)]
    pub kube_url: Option<String>,

    /// The namespace of the game servers.
    #[arg(long, env = "PANEL_NAMESPACE", default_value = "games", global = true)]
    pub namespace: String,

    /// The StorageClass of new servers' worlds (default: the cluster's default class). Where no
    /// class is the default (EKS 1.30 and later), claims without one stay Pending.
    #[arg(long, env = "PANEL_STORAGE_CLASS", global = true)]
    pub storage_class: Option<String>,

    /// Whether that class lets volumes grow (`allowVolumeExpansion`): when false, a plan with a
    /// larger disk is refused before anything changes (k3s' and kind's local-path cannot grow).
    #[arg(
        long,
        env = "PANEL_STORAGE_GROWS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub storage_grows: bool,

    /// How players reach the game servers: `nodeport` (a port of PANEL_NODE_PORTS on every
    /// node, shown with PANEL_PUBLIC_HOST), `loadbalancer` (one per server, at the address the
    /// cluster gives it) or `clusterip` (inside the cluster only, behind a proxy of your own).
    #[arg(
        long,
        env = "PANEL_EXPOSE",
        value_enum,
        default_value = "nodeport",
        global = true
    )]
    pub expose: ExposeMode,

    /// The node ports game servers get in `nodeport` exposure, `first-last`: inside the
    /// cluster's service-node-port-range (30000-32767 by default) and kept free of other
    /// Services.
    #[arg(long, env = "PANEL_NODE_PORTS", default_value = "30000-32767",
          value_parser = parse_port_range, global = true)]
    pub node_ports: (u16, u16),

    /// The address players type for a node port: a node's public address, or a DNS name that
    /// reaches the nodes. The sandbox uses 127.0.0.1 when it is not set.
    #[arg(long, env = "PANEL_PUBLIC_HOST", value_parser = parse_public_host, global = true)]
    pub public_host: Option<String>,

    /// The domain servers are named under in `hostname` mode: players join
    /// `<server name>.<domain>` through mc-router (a wildcard record `*.<domain>` points at it).
    #[arg(long, env = "PANEL_DOMAIN", value_parser = parse_domain, global = true)]
    pub domain: Option<String>,

    /// In `hostname` mode, a player joining a stopped server wakes it: mc-router scales it up
    /// (it needs the chart's `router.wakeOnJoin`) and the panel takes that as a start.
    #[arg(long, env = "PANEL_WAKE_ON_JOIN", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub wake_on_join: bool,

    /// The port players join mc-router on in `hostname` mode (25565 is left out of the address).
    #[arg(long, env = "PANEL_ROUTER_PORT", default_value_t = 25565, value_parser = clap::value_parser!(u16).range(1..), global = true)]
    pub router_port: u16,

    /// Where backups go: the root of the servers' restic repositories (each server's is
    /// `<it>/<object name>`), e.g. `s3:https://s3.example.org/bucket/panel` or a path the job
    /// pods see. Unset: backups are off (in the sandbox: `<data dir>/backups`).
    #[arg(long, env = "PANEL_BACKUP_REPOSITORY", global = true)]
    pub backup_repository: Option<String>,

    /// The Secret in the game-servers namespace the backup jobs take `RESTIC_PASSWORD` and the
    /// store's credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`) from; the panel never
    /// reads it.
    #[arg(
        long,
        env = "PANEL_BACKUP_SECRET",
        default_value = "panel-backups",
        global = true
    )]
    pub backup_secret: String,

    /// A PersistentVolumeClaim in the game-servers namespace holding the repositories, for
    /// clusters without object storage: every backup job mounts it at `PANEL_BACKUP_REPOSITORY`,
    /// which must then be a path (`/backups`). ReadWriteMany unless the cluster has one node (a
    /// job runs on its server's node).
    #[arg(long, env = "PANEL_BACKUP_CLAIM", global = true)]
    pub backup_claim: Option<String>,

    /// The image of the maintenance pod that holds a stopped server's world for the file
    /// manager (the busybox tools).
    #[arg(
        long,
        env = "PANEL_MAINTENANCE_IMAGE",
        default_value = "busybox:1.36",
        global = true
    )]
    pub maintenance_image: String,

    /// Seconds a stopped server's maintenance pod lives without a file operation (1 to
    /// 86 400); each operation starts the count again.
    #[arg(
        long,
        env = "PANEL_MAINTENANCE_IDLE_SECS",
        default_value_t = 900,
        value_parser = clap::value_parser!(u32).range(1..=86_400),
        global = true
    )]
    pub maintenance_idle_secs: u32,

    /// Modrinth's API, for mods and plugins (a mirror, or a recorded one in tests).
    #[arg(
        long,
        env = "PANEL_MODRINTH_URL",
        default_value = "https://api.modrinth.com",
        global = true
    )]
    pub modrinth_url: String,

    /// The Spiget API, for SpigotMC's plugins (a mirror, or a recorded one in tests).
    #[arg(
        long,
        env = "PANEL_SPIGET_URL",
        default_value = "https://api.spiget.org",
        global = true
    )]
    pub spiget_url: String,

    /// CurseForge's API, for its mods and Bukkit plugins (a mirror, or a recorded one in tests).
    #[arg(
        long,
        env = "PANEL_CURSEFORGE_URL",
        default_value = "https://api.curseforge.com",
        global = true
    )]
    pub curseforge_url: String,

    /// The operator's CurseForge API key (console.curseforge.com). Unset: CurseForge is not
    /// offered. The game pods take theirs from `PANEL_CURSEFORGE_SECRET`, never from here.
    #[arg(
        long,
        env = "PANEL_CURSEFORGE_API_KEY",
        global = true,
        hide_env_values = true
    )]
    pub curseforge_api_key: Option<String>,

    /// The OpenID Connect provider's issuer URL (Authentik, Keycloak, Dex...): the sign-in page
    /// offers a button for it. Needs PANEL_PUBLIC_URL and PANEL_OIDC_CLIENT_ID; register
    /// `<PANEL_PUBLIC_URL>/auth/sso/callback` as the redirect URI at the provider.
    #[arg(long, env = "PANEL_OIDC_ISSUER", global = true)]
    pub oidc_issuer: Option<String>,

    /// The panel's client id at the provider.
    #[arg(long, env = "PANEL_OIDC_CLIENT_ID", global = true)]
    pub oidc_client_id: Option<String>,

    /// The panel's client secret at the provider (unset: a public client, PKCE alone).
    #[arg(
        long,
        env = "PANEL_OIDC_CLIENT_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub oidc_client_secret: Option<String>,

    /// The provider's name on the sign-in button ("Sign in with <name>").
    #[arg(
        long,
        env = "PANEL_OIDC_NAME",
        default_value = "single sign-on",
        global = true
    )]
    pub oidc_name: String,

    /// Scopes asked for besides `openid`, space- or comma-separated (add `groups` when the
    /// administrator claim is a group list).
    #[arg(
        long,
        env = "PANEL_OIDC_SCOPES",
        default_value = "email profile",
        global = true
    )]
    pub oidc_scopes: String,

    /// The ID token claim that makes a user an administrator at each sign-in:
    /// `groups=panel-admins`, `realm_access.roles=admin`, or a boolean claim's name. Unset:
    /// administrators are chosen in the panel.
    #[arg(long, env = "PANEL_OIDC_ADMIN_CLAIM", global = true)]
    pub oidc_admin_claim: Option<panel_core::sso::AdminClaim>,

    /// The ID token claim a user must hold to sign in at all (same forms as the admin claim,
    /// e.g. `groups=panel-users`). Set it for a provider shared with people who are not the
    /// panel's (a public one): otherwise anyone it signs in gets an account.
    #[arg(long, env = "PANEL_OIDC_ALLOWED_CLAIM", global = true)]
    pub oidc_allowed_claim: Option<panel_core::sso::AdminClaim>,

    /// Link a user the provider names for the first time to the panel account with the same
    /// e-mail address, when the provider says the address is verified. Only for a provider
    /// that verifies addresses: whoever controls a matching address gets the account.
    #[arg(
        long,
        env = "PANEL_OIDC_LINK_BY_EMAIL",
        default_value_t = false,
        global = true
    )]
    pub oidc_link_by_email: bool,

    /// Give a user the provider names for the first time a new panel account (false: only
    /// accounts linked already, or by e-mail, sign in).
    #[arg(
        long,
        env = "PANEL_OIDC_CREATE_USERS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub oidc_create_users: bool,

    /// Let accounts sign in with a password (false: through the provider only; needs
    /// PANEL_OIDC_ISSUER and PANEL_OIDC_ADMIN_CLAIM, so that someone can administer the panel).
    #[arg(
        long,
        env = "PANEL_PASSWORDS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub passwords: bool,

    /// Seconds between the graphs' samples of each running server (CPU, memory, players),
    /// kept for a day.
    #[arg(long, env = "PANEL_SAMPLE_SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub sample_secs: u64,

    /// Let webhooks reach the panel's own network (loopback, private and link-local addresses):
    /// for a receiver inside the cluster. Off, a user with a server's `settings` right cannot
    /// make the panel call the cluster's insides.
    #[arg(
        long,
        env = "PANEL_WEBHOOK_INTERNAL",
        default_value_t = false,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub webhook_internal: bool,

    /// Seconds before a failed webhook delivery's first retry; each next waits four times
    /// longer (six tries in all).
    #[arg(long, env = "PANEL_WEBHOOK_RETRY_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub webhook_retry_secs: u64,

    /// A Secret in the game-servers namespace whose `CF_API_KEY` the game pods of templates
    /// with `CURSEFORGE_FILES` take. Unset (the default): they use the itzg image's own key,
    /// since whoever runs code on a server (a plugin) could read a key given to its pod.
    #[arg(long, env = "PANEL_CURSEFORGE_SECRET", global = true)]
    pub curseforge_secret: Option<String>,

    /// Mojang's version manifest (the versions of Vanilla, Forge and the other types).
    #[arg(
        long,
        env = "PANEL_MOJANG_URL",
        default_value = "https://piston-meta.mojang.com",
        global = true
    )]
    pub mojang_url: String,

    /// PaperMC's downloads service (Paper's versions).
    #[arg(
        long,
        env = "PANEL_PAPER_URL",
        default_value = "https://fill.papermc.io",
        global = true
    )]
    pub paper_url: String,

    /// Purpur's API (Purpur's versions).
    #[arg(
        long,
        env = "PANEL_PURPUR_URL",
        default_value = "https://api.purpurmc.org",
        global = true
    )]
    pub purpur_url: String,

    /// Fabric's meta (Fabric's game versions).
    #[arg(
        long,
        env = "PANEL_FABRIC_URL",
        default_value = "https://meta.fabricmc.net",
        global = true
    )]
    pub fabric_url: String,

    /// The image the backup jobs run (restic and a shell).
    #[arg(
        long,
        env = "PANEL_BACKUP_IMAGE",
        default_value = "restic/restic:0.18.0",
        global = true
    )]
    pub backup_image: String,

    /// Seconds between two Server List Pings of each running server (the players online on
    /// the cards, the console and the Players card); 0 asks none.
    #[arg(long, env = "PANEL_PING_SECS", default_value_t = 10, global = true)]
    pub ping_secs: u64,

    /// Seconds between full reconciliations of the cluster with the database.
    #[arg(long, env = "PANEL_RESYNC_SECS", default_value_t = 300, global = true)]
    pub resync_secs: u64,

    /// The mcsim binary the sandbox runs for Minecraft pods (default: next to this binary).
    #[arg(long, env = "PANEL_MCSIM", global = true)]
    pub mcsim: Option<PathBuf>,

    /// Days the audit log keeps its entries (pruned daily).
    #[arg(long, env = "PANEL_AUDIT_RETENTION_DAYS", default_value_t = 365, global = true,
          value_parser = clap::value_parser!(i64).range(1..))]
    pub audit_retention_days: i64,

    /// Largest file an upload to a server may write, in MiB.
    #[arg(
        long,
        env = "PANEL_UPLOAD_LIMIT_MIB",
        default_value_t = 4096,
        global = true
    )]
    pub upload_limit_mib: u64,
}

/// How players reach the game servers (`PANEL_EXPOSE`).
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExposeMode {
    /// A port of the configured range on every node.
    Nodeport,
    /// Inside the cluster only.
    Clusterip,
    /// A load balancer per server (the cloud's, MetalLB, k3s' ServiceLB); the address the
    /// cluster gives it is the join address.
    Loadbalancer,
    /// Behind `itzg/mc-router` on one public port, each server at `<name>.<PANEL_DOMAIN>`.
    Hostname,
}

impl ExposeMode {
    /// The Service type it gives game servers.
    pub fn service(self) -> cluster::Expose {
        match self {
            ExposeMode::Nodeport => cluster::Expose::NodePort,
            ExposeMode::Clusterip => cluster::Expose::ClusterIp,
            ExposeMode::Loadbalancer => cluster::Expose::LoadBalancer,
            ExposeMode::Hostname => cluster::Expose::Hostname,
        }
    }
}

/// Parses `first-last` (inclusive), a non-empty range of ports above 0.
fn parse_port_range(s: &str) -> Result<(u16, u16), String> {
    let bad = || format!("{s:?} is not a port range such as 30000-32767");
    let (a, b) = s.trim().split_once('-').ok_or_else(bad)?;
    let a: u16 = a.trim().parse().map_err(|_| bad())?;
    let b: u16 = b.trim().parse().map_err(|_| bad())?;
    if a == 0 || a > b {
        return Err(bad());
    }
    Ok((a, b))
}

/// Checks a public host: a DNS name or an IP address, as a player would type it.
fn parse_public_host(s: &str) -> Result<String, String> {
    let s = s.trim();
    let ip = s.parse::<std::net::IpAddr>().is_ok();
    let name = !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    if ip || name {
        Ok(s.to_string())
    } else {
        Err(format!(
            "{s:?} is not a host name or an IP address (PANEL_PUBLIC_HOST takes no port or scheme)"
        ))
    }
}

/// Checks a domain for hostname mode: a DNS name (not an address), lowercased.
fn parse_domain(s: &str) -> Result<String, String> {
    let s = s.trim().trim_end_matches('.').to_ascii_lowercase();
    if s.parse::<std::net::IpAddr>().is_err() && s.contains('.') && parse_public_host(&s).is_ok() {
        Ok(s)
    } else {
        Err(format!(
            "{s:?} is not a domain such as mc.example.org (PANEL_DOMAIN takes no port or scheme)"
        ))
    }
}

impl Config {
    /// What is wrong with the settings taken together (each one alone was checked as it was
    /// read), in the words the operator needs.
    pub fn check(&self) -> Result<(), String> {
        if self.oidc_issuer.is_some()
            && (self.oidc_client_id.is_none() || self.public_url.is_none())
        {
            return Err(
                "PANEL_OIDC_ISSUER needs PANEL_OIDC_CLIENT_ID and PANEL_PUBLIC_URL (the provider \
                 sends users back to <PANEL_PUBLIC_URL>/auth/sso/callback)"
                    .into(),
            );
        }
        if !self.passwords && (self.oidc_issuer.is_none() || self.oidc_admin_claim.is_none()) {
            return Err(
                "PANEL_PASSWORDS=false needs PANEL_OIDC_ISSUER and PANEL_OIDC_ADMIN_CLAIM: \
                 without passwords, the provider is the only way in and its claim the only \
                 way to an administrator"
                    .into(),
            );
        }
        if self.backup_claim.as_deref().is_some_and(|c| !c.is_empty())
            && !self
                .backup_repository
                .as_deref()
                .is_some_and(|r| r.starts_with('/') && r.len() > 1)
        {
            return Err(
                "PANEL_BACKUP_CLAIM needs PANEL_BACKUP_REPOSITORY to be the path the jobs mount \
                 it at (e.g. /backups)"
                    .into(),
            );
        }
        if self.expose == ExposeMode::Hostname && self.domain.is_none() {
            return Err(
                "PANEL_EXPOSE=hostname needs PANEL_DOMAIN: the domain whose names \
                 reach mc-router (e.g. mc.example.org, with a wildcard record *.mc.example.org)"
                    .into(),
            );
        }
        Ok(())
    }
}

/// Which cluster the panel drives.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum KubeMode {
    /// A real cluster when one is configured, else the sandbox.
    Auto,
    /// The embedded fakekube.
    Sandbox,
    /// In-cluster config or a kubeconfig.
    Kubeconfig,
}

impl Config {
    /// The single sign-on settings, when a provider is configured.
    pub fn sso(&self) -> Option<panel_core::sso::SsoSettings> {
        Some(panel_core::sso::SsoSettings {
            issuer: self.oidc_issuer.clone()?,
            client_id: self.oidc_client_id.clone()?,
            client_secret: self.oidc_client_secret.clone().filter(|s| !s.is_empty()),
            public_url: self.public_url.clone()?,
            name: self.oidc_name.clone(),
            scopes: self
                .oidc_scopes
                .split([' ', ','])
                .filter(|s| !s.is_empty() && *s != "openid")
                .map(str::to_owned)
                .collect(),
            admin_claim: self.oidc_admin_claim.clone(),
            allowed_claim: self.oidc_allowed_claim.clone(),
            link_by_email: self.oidc_link_by_email,
            create_users: self.oidc_create_users,
        })
    }

    /// Configuration with every default, for tests.
    pub fn for_tests(database_url: &str, data_dir: PathBuf) -> Self {
        let cli = Cli::parse_from(["panel", "--database-url", database_url]);
        Config {
            data_dir,
            // Tests share one real control plane, whose node ports are cluster-wide: a test
            // that wants node ports gives itself a range of its own.
            expose: ExposeMode::Clusterip,
            // player counts show within a second or two
            ping_secs: 1,
            // tests never reach the internet: Modrinth and the version lists are refused at
            // once unless a test serves them (tests/common/external.rs)
            modrinth_url: "http://127.0.0.1:9".into(),
            spiget_url: "http://127.0.0.1:9".into(),
            curseforge_url: "http://127.0.0.1:9".into(),
            curseforge_api_key: None,
            curseforge_secret: None,
            mojang_url: "http://127.0.0.1:9".into(),
            paper_url: "http://127.0.0.1:9".into(),
            purpur_url: "http://127.0.0.1:9".into(),
            fabric_url: "http://127.0.0.1:9".into(),
            ..cli.config
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_claim_needs_a_path_repository() {
        let mut c = Config::for_tests("postgres://x/y", PathBuf::from("data"));
        c.backup_claim = Some("store".into());
        for bad in [
            None,
            Some("s3:https://s3.example.org/b"),
            Some("/"),
            Some("backups"),
        ] {
            c.backup_repository = bad.map(str::to_string);
            let why = c.check().unwrap_err();
            assert!(why.contains("PANEL_BACKUP_REPOSITORY"), "{bad:?}: {why}");
        }
        c.backup_repository = Some("/backups".into());
        assert_eq!(c.check(), Ok(()));
    }

    #[test]
    fn hostname_mode_needs_a_domain() {
        let mut c = Config::for_tests("postgres://x/y", PathBuf::from("data"));
        c.expose = ExposeMode::Hostname;
        let why = c.check().unwrap_err();
        assert!(why.contains("PANEL_DOMAIN"), "{why}");
        c.domain = Some("mc.example.org".into());
        assert_eq!(c.check(), Ok(()));
        assert_eq!(
            parse_domain("MC.Example.org.").as_deref(),
            Ok("mc.example.org")
        );
        for bad in [
            "",
            "localhost",
            "203.0.113.7",
            "mc.example.org:25565",
            "https://mc.example.org",
            "a..b",
        ] {
            assert!(parse_domain(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn port_ranges_and_public_hosts_are_checked() {
        assert_eq!(parse_port_range("30000-32767"), Ok((30000, 32767)));
        assert_eq!(parse_port_range(" 30005 - 30005 "), Ok((30005, 30005)));
        for bad in [
            "",
            "30000",
            "32767-30000",
            "0-10",
            "a-b",
            "30000-70000",
            "-5",
        ] {
            assert!(parse_port_range(bad).is_err(), "{bad}");
        }
        for good in ["mc.example.org", "203.0.113.7", "2001:db8::1", "localhost"] {
            assert_eq!(parse_public_host(good).as_deref(), Ok(good));
        }
        for bad in [
            "",
            "http://mc.example.org",
            "mc.example.org:25565",
            "a b",
            "-x.org",
            "x..org",
        ] {
            assert!(parse_public_host(bad).is_err(), "{bad}");
        }
    }
}
