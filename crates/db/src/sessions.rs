//! Sign-in sessions. A session cookie's JWT names one row here; every request checks it, so
//! revoking a row signs that browser out at once.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Result;
use crate::schema::{sessions, users};
use crate::users::User;

/// A row of `sessions`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = sessions, belongs_to(User), check_for_backend(diesel::pg::Pg))]
pub struct Session {
    /// Session id, carried in the JWT's `sid` claim.
    pub id: Uuid,
    /// Whose session.
    pub user_id: Uuid,
    /// When it was opened (sign-in).
    pub created_at: DateTime<Utc>,
    /// When it was last seen (updated at most every few minutes).
    pub last_seen_at: DateTime<Utc>,
    /// Absolute end of the session.
    pub expires_at: DateTime<Utc>,
    /// Set by logout or revocation.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Client address at sign-in.
    pub ip: Option<String>,
    /// Browser's user agent at sign-in.
    pub user_agent: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = sessions)]
struct NewSession<'a> {
    id: Uuid,
    user_id: Uuid,
    expires_at: DateTime<Utc>,
    ip: Option<&'a str>,
    user_agent: Option<&'a str>,
}

impl Session {
    /// Opens a session for `user_id` lasting `ttl`.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        user_id: Uuid,
        ttl: Duration,
        ip: Option<&str>,
        user_agent: Option<&str>,
    ) -> Result<Session> {
        Ok(diesel::insert_into(sessions::table)
            .values(NewSession {
                id: Uuid::new_v4(),
                user_id,
                expires_at: Utc::now() + ttl,
                ip,
                user_agent,
            })
            .returning(Session::as_returning())
            .get_result(conn)
            .await?)
    }

    /// The session `id` with its user, only if it is neither revoked nor expired and its user
    /// is not disabled.
    pub async fn find_active(
        conn: &mut AsyncPgConnection,
        id: Uuid,
    ) -> Result<Option<(Session, User)>> {
        Ok(sessions::table
            .inner_join(users::table)
            .filter(sessions::id.eq(id))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::expires_at.gt(diesel::dsl::now))
            .filter(users::disabled.eq(false))
            .select((Session::as_select(), User::as_select()))
            .first(conn)
            .await
            .optional()?)
    }

    /// Of `ids`, the sessions still active, with their users (one query for every open socket).
    pub async fn find_active_many(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> Result<Vec<(Session, User)>> {
        Ok(sessions::table
            .inner_join(users::table)
            .filter(sessions::id.eq_any(ids))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::expires_at.gt(diesel::dsl::now))
            .filter(users::disabled.eq(false))
            .select((Session::as_select(), User::as_select()))
            .load(conn)
            .await?)
    }

    /// Records that the session was used now.
    pub async fn touch(conn: &mut AsyncPgConnection, id: Uuid) -> Result<()> {
        diesel::update(sessions::table.find(id))
            .set(sessions::last_seen_at.eq(diesel::dsl::now))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Revokes one session; returns whether it was active.
    pub async fn revoke(conn: &mut AsyncPgConnection, id: Uuid) -> Result<bool> {
        let n = diesel::update(
            sessions::table
                .find(id)
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Revokes every active session of a user except `keep`; returns how many.
    pub async fn revoke_all_for_user(
        conn: &mut AsyncPgConnection,
        user_id: Uuid,
        keep: Option<Uuid>,
    ) -> Result<usize> {
        let keep = keep.unwrap_or(Uuid::nil());
        Ok(diesel::update(
            sessions::table
                .filter(sessions::user_id.eq(user_id))
                .filter(sessions::id.ne(keep))
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?)
    }

    /// A user's active sessions, most recently used first.
    pub async fn list_active_for_user(
        conn: &mut AsyncPgConnection,
        user_id: Uuid,
    ) -> Result<Vec<Session>> {
        Ok(sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::expires_at.gt(diesel::dsl::now))
            .order(sessions::last_seen_at.desc())
            .select(Session::as_select())
            .load(conn)
            .await?)
    }

    /// Revokes one of `user_id`'s sessions; false when it is not theirs or not active.
    pub async fn revoke_for_user(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        user_id: Uuid,
    ) -> Result<bool> {
        let n = diesel::update(
            sessions::table
                .find(id)
                .filter(sessions::user_id.eq(user_id))
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// How many sessions are active now (for `/metrics`).
    pub async fn count_active(conn: &mut AsyncPgConnection) -> Result<i64> {
        Ok(sessions::table
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::expires_at.gt(diesel::dsl::now))
            .count()
            .get_result(conn)
            .await?)
    }
}
