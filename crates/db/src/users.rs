//! Panel accounts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Result;
use crate::error::conflict_on_unique;
use crate::schema::{lower, users};

/// A row of `users`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    /// Public id.
    pub id: Uuid,
    /// Sign-in name, unique without regard to case.
    pub username: String,
    /// bcrypt hash of the password.
    pub password_hash: String,
    /// Administrators manage users, plans, templates and every server.
    pub is_admin: bool,
    /// A disabled user cannot sign in and its sessions stop working.
    pub disabled: bool,
    /// When the account was made.
    pub created_at: DateTime<Utc>,
    /// When the account last changed.
    pub updated_at: DateTime<Utc>,
    /// Quota: servers at most.
    pub max_servers: i32,
    /// Quota: total plan memory of the user's servers, MiB.
    pub max_memory_mib: i32,
    /// Quota: total disk of the user's servers, GiB.
    pub max_disk_gib: i32,
    /// E-mail address (unique without regard to case), matched against a sign-in provider's
    /// verified address when the operator links accounts by address.
    pub email: Option<String>,
}

/// The fields of a user to insert.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    /// Public id (fresh v4 UUID).
    pub id: Uuid,
    /// Sign-in name.
    pub username: &'a str,
    /// bcrypt hash of the password.
    pub password_hash: &'a str,
    /// Administrator or not.
    pub is_admin: bool,
}

impl<'a> NewUser<'a> {
    /// A new user with a fresh id.
    pub fn new(username: &'a str, password_hash: &'a str, is_admin: bool) -> Self {
        Self {
            id: Uuid::new_v4(),
            username,
            password_hash,
            is_admin,
        }
    }
}

/// Advisory lock key that serialises first-run setup (any constant, same in every replica).
const FIRST_ADMIN_LOCK: i64 = 0x6d63_7061_6e65_6c01;

impl User {
    /// How many users exist.
    pub async fn count(conn: &mut AsyncPgConnection) -> Result<i64> {
        Ok(users::table.count().get_result(conn).await?)
    }

    /// Whether any user exists (false only before first-run setup).
    pub async fn any_exist(conn: &mut AsyncPgConnection) -> Result<bool> {
        Ok(
            diesel::select(diesel::dsl::exists(users::table.select(users::id)))
                .get_result(conn)
                .await?,
        )
    }

    /// The user with this id.
    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<User>> {
        Ok(users::table
            .find(id)
            .select(User::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The user with this name, compared without regard to case.
    pub async fn find_by_username(
        conn: &mut AsyncPgConnection,
        username: &str,
    ) -> Result<Option<User>> {
        Ok(users::table
            .filter(lower(users::username).eq(username.to_lowercase()))
            .select(User::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Inserts a user; a taken name is [`crate::Error::Conflict`].
    pub async fn create(conn: &mut AsyncPgConnection, new: &NewUser<'_>) -> Result<User> {
        diesel::insert_into(users::table)
            .values(new)
            .returning(User::as_returning())
            .get_result(conn)
            .await
            .map_err(|e| conflict_on_unique(e, "a user with that name already exists"))
    }

    /// Creates the first administrator, only while no user exists. Returns `None` when a user
    /// already exists. Concurrent callers are serialised by a transaction-scoped advisory lock,
    /// so exactly one of them can win.
    pub async fn create_first_admin(
        conn: &mut AsyncPgConnection,
        username: &str,
        password_hash: &str,
    ) -> Result<Option<User>> {
        let username = username.to_owned();
        let password_hash = password_hash.to_owned();
        conn.transaction::<_, crate::Error, _>(async move |conn| {
            diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                .bind::<diesel::sql_types::BigInt, _>(FIRST_ADMIN_LOCK)
                .execute(conn)
                .await?;
            if User::any_exist(conn).await? {
                return Ok(None);
            }
            let user = User::create(conn, &NewUser::new(&username, &password_hash, true)).await?;
            Ok(Some(user))
        })
        .await
    }

    /// The user with this e-mail address, compared without regard to case.
    pub async fn find_by_email(conn: &mut AsyncPgConnection, email: &str) -> Result<Option<User>> {
        Ok(users::table
            .filter(lower(users::email.assume_not_null()).eq(email.to_lowercase()))
            .select(User::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Replaces the password hash.
    pub async fn set_password_hash(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        password_hash: &str,
    ) -> Result<bool> {
        let n = diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(password_hash),
                users::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await?;
        Ok(n == 1)
    }

    /// Every user, by name (for the administrators' page).
    pub async fn all(conn: &mut AsyncPgConnection) -> Result<Vec<User>> {
        Ok(users::table
            .order(users::username)
            .select(User::as_select())
            .load(conn)
            .await?)
    }

    /// Applies an administrator's changes, refusing (as a conflict, with nothing changed) any
    /// that would leave no enabled administrator. None when there is no such user.
    pub async fn update_by_admin(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        changes: &UserChanges,
    ) -> Result<Option<User>> {
        let changes = changes.clone();
        conn.transaction::<_, crate::Error, _>(async move |conn| {
            // one administrator change at a time, so two cannot each remove "another" admin
            diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                .bind::<diesel::sql_types::BigInt, _>(FIRST_ADMIN_LOCK)
                .execute(conn)
                .await?;
            let Some(user) = User::find(conn, id).await? else {
                return Ok(None);
            };
            if changes.is_empty() {
                return Ok(Some(user));
            }
            let user: User = diesel::update(users::table.find(id))
                .set((&changes, users::updated_at.eq(diesel::dsl::now)))
                .returning(User::as_returning())
                .get_result(conn)
                .await
                .map_err(|e| conflict_on_unique(e, "Another user has that e-mail address."))?;
            let admins: i64 = users::table
                .filter(users::is_admin.eq(true))
                .filter(users::disabled.eq(false))
                .count()
                .get_result(conn)
                .await?;
            if admins == 0 {
                return Err(crate::Error::Conflict(
                    "This would leave the panel without an enabled administrator.".into(),
                ));
            }
            Ok(Some(user))
        })
        .await
    }
}

/// What an administrator may change on a user (None: unchanged).
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    /// Administrator or not.
    pub is_admin: Option<bool>,
    /// Disabled (cannot sign in; sessions and tokens stop) or not.
    pub disabled: Option<bool>,
    /// Most servers.
    pub max_servers: Option<i32>,
    /// Most memory over all servers, MiB.
    pub max_memory_mib: Option<i32>,
    /// Most disk over all servers, GiB.
    pub max_disk_gib: Option<i32>,
    /// E-mail address (`Some(None)`: removed).
    pub email: Option<Option<String>>,
}

impl UserChanges {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.is_admin.is_none()
            && self.disabled.is_none()
            && self.max_servers.is_none()
            && self.max_memory_mib.is_none()
            && self.max_disk_gib.is_none()
            && self.email.is_none()
    }
}
