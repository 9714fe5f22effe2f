//! The audit log: every mutating action, who, on what, and how it ended.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Result;
use crate::schema::audit_log;

/// Namespace for audit queries.
pub struct Audit;

/// One entry to record.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry<'a> {
    /// Who acted (None: the system).
    pub actor_id: Option<Uuid>,
    /// On which server.
    pub server_id: Option<Uuid>,
    /// What (e.g. `server.create`).
    pub action: &'a str,
    /// Extra detail (a name, a variable).
    pub target: Option<&'a str>,
    /// `ok`, or the refusal.
    pub outcome: &'a str,
    /// The client's address.
    pub ip: Option<&'a str>,
}

impl Audit {
    /// Records an entry.
    pub async fn record(conn: &mut AsyncPgConnection, entry: &AuditEntry<'_>) -> Result<()> {
        diesel::insert_into(audit_log::table)
            .values(entry)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// The actions recorded for a server, oldest first (for tests and the audit page).
    pub async fn actions_for(
        conn: &mut AsyncPgConnection,
        server: Uuid,
    ) -> Result<Vec<(String, String)>> {
        Ok(audit_log::table
            .filter(audit_log::server_id.eq(server))
            .order(audit_log::id)
            .select((audit_log::action, audit_log::outcome))
            .load(conn)
            .await?)
    }

    /// Entries newest first, with the actor's username and the server's name: only of
    /// `servers` when given (None: all), of one `server`, with `action` starting with a prefix,
    /// older than the entry `before`; at most `limit`.
    pub async fn search(
        conn: &mut AsyncPgConnection,
        filter: &AuditFilter<'_>,
    ) -> Result<Vec<(AuditRow, Option<String>, Option<String>)>> {
        use crate::schema::{servers, users};
        let mut q = audit_log::table
            .left_join(users::table.on(audit_log::actor_id.eq(users::id.nullable())))
            .left_join(servers::table.on(audit_log::server_id.eq(servers::id.nullable())))
            .select((
                AuditRow::as_select(),
                users::username.nullable(),
                servers::name.nullable(),
            ))
            .order(audit_log::id.desc())
            .limit(filter.limit)
            .into_boxed();
        if let Some(ids) = filter.servers {
            q = q.filter(audit_log::server_id.eq_any(ids.to_vec()));
        }
        if let Some(id) = filter.server {
            q = q.filter(audit_log::server_id.eq(id));
        }
        if let Some(prefix) = filter.action.filter(|a| !a.is_empty()) {
            let escaped = prefix
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            q = q.filter(audit_log::action.like(format!("{escaped}%")));
        }
        if let Some(before) = filter.before {
            q = q.filter(audit_log::id.lt(before));
        }
        Ok(q.load(conn).await?)
    }

    /// Deletes entries older than `days`; returns how many.
    pub async fn prune(conn: &mut AsyncPgConnection, days: i64) -> Result<usize> {
        let cutoff = chrono::Utc::now() - chrono::Duration::days(days);
        Ok(
            diesel::delete(audit_log::table.filter(audit_log::at.lt(cutoff)))
                .execute(conn)
                .await?,
        )
    }
}

/// What [`Audit::search`] looks for.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter<'a> {
    /// Only these servers (None: every entry, for administrators).
    pub servers: Option<&'a [Uuid]>,
    /// Only this server.
    pub server: Option<Uuid>,
    /// Actions starting with this (`file.`, `server.create`).
    pub action: Option<&'a str>,
    /// Entries older than this id (paging).
    pub before: Option<i64>,
    /// At most this many.
    pub limit: i64,
}

/// A recorded entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    /// Id (increasing).
    pub id: i64,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who (None: the system).
    pub actor_id: Option<Uuid>,
    /// On which server.
    pub server_id: Option<Uuid>,
    /// What.
    pub action: String,
    /// Detail.
    pub target: Option<String>,
    /// `ok` or the refusal.
    pub outcome: String,
    /// The client's address.
    pub ip: Option<String>,
}
