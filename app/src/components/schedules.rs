//! A server's schedules: each one's cron, time zone and tasks, its next and last run, "run
//! now", a form to make or change one (tasks in order, each with its wait and whether the next
//! ones go on after a failure), and the latest runs with each task's outcome. Refreshed every
//! three seconds while a run is under way.

use leptos::prelude::*;
use uuid::Uuid;

use api::schedules::{delete_schedule, list_schedules, run_schedule, save_schedule};
use protocol::dto::{
    PowerAction, RunCause, RunState, ScheduleDto, ScheduleInput, ScheduleRunDto, ScheduleTask,
    ScheduleTrigger, TaskAction,
};

/// A task as the form edits it: its kind and its text.
#[derive(Debug, Clone, PartialEq)]
struct TaskRow {
    kind: &'static str,
    /// The command, the power action, or the paths (comma-separated).
    text: String,
    offset: String,
    go_on: bool,
}

impl TaskRow {
    fn new() -> TaskRow {
        TaskRow {
            kind: "command",
            text: String::new(),
            offset: "0".into(),
            go_on: false,
        }
    }

    fn of(t: &ScheduleTask) -> TaskRow {
        let (kind, text) = match &t.action {
            TaskAction::Command { command } => ("command", command.clone()),
            TaskAction::Power { power } => ("power", power_name(*power).into()),
            TaskAction::Backup => ("backup", String::new()),
            TaskAction::DeleteFiles { paths } => ("delete_files", paths.join(", ")),
        };
        TaskRow {
            kind,
            text,
            offset: t.offset_secs.to_string(),
            go_on: t.continue_on_failure,
        }
    }

    fn task(&self, n: usize) -> Result<ScheduleTask, String> {
        let action = match self.kind {
            "command" => TaskAction::Command {
                command: self.text.trim().to_string(),
            },
            "power" => TaskAction::Power {
                power: match self.text.as_str() {
                    "stop" => PowerAction::Stop,
                    "restart" => PowerAction::Restart,
                    "kill" => PowerAction::Kill,
                    _ => PowerAction::Start,
                },
            },
            "backup" => TaskAction::Backup,
            _ => TaskAction::DeleteFiles {
                paths: self
                    .text
                    .split(',')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect(),
            },
        };
        let offset_secs = self
            .offset
            .trim()
            .parse::<u32>()
            .map_err(|_| format!("Task {n}: the wait is a number of seconds (0 to 900)."))?;
        Ok(ScheduleTask {
            action,
            offset_secs,
            continue_on_failure: self.go_on,
        })
    }
}

fn power_name(p: PowerAction) -> &'static str {
    match p {
        PowerAction::Start => "start",
        PowerAction::Stop => "stop",
        PowerAction::Restart => "restart",
        PowerAction::Kill => "kill",
    }
}

/// A task for people (`Restart the server`, `say hi`).
fn describe(t: &ScheduleTask) -> String {
    let what = match &t.action {
        TaskAction::Command { command } => format!("Type “{command}”"),
        TaskAction::Power { power } => format!("{} the server", {
            let n = power_name(*power);
            let mut c = n.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        }),
        TaskAction::Backup => "Back up the world".into(),
        TaskAction::DeleteFiles { paths } => format!("Delete {}", paths.join(", ")),
    };
    if t.offset_secs > 0 {
        format!("after {} s: {what}", t.offset_secs)
    } else {
        what
    }
}

/// A time (RFC 3339) in the browser's own zone, short.
fn when(rfc: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc));
    if d.get_time().is_nan() {
        return rfc.to_string();
    }
    String::from(d.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

/// The browser's time zone (`Europe/Berlin`), for a new schedule.
fn browser_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &wasm_bindgen::JsValue::from_str("timeZone"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "UTC".into())
}

