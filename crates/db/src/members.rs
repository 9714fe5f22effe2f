//! Server members (sub-users): who else may act on a server, and with which permissions.

use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Result;
use crate::schema::{server_members, users};

/// A user's share of a server.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = server_members)]
pub struct Member {
    /// The server.
    pub server_id: Uuid,
    /// The member.
    pub user_id: Uuid,
    /// Permission names (`console.read`, `files.write`...).
    pub permissions: Vec<String>,
    /// When the share was made.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When its permissions last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Member {
    /// `user`'s share of `server`, if any.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        server: Uuid,
        user: Uuid,
    ) -> Result<Option<Member>> {
        Ok(server_members::table
            .find((server, user))
            .select(Member::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Every share of the given servers (one query, for the socket sweep).
    pub async fn of_servers(conn: &mut AsyncPgConnection, servers: &[Uuid]) -> Result<Vec<Member>> {
        if servers.is_empty() {
            return Ok(Vec::new());
        }
        Ok(server_members::table
            .filter(server_members::server_id.eq_any(servers))
            .select(Member::as_select())
            .load(conn)
            .await?)
    }

    /// A server's members with their usernames, by username.
    pub async fn list(conn: &mut AsyncPgConnection, server: Uuid) -> Result<Vec<(Member, String)>> {
        Ok(server_members::table
            .inner_join(users::table)
            .filter(server_members::server_id.eq(server))
            .order(users::username)
            .select((Member::as_select(), users::username))
            .load(conn)
            .await?)
    }

    /// Adds `user` to `server` with `permissions`, or replaces the permissions of a member.
    pub async fn upsert(
        conn: &mut AsyncPgConnection,
        server: Uuid,
        user: Uuid,
        permissions: &[String],
    ) -> Result<Member> {
        Ok(diesel::insert_into(server_members::table)
            .values((
                server_members::server_id.eq(server),
                server_members::user_id.eq(user),
                server_members::permissions.eq(permissions),
            ))
            .on_conflict((server_members::server_id, server_members::user_id))
            .do_update()
            .set((
                server_members::permissions.eq(excluded(server_members::permissions)),
                server_members::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Member::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Removes `user` from `server`; false when they were not a member.
    pub async fn remove(conn: &mut AsyncPgConnection, server: Uuid, user: Uuid) -> Result<bool> {
        Ok(diesel::delete(server_members::table.find((server, user)))
            .execute(conn)
            .await?
            > 0)
    }

    /// The servers `user` is a member of.
    pub async fn servers_of(conn: &mut AsyncPgConnection, user: Uuid) -> Result<Vec<Uuid>> {
        Ok(server_members::table
            .filter(server_members::user_id.eq(user))
            .select(server_members::server_id)
            .load(conn)
            .await?)
    }
}
