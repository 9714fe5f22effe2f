//! Start-up: the database (configured or private), migrations, the state, and serving until a
//! shutdown signal.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use panel_core::{AppState, AuthSettings};
use tokio::net::TcpListener;

use crate::csrf::CsrfPolicy;
use crate::postgres::PrivatePostgres;
use crate::{Config, ServerError, secret};

/// The database the panel uses, and the private cluster behind it if the panel started one.
pub struct Database {
    /// The pool.
    pub pool: db::Pool,
    /// The private cluster to stop at exit.
    pub private: Option<PrivatePostgres>,
}

/// Connects to `DATABASE_URL`, or starts the private Postgres, then applies migrations
/// (waiting up to 30 s for the database to come up).
pub async fn database(config: &Config) -> Result<Database, ServerError> {
    let (url, private) = match &config.database_url {
        Some(url) => (url.clone(), None),
        None => {
            let pg = PrivatePostgres::start(&config.data_dir).await?;
            (pg.url(), Some(pg))
        }
    };
    let pool = db::connect(&url, config.db_pool_size)?;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match db::migrate(&pool).await {
            Ok(n) => {
                if n > 0 {
                    tracing::info!(applied = n, "database migrations applied");
                }
                break;
            }
            Err(db::Error::Pool(e)) if Instant::now() < deadline => {
                tracing::warn!(error = %e, "database not reachable yet; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Database { pool, private })
}

/// The cluster the panel drives, and the embedded fakekube when that is the sandbox.
pub struct ClusterHandle {
    /// The client.
    pub kube: cluster::Kube,
    /// The sandbox, kept alive while the panel runs.
    pub sandbox: Option<fakekube::FakeKube>,
}

fn real_cluster_configured() -> bool {
    std::env::var_os("KUBERNETES_SERVICE_HOST").is_some()
        || std::env::var_os("KUBECONFIG").is_some()
        || std::env::var_os("HOME")
            .is_some_and(|h| std::path::Path::new(&h).join(".kube/config").exists())
}

/// Connects to the configured cluster, or starts the sandbox (fakekube in-process, its state
/// under the data folder).
pub async fn cluster(config: &Config) -> Result<ClusterHandle, ServerError> {
    use crate::config::KubeMode;
    let cfg_err = |e: cluster::ClusterError| ServerError::Config(e.to_string());
    if let Some(url) = &config.kube_url {
        return Ok(ClusterHandle {
            kube: cluster::Kube::for_url(url, &config.namespace).map_err(cfg_err)?,
            sandbox: None,
        });
    }
    let sandbox = match config.kube {
        KubeMode::Sandbox => true,
        KubeMode::Kubeconfig => false,
        KubeMode::Auto => !real_cluster_configured(),
    };
    if !sandbox {
        let kube = cluster::Kube::infer(&config.namespace)
            .await
            .map_err(cfg_err)?;
        tracing::info!(namespace = %config.namespace, "using the configured Kubernetes cluster");
        return Ok(ClusterHandle {
            kube,
            sandbox: None,
        });
    }
    let mcsim = config.mcsim.clone().unwrap_or_else(|| {
        std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join("mcsim")))
            .unwrap_or_else(|| "mcsim".into())
    });
    // The sandbox runs pods as this user's processes and exec runs commands: only the panel
    // (and whoever can read the kubeconfig it writes, mode 0600) may talk to it.
    let mut random = [0u8; 32];
    getrandom::fill(&mut random).map_err(|e| ServerError::Config(e.to_string()))?;
    let token = hex::encode(random);
    let root = std::path::absolute(config.data_dir.join("sandbox"))
        .map_err(ServerError::io("resolving the data folder"))?;
    let fk = fakekube::FakeKube::start(fakekube::Config {
        listen: "127.0.0.1:0".parse().expect("address"),
        root: root.clone(),
        mcsim,
        persist: true,
        namespaces: vec![config.namespace.clone()],
        token: Some(token.clone()),
        tls: true,
        // the sandbox's node is this machine: the join address is 127.0.0.1:<node port>
        node_address: Some(std::net::Ipv4Addr::LOCALHOST.into()),
    })
    .await
    .map_err(ServerError::io("starting the sandbox cluster"))?;
    sandbox_backups(&fk, config, &root)?;
    sandbox_curseforge(&fk, config);
    let kubeconfig = root.join("kubeconfig");
    let ca = fk.ca_pem.clone().unwrap_or_default();
    write_private(
        &kubeconfig,
        &sandbox_kubeconfig(&fk.url, &ca, &token, &config.namespace),
    )
    .map_err(ServerError::io("writing the sandbox's kubeconfig"))?;
    tracing::info!(
        url = %fk.url,
        "sandbox cluster (fakekube) started; kubectl: KUBECONFIG={} kubectl get pods",
        kubeconfig.display()
    );
    let kube =
        cluster::Kube::for_url_with_token(&fk.url, &config.namespace, &token, fk.ca_der.clone())
            .map_err(cfg_err)?;
    Ok(ClusterHandle {
        kube,
        sandbox: Some(fk),
    })
}

/// A kubeconfig for the sandbox at `url` with its CA certificate and token.
pub fn sandbox_kubeconfig(url: &str, ca_pem: &str, token: &str, namespace: &str) -> String {
    use base64::Engine;
    let ca = base64::engine::general_purpose::STANDARD.encode(ca_pem);
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: sandbox\n  cluster: {{server: \"{url}\", \
         certificate-authority-data: \"{ca}\"}}\n\
         users:\n- name: panel\n  user: {{token: \"{token}\"}}\ncontexts:\n- name: sandbox\n  \
         context: {{cluster: sandbox, user: panel, namespace: \"{namespace}\"}}\n\
         current-context: sandbox\n"
    )
}

/// Writes `text` to `path` readable by this user alone (replacing it).
/// The sandbox backs up into a folder of its own (`<sandbox>/backups/<server>`: restic
/// repositories) with a password kept beside it (`backup-password`, mode 0600): the Secret its
/// backup jobs take is put in the sandbox as an operator would. An operator's repository wins.
fn sandbox_backups(
    fk: &fakekube::FakeKube,
    config: &Config,
    root: &std::path::Path,
) -> Result<(), ServerError> {
    if config.backup_repository.is_some() {
        return Ok(());
    }
    let file = root.join("backup-password");
    let password = match std::fs::read_to_string(&file) {
        Ok(p) if !p.trim().is_empty() => p.trim().to_string(),
        _ => {
            let mut random = [0u8; 24];
            getrandom::fill(&mut random).map_err(|e| ServerError::Config(e.to_string()))?;
            let p = hex::encode(random);
            write_private(&file, &p).map_err(ServerError::io("writing the backups' password"))?;
            p
        }
    };
    use base64::Engine;
    let secret = serde_json::json!({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": config.backup_secret, "namespace": config.namespace},
        "type": "Opaque",
        "data": {"RESTIC_PASSWORD": base64::engine::general_purpose::STANDARD.encode(&password)}});
    fk.cluster.store.put(
        fakekube::resources::by_kind("Secret"),
        &config.namespace,
        secret,
    );
    Ok(())
}

/// With a CurseForge key shared with the game servers, the sandbox holds the Secret the game
/// pods take it from, as the chart puts it in a cluster.
fn sandbox_curseforge(fk: &fakekube::FakeKube, config: &Config) {
    let (Some(key), Some(name)) = (
        config
            .curseforge_api_key
            .as_deref()
            .filter(|k| !k.trim().is_empty()),
        config.curseforge_secret.as_deref(),
    ) else {
        return;
    };
    use base64::Engine;
    let secret = serde_json::json!({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": name, "namespace": config.namespace},
        "type": "Opaque",
        "data": {"CF_API_KEY": base64::engine::general_purpose::STANDARD.encode(key.trim())}});
    fk.cluster.store.put(
        fakekube::resources::by_kind("Secret"),
        &config.namespace,
        secret,
    );
}

/// The sandbox's backup repositories' root when the operator names none.
pub fn sandbox_backup_repository(data_dir: &std::path::Path) -> Option<String> {
    std::path::absolute(data_dir.join("sandbox").join("backups"))
        .ok()
        .map(|p| p.display().to_string())
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let _ = std::fs::remove_file(path);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

/// Builds the [`AppState`] from the configuration, a migrated pool and the cluster.
pub async fn state(
    config: &Config,
    pool: db::Pool,
    kube: cluster::Kube,
    sandbox: bool,
) -> Result<AppState, ServerError> {
    let key = secret::load_or_create(config.secret.as_deref(), &config.data_dir)?;
    let mut random = [0u8; 24];
    getrandom::fill(&mut random).map_err(|e| ServerError::Config(e.to_string()))?;
    let cost = config.bcrypt_cost;
    let dummy_hash = tokio::task::spawn_blocking(move || bcrypt::hash(hex::encode(random), cost))
        .await
        .map_err(|e| ServerError::Config(e.to_string()))?
        .map_err(|e| ServerError::Config(e.to_string()))?;
    Ok(AppState {
        pool,
        auth: AuthSettings {
            first_run: panel_core::setup::FirstRun::new(&key, sandbox, config.listen),
            jwt_secret: key.into(),
            bcrypt_cost: config.bcrypt_cost,
            session_ttl: chrono::Duration::hours(config.session_hours),
            jwt_ttl: chrono::Duration::hours(1),
            secure_cookies: config.secure_cookies,
            max_failures_per_user: config.login_max_failures_per_user,
            max_failures_per_ip: config.login_max_failures_per_ip,
            limit_window: chrono::Duration::minutes(15),
            trust_proxy: config.trust_proxy.clone(),
            dummy_hash: Arc::from(dummy_hash.as_str()),
            passwords: config.passwords,
            sso: config
                .sso()
                .map(panel_core::sso::Sso::new)
                .transpose()
                .map_err(ServerError::Config)?,
        },
        sandbox,
        kube,
        live: panel_core::live::Live::new(),
        upload_limit: config.upload_limit_mib.saturating_mul(1024 * 1024),
        storage: panel_core::StorageSettings {
            class: config.storage_class.clone().filter(|c| !c.is_empty()),
            grows: config.storage_grows,
            kept_world_days: (config.kept_world_days > 0).then_some(config.kept_world_days),
            maintenance_image: config.maintenance_image.clone(),
            maintenance_idle_secs: config.maintenance_idle_secs,
        },
        backups: panel_core::backups::BackupSettings::new(
            config.backup_repository.clone().filter(|r| !r.is_empty()),
            config.backup_secret.clone(),
            config.backup_image.clone(),
        )
        .with_claim(config.backup_claim.clone().filter(|c| !c.is_empty())),
        expose: panel_core::ExposeSettings {
            mode: config.expose.service(),
            node_ports: config.node_ports,
            public_host: config
                .public_host
                .clone()
                .or_else(|| sandbox.then(|| "127.0.0.1".to_string())),
            balancers: Default::default(),
            domain: config.domain.clone(),
            router_port: config.router_port,
            wake_on_join: config.wake_on_join,
        },
        modrinth: panel_core::modrinth::Modrinth::new(&config.modrinth_url)
            .map_err(ServerError::Config)?,
        spiget: panel_core::spiget::Spiget::new(&config.spiget_url).map_err(ServerError::Config)?,
        curseforge: panel_core::curseforge::CurseForge::new(
            &config.curseforge_url,
            config.curseforge_api_key.as_deref(),
        )
        .map_err(ServerError::Config)?,
        curseforge_secret: config
            .curseforge_secret
            .clone()
            .filter(|s| !s.trim().is_empty()),
        versions: panel_core::game_versions::VersionApis::new(
            &config.mojang_url,
            &config.paper_url,
            &config.purpur_url,
            &config.fabric_url,
        )
        .map_err(ServerError::Config)?,
        sample_every: std::time::Duration::from_secs(config.sample_secs),
        webhooks: panel_core::webhooks::WebhookSettings {
            allow_internal: config.webhook_internal,
            retry_base: std::time::Duration::from_secs(config.webhook_retry_secs),
            wake: Default::default(),
        },
        metrics: Default::default(),
        archives: Arc::new(panel_core::files::scratch::ArchiveSlots::new(usize::from(
            config.archive_jobs,
        ))),
    })
}

/// Prints the setup code while no administrator exists and setup needs one: whoever reads the
/// panel's log (its operator) sets it up, not whoever reaches it first.
pub async fn announce_setup(state: &AppState) {
    let panel_core::setup::FirstRun::NeedsCode(code) = &state.auth.first_run else {
        return;
    };
    let exist = match state.pool.get().await {
        Ok(mut c) => db::User::any_exist(&mut c).await,
        Err(e) => Err(e.into()),
    };
    if let Err(e) = &exist {
        tracing::warn!(error = %e, "could not tell whether setup is pending");
    }
    if let Ok(false) = exist {
        tracing::warn!(
            "no administrator yet: open the panel's /setup page and enter the setup code {code}"
        );
    }
}

/// The cross-site policy from the configuration.
pub fn csrf_policy(config: &Config) -> CsrfPolicy {
    CsrfPolicy {
        public_origin: config.public_url.clone(),
    }
}

/// Serves on `listener` until `shutdown` completes, then drains open requests.
pub async fn serve(
    listener: TcpListener,
    config: &Config,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let app = crate::router(state, &config.dist_dir, csrf_policy(config));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(ServerError::io("serving"))
}

/// Serves `/metrics` on its own listener until `shutdown`.
pub async fn serve_metrics(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    axum::serve(listener, crate::router::metrics_router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(ServerError::io("serving metrics"))
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
