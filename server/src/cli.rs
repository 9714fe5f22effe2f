//! Command-line administration (`panel admin create`).

use std::io::BufRead;

use crate::ServerError;

/// Creates an administrator named `username` with the password read from the first line of
/// `input`.
pub async fn create_admin(
    pool: &db::Pool,
    username: &str,
    input: impl BufRead,
    bcrypt_cost: u32,
) -> Result<db::User, ServerError> {
    create_user(pool, username, input, bcrypt_cost, true).await
}

/// Creates a user (an administrator when `admin`), the password read from the first line of
/// `input`.
pub async fn create_user(
    pool: &db::Pool,
    username: &str,
    input: impl BufRead,
    bcrypt_cost: u32,
    admin: bool,
) -> Result<db::User, ServerError> {
    protocol::validate::username(username).map_err(ServerError::Refused)?;
    let password = input
        .lines()
        .next()
        .transpose()
        .map_err(ServerError::io("reading the password"))?
        .unwrap_or_default();
    protocol::validate::new_password(&password).map_err(ServerError::Refused)?;
    let hash = tokio::task::spawn_blocking(move || bcrypt::hash(password, bcrypt_cost))
        .await
        .map_err(|e| ServerError::Refused(e.to_string()))?
        .map_err(|e| ServerError::Refused(e.to_string()))?;
    let mut c = pool.get().await.map_err(db::Error::from)?;
    db::User::create(&mut c, &db::NewUser::new(username, &hash, admin))
        .await
        .map_err(|e| match e {
            db::Error::Conflict(m) => ServerError::Refused(m),
            other => other.into(),
        })
}
