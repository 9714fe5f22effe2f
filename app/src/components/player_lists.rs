//! Who may play: the whitelist (and its switch), the operators and the bans of a server, with
//! kick, ban, pardon, op and deop, for members holding `players`. Online players come from the
//! Server List Ping (the stats); the lists from the server's own files, read again after each
//! change and when the server starts or stops.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use uuid::Uuid;

use api::players::{act_on_player, get_player_lists};
use protocol::ServerState;
use protocol::live::Stats;
use protocol::players::{
    NAME_MAX, PlayerAction, PlayerLists, REASON_MAX, check_name, check_reason,
};

/// The player lists and their actions.
#[component]
pub fn PlayerManager(
    id: Uuid,
    stats: RwSignal<Stats>,
    status: Signal<ServerState>,
) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let lists = LocalResource::new(move || {
        reload.track();
        // read again when the server starts or stops (console or files, a new game's files)
        status.with(|s| s.is_up());
        get_player_lists(id)
    });
    let shown = RwSignal::new(None::<PlayerLists>);
    Effect::new(move |_| {
        if let Some(Ok(l)) = lists.get() {
            shown.set(Some(l));
        }
    });
    let message = RwSignal::new(None::<Result<String, String>>);
    let name = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let act = Action::new_local(move |a: &PlayerAction| {
        let a = a.clone();
        async move { (act_on_player(id, a.clone()).await, a) }
    });
    Effect::new(move |_| match act.value().get() {
        Some((Ok(l), a)) => {
            let i18n = crate::i18n::i18n();
            let done = done_text(&a);
            let said = if l.running {
                done
            } else {
                format!("{done} {}", tr!(i18n, "player-lists-applies-at-start"))
            };
            message.set(Some(Ok(said)));
            shown.set(Some(l));
            name.set(String::new());
            reason.set(String::new());
        }
        Some((Err(e), _)) => message.set(Some(Err(e.to_string()))),
        None => {}
    });
    let problem = move || {
        let n = name.get();
        let r = reason.get();
        if !n.is_empty() && check_name(&n).is_err() {
            Some(bad_name())
        } else if check_reason(&r).is_err() {
            Some(tr!("player-lists-bad-reason", {"max" => REASON_MAX}))
        } else {
            None
        }
    };
    let send = move |make: fn(String, String) -> PlayerAction| {
        let n = name.get_untracked().trim().to_string();
        if check_name(&n).is_err() {
            message.set(Some(Err(bad_name())));
            return;
        }
        act.dispatch(make(n, reason.get_untracked().trim().to_string()));
    };
    let online = move || {
        stats
            .with(|s| s.presence.as_ref().map(|p| p.sample.clone()))
            .unwrap_or_default()
    };
    view! {
        <div class="player-manager" data-testid="player-manager">
            <Suspense fallback=|| view! { <p class="muted small">{move_tr!("player-lists-reading")}</p> }>
                {move || lists.get().and_then(|r| r.err()).map(|e| view! {
                    <p class="banner banner-error" role="alert">{e.to_string()}</p>
                })}
            </Suspense>
            {move || shown.get().map(|l| {
                let on = l.whitelist_on;
                view! {
                    <p class="muted small">{if l.running {
                        tr!("player-lists-running")
                    } else {
                        tr!("player-lists-stopped")
                    }}</p>
                    <label class="check">
                        <input type="checkbox" data-testid="whitelist-on" prop:checked=on
                            disabled=move || act.pending().get()
                            on:change=move |ev| { act.dispatch(PlayerAction::Whitelist { on: event_target_checked(&ev) }); }/>
                        " "{move_tr!("player-lists-whitelist-on")}
                    </label>
                }
            })}
            {move || {
                let names = online();
                (!names.is_empty()).then(|| view! {
                    <h3 class="h3">{move_tr!("player-lists-online")}</h3>
                    <ul class="player-rows" data-testid="online-players">
                        {names.into_iter().map(|n| {
                            let (k, b) = (n.clone(), n.clone());
                            view! {
                                <li class="player-row">
                                    <span class="player-name">{n}</span>
                                    <span class="button-row">
                                        <button class="btn btn-ghost btn-small" on:click=move |_| {
                                            act.dispatch(PlayerAction::Kick { player: k.clone(), reason: String::new() });
                                        }>{move_tr!("player-lists-kick")}</button>
                                        <button class="btn btn-danger-outline btn-small" on:click=move |_| {
                                            act.dispatch(PlayerAction::Ban { player: b.clone(), reason: String::new() });
                                        }>{move_tr!("player-lists-ban")}</button>
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
            <form class="inline-form player-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send(|player, _| PlayerAction::WhitelistAdd { player });
            }>
                <label class="field" for="player-name">
                    <span class="field-label small">{move_tr!("player-lists-player")}</span>
                    <input id="player-name" data-testid="player-name" maxlength="16" autocomplete="off"
                        autocapitalize="off" spellcheck="false" placeholder="Alex"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field" for="player-reason">
                    <span class="field-label small">{move_tr!("player-lists-reason")}</span>
                    <input id="player-reason" data-testid="player-reason" maxlength="100"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                </label>
                <span class="button-row">
                    <button class="btn btn-primary btn-small" type="submit" data-testid="player-whitelist"
                        disabled=move || act.pending().get()>{move_tr!("player-lists-add-whitelist")}</button>
                    <button class="btn btn-ghost btn-small" type="button" data-testid="player-op"
                        disabled=move || act.pending().get()
                        on:click=move |_| send(|player, _| PlayerAction::Op { player })>{move_tr!("player-lists-op")}</button>
                    <button class="btn btn-danger-outline btn-small" type="button" data-testid="player-ban"
                        disabled=move || act.pending().get()
                        on:click=move |_| send(|player, reason| PlayerAction::Ban { player, reason })>{move_tr!("player-lists-ban")}</button>
                </span>
            </form>
            {move || problem().map(|p| view! { <p class="small error" role="alert">{p}</p> })}
            {move || act.pending().get().then(|| view! { <p class="muted small" role="status">{move_tr!("player-lists-working")}</p> })}
            {move || message.get().map(|m| match m {
                Ok(t) => view! { <p class="banner banner-ok" role="status" data-testid="player-message">{t}</p> }.into_any(),
                Err(t) => view! { <p class="banner banner-error" role="alert" data-testid="player-message">{t}</p> }.into_any(),
            })}
            {move || shown.get().map(|l| view! {
                <ListOf title=move_tr!("player-lists-whitelist") testid="whitelist" empty=move_tr!("player-lists-whitelist-empty")
                    rows=l.whitelist.into_iter().map(|p| (p.name, String::new())).collect()
                    button=move_tr!("player-lists-remove") act make=|player| PlayerAction::WhitelistRemove { player }/>
                <ListOf title=move_tr!("player-lists-ops") testid="ops" empty=move_tr!("player-lists-ops-empty")
                    rows=l.ops.into_iter().map(|o| (o.player.name, tr!("player-lists-op-level", {"level" => o.level}))).collect()
                    button=move_tr!("player-lists-deop") act make=|player| PlayerAction::Deop { player }/>
                <ListOf title=move_tr!("player-lists-bans") testid="bans" empty=move_tr!("player-lists-bans-empty")
                    rows=l.bans.into_iter().map(|b| (b.player.name, b.reason)).collect()
                    button=move_tr!("player-lists-pardon") act make=|player| PlayerAction::Pardon { player }/>
            })}
        </div>
    }
}

/// One list: each player with a note and one button.
#[component]
fn ListOf(
    #[prop(into)] title: Signal<String>,
    testid: &'static str,
    #[prop(into)] empty: Signal<String>,
    rows: Vec<(String, String)>,
    #[prop(into)] button: Signal<String>,
    act: Action<PlayerAction, (Result<PlayerLists, protocol::AppError>, PlayerAction)>,
    make: fn(String) -> PlayerAction,
) -> impl IntoView {
    let none = rows.is_empty();
    view! {
        <h3 class="h3">{title}</h3>
        <ul class="player-rows" data-testid=testid>
            {rows.into_iter().map(|(name, note)| {
                let who = name.clone();
                view! {
                    <li class="player-row">
                        <span class="player-name">{name}</span>
                        <span class="muted small player-note">{note}</span>
                        <button class="btn btn-ghost btn-small" disabled=move || act.pending().get()
                            on:click=move |_| { act.dispatch(make(who.clone())); }>{button}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        {none.then(|| view! { <p class="muted small">{empty}</p> })}
    }
}

/// The message for a name that is not a player's name (the browser's words for
/// [`check_name`]'s rule).
fn bad_name() -> String {
    let i18n = crate::i18n::i18n();
    tr!(i18n, "player-lists-bad-name", {"max" => NAME_MAX})
}

/// What a done action says.
fn done_text(a: &PlayerAction) -> String {
    let i18n = crate::i18n::i18n();
    match a {
        PlayerAction::Kick { player, .. } => {
            tr!(i18n, "player-lists-kicked", {"player" => player.clone()})
        }
        PlayerAction::Ban { player, .. } => {
            tr!(i18n, "player-lists-banned", {"player" => player.clone()})
        }
        PlayerAction::Pardon { player } => {
            tr!(i18n, "player-lists-pardoned", {"player" => player.clone()})
        }
        PlayerAction::Op { player } => {
            tr!(i18n, "player-lists-opped", {"player" => player.clone()})
        }
        PlayerAction::Deop { player } => {
            tr!(i18n, "player-lists-deopped", {"player" => player.clone()})
        }
        PlayerAction::WhitelistAdd { player } => {
            tr!(i18n, "player-lists-whitelisted", {"player" => player.clone()})
        }
        PlayerAction::WhitelistRemove { player } => {
            tr!(i18n, "player-lists-unwhitelisted", {"player" => player.clone()})
        }
        PlayerAction::Whitelist { on: true } => tr!(i18n, "player-lists-whitelist-now-on"),
        PlayerAction::Whitelist { on: false } => tr!(i18n, "player-lists-whitelist-now-off"),
    }
}
