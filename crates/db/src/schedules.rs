//! Schedules and their runs. A due schedule is claimed by moving its `next_run_at` on from the
//! value read (compare-and-set) in the transaction that writes its run: one run per due time,
//! whatever the number of replicas (and the unique `(schedule_id, due_at)` backs that up).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::Result;
use crate::error::conflict_on_unique;
use crate::schema::{schedule_runs, schedules};

/// A row of `schedules`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = schedules, check_for_backend(diesel::pg::Pg))]
pub struct Schedule {
    /// Id.
    pub id: Uuid,
    /// The server it runs on.
    pub server_id: Uuid,
    /// Its name (unique on the server).
    pub name: String,
    /// What starts it: `cron`, `crash` or `idle` (`protocol::dto::ScheduleTrigger`).
    pub trigger: String,
    /// Cron's five fields (a cron trigger).
    pub cron: String,
    /// The IANA time zone the cron is read in.
    pub time_zone: String,
    /// Minutes without a player (an idle trigger).
    pub idle_minutes: Option<i32>,
    /// The regular expression a console line must match (a console trigger).
    pub pattern: Option<String>,
    /// Whether it runs by its cron.
    pub active: bool,
    /// Whether a run is skipped while the server is not running.
    pub only_when_online: bool,
    /// Its tasks (`protocol::dto::ScheduleTask`s as JSON, checked when saved).
    pub tasks: serde_json::Value,
    /// Whose rights its tasks act with (who saved it last; None once that user is deleted).
    pub author_id: Option<Uuid>,
    /// When its cron comes due next (None: inactive).
    pub next_run_at: Option<DateTime<Utc>>,
    /// The due time of its last run by cron, or the start of its last "run now".
    pub last_run_at: Option<DateTime<Utc>>,
    /// Made at.
    pub created_at: DateTime<Utc>,
    /// Last saved at.
    pub updated_at: DateTime<Utc>,
}

/// What is saved of a schedule.
#[derive(Debug, Clone)]
pub struct ScheduleFields<'a> {
    /// Its name.
    pub name: &'a str,
    /// `cron`, `crash` or `idle`.
    pub trigger: &'a str,
    /// Minutes without a player (idle).
    pub idle_minutes: Option<i32>,
    /// A console line's pattern (console).
    pub pattern: Option<&'a str>,
    /// Cron's five fields.
    pub cron: &'a str,
    /// The time zone.
    pub time_zone: &'a str,
    /// Active or not.
    pub active: bool,
    /// Skipped while offline.
    pub only_when_online: bool,
    /// Its tasks as JSON.
    pub tasks: &'a serde_json::Value,
    /// Who saves it.
    pub author_id: Uuid,
    /// Its next due time (None: inactive).
    pub next_run_at: Option<DateTime<Utc>>,
}

/// A row of `schedule_runs`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = schedule_runs, check_for_backend(diesel::pg::Pg))]
pub struct ScheduleRun {
    /// Id.
    pub id: Uuid,
    /// The schedule.
    pub schedule_id: Uuid,
    /// `cron` or `now` (`protocol::dto::RunCause`).
    pub cause: String,
    /// The cron time it was for.
    pub due_at: Option<DateTime<Utc>>,
    /// `running`, `done`, `failed` or `skipped` (`protocol::dto::RunState`).
    pub state: String,
    /// Why it was skipped or failed.
    pub detail: Option<String>,
    /// Each task's outcome, in order (`protocol::dto::TaskOutcome`s as JSON).
    pub tasks: serde_json::Value,
    /// Started at.
    pub started_at: DateTime<Utc>,
    /// Its driver's last beat (running), or its last change.
    pub updated_at: DateTime<Utc>,
    /// Ended at.
    pub finished_at: Option<DateTime<Utc>>,
}

/// A run to write with a claim: running, or skipped with the reason.
#[derive(Debug, Clone)]
pub struct NewRun<'a> {
    /// Its id.
    pub id: Uuid,
    /// `cron` or `now`.
    pub cause: &'a str,
    /// The due time (cron).
    pub due_at: Option<DateTime<Utc>>,
    /// `running` or `skipped`.
    pub state: &'a str,
    /// Why it was skipped.
    pub detail: Option<&'a str>,
}

impl Schedule {
    /// A server's schedules, by name.
    pub async fn of_server(conn: &mut AsyncPgConnection, server: Uuid) -> Result<Vec<Schedule>> {
        Ok(schedules::table
            .filter(schedules::server_id.eq(server))
            .order(schedules::name.asc())
            .select(Schedule::as_select())
            .load(conn)
            .await?)
    }