/// The Schedules section of a server page.
#[component]
pub fn Schedules(id: Uuid) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        list_schedules(id)
    });
    Effect::new(move |_| {
        let running = list.get().is_some_and(|r| {
            r.as_ref()
                .is_ok_and(|l| l.runs.iter().any(|r| r.state == RunState::Running))
        });
        if running {
            set_timeout(
                move || reload.update(|n| *n += 1),
                std::time::Duration::from_secs(3),
            );
        }
    });
    let message = RwSignal::new(None::<Result<String, String>>);
    // the form: None closed, Some(None) a new schedule, Some(Some(id)) that one
    let editing = RwSignal::new(None::<Option<Uuid>>);
    let name = RwSignal::new(String::new());
    // "cron", "crash" or "idle", and the idle minutes
    let trigger = RwSignal::new("cron");
    let idle_minutes = RwSignal::new("30".to_string());
    let pattern = RwSignal::new(String::new());
    let cron = RwSignal::new("0 4 * * *".to_string());
    let zone = RwSignal::new(String::new());
    let active = RwSignal::new(true);
    let online = RwSignal::new(false);
    let tasks = RwSignal::new(vec![TaskRow::new()]);
    let open = move |s: Option<ScheduleDto>| {
        message.set(None);
        match s {
            Some(s) => {
                name.set(s.name);
                match s.trigger {
                    ScheduleTrigger::Cron => trigger.set("cron"),
                    ScheduleTrigger::Crash => trigger.set("crash"),
                    ScheduleTrigger::Idle { minutes } => {
                        trigger.set("idle");
                        idle_minutes.set(minutes.to_string());
                    }
                    ScheduleTrigger::Console { pattern: p } => {
                        trigger.set("console");
                        pattern.set(p);
                    }
                }
                cron.set(s.cron);
                zone.set(s.time_zone);
                active.set(s.active);
                online.set(s.only_when_online);
                tasks.set(s.tasks.iter().map(TaskRow::of).collect());
                editing.set(Some(Some(s.id)));
            }
            None => {
                name.set(String::new());
                trigger.set("cron");
                cron.set("0 4 * * *".into());
                zone.set(browser_zone());
                active.set(true);
                online.set(false);
                tasks.set(vec![TaskRow::new()]);
                editing.set(Some(None));
            }
        }
    };
    let save = Action::new_local(move |_: &()| {
        let rows = tasks.get_untracked();
        let built: Result<Vec<ScheduleTask>, String> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| r.task(i + 1))
            .collect();
        let when = match trigger.get_untracked() {
            "crash" => Ok(ScheduleTrigger::Crash),
            "console" => Ok(ScheduleTrigger::Console {
                pattern: pattern.get_untracked(),
            }),
            "idle" => idle_minutes
                .get_untracked()
                .trim()
                .parse::<u32>()
                .map(|minutes| ScheduleTrigger::Idle { minutes })
                .map_err(|_| "The idle minutes are a number (1 to 1440).".to_string()),
            _ => Ok(ScheduleTrigger::Cron),
        };
        let input = built
            .and_then(|tasks| when.map(|t| (tasks, t)))
            .map(|(tasks, when)| ScheduleInput {
                id: editing.get_untracked().flatten(),
                name: name.get_untracked(),
                trigger: when,
                cron: cron.get_untracked(),
                time_zone: zone.get_untracked(),
                active: active.get_untracked(),
                only_when_online: online.get_untracked(),
                tasks,
            });
        async move {
            match input {
                Ok(input) => save_schedule(id, input).await.map_err(|e| e.to_string()),
                Err(e) => Err(e),
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(s)) => {
            message.set(Some(Ok(format!("Saved {}.", s.name))));
            editing.set(None);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => message.set(Some(Err(e))),
        None => {}
    });
    let act = Action::new_local(move |(schedule, run): &(Uuid, bool)| {
        let (schedule, run) = (*schedule, *run);
        async move {
            if run {
                run_schedule(id, schedule).await.map(|_| "Running.")
            } else {
                delete_schedule(id, schedule).await.map(|()| "Deleted.")
            }
        }
    });
    Effect::new(move |_| match act.value().get() {
        Some(Ok(m)) => {
            message.set(Some(Ok(m.to_string())));
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => message.set(Some(Err(e.to_string()))),
        None => {}
    });
    let confirm = RwSignal::new(None::<Uuid>);
    view! {
        <div class="schedules" data-testid="schedules">
            <h2 class="h2">"Schedules"</h2>
            <Suspense fallback=|| view! { <p class="muted small">"Loading schedules…"</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                    Ok(l) => {
                        let names: Vec<(Uuid, String)> = l.schedules.iter().map(|s| (s.id, s.name.clone())).collect();
                        let empty = l.schedules.is_empty().then(|| view! {
                            <p class="muted small">"No schedules yet: restart every night, back up every hour, tidy the logs."</p>
                        });
                        let rows = l.schedules.into_iter().map(|s| {
                            let sid = s.id;
                            let edit = s.clone();
                            let next = match (&s.trigger, &s.next_run_at, s.active) {
                                (_, _, false) => "Paused".to_string(),
                                (ScheduleTrigger::Crash, ..) => "When the server crashes".into(),
                                (ScheduleTrigger::Idle { minutes }, ..) => format!("When nobody has played for {minutes} min"),
                                (ScheduleTrigger::Console { pattern }, ..) => format!("When a console line matches {pattern}"),
                                (ScheduleTrigger::Cron, Some(t), true) => format!("Next: {}", when(t)),
                                (ScheduleTrigger::Cron, None, true) => "No next time".into(),
                            };
                            let timing = match s.trigger {
                                ScheduleTrigger::Cron => format!("{} ({})", s.cron, s.time_zone),
                                _ => String::new(),
                            };
                            let steps = s.tasks.iter().map(|t| view! { <li>{describe(t)}</li> }).collect_view();
                            view! {
                                <li class="schedule" data-testid="schedule">
                                    <div class="schedule-head">
                                        <strong>{s.name.clone()}</strong>
                                        <code class="small">{timing}</code>
                                    </div>
                                    <p class="small muted" data-testid="schedule-next">{next}
                                        {s.only_when_online.then_some(" · only while running")}
                                        {s.author.map(|a| format!(" · acts as {a}"))}</p>
                                    <ol class="small task-list">{steps}</ol>
                                    <div class="power-bar">
                                        <button class="btn btn-ghost" data-testid="schedule-run" disabled=move || act.pending().get()
                                            on:click=move |_| { act.dispatch((sid, true)); }>"Run now"</button>
                                        <button class="btn btn-ghost" data-testid="schedule-edit"
                                            on:click=move |_| open(Some(edit.clone()))>"Edit"</button>
                                        <button class="btn btn-ghost" data-testid="schedule-delete"
                                            on:click=move |_| confirm.set(Some(sid))>"Delete"</button>
                                    </div>
                                </li>
                            }
                        }).collect_view();
                        let runs = (!l.runs.is_empty()).then(|| {
                            let rows = l.runs.into_iter().take(10).map(|r| run_row(r, &names)).collect_view();
                            view! {
                                <h3 class="h3">"Latest runs"</h3>
                                <ul class="run-list small" data-testid="run-list">{rows}</ul>
                            }
                        });
                        view! {
                            <ul class="schedule-list" data-testid="schedule-list">{rows}</ul>
                            {empty}
                            {runs}
                        }.into_any()
                    }
                })}
            </Suspense>
            {move || message.get().map(|m| match m {
                Ok(t) => view! { <p class="banner" role="status" data-testid="schedule-message">{t}</p> }.into_any(),
                Err(t) => view! { <p class="banner banner-error" role="alert" data-testid="schedule-message">{t}</p> }.into_any(),
            })}
            {move || confirm.get().map(|sid| view! {
                <div class="confirm" role="alertdialog" aria-label="Confirm" data-testid="schedule-confirm">
                    <p><strong>"Delete this schedule and its history?"</strong></p>
                    <div class="power-bar">
                        <button class="btn btn-danger" data-testid="schedule-confirm-yes"
                            on:click=move |_| { act.dispatch((sid, false)); confirm.set(None); }>"Delete"</button>
                        <button class="btn btn-ghost" on:click=move |_| confirm.set(None)>"Cancel"</button>
                    </div>
                </div>
            })}
            {move || match editing.get() {
                None => view! {
                    <button class="btn btn-primary" data-testid="schedule-new" on:click=move |_| open(None)>"New schedule"</button>
                }.into_any(),
                Some(which) => view! {
                    <form class="schedule-form" data-testid="schedule-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        save.dispatch(());
                    }>
                        <h3 class="h3">{if which.is_some() { "Change the schedule" } else { "New schedule" }}</h3>
                        <label class="field" for="schedule-name">
                            <span class="field-label small">"Name"</span>
                            <input id="schedule-name" maxlength="64" required data-testid="schedule-name" placeholder="Nightly restart"
                                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                        </label>
                        <label class="field" for="schedule-trigger">
                            <span class="field-label small">"Runs"</span>
                            <select id="schedule-trigger" data-testid="schedule-trigger" prop:value=move || trigger.get()
                                on:change=move |ev| trigger.set(match event_target_value(&ev).as_str() {
                                    "crash" => "crash", "idle" => "idle", "console" => "console", _ => "cron" })>
                                <option value="cron">"At set times"</option>
                                <option value="crash">"When the server crashes"</option>
                                <option value="idle">"When nobody has played for a while"</option>
                                <option value="console">"When a console line matches"</option>
                            </select>
                        </label>
                        <Show when=move || trigger.get() == "console">
                            <label class="field" for="schedule-pattern">
                                <span class="field-label small">"A regular expression a line must match (at most one run a minute)"</span>
                                <input id="schedule-pattern" data-testid="schedule-pattern" spellcheck="false" maxlength="200"
                                    placeholder="Can't keep up!" prop:value=move || pattern.get()
                                    on:input=move |ev| pattern.set(event_target_value(&ev))/>
                            </label>
                        </Show>
                        <Show when=move || trigger.get() == "idle">
                            <label class="field" for="schedule-idle">
                                <span class="field-label small">"Minutes without a player (1 to 1440)"</span>
                                <input id="schedule-idle" type="number" min="1" max="1440" data-testid="schedule-idle"
                                    prop:value=move || idle_minutes.get() on:input=move |ev| idle_minutes.set(event_target_value(&ev))/>
                            </label>
                        </Show>
                        <Show when=move || trigger.get() == "cron">
                        <div class="field-row">
                            <label class="field" for="schedule-cron">
                                <span class="field-label small">"When (cron: minute hour day month weekday)"</span>
                                <input id="schedule-cron" required data-testid="schedule-cron" spellcheck="false" autocomplete="off"
                                    prop:value=move || cron.get() on:input=move |ev| cron.set(event_target_value(&ev))/>
                                <span class="small muted">"0 4 * * * is 04:00 every day; */30 * * * * every half hour."</span>
                            </label>
                            <label class="field" for="schedule-zone">
                                <span class="field-label small">"Time zone"</span>
                                <input id="schedule-zone" required data-testid="schedule-zone" spellcheck="false" placeholder="Europe/Berlin"
                                    prop:value=move || zone.get() on:input=move |ev| zone.set(event_target_value(&ev))/>
                            </label>
                        </div>
                        </Show>
                        <label class="check">
                            <input type="checkbox" data-testid="schedule-active" prop:checked=move || active.get()
                                on:change=move |ev| active.set(event_target_checked(&ev))/>
                            " Active (its trigger runs it)"
                        </label>
                        <label class="check">
                            <input type="checkbox" prop:checked=move || online.get()
                                on:change=move |ev| online.set(event_target_checked(&ev))/>
                            " Only while the server runs"
                        </label>
                        <fieldset class="tasks">
                            <legend class="small">"Tasks, in order"</legend>
                            {move || (0..tasks.with(Vec::len)).map(|i| task_editor(tasks, i)).collect_view()}
                            <button class="btn btn-ghost" type="button" data-testid="task-add"
                                on:click=move |_| tasks.update(|t| if t.len() < 20 { t.push(TaskRow::new()) })>"Add a task"</button>
                        </fieldset>
                        <div class="power-bar">
                            <button class="btn btn-primary" type="submit" data-testid="schedule-save" disabled=move || save.pending().get()>
                                {move || if save.pending().get() { "Saving…" } else { "Save" }}
                            </button>
                            <button class="btn btn-ghost" type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
                        </div>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}

/// The editor of task `i`.
fn task_editor(tasks: RwSignal<Vec<TaskRow>>, i: usize) -> impl IntoView {
    let get = move || {
        tasks
            .with(|t| t.get(i).cloned())
            .unwrap_or_else(TaskRow::new)
    };
    let set = move |f: &dyn Fn(&mut TaskRow)| {
        tasks.update(|t| {
            if let Some(r) = t.get_mut(i) {
                f(r)
            }
        })
    };
    let n = i + 1;
    view! {
        <div class="task-row" data-testid="task">
            <label class="field">
                <span class="field-label small">{format!("Task {n}")}</span>
                <select data-testid="task-kind" prop:value=move || get().kind on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(&|r| {
                        r.kind = match v.as_str() { "power" => "power", "backup" => "backup", "delete_files" => "delete_files", _ => "command" };
                        r.text = if r.kind == "power" { "restart".into() } else { String::new() };
                    });
                }>
                    <option value="command">"Type a command"</option>
                    <option value="power">"Start, stop or restart"</option>
                    <option value="backup">"Back up"</option>
                    <option value="delete_files">"Delete files"</option>
                </select>
            </label>
            {move || match get().kind {
                "power" => view! {
                    <label class="field"><span class="field-label small">"Action"</span>
                        <select data-testid="task-power" prop:value=move || get().text on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set(&|r| r.text = v.clone());
                        }>
                            <option value="start">"Start"</option>
                            <option value="stop">"Stop"</option>
                            <option value="restart">"Restart"</option>
                            <option value="kill">"Kill"</option>
                        </select>
                    </label>
                }.into_any(),
                "backup" => view! { <span class="small muted">"A backup of the world, as “Back up now” makes."</span> }.into_any(),
                kind => view! {
                    <label class="field"><span class="field-label small">{if kind == "command" { "Command" } else { "Paths (comma-separated)" }}</span>
                        <input data-testid="task-text" spellcheck="false" placeholder=if kind == "command" { "say Restarting in a minute" } else { "/logs, /crash-reports" }
                            prop:value=move || get().text on:input=move |ev| {
                                let v = event_target_value(&ev);
                                set(&|r| r.text = v.clone());
                            }/>
                    </label>
                }.into_any(),
            }}
            <label class="field field-narrow"><span class="field-label small">"Wait (s)"</span>
                <input type="number" min="0" max="900" data-testid="task-offset" prop:value=move || get().offset
                    on:input=move |ev| { let v = event_target_value(&ev); set(&|r| r.offset = v.clone()); }/>
            </label>
            <label class="check small">
                <input type="checkbox" prop:checked=move || get().go_on
                    on:change=move |ev| { let v = event_target_checked(&ev); set(&|r| r.go_on = v); }/>
                " Go on if it fails"
            </label>
            <button class="btn btn-ghost" type="button" aria-label=format!("Remove task {n}")
                on:click=move |_| tasks.update(|t| if t.len() > 1 { t.remove(i); })>"Remove"</button>
        </div>
    }
}

