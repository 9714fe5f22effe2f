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
}
