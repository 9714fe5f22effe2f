//! What running servers used, minute by minute (`server_samples`): a ring of a day, for the
//! graphs.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Result;
use crate::schema::server_samples;

/// How long samples are kept.
pub const KEPT_HOURS: i64 = 24;

/// A row of `server_samples`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = server_samples, check_for_backend(diesel::pg::Pg))]
pub struct Sample {
    /// The server.
    pub server_id: Uuid,
    /// The minute it was taken in.
    pub at: DateTime<Utc>,
    /// CPU in use, millicores (None: the cluster has no metrics).
    pub cpu_millis: Option<i32>,
    /// Memory in use, MiB.
    pub memory_mib: Option<i32>,
    /// Players online.
    pub players: Option<i32>,
}

/// One minute summed over every server (the panel's graphs).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Total {
    /// The minute.
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub at: DateTime<Utc>,
    /// CPU in use over all servers, millicores.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub cpu_millis: Option<i64>,
    /// Memory in use over all servers, MiB.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub memory_mib: Option<i64>,
    /// Players online over all servers.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub players: Option<i64>,
    /// Servers sampled in that minute.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub servers: i64,
}

impl Sample {
    /// Stores samples (a minute already sampled by another replica is kept as it was) and
    /// removes those older than [`KEPT_HOURS`].
    pub async fn record(conn: &mut AsyncPgConnection, samples: &[Sample]) -> Result<()> {
        if !samples.is_empty() {
            diesel::insert_into(server_samples::table)
                .values(samples)
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
        }
        diesel::delete(
            server_samples::table
                .filter(server_samples::at.lt(Utc::now() - chrono::Duration::hours(KEPT_HOURS))),
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    /// A server's samples since `since`, oldest first.
    pub async fn of(
        conn: &mut AsyncPgConnection,
        server: Uuid,
        since: DateTime<Utc>,
    ) -> Result<Vec<Sample>> {
        Ok(server_samples::table
            .filter(server_samples::server_id.eq(server))
            .filter(server_samples::at.ge(since))
            .order(server_samples::at)
            .select(Sample::as_select())
            .load(conn)
            .await?)
    }

    /// Every server's samples summed by minute since `since`, oldest first.
    pub async fn totals(conn: &mut AsyncPgConnection, since: DateTime<Utc>) -> Result<Vec<Total>> {
        Ok(diesel::sql_query(
            "SELECT at, sum(cpu_millis)::bigint AS cpu_millis, sum(memory_mib)::bigint AS memory_mib, \
             sum(players)::bigint AS players, count(*) AS servers \
             FROM server_samples WHERE at >= $1 GROUP BY at ORDER BY at",
        )
        .bind::<diesel::sql_types::Timestamptz, _>(since)
        .load(conn)
        .await?)
    }
}