/// One run in the history.
fn run_row(r: ScheduleRunDto, names: &[(Uuid, String)]) -> impl IntoView {
    let name = names
        .iter()
        .find(|(id, _)| *id == r.schedule)
        .map(|(_, n)| n.clone())
        .unwrap_or_default();
    let (label, class) = match r.state {
        RunState::Running => ("running", "badge"),
        RunState::Done => ("done", "badge badge-ok"),
        RunState::Failed => ("failed", "badge badge-error"),
        RunState::Skipped => ("skipped", "badge"),
    };
    let cause = match r.cause {
        RunCause::Cron => "by its time",
        RunCause::Now => "run now",
        RunCause::Crash => "after a crash",
        RunCause::Idle => "nobody was playing",
        RunCause::Console => "a console line matched",
    };
    let outcomes = r
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mark = if t.ok { "✓" } else { "✗" };
            view! { <li>{format!("{mark} task {}: {}", i + 1, t.message)}</li> }
        })
        .collect_view();
    view! {
        <li class="run" data-testid="run">
            <span class=class data-testid="run-state">{label}</span>
            " " <strong>{name}</strong> " · " {when(&r.started_at)} " · " {cause}
            {r.detail.map(|d| view! { <p class="muted">{d}</p> })}
            <ul class="task-outcomes">{outcomes}</ul>
        </li>
    }
}
