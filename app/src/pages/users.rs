//! Users, for administrators: create, make admin, disable, quotas, reset passwords.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use uuid::Uuid;

use crate::components::guard::Protected;
use crate::components::webhooks::Webhooks;
use api::two_factor::user_totp_reset;
use api::users::{create_user, list_users, reset_user_password, update_user};
use protocol::dto::{AdminUserDto, UserChangesDto};

/// The users page.
#[component]
pub fn UsersPage() -> impl IntoView {
    view! { <Protected><Users/></Protected> }
}

#[component]
fn Users() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        list_users()
    });
    let notice = RwSignal::new(None::<Result<String, String>>);
    let update =
        Action::new_local(move |(id, c): &(Uuid, UserChangesDto)| update_user(*id, c.clone()));
    Effect::new(move |_| match update.value().get() {
        Some(Ok(u)) => {
            notice.set(Some(Ok(tr!("users-saved", {"name" => u.username}))));
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => {
            notice.set(Some(Err(e.to_string())));
            reload.update(|n| *n += 1);
        }
        None => {}
    });
    let reset =
        Action::new_local(move |(id, p): &(Uuid, String)| reset_user_password(*id, p.clone()));
    Effect::new(move |_| match reset.value().get() {
        Some(Ok(())) => notice.set(Some(Ok(tr!("users-password-set")))),
        Some(Err(e)) => notice.set(Some(Err(e.to_string()))),
        None => {}
    });
    let reset_2fa = Action::new_local(move |id: &Uuid| user_totp_reset(*id));
    Effect::new(move |_| match reset_2fa.value().get() {
        Some(Ok(())) => {
            notice.set(Some(Ok(tr!("users-2fa-off"))));
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => notice.set(Some(Err(e.to_string()))),
        None => {}
    });
    let (name, pass, admin) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(false),
    );
    let create = Action::new_local(move |_: &()| {
        let (n, p, a) = (
            name.get_untracked(),
            pass.get_untracked(),
            admin.get_untracked(),
        );
        async move { create_user(n, p, a).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(u)) => {
            notice.set(Some(Ok(tr!("users-created", {"name" => u.username}))));
            name.set(String::new());
            pass.set(String::new());
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => notice.set(Some(Err(e.to_string()))),
        None => {}
    });
    view! {
        <section class="section users-page" data-testid="users">
            <h1>{move_tr!("users-title")}</h1>
            <p class="button-row"><a href="/audit">{move_tr!("users-audit-link")}</a><a href="/templates">{move_tr!("users-templates-link")}</a></p>
            {move || notice.get().map(|n| match n {
                Ok(m) => view! { <p class="banner banner-ok" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="banner banner-error" role="alert">{m}</p> }.into_any(),
            })}
            <Suspense fallback=|| view! { <p class="muted">{move_tr!("users-loading")}</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                    Ok(v) => v.into_iter().map(|u| view! { <UserCard u update reset reset_2fa/> }).collect_view().into_any(),
                })}
            </Suspense>
            <Plans/>
            <div class="card"><Webhooks server=None/></div>
            <form class="card settings" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); create.dispatch(()); }>
                <h2 class="h2">{move_tr!("users-new-title")}</h2>
                <label class="field"><span class="field-label small">{move_tr!("users-username")}</span><input type="text" bind:value=name required autocomplete="off"/></label>
                <label class="field"><span class="field-label small">{move_tr!("users-password")}</span><input type="password" bind:value=pass required autocomplete="new-password"/></label>
                <label class="check small"><input type="checkbox" prop:checked=move || admin.get() on:change=move |ev| admin.set(event_target_checked(&ev))/>" "{move_tr!("users-administrator")}</label>
                <button class="btn btn-primary" type="submit" disabled=move || create.pending().get()>{move_tr!("users-create")}</button>
            </form>
        </section>
    }
}

