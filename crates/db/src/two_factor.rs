//! Two-factor sign-in state: TOTP secrets (pending while being set up, then confirmed), the
//! last accepted time step, and single-use recovery codes (hashed).

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Result;
use crate::schema::{recovery_codes, users};

/// Namespace for two-factor queries.
pub struct TwoFactor;

/// A user's two-factor columns.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct TwoFactorState {
    /// The confirmed secret (base32); None: two-factor is off.
    pub totp_secret: Option<String>,
    /// A secret being set up, not yet confirmed by a code.
    pub totp_pending: Option<String>,
    /// The last time step a code was accepted for.
    pub totp_last_step: Option<i64>,
}

impl TwoFactor {
    /// A user's two-factor state.
    pub async fn state(conn: &mut AsyncPgConnection, user: Uuid) -> Result<Option<TwoFactorState>> {
        Ok(users::table
            .find(user)
            .select(TwoFactorState::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Stores a secret being set up (replacing an earlier one being set up).
    pub async fn set_pending(conn: &mut AsyncPgConnection, user: Uuid, secret: &str) -> Result<()> {
        diesel::update(users::table.find(user))
            .set(users::totp_pending.eq(secret))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Confirms the pending secret and replaces the recovery codes, in one transaction.
    pub async fn enable(
        conn: &mut AsyncPgConnection,
        user: Uuid,
        secret: &str,
        step: i64,
        code_hashes: &[String],
    ) -> Result<()> {
        let (secret, hashes) = (secret.to_owned(), code_hashes.to_vec());
        conn.transaction::<_, crate::Error, _>(async move |conn| {
            diesel::update(users::table.find(user))
                .set((
                    users::totp_secret.eq(Some(&secret)),
                    users::totp_pending.eq(None::<String>),
                    users::totp_last_step.eq(Some(step)),
                ))
                .execute(conn)
                .await?;
            diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user)))
                .execute(conn)
                .await?;
            let rows: Vec<_> = hashes
                .iter()
                .map(|h| {
                    (
                        recovery_codes::user_id.eq(user),
                        recovery_codes::code_hash.eq(h),
                    )
                })
                .collect();
            diesel::insert_into(recovery_codes::table)
                .values(rows)
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
    }

    /// The users who sign in with a second factor (for the administrators' list).
    pub async fn enabled_users(conn: &mut AsyncPgConnection) -> Result<Vec<Uuid>> {
        Ok(users::table
            .filter(users::totp_secret.is_not_null())
            .select(users::id)
            .load(conn)
            .await?)
    }

    /// Turns two-factor off and forgets the recovery codes.
    pub async fn disable(conn: &mut AsyncPgConnection, user: Uuid) -> Result<()> {
        diesel::update(users::table.find(user))
            .set((
                users::totp_secret.eq(None::<String>),
                users::totp_pending.eq(None::<String>),
                users::totp_last_step.eq(None::<i64>),
            ))
            .execute(conn)
            .await?;
        diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user)))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Records that a code of time step `step` was accepted, only if no later or equal step
    /// was (so a code works once); returns whether it was recorded.
    pub async fn accept_step(conn: &mut AsyncPgConnection, user: Uuid, step: i64) -> Result<bool> {
        Ok(diesel::update(
            users::table.find(user).filter(
                users::totp_last_step
                    .is_null()
                    .or(users::totp_last_step.lt(step)),
            ),
        )
        .set(users::totp_last_step.eq(Some(step)))
        .execute(conn)
        .await?
            == 1)
    }

    /// Uses up a recovery code (by hash); returns whether it was there and unused.
    pub async fn use_recovery_code(
        conn: &mut AsyncPgConnection,
        user: Uuid,
        hash: &str,
    ) -> Result<bool> {
        Ok(diesel::update(
            recovery_codes::table
                .filter(recovery_codes::user_id.eq(user))
                .filter(recovery_codes::code_hash.eq(hash))
                .filter(recovery_codes::used_at.is_null()),
        )
        .set(recovery_codes::used_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?
            == 1)
    }

    /// How many recovery codes are left unused.
    pub async fn codes_left(conn: &mut AsyncPgConnection, user: Uuid) -> Result<i64> {
        Ok(recovery_codes::table
            .filter(recovery_codes::user_id.eq(user))
            .filter(recovery_codes::used_at.is_null())
            .count()
            .get_result(conn)
            .await?)
    }
}
