//! Backups: a row per restic snapshot of a server's world the panel made or is making. One runs
//! per server at a time (a partial unique index), and a running row is alive while its driver
//! beats.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use protocol::BackupState;
use uuid::Uuid;

use crate::error::conflict_on_unique;
use crate::schema::{backup_settings, backups};
use crate::{Error, Result};

/// A row of `backups`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = backups, check_for_backend(diesel::pg::Pg))]
pub struct Backup {
    /// Id (also a tag on its snapshot).
    pub id: Uuid,
    /// The server it is of.
    pub server_id: Uuid,
    /// Its name.
    pub name: String,
    /// Running, done or failed.
    pub state: BackupState,
    /// Never removed to make room, never deleted while locked.
    pub locked: bool,
    /// The restic snapshot (done).
    pub snapshot_id: Option<String>,
    /// Files in it.
    pub files: i64,
    /// Bytes of the world it holds.
    pub bytes: i64,
    /// Bytes it added to the repository.
    pub added_bytes: i64,
    /// Why it failed.
    pub error: Option<String>,
    /// Who asked for it (None: a schedule, or a user since deleted).
    pub started_by: Option<Uuid>,
    /// Started at.
    pub started_at: DateTime<Utc>,
    /// Its driver's last beat (running), or its last change.
    pub updated_at: DateTime<Utc>,
    /// Ended at.
    pub finished_at: Option<DateTime<Utc>>,
}

/// What a finished backup holds (restic's summary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Made {
    /// The snapshot's id.
    pub snapshot_id: String,
    /// Files in it.
    pub files: i64,
    /// Bytes of the world.
    pub bytes: i64,
    /// Bytes added to the repository.
    pub added_bytes: i64,
    /// A warning kept beside a usable snapshot (some files could not be read).
    pub warning: Option<String>,
}

impl Backup {
    /// Starts a backup row, refused (a conflict) while another runs for the server.
    pub async fn start(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        server: Uuid,
        name: &str,
        by: Option<Uuid>,
    ) -> Result<Backup> {
        diesel::insert_into(backups::table)
            .values((
                backups::id.eq(id),
                backups::server_id.eq(server),
                backups::name.eq(name),
                backups::started_by.eq(by),
            ))
            .returning(Backup::as_returning())
            .get_result(conn)
            .await
            .map_err(|e| conflict_on_unique(e, "a backup of this server is already running"))
    }

    /// A server's backups, newest first.
    pub async fn of_server(conn: &mut AsyncPgConnection, server: Uuid) -> Result<Vec<Backup>> {
        Ok(backups::table
            .filter(backups::server_id.eq(server))
            .order(backups::started_at.desc())
            .select(Backup::as_select())
            .load(conn)
            .await?)
    }

    /// One backup of `server`.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        server: Uuid,
        id: Uuid,
    ) -> Result<Option<Backup>> {
        Ok(backups::table
            .filter(backups::server_id.eq(server))
            .find(id)
            .select(Backup::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The driver's beat: the row is still being worked on.
    pub async fn beat(conn: &mut AsyncPgConnection, id: Uuid) -> Result<()> {
        diesel::update(
            backups::table
                .find(id)
                .filter(backups::state.eq(BackupState::Running)),
        )
        .set(backups::updated_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
        Ok(())
    }

    /// Marks a running backup done with what it holds; false when it was not running.
    pub async fn finish(conn: &mut AsyncPgConnection, id: Uuid, made: &Made) -> Result<bool> {
        let n = diesel::update(
            backups::table
                .find(id)
                .filter(backups::state.eq(BackupState::Running)),
        )
        .set((
            backups::state.eq(BackupState::Done),
            backups::snapshot_id.eq(&made.snapshot_id),
            backups::files.eq(made.files),
            backups::bytes.eq(made.bytes),
            backups::added_bytes.eq(made.added_bytes),
            backups::error.eq(&made.warning),
            backups::updated_at.eq(diesel::dsl::now),
            backups::finished_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Marks a running backup failed, with why; false when it was not running.
    pub async fn fail(conn: &mut AsyncPgConnection, id: Uuid, why: &str) -> Result<bool> {
        let n = diesel::update(
            backups::table
                .find(id)
                .filter(backups::state.eq(BackupState::Running)),
        )
        .set((
            backups::state.eq(BackupState::Failed),
            backups::error.eq(why),
            backups::updated_at.eq(diesel::dsl::now),
            backups::finished_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Running backups whose driver has not beaten for `stale_secs`: their panel died.
    pub async fn abandoned(conn: &mut AsyncPgConnection, stale_secs: i32) -> Result<Vec<Backup>> {
        let cutoff = Utc::now() - chrono::Duration::seconds(i64::from(stale_secs));
        Ok(backups::table
            .filter(backups::state.eq(BackupState::Running))
            .filter(backups::updated_at.lt(cutoff))
            .select(Backup::as_select())
            .load(conn)
            .await?)
    }

    /// Locks or unlocks a backup.
    pub async fn set_locked(conn: &mut AsyncPgConnection, id: Uuid, locked: bool) -> Result<()> {
        diesel::update(backups::table.find(id))
            .set((
                backups::locked.eq(locked),
                backups::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Deletes rows (their snapshots are forgotten first).
    pub async fn delete(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<()> {
        diesel::delete(backups::table.filter(backups::id.eq_any(ids)))
            .execute(conn)
            .await
            .map_err(Error::from)?;
        Ok(())
    }
}

/// What a server's backups leave out: its restic exclude patterns (none when never set).
pub async fn exclude_of(conn: &mut AsyncPgConnection, server: Uuid) -> Result<Vec<String>> {
    Ok(backup_settings::table
        .find(server)
        .select(backup_settings::exclude)
        .first::<Vec<String>>(conn)
        .await
        .optional()?
        .unwrap_or_default())
}

/// Sets what a server's backups leave out.
pub async fn set_exclude(
    conn: &mut AsyncPgConnection,
    server: Uuid,
    patterns: &[String],
) -> Result<()> {
    diesel::insert_into(backup_settings::table)
        .values((
            backup_settings::server_id.eq(server),
            backup_settings::exclude.eq(patterns),
        ))
        .on_conflict(backup_settings::server_id)
        .do_update()
        .set((
            backup_settings::exclude.eq(patterns),
            backup_settings::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
