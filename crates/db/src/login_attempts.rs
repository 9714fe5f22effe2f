//! Sign-in attempts, counted to rate-limit password guessing per account, per known device and
//! per address. Kept in Postgres so that every panel replica sees the same counts.
//!
//! An attempt is counted and written as a failure *before* its password is checked, under a
//! lock, so parallel guesses cannot all pass a count read before any of them was written. One
//! whose password turns out right is then forgotten; one refused is never written (so a flood
//! of refused attempts does not keep the limit from lifting).

use chrono::{DateTime, Utc};
use diesel::PgExpressionMethods;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::Result;
use crate::schema::{login_attempts, lower};

/// The first key of the advisory locks on an account's attempts (the second is the
/// username's hash).
const LOCK_ACCOUNT: i32 = 0x4c4f_4731;
/// The first key of the advisory locks on an address's attempts.
const LOCK_ADDRESS: i32 = 0x4c4f_4732;

/// Namespace for the queries on `login_attempts`.
pub struct LoginAttempt;

/// Failed attempts counted since a point in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    /// Failures naming this account from the same source (strangers together, or this one
    /// known device, or this one session).
    pub for_source: i64,
    /// Failures from this address, whatever their source.
    pub from_ip: i64,
    /// The oldest failure in `for_source`, to tell when that limit lifts.
    pub oldest_for_source: Option<DateTime<Utc>>,
    /// The oldest failure in `from_ip`.
    pub oldest_from_ip: Option<DateTime<Utc>>,
}

impl LoginAttempt {
    /// Weighs an attempt against the failures counted so far and, unless `refuse` says no,
    /// writes it as a failure before its password is checked; gives the counts and the new
    /// row's id (for [`LoginAttempt::forget`] when it turns out not to be one). `source` is None
    /// for a stranger, else the known device or session it came from.
    ///
    /// The count and the write happen under transaction-scoped advisory locks on the account
    /// and on the address (always in that order, so they cannot deadlock): parallel attempts
    /// are counted one after the other, and exactly the limit's worth get through.
    pub async fn begin_unless(
        conn: &mut AsyncPgConnection,
        username: &str,
        ip: &str,
        source: Option<&str>,
        since: DateTime<Utc>,
        refuse: impl FnOnce(&Failures) -> bool + Send,
    ) -> Result<(Failures, Option<i64>)> {
        use diesel::sql_types::{Integer, Text};
        conn.transaction::<_, crate::Error, _>(async move |conn| {
            diesel::sql_query(
                "SELECT pg_advisory_xact_lock($1, hashtext(lower($2))), \
                        pg_advisory_xact_lock($3, hashtext($4))",
            )
            .bind::<Integer, _>(LOCK_ACCOUNT)
            .bind::<Text, _>(username)
            .bind::<Integer, _>(LOCK_ADDRESS)
            .bind::<Text, _>(ip)
            .execute(conn)
            .await?;
            let failures = Self::failures_since(conn, username, ip, source, since).await?;
            if refuse(&failures) {
                return Ok((failures, None));
            }
            let id = Self::write(conn, username, ip, source, false).await?;
            Ok((failures, Some(id)))
        })
        .await
    }

    async fn write(
        conn: &mut AsyncPgConnection,
        username: &str,
        ip: &str,
        source: Option<&str>,
        success: bool,
    ) -> Result<i64> {
        Ok(diesel::insert_into(login_attempts::table)
            .values((
                login_attempts::username.eq(username),
                login_attempts::ip.eq(ip),
                login_attempts::success.eq(success),
                login_attempts::source.eq(source),
            ))
            .returning(login_attempts::id)
            .get_result(conn)
            .await?)
    }

    /// Removes an attempt written by [`LoginAttempt::begin_unless`] that was not a failure (the
    /// password was right).
    pub async fn forget(conn: &mut AsyncPgConnection, id: i64) -> Result<()> {
        diesel::delete(login_attempts::table.find(id))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Records a failure found after the password (a wrong second factor).
    pub async fn fail(
        conn: &mut AsyncPgConnection,
        username: &str,
        ip: &str,
        source: Option<&str>,
    ) -> Result<()> {
        Self::write(conn, username, ip, source, false)
            .await
            .map(|_| ())
    }

    /// Records a completed sign-in. It clears the account's earlier failures from the same
    /// source, so a person who mistyped once is not held back later, while a stranger's
    /// failures keep counting against strangers.
    pub async fn succeed(
        conn: &mut AsyncPgConnection,
        username: &str,
        ip: &str,
        source: Option<&str>,
    ) -> Result<()> {
        diesel::delete(
            login_attempts::table
                .filter(lower(login_attempts::username).eq(username.to_lowercase()))
                .filter(login_attempts::success.eq(false))
                // NULL (strangers) matches NULL
                .filter(login_attempts::source.is_not_distinct_from(source)),
        )
        .execute(conn)
        .await?;
        Self::write(conn, username, ip, source, true)
            .await
            .map(|_| ())
    }

    /// Failures since `since` naming this account from `source`, and from this address.
    pub async fn failures_since(
        conn: &mut AsyncPgConnection,
        username: &str,
        ip: &str,
        source: Option<&str>,
        since: DateTime<Utc>,
    ) -> Result<Failures> {
        let recent = login_attempts::table
            .filter(login_attempts::success.eq(false))
            .filter(login_attempts::at.gt(since));
        let account = recent.filter(lower(login_attempts::username).eq(username.to_lowercase()));
        let (for_source, oldest_for_source): (i64, Option<DateTime<Utc>>) = account
            .filter(login_attempts::source.is_not_distinct_from(source))
            .select((
                diesel::dsl::count_star(),
                diesel::dsl::min(login_attempts::at),
            ))
            .get_result(conn)
            .await?;
        let (from_ip, oldest_from_ip): (i64, Option<DateTime<Utc>>) = recent
            .filter(login_attempts::ip.eq(ip))
            .select((
                diesel::dsl::count_star(),
                diesel::dsl::min(login_attempts::at),
            ))
            .get_result(conn)
            .await?;
        Ok(Failures {
            for_source,
            from_ip,
            oldest_for_source,
            oldest_from_ip,
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
