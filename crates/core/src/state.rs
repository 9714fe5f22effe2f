//! [`AppState`]: everything a request needs, built once at start and passed explicitly
//! (axum state, and Leptos context for server functions).

use std::sync::Arc;

/// Settings of sign-in and sessions.
#[derive(Clone)]
pub struct AuthSettings {
    /// HMAC key the session JWTs are signed with.
    pub jwt_secret: Arc<[u8]>,
    /// bcrypt cost of new password hashes (12 or more).
    pub bcrypt_cost: u32,
    /// How long a session lasts at most, from sign-in.
    pub session_ttl: chrono::Duration,
    /// How long one issued JWT is valid; it is re-issued while the session lives.
    pub jwt_ttl: chrono::Duration,
    /// Whether cookies get the `Secure` attribute (behind TLS).
    pub secure_cookies: bool,
    /// Failed sign-ins per account allowed within [`AuthSettings::limit_window`].
    pub max_failures_per_user: i64,
    /// Failed sign-ins per client address allowed within the window.
    pub max_failures_per_ip: i64,
    /// The rate-limit window.
    pub limit_window: chrono::Duration,
    /// Which proxies are trusted to name the client in `X-Forwarded-For`.
    pub trust_proxy: crate::client_addr::TrustProxy,
    /// Whether first-run setup needs the setup code.
    pub first_run: crate::setup::FirstRun,
    /// A hash of a random password, verified when a username is unknown so that unknown and
    /// known users take the same time.
    pub dummy_hash: Arc<str>,
    /// Whether accounts may sign in with a password (false: through the provider only).
    pub passwords: bool,
    /// The OpenID Connect provider users may sign in through (none: passwords only).
    pub sso: Option<Arc<crate::sso::Sso>>,
}

impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("jwt_secret", &"<redacted>")
            .field("bcrypt_cost", &self.bcrypt_cost)
            .field("session_ttl", &self.session_ttl)
            .field("secure_cookies", &self.secure_cookies)
            .field("first_run", &self.first_run)
            .field("passwords", &self.passwords)
            .field("sso", &self.sso)
            .finish_non_exhaustive()
    }
}

/// The storage of the game servers' worlds.
#[derive(Debug, Clone, Default)]
pub struct StorageSettings {
    /// The StorageClass of new worlds (None: the cluster's default).
    pub class: Option<String>,
    /// Whether volumes of that class can grow (`allowVolumeExpansion`).
    pub grows: bool,
    /// Days a kept world lasts before the panel deletes it for good (None: until its owner
    /// does).
    pub kept_world_days: Option<u32>,
    /// The image of the maintenance pod that holds a stopped server's world for the file
    /// manager (busybox: the tools its scripts use).
    pub maintenance_image: String,
    /// Seconds a maintenance pod lives without a file operation.
    pub maintenance_idle_secs: u32,
}

/// The server's shared state.
#[derive(Clone)]
pub struct AppState {
    /// Postgres pool.
    pub pool: db::Pool,
    /// Sign-in settings and keys.
    pub auth: AuthSettings,
    /// True when the panel runs the embedded sandbox cluster.
    pub sandbox: bool,
    /// The Kubernetes client, bound to the game-servers namespace.
    pub kube: cluster::Kube,
    /// Status pushes, console channels and open sockets.
    pub live: crate::live::Live,
    /// Largest file an upload may write, in bytes.
    pub upload_limit: u64,
    /// Where worlds are stored.
    pub storage: StorageSettings,
    /// How players reach the game servers.
    pub expose: crate::expose::ExposeSettings,
    /// Prometheus metrics.
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
    /// Slots for archive work on the panel's temporary space.
    pub archives: std::sync::Arc<crate::files::scratch::ArchiveSlots>,
    /// Where backups go, and what is under way.
    pub backups: crate::backups::BackupSettings,
    /// Modrinth's API, for mods and plugins.
    pub modrinth: crate::modrinth::Modrinth,
    /// The Spiget API, for SpigotMC's plugins.
    pub spiget: crate::spiget::Spiget,
    /// CurseForge's API, for its mods and plugins (off without the operator's key).
    pub curseforge: crate::curseforge::CurseForge,
    /// The Secret in the game-servers namespace whose `CF_API_KEY` the game pods of templates
    /// with `CURSEFORGE_FILES` take, when the operator shares the key with them (none: the
    /// itzg image uses its own).
    pub curseforge_secret: Option<String>,
    /// The lists of game versions.
    pub versions: crate::game_versions::VersionApis,
    /// How webhooks are sent.
    pub webhooks: crate::webhooks::WebhookSettings,
    /// How often the graphs' samples are taken.
    pub sample_every: std::time::Duration,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("auth", &self.auth)
            .field("sandbox", &self.sandbox)
            .finish_non_exhaustive()
    }
}
