//! A server's backups: make one now, see each one's progress, size and state, download, lock,
//! restore (optionally on an emptied world) and delete them. Refreshed every two seconds while a backup
//! or a restore is under way.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use uuid::Uuid;

use api::backups::{
    create_backup, delete_backup, list_backups, lock_backup, restore_backup,
    restore_backup_into_new, set_backup_exclude,
};
use protocol::BackupState;
use protocol::dto::{BackupDto, BackupsDto, RestoreStep};

/// Bytes for people (`1.5 GB`), in the current language.
fn bytes(n: u64) -> String {
    crate::i18n::bytes(n)
}

/// A fraction as a whole percentage, in the current language.
fn percent(fraction: f64) -> String {
    crate::i18n::number(fraction * 100.0, 0)
}

/// A count in the current language (`1,234`).
fn count(n: u64) -> String {
    crate::i18n::number(n as f64, 0)
}

fn busy(b: &BackupsDto) -> bool {
    b.backups.iter().any(|b| b.state == BackupState::Running)
        || b.restore.as_ref().is_some_and(|r| {
            matches!(
                r.step,
                RestoreStep::Stopping | RestoreStep::Restoring | RestoreStep::Starting
            )
        })
}

/// The Backups section of a server page; `plan` is the server's (a copy gets the same).
#[component]
pub fn Backups(id: Uuid, plan: Uuid) -> impl IntoView {
    let i18n = crate::i18n::i18n();
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        list_backups(id)
    });
    // while something runs, look again every two seconds
    Effect::new(move |_| {
        if list.get().is_some_and(|r| r.as_ref().is_ok_and(busy)) {
            set_timeout(
                move || reload.update(|n| *n += 1),
                std::time::Duration::from_secs(2),
            );
        }
    });
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    let make = Action::new_local(move |_: &()| {
        let n = name.get_untracked();
        async move { create_backup(id, (!n.trim().is_empty()).then_some(n)).await }
    });
    Effect::new(move |_| match make.value().get() {
        Some(Ok(b)) => {
            message.set(Some(Ok(
                tr!(i18n, "backups-backing-up", {"name" => b.name}),
            )));
            name.set(String::new());
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => message.set(Some(Err(e.to_string()))),
        None => {}
    });
    let act = Action::new_local(move |(backup, what): &(Uuid, Act)| {
        let (backup, what) = (*backup, *what);
        async move {
            match what {
                Act::Lock(locked) => lock_backup(id, backup, locked).await.map(|_| None),
                Act::Delete => delete_backup(id, backup)
                    .await
                    .map(|()| Some(tr!(i18n, "backups-deleted"))),
                Act::Restore(wipe) => restore_backup(id, backup, wipe).await.map(|_| None),
                Act::Copy => Ok(None),
            }
        }
    });
    Effect::new(move |_| match act.value().get() {
        Some(Ok(m)) => {
            message.set(m.map(Ok));
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => message.set(Some(Err(e.to_string()))),
        None => {}
    });
    let confirm = RwSignal::new(None::<(Uuid, Act)>);
    let wipe = RwSignal::new(false);
    let copy_name = RwSignal::new(String::new());
    let copy = Action::new_local(move |backup: &Uuid| {
        let (backup, name) = (*backup, copy_name.get_untracked());
        async move { restore_backup_into_new(id, backup, name.trim().to_string(), plan).await }
    });
    Effect::new(move |_| match copy.value().get() {
        Some(Ok(s)) => {
            // a new page: the server page reads its server once
            let _ = window()
                .location()
                .set_href(&format!("/servers/{}#backups", s.id));
        }
        Some(Err(e)) => message.set(Some(Err(e.to_string()))),
        None => {}
    });
    let run = Callback::new(move |x: (Uuid, Act)| {
        act.dispatch(x);
    });
    // what backups leave out: one pattern a line, filled from the list once it comes
    let exclude = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if exclude.get_untracked().is_none()
            && let Some(Ok(b)) = list.get()
        {
            exclude.set(Some(b.exclude.join("\n")));
        }
    });
    let save_exclude = Action::new_local(move |_: &()| {
        let text = exclude.get_untracked().unwrap_or_default();
        let patterns: Vec<String> = text.lines().map(str::to_string).collect();
        async move { set_backup_exclude(id, patterns).await }
    });
    Effect::new(move |_| match save_exclude.value().get() {
        Some(Ok(kept)) => {
            exclude.set(Some(kept.join("\n")));
            message.set(Some(Ok(if kept.is_empty() {
                tr!(i18n, "backups-exclude-none")
            } else {
                tr!(i18n, "backups-exclude-some", {"patterns" => kept.join(", ")})
            })));
        }
        Some(Err(e)) => message.set(Some(Err(e.to_string()))),
        None => {}
    });
    view! {
        <div class="backups" data-testid="backups">
            <h2 class="h2">{move_tr!("backups-title")}</h2>
            <Suspense fallback=|| view! { <p class="muted small">{move_tr!("backups-loading")}</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                    Ok(b) if !b.enabled => view! {
                        <p class="muted" data-testid="backups-off">{move_tr!("backups-off")}</p>
                    }.into_any(),
                    Ok(b) => {
                        let limit = b.limit;
                        let restore = b.restore.clone().map(|r| {
                            let text = match r.step {
                                RestoreStep::Stopping => tr!("backups-restore-stopping"),
                                RestoreStep::Restoring => match &r.progress {
                                    Some(p) if p.total_bytes > 0 => format!(
                                        "{}{}",
                                        tr!("backups-restore-progress", {
                                            "percent" => percent(p.fraction),
                                            "done" => bytes(p.bytes_done),
                                            "total" => bytes(p.total_bytes),
                                        }),
                                        p.seconds_remaining
                                            .map(|s| format!(" · {}", tr!("backups-restore-left", {"seconds" => count(s)})))
                                            .unwrap_or_default()
                                    ),
                                    _ => tr!("backups-restore-restoring"),
                                },
                                RestoreStep::Starting => tr!("backups-restore-starting"),
                                RestoreStep::Done => tr!("backups-restore-done"),
                                RestoreStep::Failed => tr!("backups-restore-failed", {"error" => r.error.unwrap_or_default()}),
                            };
                            let class = if r.step == RestoreStep::Failed { "banner banner-error" } else { "banner" };
                            let bar = (r.step == RestoreStep::Restoring)
                                .then_some(r.progress)
                                .flatten()
                                .filter(|p| p.total_bytes > 0)
                                .map(|p| view! { <progress max="1" value=p.fraction aria-label=move_tr!("backups-restore-progress-label") data-testid="restore-progress"></progress> });
                            view! { <div class=class role="status" data-testid="restore-status">{text}{bar}</div> }
                        });
                        let empty = (limit > 0 && b.backups.is_empty()).then(|| view! { <p class="muted small">{move_tr!("backups-empty")}</p> });
                        let rows = b.backups.into_iter().map(|b| view! { <BackupRow server=id b confirm wipe run/> }).collect_view();
                        let space = b.bytes_limit.map(|max| view! {
                            <p class="muted small" data-testid="backup-space">{tr!("backups-space", {
                                "used" => bytes(b.bytes_used), "max" => bytes(max)
                            })}</p>
                        });
                        view! {
                            <p class="muted small">{if limit == 0 {
                                tr!("backups-plan-none")
                            } else {
                                tr!("backups-plan-keeps", {"limit" => limit})
                            }}</p>
                            {space}
                            {restore}
                            <ul class="backup-list" data-testid="backup-list">{rows}</ul>
                            {empty}
                        }.into_any()
                    }
                })}
            </Suspense>
            <form class="inline-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                make.dispatch(());
            }>
                <label class="field" for="backup-name">
                    <span class="field-label small">{move_tr!("backups-name")}</span>
                    <input id="backup-name" maxlength="64" placeholder=move_tr!("backups-name-placeholder") data-testid="backup-name"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <button class="btn btn-primary" type="submit" data-testid="backup-create"
                    disabled=move || make.pending().get()>
                    {move || if make.pending().get() { tr!("backups-starting") } else { tr!("backups-create") }}
                </button>
            </form>
            <details class="backup-exclude">
                <summary class="small">{move_tr!("backups-exclude")}</summary>
                <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    save_exclude.dispatch(());
                }>
                    <label class="field" for="backup-exclude">
                        <span class="field-label small">{move_tr!("backups-exclude-help")}</span>
                        <textarea id="backup-exclude" rows="3" spellcheck="false" data-testid="backup-exclude"
                            prop:value=move || exclude.get().unwrap_or_default()
                            on:input=move |ev| exclude.set(Some(event_target_value(&ev)))></textarea>
                    </label>
                    <button class="btn btn-ghost" type="submit" data-testid="backup-exclude-save"
                        disabled=move || save_exclude.pending().get()>{move_tr!("backups-save")}</button>
                </form>
            </details>
            {move || confirm.get().map(|(backup, what)| {
                let text = match what {
                    Act::Delete => tr!("backups-confirm-delete"),
                    Act::Copy => tr!("backups-confirm-copy"),
                    _ => tr!("backups-confirm-restore"),
                };
                view! {
                    <div class="confirm" role="alertdialog" aria-label=move_tr!("backups-confirm") data-testid="backup-confirm">
                        <p><strong>{text}</strong></p>
                        {(what == Act::Copy).then(|| view! {
                            <label class="field" for="copy-name">
                                <span class="field-label small">{move_tr!("backups-copy-name")}</span>
                                <input id="copy-name" data-testid="copy-name" maxlength="40" placeholder=move_tr!("backups-copy-name-placeholder")
                                    prop:value=move || copy_name.get() on:input=move |ev| copy_name.set(event_target_value(&ev))/>
                            </label>
                        })}
                        {matches!(what, Act::Restore(_)).then(|| view! {
                            <label class="check">
                                <input type="checkbox" data-testid="restore-wipe" prop:checked=move || wipe.get()
                                    on:change=move |ev| wipe.set(event_target_checked(&ev))/>
                                " "{move_tr!("backups-wipe")}
                            </label>
                        })}
                        <div class="power-bar">
                            <button class="btn btn-danger" data-testid="backup-confirm-yes" on:click=move |_| {
                                if what == Act::Copy {
                                    copy.dispatch(backup);
                                } else {
                                    let what = match what { Act::Restore(_) => Act::Restore(wipe.get_untracked()), w => w };
                                    act.dispatch((backup, what));
                                }
                                confirm.set(None);
                            }>{match what { Act::Delete => tr!("backups-delete"), Act::Copy => tr!("backups-make-it"), _ => tr!("backups-restore") }}</button>
                            <button class="btn btn-ghost" on:click=move |_| confirm.set(None)>{move_tr!("backups-cancel")}</button>
                        </div>
                    </div>
                }
            })}
            {move || message.get().map(|m| match m {
                Ok(t) => view! { <p class="banner" role="status">{t}</p> }.into_any(),
                Err(t) => view! { <p class="banner banner-error" role="alert">{t}</p> }.into_any(),
            })}
        </div>
    }
}

