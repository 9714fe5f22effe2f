//! A server's schedules: each one's cron, time zone and tasks, its next and last run, "run
//! now", a form to make or change one (tasks in order, each with its wait and whether the next
//! ones go on after a failure), and the latest runs with each task's outcome. Refreshed every
//! three seconds while a run is under way.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use uuid::Uuid;

use crate::i18n::I18n;

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

    fn task(&self, n: usize, i18n: I18n) -> Result<ScheduleTask, String> {
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
            .map_err(|_| tr!(i18n, "schedules-error-wait", {"n" => n}))?;
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
        TaskAction::Command { command } => {
            tr!("schedules-task-command", {"command" => command.clone()})
        }
        TaskAction::Power { power } => match power {
            PowerAction::Start => tr!("schedules-task-start"),
            PowerAction::Stop => tr!("schedules-task-stop"),
            PowerAction::Restart => tr!("schedules-task-restart"),
            PowerAction::Kill => tr!("schedules-task-kill"),
        },
        TaskAction::Backup => tr!("schedules-task-backup"),
        TaskAction::DeleteFiles { paths } => {
            tr!("schedules-task-delete", {"paths" => paths.join(", ")})
        }
    };
    if t.offset_secs > 0 {
        tr!("schedules-task-after", {"seconds" => t.offset_secs, "task" => what})
    } else {
        what
    }
}

