//! Schedules: a cron (five fields, read in an IANA time zone, `croner`) and tasks run in order
//! with offsets: a console command, a power action, a backup, a deletion of files. Every
//! replica ticks ([`run`]); a due schedule is claimed in Postgres (its `next_run_at` moved on
//! by compare-and-set in the transaction that writes the run), so it runs once whatever the
//! number of replicas. A run missed by more than [`MISSED_WINDOW`] (no panel was running) is
//! recorded as skipped instead. Tasks act with the rights of the person who saved the schedule
//! last, through the same calls and checks as theirs: a schedule never does what its author
//! may not, then or now.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Timelike, Utc};
use croner::Cron;
use protocol::dto::{
    RunCause, RunState, ScheduleDto, ScheduleInput, ScheduleRunDto, ScheduleTask, ScheduleTrigger,
    SchedulesDto, TaskAction, TaskOutcome,
};
use protocol::{AppError, BackupState, Permission};
use uuid::Uuid;

use crate::{Actor, AppState, audit, conn, internal, servers};

/// Most tasks in a schedule.
pub const MAX_TASKS: usize = 20;
/// Longest wait before a task, in seconds (15 minutes).
pub const MAX_OFFSET_SECS: u32 = 900;
/// Most paths in one deletion task.
pub const MAX_PATHS: usize = 100;
/// A due time missed by less than this still runs (once) when a panel comes back; one missed
/// by more is recorded as skipped.
pub const MISSED_WINDOW: chrono::Duration = chrono::Duration::minutes(5);
/// How often every replica looks for due schedules.
pub const TICK: Duration = Duration::from_secs(5);
/// How often a run's driver beats while it waits.
const BEAT: Duration = Duration::from_secs(20);
/// A running run whose driver has not beaten for this long lost its panel.
const ABANDONED: chrono::Duration = chrono::Duration::minutes(2);
/// Longest a backup task waits for its backup.
const BACKUP_WAIT: Duration = Duration::from_secs(4 * 3600);
/// Runs listed with the schedules.
const RUNS_LISTED: i64 = 50;

/// Parses cron's five fields (minute hour day-of-month month day-of-week).
pub fn parse_cron(text: &str) -> Result<Cron, AppError> {
    let fields = text.split_whitespace().count();
    if fields != 5 {
        return Err(AppError::bad_request(
            crate::msg!("schedules-cron-fields", "fields" => fields),
        ));
    }
    Cron::from_str(text.trim()).map_err(|e| {
        AppError::bad_request(crate::msg!("schedules-cron-invalid", "error" => e.to_string()))
    })
}

/// Parses an IANA time zone (`Europe/Berlin`, `UTC`).
pub fn parse_zone(text: &str) -> Result<chrono_tz::Tz, AppError> {
    text.trim().parse::<chrono_tz::Tz>().map_err(|_| {
        let zone: String = text.chars().take(64).collect();
        AppError::bad_request(crate::msg!("schedules-zone-invalid", "zone" => zone))
    })
}