    /// One schedule of `server`.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        server: Uuid,
        id: Uuid,
    ) -> Result<Option<Schedule>> {
        Ok(schedules::table
            .filter(schedules::server_id.eq(server))
            .find(id)
            .select(Schedule::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Makes a schedule; a conflict when the server has one of that name.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        server: Uuid,
        f: &ScheduleFields<'_>,
    ) -> Result<Schedule> {
        diesel::insert_into(schedules::table)
            .values((
                schedules::id.eq(id),
                schedules::server_id.eq(server),
                schedules::name.eq(f.name),
                schedules::trigger.eq(f.trigger),
                schedules::idle_minutes.eq(f.idle_minutes),
                schedules::pattern.eq(f.pattern),
                schedules::cron.eq(f.cron),
                schedules::time_zone.eq(f.time_zone),
                schedules::active.eq(f.active),
                schedules::only_when_online.eq(f.only_when_online),
                schedules::tasks.eq(f.tasks),
                schedules::author_id.eq(f.author_id),
                schedules::next_run_at.eq(f.next_run_at),
            ))
            .returning(Schedule::as_returning())
            .get_result(conn)
            .await
            .map_err(|e| conflict_on_unique(e, "the server has a schedule of that name"))
    }

    /// Changes a schedule of `server`; None when it has no such schedule.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        server: Uuid,
        id: Uuid,
        f: &ScheduleFields<'_>,
    ) -> Result<Option<Schedule>> {
        diesel::update(
            schedules::table
                .filter(schedules::server_id.eq(server))
                .find(id),
        )
        .set((
            schedules::name.eq(f.name),
            schedules::trigger.eq(f.trigger),
            schedules::idle_minutes.eq(f.idle_minutes),
            schedules::pattern.eq(f.pattern),
            schedules::cron.eq(f.cron),
            schedules::time_zone.eq(f.time_zone),
            schedules::active.eq(f.active),
            schedules::only_when_online.eq(f.only_when_online),
            schedules::tasks.eq(f.tasks),
            schedules::author_id.eq(f.author_id),
            schedules::next_run_at.eq(f.next_run_at),
            schedules::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Schedule::as_returning())
        .get_result(conn)
        .await
        .optional()
        .map_err(|e| conflict_on_unique(e, "the server has a schedule of that name"))
    }

    /// Deletes a schedule of `server` (and its runs); whether there was one.
    pub async fn delete(conn: &mut AsyncPgConnection, server: Uuid, id: Uuid) -> Result<bool> {
        let n = diesel::delete(
            schedules::table
                .filter(schedules::server_id.eq(server))
                .find(id),
        )
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Active schedules due at `now` (at most `limit`, the longest due first).
    pub async fn due(
        conn: &mut AsyncPgConnection,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Schedule>> {
        Ok(schedules::table
            .filter(schedules::active.eq(true))
            .filter(schedules::next_run_at.le(now))
            .order(schedules::next_run_at.asc())
            .limit(limit)
            .select(Schedule::as_select())
            .load(conn)
            .await?)
    }

    /// Claims the schedule's due time `due` (its `next_run_at` as read): moves it on to `next`
    /// and writes `run`, in one transaction, only if no one moved it meanwhile. The run, or
    /// None when another replica claimed it first.
    pub async fn claim(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        due: DateTime<Utc>,
        next: Option<DateTime<Utc>>,
        run: &NewRun<'_>,
    ) -> Result<Option<ScheduleRun>> {
        let run = run.clone();
        conn.transaction::<_, crate::Error, _>(async move |conn| {
            let moved = diesel::update(
                schedules::table
                    .find(id)
                    .filter(schedules::active.eq(true))
                    .filter(schedules::next_run_at.eq(due)),
            )
            .set((
                schedules::next_run_at.eq(next),
                schedules::last_run_at.eq(run.due_at.or(Some(due))),
            ))
            .execute(conn)
            .await?;
            if moved == 0 {
                return Ok(None);
            }
            Ok(Some(insert_run(conn, id, &run).await?))
        })
        .await
    }

    /// The active schedules of `server` started by `trigger` (`crash`, `idle`); all servers'
    /// with `server` None.
    pub async fn triggered_by(
        conn: &mut AsyncPgConnection,
        server: Option<Uuid>,
        trigger: &str,
    ) -> Result<Vec<Schedule>> {
        let mut q = schedules::table
            .filter(schedules::active.eq(true))
            .filter(schedules::trigger.eq(trigger))
            .into_boxed();
        if let Some(id) = server {
            q = q.filter(schedules::server_id.eq(id));
        }
        Ok(q.select(Schedule::as_select()).load(conn).await?)
    }

    /// Writes the run of an event (a crash, an idle spell) once: None when a run for the same
    /// event (`run.due_at`, its time) is there already, written by another replica.
    pub async fn start_once(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        run: &NewRun<'_>,
    ) -> Result<Option<ScheduleRun>> {
        let finished: Option<DateTime<Utc>> = None;
        let row = diesel::insert_into(schedule_runs::table)
            .values((
                schedule_runs::id.eq(run.id),
                schedule_runs::schedule_id.eq(id),
                schedule_runs::cause.eq(run.cause),
                schedule_runs::due_at.eq(run.due_at),
                schedule_runs::state.eq(run.state),
                schedule_runs::detail.eq(run.detail),
                schedule_runs::finished_at.eq(finished),
            ))
            .on_conflict_do_nothing()
            .returning(ScheduleRun::as_returning())
            .get_result(conn)
            .await
            .optional()?;
        if row.is_some() {
            diesel::update(schedules::table.find(id))
                .set(schedules::last_run_at.eq(run.due_at))
                .execute(conn)
                .await?;
        }
        Ok(row)
    }

    /// Writes a "run now" of the schedule.
    pub async fn start_now(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        run: &NewRun<'_>,
    ) -> Result<ScheduleRun> {
        diesel::update(schedules::table.find(id))
            .set(schedules::last_run_at.eq(diesel::dsl::now))
            .execute(conn)
            .await?;
        insert_run(conn, id, run).await
    }
}

async fn insert_run(
    conn: &mut AsyncPgConnection,
    schedule: Uuid,
    run: &NewRun<'_>,
) -> Result<ScheduleRun> {
    let finished = (run.state != "running").then(Utc::now);
    Ok(diesel::insert_into(schedule_runs::table)
        .values((
            schedule_runs::id.eq(run.id),
            schedule_runs::schedule_id.eq(schedule),
            schedule_runs::cause.eq(run.cause),
            schedule_runs::due_at.eq(run.due_at),
            schedule_runs::state.eq(run.state),
            schedule_runs::detail.eq(run.detail),
            schedule_runs::finished_at.eq(finished),
        ))
        .returning(ScheduleRun::as_returning())
        .get_result(conn)
        .await?)
}

impl ScheduleRun {
    /// The latest runs of a server's schedules, newest first.
    pub async fn of_server(
        conn: &mut AsyncPgConnection,
        server: Uuid,
        limit: i64,
    ) -> Result<Vec<ScheduleRun>> {
        Ok(schedule_runs::table
            .inner_join(schedules::table)
            .filter(schedules::server_id.eq(server))
            .order(schedule_runs::started_at.desc())
            .limit(limit)
            .select(ScheduleRun::as_select())
            .load(conn)
            .await?)
    }

    /// Adds a task's outcome (JSON) to a running run, which beats as well.
    pub async fn record_task(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        outcome: &serde_json::Value,
    ) -> Result<()> {
        diesel::sql_query(
            "UPDATE schedule_runs SET tasks = tasks || jsonb_build_array($2::jsonb), \
             updated_at = now() WHERE id = $1 AND state = 'running'",
        )
        .bind::<diesel::sql_types::Uuid, _>(id)
        .bind::<diesel::sql_types::Jsonb, _>(outcome)
        .execute(conn)
        .await?;
        Ok(())
    }

    /// The driver's beat: the run is still being worked on.
    pub async fn beat(conn: &mut AsyncPgConnection, id: Uuid) -> Result<()> {
        diesel::update(
            schedule_runs::table
                .find(id)
                .filter(schedule_runs::state.eq("running")),
        )
        .set(schedule_runs::updated_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
        Ok(())
    }

    /// Ends a running run as `state` (`done` or `failed`) with `detail`.
    pub async fn finish(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        state: &str,
        detail: Option<&str>,
    ) -> Result<()> {
        diesel::update(
            schedule_runs::table
                .find(id)
                .filter(schedule_runs::state.eq("running")),
        )
        .set((
            schedule_runs::state.eq(state),
            schedule_runs::detail.eq(detail),
            schedule_runs::updated_at.eq(diesel::dsl::now),
            schedule_runs::finished_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
        Ok(())
    }

    /// Fails the running runs whose driver has not beaten since `before` (its panel went
    /// away); how many.
    pub async fn fail_abandoned(
        conn: &mut AsyncPgConnection,
        before: DateTime<Utc>,
        detail: &str,
    ) -> Result<usize> {
        Ok(diesel::update(
            schedule_runs::table
                .filter(schedule_runs::state.eq("running"))
                .filter(schedule_runs::updated_at.lt(before)),
        )
        .set((
            schedule_runs::state.eq("failed"),
            schedule_runs::detail.eq(detail),
            schedule_runs::finished_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?)
    }
}