#[component]
fn UserCard(
    u: AdminUserDto,
    update: Action<(Uuid, UserChangesDto), Result<AdminUserDto, protocol::AppError>>,
    reset: Action<(Uuid, String), Result<(), protocol::AppError>>,
    reset_2fa: Action<Uuid, Result<(), protocol::AppError>>,
) -> impl IntoView {
    let id = u.id;
    let servers = RwSignal::new(u.max_servers.to_string());
    let memory = RwSignal::new(u.max_memory_mib.to_string());
    let disk = RwSignal::new(u.max_disk_gib.to_string());
    let password = RwSignal::new(String::new());
    let email = RwSignal::new(u.email.clone().unwrap_or_default());
    let linked = !u.linked.is_empty();
    let (is_admin, disabled, two_factor) = (u.is_admin, u.disabled, u.two_factor);
    view! {
        <div class="card user-card" data-testid="user" data-name=u.username.clone()>
            <div class="server-head">
                <strong>{u.username.clone()}</strong>
                {is_admin.then(|| view! { <span class="chip">{move_tr!("users-chip-admin")}</span> })}
                {disabled.then(|| view! { <span class="chip">{move_tr!("users-chip-disabled")}</span> })}
                {two_factor.then(|| view! { <span class="chip">{move_tr!("users-chip-two-factor")}</span> })}
                {linked.then(|| view! {
                    <span class="chip" data-testid="user-linked" title=u.linked.join(", ")>{move_tr!("users-chip-sso")}</span>
                })}
                <span class="topbar-spacer"></span>
                <button class="btn btn-ghost btn-small" on:click=move |_| { update.dispatch((id, UserChangesDto { is_admin: Some(!is_admin), ..Default::default() })); }>
                    {move || if is_admin { tr!("users-remove-admin") } else { tr!("users-make-admin") }}
                </button>
                <button class="btn btn-danger-outline btn-small" on:click=move |_| { update.dispatch((id, UserChangesDto { disabled: Some(!disabled), ..Default::default() })); }>
                    {move || if disabled { tr!("users-enable") } else { tr!("users-disable") }}
                </button>
            </div>
            <form class="quota-row" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                update.dispatch((id, UserChangesDto {
                    max_servers: servers.get_untracked().trim().parse().ok(),
                    max_memory_mib: memory.get_untracked().trim().parse().ok(),
                    max_disk_gib: disk.get_untracked().trim().parse().ok(),
                    ..Default::default()
                }));
            }>
                <label class="field"><span class="field-label small">{move_tr!("users-servers")}</span><input type="number" min="0" bind:value=servers/></label>
                <label class="field"><span class="field-label small">{move_tr!("users-memory")}</span><input type="number" min="0" bind:value=memory/></label>
                <label class="field"><span class="field-label small">{move_tr!("users-disk")}</span><input type="number" min="0" bind:value=disk/></label>
                <button class="btn btn-ghost btn-small" type="submit">{move_tr!("users-save-quotas")}</button>
            </form>
            <form class="quota-row" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                update.dispatch((id, UserChangesDto {
                    email: Some(email.get_untracked().trim().to_string()),
                    ..Default::default()
                }));
            }>
                <label class="field"><span class="field-label small">{move_tr!("users-email")}</span>
                    <input type="email" bind:value=email autocomplete="off" data-testid="user-email"/></label>
                <button class="btn btn-ghost btn-small" type="submit">{move_tr!("users-save-email")}</button>
            </form>
            <form class="quota-row" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                reset.dispatch((id, password.get_untracked()));
                password.set(String::new());
            }>
                <label class="field"><span class="field-label small">{move_tr!("users-new-password")}</span><input type="password" bind:value=password autocomplete="new-password"/></label>
                <button class="btn btn-ghost btn-small" type="submit">{move_tr!("users-set-password")}</button>
            </form>
            {two_factor.then(|| view! {
                <p class="button-row">
                    <button class="btn btn-danger-outline btn-small" data-testid="user-2fa-reset"
                        title=move_tr!("users-2fa-reset-title")
                        on:click=move |_| { reset_2fa.dispatch(id); }>{move_tr!("users-2fa-reset")}</button>
                </p>
            })}
        </div>
    }
}