/// The first time after `after` that `cron` matches, read as wall-clock time in `zone`. A time
/// the clock skips (spring forward) runs at the first instant after the jump; a time it passes
/// twice (fall back) runs once, the first time.
pub fn next_after(cron: &Cron, zone: chrono_tz::Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    cron.find_next_occurrence(&after.with_timezone(&zone), false)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The permission a task needs of its author.
pub fn permission_of(action: &TaskAction) -> Permission {
    match action {
        TaskAction::Command { .. } => Permission::ConsoleWrite,
        TaskAction::Power { power } => match power {
            protocol::dto::PowerAction::Start => Permission::ControlStart,
            protocol::dto::PowerAction::Stop => Permission::ControlStop,
            protocol::dto::PowerAction::Restart => Permission::ControlRestart,
            protocol::dto::PowerAction::Kill => Permission::ControlKill,
        },
        TaskAction::Backup => Permission::Backups,
        TaskAction::DeleteFiles { .. } => Permission::FilesDelete,
    }
}

/// Checks what is saved: the name, the trigger (a cron and its zone), and each task. The cron
/// and zone of a cron trigger.
fn check(input: &ScheduleInput) -> Result<Option<(Cron, chrono_tz::Tz)>, AppError> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(AppError::bad_request(crate::msg!("schedules-name-invalid")));
    }
    let when = match &input.trigger {
        ScheduleTrigger::Cron => Some((parse_cron(&input.cron)?, parse_zone(&input.time_zone)?)),
        ScheduleTrigger::Crash => None,
        ScheduleTrigger::Console { pattern } => {
            console_pattern(pattern)?;
            None
        }
        ScheduleTrigger::Idle { minutes } => {
            if !(1..=1440).contains(minutes) {
                return Err(AppError::bad_request(crate::msg!("schedules-idle-invalid")));
            }
            None
        }
    };
    if input.tasks.is_empty() || input.tasks.len() > MAX_TASKS {
        return Err(AppError::bad_request(
            crate::msg!("schedules-tasks-count", "max" => MAX_TASKS),
        ));
    }
    for (i, t) in input.tasks.iter().enumerate() {
        let n = i + 1;
        if t.offset_secs > MAX_OFFSET_SECS {
            return Err(AppError::bad_request(
                crate::msg!("schedules-task-wait", "n" => n, "minutes" => MAX_OFFSET_SECS / 60),
            ));
        }
        match &t.action {
            TaskAction::Command { command } => {
                crate::live::input::validate_command(command).map_err(|e| task_error(n, e))?;
            }
            TaskAction::DeleteFiles { paths } => {
                if paths.is_empty() || paths.len() > MAX_PATHS {
                    return Err(AppError::bad_request(
                        crate::msg!("schedules-task-paths", "n" => n, "max" => MAX_PATHS),
                    ));
                }
                for p in paths {
                    let path = crate::files::parse(p).map_err(|e| task_error(n, e))?;
                    if path.is_root() {
                        return Err(AppError::bad_request(
                            crate::msg!("schedules-task-root", "n" => n),
                        ));
                    }
                }
            }
            TaskAction::Power { .. } | TaskAction::Backup => {}
        }
    }
    Ok(when)
}

/// Why task `n` is refused: `e`, told of that task.
fn task_error(n: usize, e: AppError) -> AppError {
    AppError::bad_request(crate::msg!("schedules-task-error", "n" => n, "error" => e.to_string()))
}

/// A console trigger's pattern: a regular expression of 1 to 200 characters, small once
/// compiled (it runs on every line of the server's console).
pub fn console_pattern(pattern: &str) -> Result<regex::Regex, AppError> {
    if pattern.is_empty() || pattern.chars().count() > 200 {
        let message = crate::msg!("schedules-pattern-length");
        return Err(AppError::bad_request(message));
    }
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            let error = e.to_string().lines().last().unwrap_or_default().to_owned();
            AppError::bad_request(crate::msg!("schedules-pattern-invalid", "error" => error))
        })
}

fn trigger_of(s: &db::Schedule) -> ScheduleTrigger {
    match (s.trigger.as_str(), s.idle_minutes) {
        ("crash", _) => ScheduleTrigger::Crash,
        ("console", _) => ScheduleTrigger::Console {
            pattern: s.pattern.clone().unwrap_or_default(),
        },
        ("idle", Some(m)) => ScheduleTrigger::Idle {
            minutes: u32::try_from(m).unwrap_or(1),
        },
        _ => ScheduleTrigger::Cron,
    }
}

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn state_name(s: RunState) -> &'static str {
    match s {
        RunState::Running => "running",
        RunState::Done => "done",
        RunState::Failed => "failed",
        RunState::Skipped => "skipped",
    }
}

fn state_of(s: &str) -> RunState {
    match s {
        "running" => RunState::Running,
        "done" => RunState::Done,
        "skipped" => RunState::Skipped,
        _ => RunState::Failed,
    }
}

