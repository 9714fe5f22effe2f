//! A server's page: live status, power buttons, settings, delete.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::components::backups::Backups;
use crate::components::console::Console;
use crate::components::figures::Figures;
use crate::components::graphs::Graphs;
use crate::components::guard::{Protected, StatusBadge};
use crate::components::icon::IconForm;
use crate::components::join::{Asleep, ExtraPorts, JoinAddress};
use crate::components::members::Members;
use crate::components::mods::Mods;
use crate::components::player_lists::PlayerManager;
use crate::components::players::PlayersCard;
use crate::components::schedules::Schedules;
use crate::components::shell::Loading;
use crate::components::variables::VariableField;
use crate::components::webhooks::Webhooks;
use api::servers::{
    change_server_plan, change_server_template, delete_server, game_versions, get_server,
    list_plans, list_templates, power_server, save_server_settings, set_server_idle_stop,
};
use protocol::dto::{PowerAction, ServerDto};
use protocol::live::{Abilities, StatusUpdate};
use protocol::state::ServerState;
use protocol::{Desired, Permission};

/// The server page.
#[component]
pub fn ServerPage() -> impl IntoView {
    view! { <Protected><ServerView/></Protected> }
}

#[component]
fn ServerView() -> impl IntoView {
    let params = use_params_map();
    let i18n = crate::i18n::i18n();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<Uuid>().ok()));
    let fetch = move |id: Option<Uuid>| async move {
        match id {
            Some(id) => get_server(id).await,
            None => Err(protocol::AppError::not_found(tr!(i18n, "server-no-such"))),
        }
    };
    // Loaded once for the page (forms keep what the user types); the live parts follow the
    // console socket's status pushes, each of which reloads the server's details.
    let initial = LocalResource::new(move || fetch(id()));
    let refresh = RwSignal::new(0u64);
    let live = LocalResource::new(move || {
        let n = refresh.get();
        async move {
            if n == 0 {
                return None;
            }
            fetch(id()).await.ok()
        }
    });
    let live = Signal::derive(move || live.get().flatten());
    provide_context(Refresh(refresh));
    view! {
        <section class="section server-page">
            <a class="back" href="/">{move_tr!("server-back")}</a>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || initial.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(s) => view! { <Details initial=s live/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// Bumped to reload the server's details.
#[derive(Clone, Copy)]
struct Refresh(RwSignal<u64>);

#[component]
fn Details(initial: ServerDto, live: Signal<Option<ServerDto>>) -> impl IntoView {
    let navigate = use_navigate();
    let id = initial.id;
    let fallback = initial.clone();
    let pushed = RwSignal::new(None::<StatusUpdate>);
    let current = Signal::derive(move || {
        let mut s = live.get().unwrap_or_else(|| fallback.clone());
        // The pushed status is the newest until the reload catches up.
        if let Some(u) = pushed.get()
            && let Some(status) = u.status.state()
        {
            s.status = status;
            s.status_reason = u.reason;
        }
        s
    });
    let refresh = use_context::<Refresh>().map(|r| r.0);
    let on_status = Callback::new(move |u: StatusUpdate| {
        pushed.set(Some(u));
        if let Some(r) = refresh {
            r.update(|n| *n += 1);
        }
    });
    let abilities = RwSignal::new(None::<Abilities>);
    let stats = RwSignal::new(protocol::live::Stats::default());
    let power = Action::new_local(move |a: &PowerAction| power_server(id, *a));
    Effect::new(move |_| {
        if let Some(Ok(s)) = power.value().get() {
            pushed.set(Some(StatusUpdate {
                id,
                status: s.status.into(),
                reason: s.status_reason,
            }));
        }
    });
    let remove = Action::new_local(move |keep: &bool| delete_server(id, *keep));
    let confirm_delete = RwSignal::new(false);
    let keep_world = RwSignal::new(true);
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            navigate("/", Default::default());
        }
    });
    let error = move || match (power.value().get(), remove.value().get()) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => Some(e.to_string()),
        _ => None,
    };
    let busy = move || power.pending().get() || remove.pending().get();
    // Stop, restart and kill interrupt players: they ask first (start does not).
    let confirm_power = RwSignal::new(None::<PowerAction>);
    let stopped = move || current.with(|s| s.desired == Desired::Stopped);
    let button = move |name: &'static str,
                       label: Signal<String>,
                       action: PowerAction,
                       class: &'static str,
                       enabled: fn(bool) -> bool| {
        let allowed =
            move || abilities.with(|a| a.as_ref().is_none_or(|a| a.power.contains(&action)));
        view! {
            <Show when=allowed>
                <button class=format!("btn {class}") data-testid=format!("power-{name}")
                    disabled=move || busy() || !enabled(stopped())
                    on:click=move |_| {
                        if action == PowerAction::Start {
                            power.dispatch(action);
                        } else {
                            confirm_power.set(Some(action));
                        }
                    }>
                    {label}
                </button>
            </Show>
        }
    };
    let status = Signal::derive(move || current.with(|s| s.status));
    let held = initial.permissions.clone();
    let can = move |p: Permission| held.contains(&p);
    // the sections this caller may see, in the order of the page, for its jump links
    let players_section = can(Permission::ConsoleRead) || can(Permission::Players);
    let sections: Vec<(&str, Signal<String>)> = [
        (
            can(Permission::ConsoleRead),
            "console",
            move_tr!("server-section-console"),
        ),
        (
            players_section,
            "players",
            move_tr!("server-section-players"),
        ),
        (
            can(Permission::ConsoleRead),
            "graphs",
            move_tr!("server-section-use"),
        ),
        (
            can(Permission::FilesRead),
            "files",
            move_tr!("server-section-files"),
        ),
        (
            can(Permission::Settings),
            "settings",
            move_tr!("server-section-settings"),
        ),
        (
            can(Permission::Backups),
            "backups",
            move_tr!("server-section-backups"),
        ),
        (
            can(Permission::Mods),
            "mods",
            move_tr!("server-section-mods"),
        ),
        (
            can(Permission::Schedules),
            "schedules",
            move_tr!("server-section-schedules"),
        ),
        (
            can(Permission::Members),
            "members",
            move_tr!("server-section-members"),
        ),
        (
            can(Permission::Settings),
            "webhooks",
            move_tr!("server-section-webhooks"),
        ),
        (
            can(Permission::Delete),
            "activity",
            move_tr!("server-section-activity"),
        ),
    ]
    .into_iter()
    .filter(|(shown, ..)| *shown)
    .map(|(_, anchor, label)| (anchor, label))
    .collect();
    view! {
        <div class="card server-hero" data-testid="server">
            <div class="server-head">
                <h1 class="server-title">{initial.name.clone()}</h1>
                <StatusBadge status/>
            </div>
            {move || current.with(|s| s.status_reason.clone()).map(|r| view! { <p class="reason">{r}</p> })}
            <JoinAddress join=initial.join.clone() copy=true/>
            <ExtraPorts ports=initial.ports.clone() copy=true/>
            <Asleep wakes=initial.wakes_on_join status/>
            {can(Permission::ConsoleRead).then(|| view! { <Figures stats/> })}
            <p class="muted">{move || current.with(|s| {
                let (template, plan) = (s.template.clone(), s.plan.clone());
                match s.desired {
                    Desired::Running => tr!("server-summary-running", {"template" => template, "plan" => plan}),
                    Desired::Stopped => tr!("server-summary-stopped", {"template" => template, "plan" => plan}),
                }
            })}</p>
            <div class="power-bar">
                {button("start", move_tr!("server-power-start"), PowerAction::Start, "btn-primary", |stopped| stopped)}
                {button("stop", move_tr!("server-power-stop"), PowerAction::Stop, "btn-ghost", |stopped| !stopped)}
                {button("restart", move_tr!("server-power-restart"), PowerAction::Restart, "btn-ghost", |stopped| !stopped)}
                {button("kill", move_tr!("server-power-kill"), PowerAction::Kill, "btn-danger", |_| true)}
            </div>
            {move || confirm_power.get().map(|a| {
                let (question, yes) = match a {
                    PowerAction::Stop => (tr!("server-confirm-stop"), tr!("server-confirm-stop-yes")),
                    PowerAction::Restart => (tr!("server-confirm-restart"), tr!("server-confirm-restart-yes")),
                    _ => (tr!("server-confirm-kill"), tr!("server-confirm-kill-yes")),
                };
                view! {
                    <div class="banner confirm-bar" role="alertdialog" data-testid="power-confirm">
                        <span>{question}</span>
                        <span class="button-row">
                            <button class="btn btn-danger btn-small" data-testid="power-confirm-yes"
                                on:click=move |_| { confirm_power.set(None); power.dispatch(a); }>{yes}</button>
                            <button class="btn btn-ghost btn-small" on:click=move |_| confirm_power.set(None)>{move_tr!("server-cancel")}</button>
                        </span>
                    </div>
                }
            })}
            {move || error().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
        </div>
        <nav class="section-nav" aria-label=move_tr!("server-sections") data-testid="section-nav">
            {sections.into_iter().map(|(anchor, label)| view! {
                <a href=format!("#{anchor}")>{label}</a>
            }).collect_view()}
        </nav>
        {can(Permission::ConsoleRead).then(|| view! {
            <section id="console" class="card server-section" aria-label=move_tr!("server-section-console")>
                <Console id on_status abilities stats/>
            </section>
        })}
        {can(Permission::ConsoleRead).then(|| view! {
            <section id="graphs" class="card server-section" aria-labelledby="graphs-title">
                <Graphs server=Some(id)/>
            </section>
        })}
        {players_section.then(|| view! {
            <section id="players" class="card server-section" aria-labelledby="players-title">
                <h2 id="players-title">{move_tr!("server-section-players")}</h2>
                {can(Permission::ConsoleRead).then(|| view! {
                    <PlayersCard stats/>
                    <Show when=move || stats.with(|s| s.presence.is_none())>
                        <p class="muted small">{move_tr!("server-players-hint")}</p>
                    </Show>
                })}
                {can(Permission::Players).then(|| view! { <PlayerManager id stats status/> })}
            </section>
        })}
        {can(Permission::FilesRead).then(|| view! {
            <section id="files" class="card server-section" aria-labelledby="files-title">
                <h2 id="files-title">{move_tr!("server-section-files")}</h2>
                <p class="muted small">{move_tr!("server-files-hint")}</p>
                <a class="btn btn-ghost files-link" data-testid="open-files" href=crate::pages::files::files_href(id, "/")>{move_tr!("server-open-files")}</a>
            </section>
        })}
        {can(Permission::Settings).then(|| view! {
            <section id="settings" class="card server-section" aria-label=move_tr!("server-section-settings")>
                <PlanForm initial=initial.clone()/>
                <TypeForm initial=initial.clone() status=Signal::derive(move || current.get().status)/>
                <IdleStopForm initial=initial.clone()/>
                <Settings initial=initial.clone() current/>
                {can(Permission::FilesWrite).then(|| view! { <IconForm id/> })}
            </section>
        })}
        {can(Permission::Backups).then(|| view! {
            <section id="backups" class="card server-section" aria-label=move_tr!("server-section-backups")>
                <Backups id plan=initial.plan_id/>
            </section>
        })}
        {can(Permission::Mods).then(|| view! {
            <section id="mods" class="card server-section" aria-label=move_tr!("server-mods-and-plugins")>
                <Mods id/>
            </section>
        })}
        {can(Permission::Schedules).then(|| view! {
            <section id="schedules" class="card server-section" aria-label=move_tr!("server-section-schedules")>
                <Schedules id/>
            </section>
        })}
        {can(Permission::Members).then(|| view! {
            <section id="members" class="card server-section" aria-label=move_tr!("server-section-members")>
                <Members id mine=initial.permissions.clone()/>
            </section>
        })}
        {can(Permission::Settings).then(|| view! {
            <section id="webhooks" class="card server-section" aria-label=move_tr!("server-section-webhooks")>
                <Webhooks server=Some(id)/>
            </section>
        })}
        {can(Permission::Delete).then(|| view! {
            <section id="activity" class="card server-section" aria-labelledby="activity-title">
                <h2 id="activity-title">{move_tr!("server-section-activity")}</h2>
                <a href=format!("/audit?server={id}")>{move_tr!("server-activity-link")}</a>
            </section>
            <div class="card server-section danger-zone">
                <Show when=move || confirm_delete.get() fallback=move || view! {
                    <button class="btn btn-danger-outline" on:click=move |_| confirm_delete.set(true)>{move_tr!("server-delete-open")}</button>
                }>
                    <p><strong>{move_tr!("server-delete-question")}</strong></p>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || keep_world.get() on:change=move |ev| keep_world.set(event_target_checked(&ev))/>
                        " "{move_tr!("server-delete-keep-world")}
                    </label>
                    <div class="power-bar">
                        <button class="btn btn-danger" data-testid="confirm-delete" disabled=busy
                            on:click=move |_| { remove.dispatch(keep_world.get_untracked()); }>{move_tr!("server-delete")}</button>
                        <button class="btn btn-ghost" on:click=move |_| confirm_delete.set(false)>{move_tr!("server-cancel")}</button>
                    </div>
                </Show>
            </div>
        })}
    }
}

