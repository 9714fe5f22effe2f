//! A server's members: who it is shared with and what each may do; add someone by username
//! with a preset or chosen permissions (only those you hold yourself), change or remove them.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use uuid::Uuid;

use api::members::{list_members, remove_member, set_member};
use protocol::Permission;
use protocol::permission::{GRANTABLE, PRESETS, names};

/// The members card of a server page; `mine` are the permissions the viewer holds.
#[component]
pub fn Members(id: Uuid, mine: Vec<Permission>) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        list_members(id)
    });
    let username = RwSignal::new(String::new());
    let chosen = RwSignal::new(vec![Permission::ConsoleRead]);
    let save = Action::new_local(move |_: &()| {
        let (u, p) = (username.get_untracked(), chosen.get_untracked());
        async move { set_member(id, u, names(&p)).await }
    });
    let remove = Action::new_local(move |user: &Uuid| remove_member(id, *user));
    let message = RwSignal::new(None::<Result<String, String>>);
    let i18n = crate::i18n::i18n();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(m)) => {
            message.set(Some(Ok(tr!(i18n, "members-saved", {
                "username" => m.username,
                "permissions" => names(&m.permissions).join(", "),
            }))));
            username.set(String::new());
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => message.set(Some(Err(e.to_string()))),
        None => {}
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => {
            message.set(Some(Ok(tr!(i18n, "members-removed"))));
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => message.set(Some(Err(e.to_string()))),
        None => {}
    });
    let grantable: Vec<Permission> = GRANTABLE.into_iter().filter(|p| mine.contains(p)).collect();
    let presets: Vec<(&'static str, &'static [Permission])> = PRESETS
        .iter()
        .filter(|(_, set)| set.iter().all(|p| mine.contains(p)))
        .copied()
        .collect();
    view! {
        <section class="members" data-testid="members">
            <h2 class="h2">{move_tr!("members-title")}</h2>
            <p class="muted small">{move_tr!("members-intro")}</p>
            <Suspense fallback=|| view! { <p class="muted small">{move_tr!("members-loading")}</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                    Ok(v) if v.is_empty() => view! { <p class="muted small">{move_tr!("members-none")}</p> }.into_any(),
                    Ok(v) => view! {
                        <ul class="member-list">
                            {v.into_iter().map(|m| {
                                let (name, perms, user) = (m.username.clone(), m.permissions.clone(), m.user_id);
                                let edit = (m.username.clone(), m.permissions.clone());
                                let attr = m.username.clone();
                                view! {
                                    <li class="member" data-testid="member" data-name=attr>
                                        <strong>{name}</strong>
                                        <span class="chips">
                                            {perms.into_iter().map(|p| view! { <span class="chip">{p.name()}</span> }).collect_view()}
                                        </span>
                                        <span class="button-row">
                                            <button class="btn btn-ghost btn-small" on:click=move |_| { username.set(edit.0.clone()); chosen.set(edit.1.clone()); }>{move_tr!("members-edit")}</button>
                                            <button class="btn btn-danger-outline btn-small" on:click=move |_| { remove.dispatch(user); }>{move_tr!("members-remove")}</button>
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
            <form class="settings" data-testid="member-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save.dispatch(()); }>
                <label class="field">
                    <span class="field-label small">{move_tr!("members-username")}</span>
                    <input type="text" bind:value=username autocomplete="off" required data-testid="member-username"/>
                </label>
                <div class="button-row">
                    {presets.into_iter().map(|(name, set)| view! {
                        <button type="button" class="btn btn-ghost btn-small" on:click=move |_| chosen.set(set.to_vec())>{move || preset(name)}</button>
                    }).collect_view()}
                </div>
                <div class="perm-grid">
                    {grantable.into_iter().map(|p| view! {
                        <label class="check small" title=move || crate::labels::permission(p)>
                            <input type="checkbox" data-testid=format!("perm-{p}")
                                prop:checked=move || chosen.with(|c| c.contains(&p))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| { c.retain(|x| *x != p); if on { c.push(p); } });
                                }/>
                            <span><code>{p.name()}</code>" "<span class="muted">{move || crate::labels::permission(p)}</span></span>
                        </label>
                    }).collect_view()}
                </div>
                {move || message.get().map(|m| match m {
                    Ok(t) => view! { <p class="banner banner-ok" role="status">{t}</p> }.into_any(),
                    Err(t) => view! { <p class="banner banner-error" role="alert">{t}</p> }.into_any(),
                })}
                <button class="btn btn-primary" type="submit" data-testid="member-save" disabled=move || save.pending().get()>{move_tr!("members-save")}</button>
            </form>
        </section>
    }
}

/// The name of the preset `name` (`Viewer`, `Moderator`...) in the current language.
fn preset(name: &str) -> String {
    match name {
        "Viewer" => tr!("members-preset-viewer"),
        "Moderator" => tr!("members-preset-moderator"),
        "Builder" => tr!("members-preset-builder"),
        "Manager" => tr!("members-preset-manager"),
        other => other.to_string(),
    }
}