fn tasks_of(s: &db::Schedule) -> Vec<ScheduleTask> {
    serde_json::from_value(s.tasks.clone()).unwrap_or_else(|e| {
        tracing::error!(schedule = %s.id, error = %e, "a schedule's stored tasks do not read");
        Vec::new()
    })
}

async fn dto(c: &mut db::PooledConnection, s: &db::Schedule) -> Result<ScheduleDto, AppError> {
    let author = match s.author_id {
        Some(id) => db::User::find(c, id).await?.map(|u| u.username),
        None => None,
    };
    Ok(ScheduleDto {
        id: s.id,
        name: s.name.clone(),
        trigger: trigger_of(s),
        cron: s.cron.clone(),
        time_zone: s.time_zone.clone(),
        active: s.active,
        only_when_online: s.only_when_online,
        tasks: tasks_of(s),
        next_run_at: s.next_run_at.map(rfc),
        last_run_at: s.last_run_at.map(rfc),
        author,
    })
}

fn run_dto(r: &db::ScheduleRun) -> ScheduleRunDto {
    ScheduleRunDto {
        id: r.id,
        schedule: r.schedule_id,
        cause: match r.cause.as_str() {
            "now" => RunCause::Now,
            "crash" => RunCause::Crash,
            "idle" => RunCause::Idle,
            "console" => RunCause::Console,
            _ => RunCause::Cron,
        },
        due_at: r.due_at.map(rfc),
        state: state_of(&r.state),
        detail: r.detail.clone(),
        tasks: serde_json::from_value(r.tasks.clone()).unwrap_or_default(),
        started_at: rfc(r.started_at),
        finished_at: r.finished_at.map(rfc),
    }
}

/// A server's schedules and their latest runs.
pub async fn list(state: &AppState, actor: &Actor, id: Uuid) -> Result<SchedulesDto, AppError> {
    servers::load(state, actor, id, Permission::Schedules).await?;
    let mut c = conn(state).await?;
    let rows = db::Schedule::of_server(&mut c, id).await?;
    let mut schedules = Vec::with_capacity(rows.len());
    for s in &rows {
        schedules.push(dto(&mut c, s).await?);
    }
    let runs = db::ScheduleRun::of_server(&mut c, id, RUNS_LISTED)
        .await?
        .iter()
        .map(run_dto)
        .collect();
    Ok(SchedulesDto { schedules, runs })
}

