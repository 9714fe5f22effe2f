//! The deadpool connection pool and the embedded migrations.

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::{Error, Result};

/// A pool of async Postgres connections.
pub type Pool = deadpool::Pool<AsyncPgConnection>;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// A snapshot of the pool, for `/metrics` and `/readyz`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStatus {
    /// Connections the pool may open at most.
    pub max_size: usize,
    /// Connections open now.
    pub size: usize,
    /// Open connections not in use.
    pub available: usize,
    /// Callers waiting for a connection.
    pub waiting: usize,
}

/// Builds a pool for `url` (any libpq-style URL; a `host=/path` query parameter selects a Unix
/// socket). No connection is made until one is asked for.
pub fn connect(url: &str, max_size: usize) -> Result<Pool> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    Pool::builder(manager)
        .max_size(max_size)
        .wait_timeout(Some(std::time::Duration::from_secs(5)))
        .create_timeout(Some(std::time::Duration::from_secs(5)))
        .runtime(::deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| Error::Pool(e.to_string()))
}

/// Applies every pending embedded migration and returns how many ran.
///
/// Runs on a blocking thread, as diesel's migration harness is synchronous.
pub async fn migrate(pool: &Pool) -> Result<usize> {
    let conn = pool.get().await?;
    tokio::task::spawn_blocking(move || {
        let mut harness = diesel_async::AsyncMigrationHarness::new(conn);
        harness
            .run_pending_migrations(MIGRATIONS)
            .map(|done| done.len())
            .map_err(|e| Error::Migration(e.to_string()))
    })
    .await
    .map_err(|e| Error::Migration(e.to_string()))?
}

/// Reads the pool's counters.
pub fn status(pool: &Pool) -> PoolStatus {
    let s = pool.status();
    PoolStatus {
        max_size: s.max_size,
        size: s.size,
        available: s.available,
        waiting: s.waiting,
    }
}

/// A connection taken from the [`Pool`]; it goes back when dropped.
pub type PooledConnection = deadpool::Object<AsyncPgConnection>;

/// One round trip to the database (`SELECT 1`), for readiness checks.
pub async fn ping(pool: &Pool) -> Result<()> {
    use diesel_async::RunQueryDsl;
    let mut c = pool.get().await?;
    diesel::sql_query("SELECT 1").execute(&mut c).await?;
    Ok(())
}
