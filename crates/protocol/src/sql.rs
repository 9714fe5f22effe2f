//! [`Desired`], [`ServerState`] and [`BackupState`] as the Postgres enums `server_desired`,
//! `server_status` and `backup_state`
//! (feature `diesel`, for the data layer; never in the browser build).

use std::io::Write;

use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};

use crate::state::{BackupState, Desired, ServerState};

/// The SQL type `server_desired`.
#[derive(
    Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId,
)]
#[diesel(postgres_type(name = "server_desired"))]
pub struct ServerDesired;

/// The SQL type `server_status`.
#[derive(
    Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId,
)]
#[diesel(postgres_type(name = "server_status"))]
pub struct ServerStatus;

/// The SQL type `backup_state`.
#[derive(
    Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId,
)]
#[diesel(postgres_type(name = "backup_state"))]
pub struct BackupStatus;

fn name_of(bytes: &[u8]) -> deserialize::Result<&str> {
    Ok(std::str::from_utf8(bytes)?)
}

macro_rules! pg_enum {
    ($ty:ty, $sql:ty) => {
        impl ToSql<$sql, Pg> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                out.write_all(self.as_str().as_bytes())?;
                Ok(IsNull::No)
            }
        }

        impl FromSql<$sql, Pg> for $ty {
            fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                Ok(name_of(value.as_bytes())?.parse::<$ty>()?)
            }
        }
    };
}

pg_enum!(Desired, ServerDesired);
pg_enum!(ServerState, ServerStatus);
pg_enum!(BackupState, BackupStatus);