/// A time (RFC 3339) in the browser's own zone and the current language.
fn when(rfc: &str) -> String {
    crate::i18n::date_time(rfc)
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
    let i18n = crate::i18n::i18n();
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
            .map(|(i, r)| r.task(i + 1, i18n))
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
                .map_err(|_| tr!(i18n, "schedules-error-idle")),
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
            message.set(Some(Ok(tr!(i18n, "schedules-saved", {"name" => s.name}))));
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
                run_schedule(id, schedule)
                    .await
                    .map(|_| tr!(i18n, "schedules-running"))
            } else {
                delete_schedule(id, schedule)
                    .await
                    .map(|()| tr!(i18n, "schedules-deleted"))
            }
        }
    });
    Effect::new(move |_| match act.value().get() {
        Some(Ok(m)) => {
            message.set(Some(Ok(m)));
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => message.set(Some(Err(e.to_string()))),
        None => {}
    });
    let confirm = RwSignal::new(None::<Uuid>);
    view! {
        <div class="schedules" data-testid="schedules">
            <h2 class="h2">{move_tr!("schedules-title")}</h2>
            <Suspense fallback=|| view! { <p class="muted small">{move_tr!("schedules-loading")}</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                    Ok(l) => {
                        let names: Vec<(Uuid, String)> = l.schedules.iter().map(|s| (s.id, s.name.clone())).collect();
                        let empty = l.schedules.is_empty().then(|| view! {
                            <p class="muted small">{move_tr!("schedules-empty")}</p>
                        });
                        let rows = l.schedules.into_iter().map(|s| {
                            let sid = s.id;
                            let edit = s.clone();
                            let next = match (&s.trigger, &s.next_run_at, s.active) {
                                (_, _, false) => tr!("schedules-paused"),
                                (ScheduleTrigger::Crash, ..) => tr!("schedules-on-crash"),
                                (ScheduleTrigger::Idle { minutes }, ..) => tr!("schedules-on-idle", {"minutes" => *minutes}),
                                (ScheduleTrigger::Console { pattern }, ..) => tr!("schedules-on-console", {"pattern" => pattern.clone()}),
                                (ScheduleTrigger::Cron, Some(t), true) => tr!("schedules-next", {"time" => when(t)}),
                                (ScheduleTrigger::Cron, None, true) => tr!("schedules-no-next"),
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
                                        {s.only_when_online.then(|| format!(" · {}", tr!("schedules-only-running")))}
                                        {s.author.map(|a| format!(" · {}", tr!("schedules-acts-as", {"author" => a})))}</p>
                                    <ol class="small task-list">{steps}</ol>
                                    <div class="power-bar">
                                        <button class="btn btn-ghost" data-testid="schedule-run" disabled=move || act.pending().get()
                                            on:click=move |_| { act.dispatch((sid, true)); }>{move_tr!("schedules-run-now")}</button>
                                        <button class="btn btn-ghost" data-testid="schedule-edit"
                                            on:click=move |_| open(Some(edit.clone()))>{move_tr!("schedules-edit")}</button>
                                        <button class="btn btn-ghost" data-testid="schedule-delete"
                                            on:click=move |_| confirm.set(Some(sid))>{move_tr!("schedules-delete")}</button>
                                    </div>
                                </li>
                            }
                        }).collect_view();
                        let runs = (!l.runs.is_empty()).then(|| {
                            let rows = l.runs.into_iter().take(10).map(|r| run_row(r, &names)).collect_view();
                            view! {
                                <h3 class="h3">{move_tr!("schedules-latest-runs")}</h3>
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
                <div class="confirm" role="alertdialog" aria-label=move_tr!("schedules-confirm") data-testid="schedule-confirm">
                    <p><strong>{move_tr!("schedules-confirm-delete")}</strong></p>
                    <div class="power-bar">
                        <button class="btn btn-danger" data-testid="schedule-confirm-yes"
                            on:click=move |_| { act.dispatch((sid, false)); confirm.set(None); }>{move_tr!("schedules-delete")}</button>
                        <button class="btn btn-ghost" on:click=move |_| confirm.set(None)>{move_tr!("schedules-cancel")}</button>
                    </div>
                </div>
            })}
            {move || match editing.get() {
                None => view! {
                    <button class="btn btn-primary" data-testid="schedule-new" on:click=move |_| open(None)>{move_tr!("schedules-new")}</button>
                }.into_any(),
                Some(which) => view! {
                    <form class="schedule-form" data-testid="schedule-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        save.dispatch(());
                    }>
                        <h3 class="h3">{move || if which.is_some() { tr!("schedules-change") } else { tr!("schedules-new") }}</h3>
                        <label class="field" for="schedule-name">
                            <span class="field-label small">{move_tr!("schedules-name")}</span>
                            <input id="schedule-name" maxlength="64" required data-testid="schedule-name" placeholder=move_tr!("schedules-name-placeholder")
                                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                        </label>
                        <label class="field" for="schedule-trigger">
                            <span class="field-label small">{move_tr!("schedules-runs")}</span>
                            <select id="schedule-trigger" data-testid="schedule-trigger" prop:value=move || trigger.get()
                                on:change=move |ev| trigger.set(match event_target_value(&ev).as_str() {
                                    "crash" => "crash", "idle" => "idle", "console" => "console", _ => "cron" })>
                                <option value="cron">{move_tr!("schedules-trigger-cron")}</option>
                                <option value="crash">{move_tr!("schedules-on-crash")}</option>
                                <option value="idle">{move_tr!("schedules-trigger-idle")}</option>
                                <option value="console">{move_tr!("schedules-trigger-console")}</option>
                            </select>
                        </label>
                        <Show when=move || trigger.get() == "console">
                            <label class="field" for="schedule-pattern">
                                <span class="field-label small">{move_tr!("schedules-pattern")}</span>
                                <input id="schedule-pattern" data-testid="schedule-pattern" spellcheck="false" maxlength="200"
                                    placeholder="Can't keep up!" prop:value=move || pattern.get()
                                    on:input=move |ev| pattern.set(event_target_value(&ev))/>
                            </label>
                        </Show>
                        <Show when=move || trigger.get() == "idle">
                            <label class="field" for="schedule-idle">
                                <span class="field-label small">{move_tr!("schedules-idle-minutes")}</span>
                                <input id="schedule-idle" type="number" min="1" max="1440" data-testid="schedule-idle"
                                    prop:value=move || idle_minutes.get() on:input=move |ev| idle_minutes.set(event_target_value(&ev))/>
                            </label>
                        </Show>
                        <Show when=move || trigger.get() == "cron">
                        <div class="field-row">
                            <label class="field" for="schedule-cron">
                                <span class="field-label small">{move_tr!("schedules-cron")}</span>
                                <input id="schedule-cron" required data-testid="schedule-cron" spellcheck="false" autocomplete="off"
                                    prop:value=move || cron.get() on:input=move |ev| cron.set(event_target_value(&ev))/>
                                <span class="small muted">{move_tr!("schedules-cron-help")}</span>
                            </label>
                            <label class="field" for="schedule-zone">
                                <span class="field-label small">{move_tr!("schedules-zone")}</span>
                                <input id="schedule-zone" required data-testid="schedule-zone" spellcheck="false" placeholder="Europe/Berlin"
                                    prop:value=move || zone.get() on:input=move |ev| zone.set(event_target_value(&ev))/>
                            </label>
                        </div>
                        </Show>
                        <label class="check">
                            <input type="checkbox" data-testid="schedule-active" prop:checked=move || active.get()
                                on:change=move |ev| active.set(event_target_checked(&ev))/>
                            " "{move_tr!("schedules-active")}
                        </label>
                        <label class="check">
                            <input type="checkbox" prop:checked=move || online.get()
                                on:change=move |ev| online.set(event_target_checked(&ev))/>
                            " "{move_tr!("schedules-only-online")}
                        </label>
                        <fieldset class="tasks">
                            <legend class="small">{move_tr!("schedules-tasks")}</legend>
                            {move || (0..tasks.with(Vec::len)).map(|i| task_editor(tasks, i)).collect_view()}
                            <button class="btn btn-ghost" type="button" data-testid="task-add"
                                on:click=move |_| tasks.update(|t| if t.len() < 20 { t.push(TaskRow::new()) })>{move_tr!("schedules-task-add")}</button>
                        </fieldset>
                        <div class="power-bar">
                            <button class="btn btn-primary" type="submit" data-testid="schedule-save" disabled=move || save.pending().get()>
                                {move || if save.pending().get() { tr!("schedules-saving") } else { tr!("schedules-save") }}
                            </button>
                            <button class="btn btn-ghost" type="button" on:click=move |_| editing.set(None)>{move_tr!("schedules-cancel")}</button>
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
                <span class="field-label small">{move_tr!("schedules-task-n", {"n" => n})}</span>
                <select data-testid="task-kind" prop:value=move || get().kind on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(&|r| {
                        r.kind = match v.as_str() { "power" => "power", "backup" => "backup", "delete_files" => "delete_files", _ => "command" };
                        r.text = if r.kind == "power" { "restart".into() } else { String::new() };
                    });
                }>
                    <option value="command">{move_tr!("schedules-kind-command")}</option>
                    <option value="power">{move_tr!("schedules-kind-power")}</option>
                    <option value="backup">{move_tr!("schedules-kind-backup")}</option>
                    <option value="delete_files">{move_tr!("schedules-kind-delete")}</option>
                </select>
            </label>
            {move || match get().kind {
                "power" => view! {
                    <label class="field"><span class="field-label small">{move_tr!("schedules-action")}</span>
                        <select data-testid="task-power" prop:value=move || get().text on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set(&|r| r.text = v.clone());
                        }>
                            <option value="start">{move_tr!("schedules-power-start")}</option>
                            <option value="stop">{move_tr!("schedules-power-stop")}</option>
                            <option value="restart">{move_tr!("schedules-power-restart")}</option>
                            <option value="kill">{move_tr!("schedules-power-kill")}</option>
                        </select>
                    </label>
                }.into_any(),
                "backup" => view! { <span class="small muted">{move_tr!("schedules-backup-help")}</span> }.into_any(),
                kind => view! {
                    <label class="field"><span class="field-label small">{if kind == "command" { tr!("schedules-command") } else { tr!("schedules-paths") }}</span>
                        <input data-testid="task-text" spellcheck="false" placeholder=if kind == "command" { tr!("schedules-command-placeholder") } else { "/logs, /crash-reports".to_string() }
                            prop:value=move || get().text on:input=move |ev| {
                                let v = event_target_value(&ev);
                                set(&|r| r.text = v.clone());
                            }/>
                    </label>
                }.into_any(),
            }}
            <label class="field field-narrow"><span class="field-label small">{move_tr!("schedules-wait")}</span>
                <input type="number" min="0" max="900" data-testid="task-offset" prop:value=move || get().offset
                    on:input=move |ev| { let v = event_target_value(&ev); set(&|r| r.offset = v.clone()); }/>
            </label>
            <label class="check small">
                <input type="checkbox" prop:checked=move || get().go_on
                    on:change=move |ev| { let v = event_target_checked(&ev); set(&|r| r.go_on = v); }/>
                " "{move_tr!("schedules-go-on")}
            </label>
            <button class="btn btn-ghost" type="button" aria-label=move_tr!("schedules-task-remove-label", {"n" => n})
                on:click=move |_| tasks.update(|t| if t.len() > 1 { t.remove(i); })>{move_tr!("schedules-task-remove")}</button>
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
        RunState::Running => (tr!("schedules-state-running"), "badge"),
        RunState::Done => (tr!("schedules-state-done"), "badge badge-ok"),
        RunState::Failed => (tr!("schedules-state-failed"), "badge badge-error"),
        RunState::Skipped => (tr!("schedules-state-skipped"), "badge"),
    };
    let cause = match r.cause {
        RunCause::Cron => tr!("schedules-cause-cron"),
        RunCause::Now => tr!("schedules-cause-now"),
        RunCause::Crash => tr!("schedules-cause-crash"),
        RunCause::Idle => tr!("schedules-cause-idle"),
        RunCause::Console => tr!("schedules-cause-console"),
    };
    let outcomes = r
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mark = if t.ok { "✓" } else { "✗" };
            view! { <li>{mark}" "{tr!("schedules-outcome", {"n" => i + 1, "message" => t.message.clone()})}</li> }
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
