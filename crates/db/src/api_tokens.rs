//! API tokens: named, scoped, optionally expiring credentials for scripts. Only a hash of the
//! secret is stored; the secret is shown once, at creation.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Result;
use crate::schema::{api_tokens, users};
use crate::users::User;

/// A token's row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    /// Id.
    pub id: Uuid,
    /// Whose.
    pub user_id: Uuid,
    /// Its name, for people.
    pub name: String,
    /// The first characters of the secret, to recognise it.
    pub prefix: String,
    /// SHA-256 of the secret, hex.
    pub token_hash: String,
    /// What it may do (permission names, and `admin`).
    pub scopes: Vec<String>,
    /// When it stops working (None: never).
    pub expires_at: Option<DateTime<Utc>>,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last used (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A token to insert.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewApiToken<'a> {
    /// Id.
    pub id: Uuid,
    /// Whose.
    pub user_id: Uuid,
    /// Name.
    pub name: &'a str,
    /// Recognisable start of the secret.
    pub prefix: &'a str,
    /// SHA-256 of the secret, hex.
    pub token_hash: &'a str,
    /// Scopes.
    pub scopes: &'a [String],
    /// Expiry.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A token that is neither revoked nor expired at `now`, of an enabled user (for queries joined
/// with `users`).
#[diesel::dsl::auto_type]
fn live(now: DateTime<Utc>) -> _ {
    api_tokens::revoked_at
        .is_null()
        .and(
            api_tokens::expires_at
                .is_null()
                .or(api_tokens::expires_at.gt(now)),
        )
        .and(users::disabled.eq(false))
}

impl ApiToken {
    /// Stores a new token.
    pub async fn create(conn: &mut AsyncPgConnection, new: &NewApiToken<'_>) -> Result<ApiToken> {
        Ok(diesel::insert_into(api_tokens::table)
            .values(new)
            .returning(ApiToken::as_returning())
            .get_result(conn)
            .await?)
    }

    /// The live token with this hash and its (enabled) user; marks it used (at most once a
    /// minute).
    pub async fn find_active(
        conn: &mut AsyncPgConnection,
        hash: &str,
    ) -> Result<Option<(ApiToken, User)>> {
        let now = Utc::now();
        let found: Option<(ApiToken, User)> = api_tokens::table
            .inner_join(users::table)
            .filter(api_tokens::token_hash.eq(hash))
            .filter(live(now))
            .select((ApiToken::as_select(), User::as_select()))
            .first(conn)
            .await
            .optional()?;
        if let Some((t, _)) = &found
            && t.last_used_at
                .is_none_or(|l| now - l > chrono::Duration::minutes(1))
        {
            diesel::update(api_tokens::table.find(t.id))
                .set(api_tokens::last_used_at.eq(now))
                .execute(conn)
                .await?;
        }
        Ok(found)
    }

    /// Which of these token ids are still live, with their users (for the socket sweep).
    pub async fn find_active_many(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> Result<Vec<(ApiToken, User)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let now = Utc::now();
        Ok(api_tokens::table
            .inner_join(users::table)
            .filter(api_tokens::id.eq_any(ids))
            .filter(live(now))
            .select((ApiToken::as_select(), User::as_select()))
            .load(conn)
            .await?)
    }

    /// A user's tokens that are not revoked, newest first.
    pub async fn list(conn: &mut AsyncPgConnection, user: Uuid) -> Result<Vec<ApiToken>> {
        Ok(api_tokens::table
            .filter(api_tokens::user_id.eq(user))
            .filter(api_tokens::revoked_at.is_null())
            .order(api_tokens::created_at.desc())
            .select(ApiToken::as_select())
            .load(conn)
            .await?)
    }

    /// Revokes one of `user`'s tokens; false when there is no such live token.
    pub async fn revoke(conn: &mut AsyncPgConnection, id: Uuid, user: Uuid) -> Result<bool> {
        Ok(diesel::update(
            api_tokens::table
                .filter(api_tokens::id.eq(id))
                .filter(api_tokens::user_id.eq(user))
                .filter(api_tokens::revoked_at.is_null()),
        )
        .set(api_tokens::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await?
            > 0)
    }

    /// Revokes every live token of a user (when they are disabled); returns how many.
    pub async fn revoke_all_for_user(conn: &mut AsyncPgConnection, user: Uuid) -> Result<usize> {
        Ok(diesel::update(
            api_tokens::table
                .filter(api_tokens::user_id.eq(user))
                .filter(api_tokens::revoked_at.is_null()),
        )
        .set(api_tokens::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await?)
    }
}