/// Plans: add, rename, delete unused ones.
#[component]
fn Plans() -> impl IntoView {
    use api::servers::{create_plan, delete_plan, list_plans};
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        list_plans()
    });
    let msg = RwSignal::new(None::<Result<String, String>>);
    let (slug, name) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (cpu, memory, disk) = (
        RwSignal::new("2000".to_string()),
        RwSignal::new("4096".to_string()),
        RwSignal::new("20".to_string()),
    );
    let create = Action::new_local(move |_: &()| {
        let cpu_limit: i32 = cpu.get_untracked().trim().parse().unwrap_or(0);
        let plan = protocol::dto::NewPlanDto {
            slug: slug.get_untracked().trim().to_string(),
            name: name.get_untracked(),
            cpu_request_millis: (cpu_limit / 4).max(50),
            cpu_limit_millis: cpu_limit,
            memory_mib: memory.get_untracked().trim().parse().unwrap_or(0),
            disk_gib: disk.get_untracked().trim().parse().unwrap_or(0),
            max_backups: 3,
            max_backup_gib: 0,
        };
        async move { create_plan(plan).await }
    });
    let delete = Action::new_local(move |id: &Uuid| delete_plan(*id));
    Effect::new(move |_| match create.value().get() {
        Some(Ok(p)) => {
            msg.set(Some(Ok(tr!("users-plan-added", {"name" => p.name}))));
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => msg.set(Some(Err(e.to_string()))),
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            msg.set(Some(Ok(tr!("users-plan-deleted"))));
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => msg.set(Some(Err(e.to_string()))),
        None => {}
    });
    view! {
        <div class="card" data-testid="plans">
            <h2 class="h2">{move_tr!("users-plans-title")}</h2>
            <p class="muted small">{move_tr!("users-plans-text")}</p>
            {move || msg.get().map(|m| match m {
                Ok(t) => view! { <p class="banner banner-ok" role="status">{t}</p> }.into_any(),
                Err(t) => view! { <p class="banner banner-error" role="alert">{t}</p> }.into_any(),
            })}
            <Suspense fallback=|| view! { <p class="muted small">{move_tr!("users-plans-loading")}</p> }>
                {move || list.get().and_then(Result::ok).map(|v| view! {
                    <ul class="member-list">
                        {v.into_iter().map(|p| {
                            let id = p.id;
                            view! {
                                <li class="member">
                                    <strong>{p.name}</strong>
                                    <span class="small muted">{tr!("users-plan-line", {
                                        "slug" => p.slug,
                                        "cpu" => crate::i18n::number(f64::from(p.cpu_limit_millis), 0),
                                        "memory" => crate::i18n::number(f64::from(p.memory_mib), 0),
                                        "disk" => crate::i18n::number(f64::from(p.disk_gib), 0),
                                    })}</span>
                                    <button class="btn btn-danger-outline btn-small" on:click=move |_| { delete.dispatch(id); }>{move_tr!("users-plan-delete")}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            </Suspense>
            <form class="quota-row" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); create.dispatch(()); }>
                <label class="field"><span class="field-label small">{move_tr!("users-plan-slug")}</span><input type="text" bind:value=slug required placeholder=move_tr!("users-plan-slug-placeholder")/></label>
                <label class="field"><span class="field-label small">{move_tr!("users-plan-name")}</span><input type="text" bind:value=name required placeholder=move_tr!("users-plan-name-placeholder")/></label>
                <label class="field"><span class="field-label small">{move_tr!("users-plan-cpu")}</span><input type="number" bind:value=cpu/></label>
                <label class="field"><span class="field-label small">{move_tr!("users-memory")}</span><input type="number" bind:value=memory/></label>
                <label class="field"><span class="field-label small">{move_tr!("users-disk")}</span><input type="number" bind:value=disk/></label>
                <button class="btn btn-ghost btn-small" type="submit">{move_tr!("users-plan-add")}</button>
            </form>
        </div>
    }
}
