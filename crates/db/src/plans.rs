//! Resource plans.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Result;
use crate::schema::plans;

/// A row of `plans`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = plans, check_for_backend(diesel::pg::Pg))]
pub struct Plan {
    /// Id.
    pub id: Uuid,
    /// Short unique name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// CPU request, millicores.
    pub cpu_request_millis: i32,
    /// CPU limit, millicores.
    pub cpu_limit_millis: i32,
    /// Memory, MiB.
    pub memory_mib: i32,
    /// Disk, GiB.
    pub disk_gib: i32,
    /// Made at.
    pub created_at: DateTime<Utc>,
}

impl Plan {
    /// Every plan, smallest first.
    pub async fn all(conn: &mut AsyncPgConnection) -> Result<Vec<Plan>> {
        Ok(plans::table
            .order((plans::memory_mib, plans::name))
            .select(Plan::as_select())
            .load(conn)
            .await?)
    }

    /// One plan.
    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<Plan>> {
        Ok(plans::table
            .find(id)
            .select(Plan::as_select())
            .first(conn)
            .await
            .optional()?)
    }
}