/// Idle stop: the panel stops the server once nobody has played on it for the minutes chosen.
#[component]
fn IdleStopForm(initial: ServerDto) -> impl IntoView {
    let id = initial.id;
    let on = RwSignal::new(initial.idle_stop_minutes.is_some());
    let minutes = RwSignal::new(initial.idle_stop_minutes.unwrap_or(30).to_string());
    let save = Action::new_local(move |m: &Option<u32>| set_server_idle_stop(id, *m));
    let message = move || match save.value().get() {
        Some(Err(e)) => Some((true, e.to_string())),
        Some(Ok(s)) => Some((
            false,
            match s.idle_stop_minutes {
                Some(m) => tr!("server-idle-saved", {"minutes" => m}),
                None => tr!("server-idle-saved-off"),
            },
        )),
        None => None,
    };
    let wakes = initial.wakes_on_join;
    view! {
        <form class="settings" data-testid="idle-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            // a number the server refuses (0, 1441, words) gets its clear message from it
            let m = on.get_untracked().then(|| minutes.get_untracked().trim().parse::<u32>().unwrap_or(0));
            save.dispatch(m);
        }>
            <h2>{move_tr!("server-idle-title")}</h2>
            <label class="check">
                <input type="checkbox" data-testid="idle-on" prop:checked=move || on.get()
                    on:change=move |ev| on.set(event_target_checked(&ev))/>
                " "{move_tr!("server-idle-on")}
            </label>
            <label class="field" for="idle-minutes">
                <span class="field-label small">{move_tr!("server-idle-minutes")}</span>
                <input id="idle-minutes" type="number" min="1" max="1440" inputmode="numeric"
                    data-testid="idle-minutes" disabled=move || !on.get()
                    prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev))/>
            </label>
            <p class="muted small">{move || if wakes {
                tr!("server-idle-wakes")
            } else {
                tr!("server-idle-no-wake")
            }}</p>
            {move || message().map(|(bad, text)| view! {
                <p class=if bad { "banner banner-error" } else { "banner banner-ok" } role="status">{text}</p>
            })}
            <button class="btn btn-ghost" type="submit" data-testid="save-idle" disabled=move || save.pending().get()>
                {move || if save.pending().get() { tr!("server-saving") } else { tr!("server-idle-save") }}
            </button>
        </form>
    }
}

