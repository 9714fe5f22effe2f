//! Users, for administrators: create, make admin, disable, quotas, reset passwords.

use leptos::prelude::*;
use uuid::Uuid;

use crate::api::users::{create_user, list_users, reset_user_password, update_user};
use crate::components::guard::Protected;
use crate::dto::{AdminUserDto, UserChangesDto};

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
            notice.set(Some(Ok(format!("Saved {}.", u.username))));
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
        Some(Ok(())) => notice.set(Some(Ok("Password set; their sessions ended.".into()))),
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
            notice.set(Some(Ok(format!("Created {}.", u.username))));
            name.set(String::new());
            pass.set(String::new());
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => notice.set(Some(Err(e.to_string()))),
        None => {}
    });
    view! {
        <section class="section users-page" data-testid="users">
            <h1>"Users"</h1>
            <p class="button-row"><a href="/audit">"Activity log of the whole panel →"</a><a href="/templates">"Templates →"</a></p>
            {move || notice.get().map(|n| match n {
                Ok(m) => view! { <p class="banner banner-ok" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="banner banner-error" role="alert">{m}</p> }.into_any(),
            })}
            <Suspense fallback=|| view! { <p class="muted">"Loading users…"</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                    Ok(v) => v.into_iter().map(|u| view! { <UserCard u update reset/> }).collect_view().into_any(),
                })}
            </Suspense>
            <form class="card settings" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); create.dispatch(()); }>
                <h2 class="h2">"New user"</h2>
                <label class="field"><span class="field-label small">"Username"</span><input type="text" bind:value=name required autocomplete="off"/></label>
                <label class="field"><span class="field-label small">"Password"</span><input type="password" bind:value=pass required autocomplete="new-password"/></label>
                <label class="check small"><input type="checkbox" prop:checked=move || admin.get() on:change=move |ev| admin.set(event_target_checked(&ev))/>" Administrator"</label>
                <button class="btn btn-primary" type="submit" disabled=move || create.pending().get()>"Create user"</button>
            </form>
        </section>
    }
}

#[component]
fn UserCard(
    u: AdminUserDto,
    update: Action<(Uuid, UserChangesDto), Result<AdminUserDto, crate::AppError>>,
    reset: Action<(Uuid, String), Result<(), crate::AppError>>,
) -> impl IntoView {
    let id = u.id;
    let servers = RwSignal::new(u.max_servers.to_string());
    let memory = RwSignal::new(u.max_memory_mib.to_string());
    let disk = RwSignal::new(u.max_disk_gib.to_string());
    let password = RwSignal::new(String::new());
    let (is_admin, disabled) = (u.is_admin, u.disabled);
    view! {
        <div class="card user-card" data-testid="user" data-name=u.username.clone()>
            <div class="server-head">
                <strong>{u.username.clone()}</strong>
                {is_admin.then(|| view! { <span class="chip">"admin"</span> })}
                {disabled.then(|| view! { <span class="chip">"disabled"</span> })}
                <span class="topbar-spacer"></span>
                <button class="btn btn-ghost btn-small" on:click=move |_| { update.dispatch((id, UserChangesDto { is_admin: Some(!is_admin), ..Default::default() })); }>
                    {if is_admin { "Remove admin" } else { "Make admin" }}
                </button>
                <button class="btn btn-danger-outline btn-small" on:click=move |_| { update.dispatch((id, UserChangesDto { disabled: Some(!disabled), ..Default::default() })); }>
                    {if disabled { "Enable" } else { "Disable" }}
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
                <label class="field"><span class="field-label small">"Servers"</span><input type="number" min="0" bind:value=servers/></label>
                <label class="field"><span class="field-label small">"Memory (MiB)"</span><input type="number" min="0" bind:value=memory/></label>
                <label class="field"><span class="field-label small">"Disk (GiB)"</span><input type="number" min="0" bind:value=disk/></label>
                <button class="btn btn-ghost btn-small" type="submit">"Save quotas"</button>
            </form>
            <form class="quota-row" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                reset.dispatch((id, password.get_untracked()));
                password.set(String::new());
            }>
                <label class="field"><span class="field-label small">"New password"</span><input type="password" bind:value=password autocomplete="new-password"/></label>
                <button class="btn btn-ghost btn-small" type="submit">"Set password"</button>
            </form>
        </div>
    }
}