/// What a backup's buttons ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Lock(bool),
    Delete,
    Restore(bool),
    /// Restore into a new server.
    Copy,
}

#[component]
fn BackupRow(
    server: Uuid,
    b: BackupDto,
    confirm: RwSignal<Option<(Uuid, Act)>>,
    wipe: RwSignal<bool>,
    run: Callback<(Uuid, Act)>,
) -> impl IntoView {
    let id = b.id;
    let state = match b.state {
        BackupState::Running => match &b.progress {
            Some(p) => format!(
                "{}{}",
                tr!("backups-row-progress", {
                    "percent" => percent(p.fraction),
                    "done" => count(p.files_done),
                    "total" => count(p.total_files),
                }),
                p.seconds_remaining
                    .map(|s| format!(" · {}", tr!("backups-row-left", {"seconds" => count(s)})))
                    .unwrap_or_default()
            ),
            None => tr!("backups-row-running"),
        },
        BackupState::Done => tr!("backups-row-done", {
            "size" => bytes(b.bytes),
            "files" => count(b.files),
            "added" => bytes(b.added_bytes),
        }),
        BackupState::Failed => {
            tr!("backups-row-failed", {"error" => b.error.clone().unwrap_or_default()})
        }
    };
    let fraction = b.progress.map(|p| p.fraction);
    let done = b.state == BackupState::Done;
    let locked = b.locked;
    view! {
        <li class="backup" data-testid="backup" data-state=b.state.as_str()>
            <div class="backup-head">
                <span class="backup-name">{b.name.clone()}{locked.then_some(" 🔒")}</span>
                <span class="muted small">{crate::i18n::date_time(&b.started_at)}</span>
            </div>
            <div class=if b.state == BackupState::Failed { "reason small" } else { "muted small" }>{state}</div>
            {fraction.map(|f| view! { <progress max="1" value=f aria-label=move_tr!("backups-row-progress-label")></progress> })}
            {(done && !locked).then(|| b.error.clone()).flatten().map(|w| view! { <div class="muted small">{w}</div> })}
            <div class="power-bar">
                {done.then(|| view! {
                    <a class="btn btn-ghost btn-small" data-testid="backup-download" download=""
                        href=format!("/api/servers/{server}/backups/download?backup={id}")>{move_tr!("backups-download")}</a>
                })}
                {done.then(|| view! {
                    <button class="btn btn-ghost btn-small" data-testid="backup-restore"
                        on:click=move |_| { wipe.set(false); confirm.set(Some((id, Act::Restore(false)))); }>{move_tr!("backups-restore-ellipsis")}</button>
                })}
                {done.then(|| view! {
                    <button class="btn btn-ghost btn-small" data-testid="backup-copy"
                        on:click=move |_| confirm.set(Some((id, Act::Copy)))>{move_tr!("backups-copy")}</button>
                })}
                {(b.state != BackupState::Running).then(|| view! {
                    <button class="btn btn-ghost btn-small" data-testid="backup-lock"
                        on:click=move |_| run.run((id, Act::Lock(!locked)))>
                        {move || if locked { tr!("backups-unlock") } else { tr!("backups-lock") }}
                    </button>
                })}
                {(b.state != BackupState::Running && !locked).then(|| view! {
                    <button class="btn btn-danger-outline btn-small" data-testid="backup-delete"
                        on:click=move |_| confirm.set(Some((id, Act::Delete)))>{move_tr!("backups-delete-ellipsis")}</button>
                })}
            </div>
        </li>
    }
}
