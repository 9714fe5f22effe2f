//! Sign-in attempts, counted to rate-limit password guessing per account and per address.
//! Kept in Postgres so that every panel replica sees the same counts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;
use crate::schema::{login_attempts, lower};

/// Namespace for the queries on `login_attempts`.
pub struct LoginAttempt;

/// Failed attempts counted since a point in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    /// Failures naming this account.
    pub for_user: i64,
    /// Failures from this address.
    pub from_ip: i64,
    /// The oldest counted failure, to tell when the limit lifts.
    pub oldest: Option<DateTime<Utc>>,
}

impl LoginAttempt {
    /// Records an attempt. A success clears the account's earlier failures, so a person who
    /// mistyped once is not held back later.
    pub async fn record(
        conn: &mut AsyncPgConnection,
        username: &str,
        ip: &str,
        success: bool,
    ) -> Result<()> {
        if success {
            diesel::delete(
                login_attempts::table
                    .filter(lower(login_attempts::username).eq(username.to_lowercase()))
                    .filter(login_attempts::success.eq(false)),
            )
            .execute(conn)
            .await?;
        }
        diesel::insert_into(login_attempts::table)
            .values((
                login_attempts::username.eq(username),
                login_attempts::ip.eq(ip),
                login_attempts::success.eq(success),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Failures since `since` for this account and from this address.
    pub async fn failures_since(
        conn: &mut AsyncPgConnection,
        username: &str,
        ip: &str,
        since: DateTime<Utc>,
    ) -> Result<Failures> {
        let recent = login_attempts::table
            .filter(login_attempts::success.eq(false))
            .filter(login_attempts::at.gt(since));
        let for_user: i64 = recent
            .filter(lower(login_attempts::username).eq(username.to_lowercase()))
            .count()
            .get_result(conn)
            .await?;
        let from_ip: i64 = recent
            .filter(login_attempts::ip.eq(ip))
            .count()
            .get_result(conn)
            .await?;
        let oldest = recent
            .filter(
                lower(login_attempts::username)
                    .eq(username.to_lowercase())
                    .or(login_attempts::ip.eq(ip)),
            )
            .select(diesel::dsl::min(login_attempts::at))
            .get_result(conn)
            .await?;
        Ok(Failures {
            for_user,
            from_ip,
            oldest,
        })
    }

    /// Deletes attempts older than `before` (housekeeping).
    pub async fn prune(conn: &mut AsyncPgConnection, before: DateTime<Utc>) -> Result<usize> {
        Ok(
            diesel::delete(login_attempts::table.filter(login_attempts::at.lt(before)))
                .execute(conn)
                .await?,
        )
    }
}
