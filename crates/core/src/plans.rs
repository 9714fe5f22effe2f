//! Plans, for administrators: add, rename, delete unused ones. A plan's resources never change
//! in place (every server on it would be restarted by the next reconcile): make a new plan and
//! move servers to it.

use uuid::Uuid;

use crate::audit;
use crate::authorize::{AdminTask, require_admin};
use crate::servers::plan_dto;
use crate::{Actor, AppState, conn};
use protocol::AppError;
use protocol::dto::{NewPlanDto, PlanDto};

/// Checks a new plan; the message says what is wrong.
pub fn check(p: &NewPlanDto) -> Result<(), String> {
    let slug_ok = (1..=32).contains(&p.slug.len())
        && p.slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !p.slug.starts_with('-');
    if !slug_ok {
        return Err(crate::msg!("plans-check-slug"));
    }
    if p.name.trim().is_empty() || p.name.chars().count() > 64 {
        return Err(crate::msg!("plans-check-name"));
    }
    if !(100..=64_000).contains(&p.cpu_limit_millis) {
        return Err(crate::msg!("plans-check-cpu-limit"));
    }
    if !(50..=p.cpu_limit_millis).contains(&p.cpu_request_millis) {
        return Err(crate::msg!("plans-check-cpu-request"));
    }
    if !(512..=262_144).contains(&p.memory_mib) {
        return Err(crate::msg!("plans-check-memory"));
    }
    if !(1..=10_240).contains(&p.disk_gib) {
        return Err(crate::msg!("plans-check-disk"));
    }
    if !(0..=1000).contains(&p.max_backups) {
        return Err(crate::msg!("plans-check-backups"));
    }
    if !(0..=100_000).contains(&p.max_backup_gib) {
        return Err(crate::msg!("plans-check-backup-space"));
    }
    Ok(())
}

/// Adds a plan.
pub async fn create(state: &AppState, actor: &Actor, p: NewPlanDto) -> Result<PlanDto, AppError> {
    require_admin(actor, AdminTask::Plans)?;
    check(&p).map_err(|e| AppError::bad_request(crate::msg!("plans-invalid", "reason" => e)))?;
    let mut c = conn(state).await?;
    let plan = db::Plan::create(
        &mut c,
        &db::plans::NewPlan {
            id: Uuid::new_v4(),
            slug: &p.slug,
            name: p.name.trim(),
            cpu_request_millis: p.cpu_request_millis,
            cpu_limit_millis: p.cpu_limit_millis,
            memory_mib: p.memory_mib,
            disk_gib: p.disk_gib,
            max_backups: p.max_backups,
            max_backup_gib: p.max_backup_gib,
        },
    )
    .await?;
    drop(c);
    audit::record(state, actor, None, "plan.create", Some(&p.slug), "ok").await;
    Ok(plan_dto(&plan))
}

/// Renames a plan.
pub async fn rename(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    name: &str,
) -> Result<PlanDto, AppError> {
    require_admin(actor, AdminTask::Plans)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(AppError::bad_request(crate::msg!("plans-name-length")));
    }
    let mut c = conn(state).await?;
    let plan = db::Plan::rename(&mut c, id, name)
        .await?
        .ok_or_else(|| AppError::not_found(crate::msg!("plans-not-found")))?;
    drop(c);
    audit::record(state, actor, None, "plan.rename", Some(name), "ok").await;
    Ok(plan_dto(&plan))
}

/// Deletes a plan no server uses.
pub async fn delete(state: &AppState, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    require_admin(actor, AdminTask::Plans)?;
    let mut c = conn(state).await?;
    if !db::Plan::delete_unused(&mut c, id).await? {
        return Err(AppError::not_found(crate::msg!("plans-not-found")));
    }
    drop(c);
    audit::record(
        state,
        actor,
        None,
        "plan.delete",
        Some(&id.to_string()),
        "ok",
    )
    .await;
    Ok(())
}