/// Makes or changes a schedule. Its author (the caller) must hold each task's permission on the
/// server; its tasks act with the caller's rights from now on.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: ScheduleInput,
) -> Result<ScheduleDto, AppError> {
    let server = servers::load(state, actor, id, Permission::Schedules).await?;
    let when = check(&input)?;
    let mut needed: Vec<Permission> = input
        .tasks
        .iter()
        .map(|t| permission_of(&t.action))
        .collect();
    needed.sort();
    needed.dedup();
    // one read of the caller's share, every task's permission checked against it
    let member = {
        let mut c = conn(state).await?;
        crate::authorize::membership(&mut c, actor, &server).await?
    };
    for perm in needed {
        crate::authorize(actor, &server, member.as_ref(), perm).map_err(|_| {
            AppError::forbidden(
                crate::msg!("schedules-task-forbidden", "permission" => perm.to_string()),
            )
        })?;
    }
    let tasks = serde_json::to_value(&input.tasks).map_err(|e| internal("schedule tasks", e))?;
    let (trigger, idle_minutes, pattern) = match &input.trigger {
        ScheduleTrigger::Cron => ("cron", None, None),
        ScheduleTrigger::Crash => ("crash", None, None),
        ScheduleTrigger::Idle { minutes } => ("idle", i32::try_from(*minutes).ok(), None),
        ScheduleTrigger::Console { pattern } => ("console", None, Some(pattern.as_str())),
    };
    let zone_text = input.time_zone.trim();
    let fields = db::ScheduleFields {
        name: input.name.trim(),
        trigger,
        idle_minutes,
        pattern,
        cron: if when.is_some() {
            input.cron.trim()
        } else {
            ""
        },
        time_zone: if zone_text.is_empty() {
            "UTC"
        } else {
            zone_text
        },
        active: input.active,
        only_when_online: input.only_when_online,
        tasks: &tasks,
        author_id: actor.user.id,
        next_run_at: when
            .filter(|_| input.active)
            .and_then(|(cron, zone)| next_after(&cron, zone, Utc::now())),
    };
    let mut c = conn(state).await?;
    let saved = match input.id {
        None => db::Schedule::insert(&mut c, Uuid::new_v4(), id, &fields)
            .await
            .map(Some),
        Some(sid) => db::Schedule::update(&mut c, id, sid, &fields).await,
    };
    let saved = match saved {
        Ok(Some(s)) => s,
        Ok(None) => return Err(AppError::not_found(crate::msg!("schedules-not-found"))),
        Err(db::Error::Conflict(_)) => {
            return Err(AppError::conflict(crate::msg!("schedules-name-taken")));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        state,
        actor,
        Some(server.id),
        "schedule.save",
        Some(&saved.name),
        "ok",
    )
    .await;
    dto(&mut c, &saved).await
}

/// Deletes a schedule and its history.
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    schedule: Uuid,
) -> Result<(), AppError> {
    servers::load(state, actor, id, Permission::Schedules).await?;
    let mut c = conn(state).await?;
    let Some(s) = db::Schedule::find(&mut c, id, schedule).await? else {
        return Err(AppError::not_found(crate::msg!("schedules-not-found")));
    };
    db::Schedule::delete(&mut c, id, schedule).await?;
    audit::record(
        state,
        actor,
        Some(id),
        "schedule.delete",
        Some(&s.name),
        "ok",
    )
    .await;
    Ok(())
}

/// Runs a schedule's tasks now (whether it is active or not); see the run in `schedules`.
pub async fn run_now(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    schedule: Uuid,
) -> Result<ScheduleRunDto, AppError> {
    servers::load(state, actor, id, Permission::Schedules).await?;
    let mut c = conn(state).await?;
    let Some(s) = db::Schedule::find(&mut c, id, schedule).await? else {
        return Err(AppError::not_found(crate::msg!("schedules-not-found")));
    };
    let run = db::Schedule::start_now(
        &mut c,
        s.id,
        &db::NewRun {
            id: Uuid::new_v4(),
            cause: "now",
            due_at: None,
            state: "running",
            detail: None,
        },
    )
    .await?;
    drop(c);
    audit::record(
        state,
        actor,
        Some(id),
        "schedule.run",
        Some(&s.name),
        "started",
    )
    .await;
    let (task_state, run_id) = (state.clone(), run.id);
    tokio::spawn(async move { drive(&task_state, &s, run_id, "now").await });
    Ok(run_dto(&run))
}

