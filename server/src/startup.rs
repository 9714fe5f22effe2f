//! Start-up: the database (configured or private), migrations, the state, and serving until a
//! shutdown signal.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::ssr::{AppState, AuthSettings};
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

/// Builds the [`AppState`] from the configuration and a migrated pool.
pub async fn state(config: &Config, pool: db::Pool) -> Result<AppState, ServerError> {
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
            jwt_secret: key.into(),
            bcrypt_cost: config.bcrypt_cost,
            session_ttl: chrono::Duration::hours(config.session_hours),
            jwt_ttl: chrono::Duration::hours(1),
            secure_cookies: config.secure_cookies,
            max_failures_per_user: config.login_max_failures_per_user,
            max_failures_per_ip: config.login_max_failures_per_ip,
            limit_window: chrono::Duration::minutes(15),
            trust_forwarded_for: config.trust_proxy,
            dummy_hash: Arc::from(dummy_hash.as_str()),
        },
        sandbox: config.sandbox,
    })
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