/// The variables form, each by its kind (toggles, choices, numbers with their range): a running
/// server takes changes at its next start or restart.
#[component]
fn Settings(initial: ServerDto, current: Signal<ServerDto>) -> impl IntoView {
    let id = initial.id;
    let template_id = initial.template_id;
    let start = initial
        .pending_variables
        .clone()
        .unwrap_or(initial.variables.clone());
    let from = start.get("VERSION").cloned();
    let values = RwSignal::new(start);
    // the versions the server's type can run (none when its template has no list)
    let versions = LocalResource::new(move || game_versions(id));
    let listed = Signal::derive(move || {
        versions
            .get()
            .and_then(Result::ok)
            .map(|g| {
                std::iter::once("LATEST".to_string())
                    .chain(g.versions)
                    .collect()
            })
            .unwrap_or_default()
    });
    let latest = move || versions.get().and_then(Result::ok).and_then(|g| g.latest);
    let downgrade = move || {
        let to = values.with(|m| m.get("VERSION").cloned())?;
        let from = from.clone()?;
        protocol::versions::is_downgrade(&from, &to, latest().as_deref()).then_some((from, to))
    };
    // the template's variables: their labels, kinds and descriptions
    let defs = LocalResource::new(move || async move {
        list_templates().await.map(|ts| {
            ts.into_iter()
                .find(|t| t.id == template_id)
                .map(|t| t.variables)
                .unwrap_or_default()
        })
    });
    let save =
        Action::new_local(move |v: &BTreeMap<String, String>| save_server_settings(id, v.clone()));
    let message = move || match save.value().get() {
        Some(Err(e)) => Some((true, e.to_string())),
        Some(Ok(s)) if s.pending_variables.is_some() => {
            Some((false, tr!("server-settings-saved-pending")))
        }
        Some(Ok(_)) => Some((false, tr!("server-saved"))),
        None => None,
    };
    let pending = move || current.with(|s| s.pending_variables.is_some());
    view! {
        <form class="settings" data-testid="settings" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            save.dispatch(values.get_untracked());
        }>
            <h2>{move_tr!("server-section-settings")}</h2>
            <Show when=pending>
                <p class="muted small">{move_tr!("server-settings-pending")}</p>
            </Show>
            <Suspense fallback=|| view! { <p class="muted small">{move_tr!("server-settings-loading")}</p> }>
                {move || defs.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(defs) => defs
                        .into_iter()
                        .filter(|d| d.user_editable)
                        .map(|def| {
                            let offer = (def.name == "VERSION").then_some(listed);
                            view! { <VariableField def values prefix="set" suggestions=offer/> }
                        })
                        .collect_view()
                        .into_any(),
                })}
            </Suspense>
            {move || downgrade().map(|(from, to)| view! {
                <p class="banner banner-error" role="alert" data-testid="version-downgrade">{
                    tr!("server-version-downgrade", {"from" => from, "to" => to})
                }</p>
            })}
            {move || message().map(|(bad, text)| view! {
                <p class=if bad { "banner banner-error" } else { "banner banner-ok" } role="status">{text}</p>
            })}
            <button class="btn btn-ghost" type="submit" data-testid="save-settings" disabled=move || save.pending().get()>
                {move || if save.pending().get() { tr!("server-saving") } else { tr!("server-settings-save") }}
            </button>
        </form>
    }
}