/// Looks for schedules due at `now` and claims each (once across replicas): a run within the
/// missed window starts its tasks on this replica; one missed by more, or of a server that is
/// offline when it must be online, is recorded as skipped. Runs whose panel went away are
/// failed first. How many runs this replica claimed.
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut c = conn(state).await?;
    let abandoned =
        db::ScheduleRun::fail_abandoned(&mut c, now - ABANDONED, "the panel running it stopped")
            .await?;
    if abandoned > 0 {
        tracing::warn!(
            abandoned,
            "schedules: runs whose panel went away were failed"
        );
    }
    let due = db::Schedule::due(&mut c, now, 100).await?;
    let mut claimed = 0;
    for s in due {
        let Some(was) = s.next_run_at else { continue };
        let (cron, zone) = match (parse_cron(&s.cron), parse_zone(&s.time_zone)) {
            (Ok(c), Ok(z)) => (c, z),
            _ => {
                tracing::error!(schedule = %s.id, "a stored schedule's cron or zone does not read");
                continue;
            }
        };
        // the latest due time not after now (several, when no panel ran for a while)
        let latest = cron
            .find_previous_occurrence(&now.with_timezone(&zone), true)
            .ok()
            .map(|t| t.with_timezone(&Utc))
            .filter(|t| *t >= was)
            .unwrap_or(was);
        let next = next_after(&cron, zone, now);
        let missed = now - latest > MISSED_WINDOW;
        let offline = s.only_when_online && !server_running(state, s.server_id).await;
        let detail = if missed {
            Some(format!(
                "missed by {} min: no panel was running at its time",
                (now - latest).num_minutes()
            ))
        } else if offline {
            Some("the server was not running".to_string())
        } else {
            None
        };
        let run = db::NewRun {
            id: Uuid::new_v4(),
            cause: "cron",
            due_at: Some(latest),
            state: if detail.is_some() {
                "skipped"
            } else {
                "running"
            },
            detail: detail.as_deref(),
        };
        let Some(row) = db::Schedule::claim(&mut c, s.id, was, next, &run).await? else {
            continue; // another replica has it
        };
        claimed += 1;
        if detail.is_none() {
            let task_state = state.clone();
            tokio::spawn(async move { drive(&task_state, &s, row.id, "cron").await });
        } else {
            state.metrics.schedule_run("cron", "skipped", None);
        }
    }
    Ok(claimed)
}

/// Starts the runs of `server`'s schedules triggered by `cause` (`crash`, `idle`) for the event
/// at `at` (its time: the same on every replica that saw it, so the run is written once).
pub async fn on_event(state: &AppState, server: Uuid, cause: &str, at: DateTime<Utc>) {
    let at = at.with_nanosecond(0).unwrap_or(at);
    let Ok(mut c) = conn(state).await else { return };
    let rows = match db::Schedule::triggered_by(&mut c, Some(server), cause).await {
        Ok(rows) => rows,
        Err(e) => {
            tracing::warn!(error = %e, cause, "schedules: the triggered ones could not be read");
            return;
        }
    };
    for s in rows {
        let offline = s.only_when_online && !server_running(state, server).await;
        let run = db::NewRun {
            id: Uuid::new_v4(),
            cause,
            due_at: Some(at),
            state: if offline { "skipped" } else { "running" },
            detail: offline.then_some("the server was not running"),
        };
        match db::Schedule::start_once(&mut c, s.id, &run).await {
            Ok(Some(row)) if !offline => {
                let task_state = state.clone();
                let cause = cause.to_string();
                tokio::spawn(async move { drive(&task_state, &s, row.id, &cause).await });
            }
            Ok(Some(_)) => state.metrics.schedule_run(cause, "skipped", None),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "schedules: a triggered run was not written"),
        }
    }
}

async fn server_running(state: &AppState, id: Uuid) -> bool {
    state
        .live
        .pod(id)
        .borrow()
        .as_ref()
        .is_some_and(|p| p.running)
}

/// Runs forever on every replica: a [`tick`] every [`TICK`].
pub async fn run(state: AppState) {
    let mut every = tokio::time::interval(TICK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = tick(&state, Utc::now()).await {
            tracing::warn!(error = %e, "schedules: the tick failed");
        }
    }
}

