//! Who a sign-in provider says a user is ([`Identity`]), and the sign-ins under way through one
//! ([`SsoLogin`]).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Result;
use crate::error::conflict_on_unique;
use crate::schema::{sso_logins, user_identities, users};
use crate::users::{NewUser, User};

/// A row of `user_identities`: the provider `issuer` names user `user_id` `subject`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = user_identities, check_for_backend(diesel::pg::Pg))]
pub struct Identity {
    /// The provider's issuer URL.
    pub issuer: String,
    /// The provider's stable name for the user (`sub`).
    pub subject: String,
    /// The panel's user.
    pub user_id: Uuid,
    /// When the identity was linked.
    pub created_at: DateTime<Utc>,
    /// When it last signed in.
    pub last_used_at: DateTime<Utc>,
}

impl Identity {
    /// The user the provider `issuer` names `subject`, noting the sign-in.
    pub async fn user_of(
        conn: &mut AsyncPgConnection,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<User>> {
        let user_id: Option<Uuid> = diesel::update(user_identities::table.find((issuer, subject)))
            .set(user_identities::last_used_at.eq(diesel::dsl::now))
            .returning(user_identities::user_id)
            .get_result(conn)
            .await
            .optional()?;
        match user_id {
            Some(id) => User::find(conn, id).await,
            None => Ok(None),
        }
    }

    /// Links `subject` of `issuer` to an existing user; a conflict when that user already has
    /// another identity at this issuer (or the subject was linked meanwhile).
    pub async fn link(
        conn: &mut AsyncPgConnection,
        issuer: &str,
        subject: &str,
        user_id: Uuid,
    ) -> Result<()> {
        diesel::insert_into(user_identities::table)
            .values((
                user_identities::issuer.eq(issuer),
                user_identities::subject.eq(subject),
                user_identities::user_id.eq(user_id),
            ))
            .execute(conn)
            .await
            .map_err(|e| conflict_on_unique(e, "that account is linked to another sign-in"))?;
        Ok(())
    }

    /// Creates a user and its identity together. `username` is tried as it is, then with `-2`,
    /// `-3`... while taken; `email` is kept only when no other user has it.
    pub async fn create_user(
        conn: &mut AsyncPgConnection,
        issuer: &str,
        subject: &str,
        new: NewUser<'_>,
        email: Option<&str>,
    ) -> Result<User> {
        let issuer = issuer.to_owned();
        let subject = subject.to_owned();
        let base = new.username.to_owned();
        let hash = new.password_hash.to_owned();
        let is_admin = new.is_admin;
        let email = email.map(str::to_owned);
        conn.transaction::<_, crate::Error, _>(async move |conn| {
            let mut name = base.clone();
            for n in 2.. {
                if User::find_by_username(conn, &name).await?.is_none() {
                    break;
                }
                let suffix = format!("-{n}");
                let keep = protocol::validate::USERNAME_MAX.saturating_sub(suffix.len());
                name = format!("{}{suffix}", &base[..base.len().min(keep)]);
            }
            let user = User::create(conn, &NewUser::new(&name, &hash, is_admin)).await?;
            let user = match email {
                Some(email) if User::find_by_email(conn, &email).await?.is_none() => {
                    diesel::update(users::table.find(user.id))
                        .set(users::email.eq(email))
                        .returning(User::as_returning())
                        .get_result(conn)
                        .await?
                }
                _ => user,
            };
            Identity::link(conn, &issuer, &subject, user.id).await?;
            Ok(user)
        })
        .await
    }

    /// Every linked user with the issuer it is linked at (for the administrators' page).
    pub async fn all_issuers(conn: &mut AsyncPgConnection) -> Result<Vec<(Uuid, String)>> {
        Ok(user_identities::table
            .select((user_identities::user_id, user_identities::issuer))
            .order(user_identities::issuer)
            .load(conn)
            .await?)
    }
}

/// A row of `sso_logins`: a sign-in sent to the provider and not yet back.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sso_logins, check_for_backend(diesel::pg::Pg))]
pub struct SsoLogin {
    /// SHA-256 (hex) of the `state` sent to the provider.
    pub state_hash: String,
    /// SHA-256 (hex) of the cookie given to the browser that started it.
    pub browser_hash: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier of the challenge sent.
    pub pkce_verifier: String,
    /// When it started.
    pub created_at: DateTime<Utc>,
}

impl SsoLogin {
    /// Stores a sign-in under way, first removing those older than `max_age`.
    pub async fn start(
        conn: &mut AsyncPgConnection,
        login: &SsoLogin,
        max_age: chrono::Duration,
    ) -> Result<()> {
        diesel::delete(sso_logins::table.filter(sso_logins::created_at.lt(Utc::now() - max_age)))
            .execute(conn)
            .await?;
        diesel::insert_into(sso_logins::table)
            .values(login)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Takes the sign-in whose state hashes to `state_hash`: it is removed, so a state is
    /// answered once, whoever asks first.
    pub async fn take(conn: &mut AsyncPgConnection, state_hash: &str) -> Result<Option<SsoLogin>> {
        Ok(diesel::delete(sso_logins::table.find(state_hash))
            .returning(SsoLogin::as_returning())
            .get_result(conn)
            .await
            .optional()?)
    }
}
