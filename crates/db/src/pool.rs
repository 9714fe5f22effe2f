//! The deadpool connection pool and the embedded migrations.

use diesel_async::pooled_connection::deadpool;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncPgConnection};
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
///
/// The pool keeps only connections that can write: a new connection, and an idle one each time
/// it is handed out, is asked `SHOW transaction_read_only` and dropped when the answer is `on`.
/// So when a primary is demoted (a CloudNativePG switchover fences it, an operator makes it
/// read-only), the pool lets go of it and the next connection goes where the URL now leads: the
/// `-rw` Service the operator moved, or the next host of a multi-host URL with
/// `target_session_attrs=read-write`. The check replaces the `SELECT 1` the pool ran anyway.
pub fn connect(url: &str, max_size: usize) -> Result<Pool> {
    let mut config = ManagerConfig::default();
    config.custom_setup = Box::new(|url| {
        let url = url.to_owned();
        Box::pin(async move {
            let mut conn = AsyncPgConnection::establish(&url).await?;
            match writable(&mut conn).await {
                Ok(()) => Ok(conn),
                Err(e) => Err(diesel::ConnectionError::CouldntSetupConfiguration(e)),
            }
        })
    });
    config.recycling_method =
        RecyclingMethod::CustomFunction(Box::new(|conn| Box::pin(writable(conn))));
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(
        with_timeouts(url),
        config,
    );
    Pool::builder(manager)
        .max_size(max_size)
        .wait_timeout(Some(std::time::Duration::from_secs(5)))
        .create_timeout(Some(std::time::Duration::from_secs(5)))
        // a primary whose node vanished answers nothing: give up on the check of an idle
        // connection soon, and take another
        .recycle_timeout(Some(std::time::Duration::from_secs(2)))
        .runtime(::deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| Error::Connect(e.to_string()))
}

/// `url` with `connect_timeout=5` and `tcp_user_timeout=15` (seconds, as tokio-postgres reads
/// them) unless it sets them: a connection to a server that vanished without closing it (its
/// node gone in a failover) fails in seconds instead of the system's quarter of an hour. Only
/// for URLs (`postgres://`); a `key=value` string is taken as it is.
fn with_timeouts(url: &str) -> String {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return url.to_owned();
    }
    let mut out = url.to_owned();
    for (key, value) in [("connect_timeout", "5"), ("tcp_user_timeout", "15")] {
        let has = url
            .split_once('?')
            .is_some_and(|(_, q)| q.split('&').any(|kv| kv.split('=').next() == Some(key)));
        if !has {
            out.push(if out.contains('?') { '&' } else { '?' });
            out.push_str(&format!("{key}={value}"));
        }
    }
    out
}

/// Fails (with [`DatabaseErrorKind::ReadOnlyTransaction`]) on a connection that cannot write:
/// a standby, or a primary made read-only.
///
/// [`DatabaseErrorKind::ReadOnlyTransaction`]: diesel::result::DatabaseErrorKind::ReadOnlyTransaction
async fn writable(conn: &mut AsyncPgConnection) -> diesel::QueryResult<()> {
    use diesel::sql_types::Text;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Mode {
        #[diesel(sql_type = Text)]
        transaction_read_only: String,
    }
    let mode: Mode = diesel::sql_query("SHOW transaction_read_only")
        .get_result(conn)
        .await?;
    if mode.transaction_read_only == "off" {
        Ok(())
    } else {
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::ReadOnlyTransaction,
            Box::new("the database is read-only (a standby or a demoted primary)".to_owned()),
        ))
    }
}

/// The key of the advisory lock that serialises migrations (any constant the database's other
/// users do not take: "mcpanel" in ASCII).
const MIGRATION_LOCK: i64 = 0x6d_6370_616e_656c;

/// Applies every pending embedded migration and returns how many ran.
///
/// Panels started together (replicas of a first install or an upgrade) take turns: each holds
/// a session advisory lock on its connection while it migrates, so the second one finds the
/// work done instead of creating the same tables at once (which Postgres refuses with
/// `duplicate key value violates unique constraint "pg_type_typname_nsp_index"`). A panel
/// that dies holding it loses its connection, and with it the lock. Runs the harness on a
/// blocking thread, as diesel's migration harness is synchronous.
pub async fn migrate(pool: &Pool) -> Result<usize> {
    use diesel::sql_types::BigInt;
    use diesel_async::RunQueryDsl;
    let mut conn = pool.get().await?;
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(MIGRATION_LOCK)
        .execute(&mut conn)
        .await?;
    let (conn, done) = tokio::task::spawn_blocking(move || {
        let mut harness = diesel_async::AsyncMigrationHarness::new(conn);
        let done = harness
            .run_pending_migrations(MIGRATIONS)
            .map(|done| done.len())
            .map_err(|e| Error::Migration(e.to_string()));
        (harness.into_inner(), done)
    })
    .await
    .map_err(|e| Error::Migration(e.to_string()))?;
    let mut conn = conn;
    diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(MIGRATION_LOCK)
        .execute(&mut conn)
        .await?;
    done
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

#[cfg(test)]
mod tests {
    use super::with_timeouts;

    #[test]
    fn urls_get_timeouts_they_do_not_set() {
        assert_eq!(
            with_timeouts("postgres://u@h/db"),
            "postgres://u@h/db?connect_timeout=5&tcp_user_timeout=15"
        );
        assert_eq!(
            with_timeouts("postgres://u@h/db?host=/run&connect_timeout=2"),
            "postgres://u@h/db?host=/run&connect_timeout=2&tcp_user_timeout=15"
        );
        assert_eq!(with_timeouts("host=/run dbname=x"), "host=/run dbname=x");
    }
}