/// The server's type (its template): changed while it is stopped, the values the new type
/// takes kept, the world backed up first when the plan keeps backups; the page reloads to show
/// the new type's settings.
#[component]
fn TypeForm(initial: ServerDto, status: Signal<ServerState>) -> impl IntoView {
    let id = initial.id;
    let templates = LocalResource::new(list_templates);
    let chosen = RwSignal::new(initial.template_id);
    // values the new type needs and this server has none of (a modpack's pack)
    let given = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    // what its next start takes (pending settings first), as the server reads it
    let current = StoredValue::new(
        initial
            .pending_variables
            .clone()
            .unwrap_or_else(|| initial.variables.clone()),
    );
    let needed = move || {
        let t = chosen.get();
        templates
            .get()
            .and_then(|r| r.ok())
            .unwrap_or_default()
            .into_iter()
            .find(|x| x.id == t)
            .map(|x| {
                x.variables
                    .into_iter()
                    .filter(|v| {
                        v.required
                            && v.user_editable
                            && v.default.as_deref().is_none_or(str::is_empty)
                            && current.with_value(|c| c.get(&v.name).is_none_or(|c| c.is_empty()))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let save = Action::new_local(
        move |(t, values): &(Uuid, std::collections::BTreeMap<String, String>)| {
            let values = (!values.is_empty()).then(|| values.clone());
            change_server_template(id, *t, values)
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            let _ = window().location().reload();
        }
    });
    let stopped = move || status.get() == ServerState::Stopped;
    view! {
        <form class="settings" data-testid="type-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            // only what the chosen type asks for (not a value typed for another choice)
            let asked: Vec<String> = needed().into_iter().map(|v| v.name).collect();
            let mut values = given.get_untracked();
            values.retain(|k, _| asked.contains(k));
            save.dispatch((chosen.get_untracked(), values));
        }>
            <h2>{move_tr!("server-type-title")}</h2>
            <label class="field" for="type-select">
                <span class="field-label small">{move_tr!("server-type-label")}</span>
                <select id="type-select" data-testid="type-select" on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse() { chosen.set(v); }
                }>
                    {move || templates.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(|t| {
                        let selected = t.id == chosen.get_untracked();
                        view! { <option value=t.id.to_string() selected=selected>{t.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            {move || needed().into_iter().map(|v| {
                let name = v.name.clone();
                let (for_id, input_id) = (format!("type-var-{}", v.name), format!("type-var-{}", v.name));
                let testid = format!("type-var-{name}");
                let label = v.label.clone().unwrap_or_else(|| v.name.clone());
                let needs = move_tr!("server-type-needs", {"label" => label.clone()});
                let key = name.clone();
                view! {
                    <label class="field" for=for_id>
                        <span class="field-label small">{needs}</span>
                        <input id=input_id type="text" required data-testid=testid
                            prop:value=move || given.get().get(&key).cloned().unwrap_or_default()
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                given.update(|g| { g.insert(name.clone(), value); });
                            }/>
                        <span class="muted small">{v.description.clone()}</span>
                    </label>
                }
            }).collect_view()}
            <p class="muted small">{move || if stopped() {
                tr!("server-type-hint")
            } else {
                tr!("server-type-stop-first")
            }}</p>
            {move || save.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="banner banner-error" role="alert" data-testid="type-error">{e.to_string()}</p>
            })}
            <button class="btn btn-ghost" type="submit" data-testid="save-type"
                disabled=move || save.pending().get() || !stopped() || chosen.get() == initial.template_id>
                {move || if save.pending().get() { tr!("server-type-changing") } else { tr!("server-type-change") }}
            </button>
        </form>
    }
}

/// The plan: a larger one grows the world's disk at once; a running server takes the new CPU
/// and memory at its next start or restart. Smaller disks and plans over the quota are refused
/// with the reason.
#[component]
fn PlanForm(initial: ServerDto) -> impl IntoView {
    let id = initial.id;
    let (class, objects) = (initial.storage_class.clone(), initial.object_name.clone());
    let storage = move || match &class {
        Some(c) => {
            tr!("server-storage-class", {"class" => c.clone(), "objects" => objects.clone()})
        }
        None => tr!("server-storage-default", {"objects" => objects.clone()}),
    };
    let plans = LocalResource::new(list_plans);
    let chosen = RwSignal::new(initial.pending_plan_id.unwrap_or(initial.plan_id));
    let save = Action::new_local(move |plan: &Uuid| change_server_plan(id, *plan));
    let message = move || match save.value().get() {
        Some(Err(e)) => Some((true, e.to_string())),
        Some(Ok(s)) if s.pending_plan_id.is_some() => {
            Some((false, tr!("server-plan-saved-pending")))
        }
        Some(Ok(_)) => Some((false, tr!("server-saved"))),
        None => None,
    };
    view! {
        <form class="settings" data-testid="plan-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            save.dispatch(chosen.get_untracked());
        }>
            <h2>{move_tr!("server-plan-title")}</h2>
            <label class="field" for="plan-select">
                <span class="field-label small">{move_tr!("server-plan-label")}</span>
                <select id="plan-select" on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse() { chosen.set(v); }
                }>
                    {move || plans.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(|p| {
                        let selected = p.id == chosen.get_untracked();
                        view! {
                            <option value=p.id.to_string() selected=selected>
                                {tr!("server-plan-option", {"name" => p.name, "disk" => p.disk_gib})}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </label>
            <p class="muted small wrap-anywhere" data-testid="storage">{storage}</p>
            {move || message().map(|(bad, text)| view! {
                <p class=if bad { "banner banner-error" } else { "banner banner-ok" } role="status">{text}</p>
            })}
            <button class="btn btn-ghost" type="submit" data-testid="save-plan" disabled=move || save.pending().get()>
                {move || if save.pending().get() { tr!("server-saving") } else { tr!("server-plan-change") }}
            </button>
        </form>
    }
}
