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
    /// How many backups its servers keep (0: none).
    pub max_backups: i32,
    /// GiB of backups each of its servers may keep (0: no limit).
    pub max_backup_gib: i32,
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

    /// Adds a plan.
    pub async fn create(conn: &mut AsyncPgConnection, new: &NewPlan<'_>) -> Result<Plan> {
        diesel::insert_into(plans::table)
            .values(new)
            .returning(Plan::as_returning())
            .get_result(conn)
            .await
            .map_err(|e| {
                crate::error::conflict_on_unique(e, "a plan with that slug already exists")
            })
    }

    /// Renames a plan (its resources never change in place: servers on it would restart).
    pub async fn rename(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        name: &str,
    ) -> Result<Option<Plan>> {
        Ok(diesel::update(plans::table.find(id))
            .set(plans::name.eq(name))
            .returning(Plan::as_returning())
            .get_result(conn)
            .await
            .optional()?)
    }

    /// Deletes a plan no server uses; Conflict while one does, false when there is none.
    pub async fn delete_unused(conn: &mut AsyncPgConnection, id: Uuid) -> Result<bool> {
        use crate::schema::servers;
        let used: i64 = servers::table
            .filter(servers::plan_id.eq(id).or(servers::pending_plan_id.eq(id)))
            .count()
            .get_result(conn)
            .await?;
        if used > 0 {
            return Err(crate::Error::Conflict(format!(
                "{used} server(s) use this plan; move them to another plan first."
            )));
        }
        Ok(diesel::delete(plans::table.find(id)).execute(conn).await? == 1)
    }
}

/// A plan to add.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = plans)]
pub struct NewPlan<'a> {
    /// Id.
    pub id: Uuid,
    /// Short unique name.
    pub slug: &'a str,
    /// Display name.
    pub name: &'a str,
    /// CPU request, millicores.
    pub cpu_request_millis: i32,
    /// CPU limit, millicores.
    pub cpu_limit_millis: i32,
    /// Memory, MiB.
    pub memory_mib: i32,
    /// Disk, GiB.
    pub disk_gib: i32,
    /// Backups each server keeps.
    pub max_backups: i32,
    /// GiB of backups each server may keep (0: no limit).
    pub max_backup_gib: i32,
}