/// The author as an actor: their rights, no session.
async fn author(state: &AppState, s: &db::Schedule) -> Result<Actor, String> {
    let id = s
        .author_id
        .ok_or("its author's account was deleted: save it again")?;
    let mut c = conn(state).await.map_err(|e| e.to_string())?;
    let user = db::User::find(&mut c, id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("its author's account was deleted: save it again")?;
    Ok(Actor {
        user,
        session_id: Uuid::nil(),
        scopes: None,
        ip: None,
    })
}

/// Waits `secs`, beating the run meanwhile.
async fn wait_beating(state: &AppState, run: Uuid, secs: u32) {
    let end = tokio::time::Instant::now() + Duration::from_secs(u64::from(secs));
    loop {
        let left = end.saturating_duration_since(tokio::time::Instant::now());
        if left.is_zero() {
            return;
        }
        tokio::time::sleep(left.min(BEAT)).await;
        if let Ok(mut c) = conn(state).await {
            let _ = db::ScheduleRun::beat(&mut c, run).await;
        }
    }
}

/// Runs the schedule's tasks in order for run `run`, recording each outcome.
async fn drive(state: &AppState, s: &db::Schedule, run: Uuid, cause: &str) {
    let started = std::time::Instant::now();
    let (ok, detail) = match author(state, s).await {
        Ok(actor) => run_tasks(state, &actor, s, run).await,
        Err(why) => (false, Some(why)),
    };
    if let Ok(mut c) = conn(state).await
        && let Err(e) = db::ScheduleRun::finish(
            &mut c,
            run,
            state_name(if ok { RunState::Done } else { RunState::Failed }),
            detail.as_deref(),
        )
        .await
    {
        tracing::error!(%run, error = %e, "schedules: a run's end was not written");
    }
    state.metrics.schedule_run(
        cause,
        if ok { "done" } else { "failed" },
        Some(started.elapsed()),
    );
    audit::record_unattended(
        state,
        Some(s.server_id),
        "schedule.run",
        Some(&s.name),
        if ok { "done" } else { "failed" },
    )
    .await;
}

/// The tasks of a run: whether it ended well, and why not.
async fn run_tasks(
    state: &AppState,
    actor: &Actor,
    s: &db::Schedule,
    run: Uuid,
) -> (bool, Option<String>) {
    let tasks = tasks_of(s);
    let mut failed_at = None;
    for (i, task) in tasks.iter().enumerate() {
        wait_beating(state, run, task.offset_secs).await;
        let result = run_task(state, actor, s.server_id, &task.action, run).await;
        let outcome = TaskOutcome {
            ok: result.is_ok(),
            message: match &result {
                Ok(m) => m.clone(),
                Err(e) => e.to_string(),
            },
            at: rfc(Utc::now()),
        };
        if let Ok(mut c) = conn(state).await {
            let value = serde_json::to_value(&outcome).unwrap_or_default();
            let _ = db::ScheduleRun::record_task(&mut c, run, &value).await;
        }
        if result.is_err() {
            failed_at.get_or_insert(i + 1);
            if !task.continue_on_failure {
                return (false, Some(format!("task {} failed", i + 1)));
            }
        }
    }
    match failed_at {
        // every failure was allowed to go on: the run did what it could
        Some(n) => (
            true,
            Some(format!("task {n} failed; the tasks after it ran")),
        ),
        None => (true, None),
    }
}

/// One task, as its author would do it by hand: what it said.
async fn run_task(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    action: &TaskAction,
    run: Uuid,
) -> Result<String, AppError> {
    match action {
        TaskAction::Command { command } => {
            let answer = crate::live::socket::send_command(state, actor, id, command).await?;
            let text = answer.map(|lines| lines.join("\n")).unwrap_or_default();
            Ok(if text.is_empty() {
                format!("sent: {command}")
            } else {
                text.chars().take(500).collect()
            })
        }
        TaskAction::Power { power } => {
            let s = servers::power(state, actor, id, *power).await?;
            Ok(format!("{power:?} asked (now {})", s.status).to_lowercase())
        }
        TaskAction::Backup => {
            let b = crate::backups::create(state, actor, id, None).await?;
            wait_backup(state, id, b.id, run).await
        }
        TaskAction::DeleteFiles { paths } => {
            let parsed = paths
                .iter()
                .map(|p| crate::files::parse(p))
                .collect::<Result<Vec<_>, _>>()?;
            let t = crate::files::target(state, actor, id, Permission::FilesDelete).await?;
            crate::files::delete(state, actor, &t, &parsed).await?;
            Ok(format!("deleted {}", paths.join(", ")))
        }
    }
}

/// Waits for backup `backup` to end, beating the run: its outcome.
async fn wait_backup(
    state: &AppState,
    id: Uuid,
    backup: Uuid,
    run: Uuid,
) -> Result<String, AppError> {
    let end = tokio::time::Instant::now() + BACKUP_WAIT;
    while tokio::time::Instant::now() < end {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let mut c = conn(state).await?;
        let _ = db::ScheduleRun::beat(&mut c, run).await;
        let Some(b) = db::Backup::find(&mut c, id, backup).await? else {
            return Err(AppError::conflict("the backup was deleted while it ran"));
        };
        match b.state {
            BackupState::Running => {}
            BackupState::Done => return Ok(format!("backup {} made", b.name)),
            BackupState::Failed => {
                return Err(AppError::conflict(format!(
                    "the backup failed: {}",
                    b.error.unwrap_or_default()
                )));
            }
        }
    }
    Err(AppError::conflict("the backup took more than 4 hours"))
}

/// Longest a console trigger waits between two runs: a pattern that many lines match starts
/// one run a minute, not one a line.
const CONSOLE_QUIET: Duration = Duration::from_secs(60);

/// The console followers of the replica holding the lease: one per active console-triggered
/// schedule whose server runs, each reading the server's console as a viewer does.
#[derive(Debug, Default)]
pub struct Followers {
    tasks: std::collections::HashMap<Uuid, (Uuid, String, tokio::task::AbortHandle)>,
}

impl Followers {
    /// Stops every follower (the lease went to another replica).
    pub fn clear(&mut self) {
        for (_, (_, _, task)) in self.tasks.drain() {
            task.abort();
        }
    }

    /// How many consoles are followed.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }
}

impl Drop for Followers {
    fn drop(&mut self) {
        self.clear();
    }
}

/// Brings the followers in line with the console-triggered schedules: one for each active one
/// whose server runs (a changed pattern gets a new one), none for the others.
pub async fn follow_consoles(state: &AppState, followers: &mut Followers) -> Result<(), AppError> {
    let rows = {
        let mut c = conn(state).await?;
        db::Schedule::triggered_by(&mut c, None, "console").await?
    };
    let wanted: Vec<&db::Schedule> = rows
        .iter()
        .filter(|s| server_running_now(state, s.server_id))
        .collect();
    followers.tasks.retain(|id, (_, pattern, task)| {
        let keep = !task.is_finished()
            && wanted
                .iter()
                .any(|s| s.id == *id && s.pattern.as_deref() == Some(pattern.as_str()));
        if !keep {
            task.abort();
        }
        keep
    });
    for s in wanted {
        if followers.tasks.contains_key(&s.id) {
            continue;
        }
        let Some(text) = s.pattern.clone() else {
            continue;
        };
        let Ok(re) = console_pattern(&text) else {
            tracing::error!(schedule = %s.id, "a stored console pattern does not compile");
            continue;
        };
        let task = tokio::spawn(follow(state.clone(), s.server_id, re));
        followers
            .tasks
            .insert(s.id, (s.server_id, text, task.abort_handle()));
    }
    Ok(())
}

fn server_running_now(state: &AppState, id: Uuid) -> bool {
    state
        .live
        .pod(id)
        .borrow()
        .as_ref()
        .is_some_and(|p| p.running)
}

/// Reads a server's console (new lines only) and starts its console-triggered schedules when
/// a line matches, at most once per [`CONSOLE_QUIET`].
async fn follow(state: AppState, server: Uuid, re: regex::Regex) {
    let mut viewer = state.live.watch(server, &state.kube).await;
    let mut last: Option<tokio::time::Instant> = None;
    loop {
        let packet = match viewer.rx.recv().await {
            Ok(p) => p,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        };
        let Ok(protocol::live::ServerMsg::Output(lines)) =
            serde_json::from_str::<protocol::live::ServerMsg>(&packet.json)
        else {
            continue;
        };
        let quiet = last.is_none_or(|t| t.elapsed() >= CONSOLE_QUIET);
        if quiet && lines.iter().any(|l| re.is_match(l)) {
            last = Some(tokio::time::Instant::now());
            on_event(&state, server, "console", Utc::now()).await;
        }
    }
}
