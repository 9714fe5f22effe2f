//! Who may play: the whitelist (and its switch), the operators and the bans of a server, with
//! kick, ban, pardon, op and deop, for members holding `players`. Online players come from the
//! Server List Ping (the stats); the lists from the server's own files, read again after each
//! change and when the server starts or stops.

use leptos::prelude::*;
use uuid::Uuid;

use api::players::{act_on_player, get_player_lists};
use protocol::ServerState;
use protocol::live::Stats;
use protocol::players::{PlayerAction, PlayerLists, check_name, check_reason};

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
            let when = if l.running {
                ""
            } else {
                " It applies when the server next starts."
            };
            message.set(Some(Ok(format!("{}.{when}", done_text(&a)))));
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
        (!n.is_empty())
            .then(|| check_name(&n).err())
            .flatten()
            .or_else(|| check_reason(&r).err())
    };
    let send = move |make: fn(String, String) -> PlayerAction| {
        let n = name.get_untracked().trim().to_string();
        if let Err(e) = check_name(&n) {
            message.set(Some(Err(e)));
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
            <Suspense fallback=|| view! { <p class="muted small">"Reading the player lists…"</p> }>
                {move || lists.get().and_then(|r| r.err()).map(|e| view! {
                    <p class="banner banner-error" role="alert">{e.to_string()}</p>
                })}
            </Suspense>
            {move || shown.get().map(|l| {
                let on = l.whitelist_on;
                view! {
                    <p class="muted small">{if l.running {
                        "Changes go through the console and apply at once."
                    } else {
                        "The server is stopped: changes are written to its files and apply at its next start."
                    }}</p>
                    <label class="check">
                        <input type="checkbox" data-testid="whitelist-on" prop:checked=on
                            disabled=move || act.pending().get()
                            on:change=move |ev| { act.dispatch(PlayerAction::Whitelist { on: event_target_checked(&ev) }); }/>
                        " Only players on the whitelist may join"
                    </label>
                }
            })}
            {move || {
                let names = online();
                (!names.is_empty()).then(|| view! {
                    <h3 class="h3">"Online now"</h3>
                    <ul class="player-rows" data-testid="online-players">
                        {names.into_iter().map(|n| {
                            let (k, b) = (n.clone(), n.clone());
                            view! {
                                <li class="player-row">
                                    <span class="player-name">{n}</span>
                                    <span class="button-row">
                                        <button class="btn btn-ghost btn-small" on:click=move |_| {
                                            act.dispatch(PlayerAction::Kick { player: k.clone(), reason: String::new() });
                                        }>"Kick"</button>
                                        <button class="btn btn-danger-outline btn-small" on:click=move |_| {
                                            act.dispatch(PlayerAction::Ban { player: b.clone(), reason: String::new() });
                                        }>"Ban"</button>
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
                    <span class="field-label small">"Player"</span>
                    <input id="player-name" data-testid="player-name" maxlength="16" autocomplete="off"
                        autocapitalize="off" spellcheck="false" placeholder="Alex"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field" for="player-reason">
                    <span class="field-label small">"Reason (kicks and bans, optional)"</span>
                    <input id="player-reason" data-testid="player-reason" maxlength="100"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                </label>
                <span class="button-row">
                    <button class="btn btn-primary btn-small" type="submit" data-testid="player-whitelist"
                        disabled=move || act.pending().get()>"Add to whitelist"</button>
                    <button class="btn btn-ghost btn-small" type="button" data-testid="player-op"
                        disabled=move || act.pending().get()
                        on:click=move |_| send(|player, _| PlayerAction::Op { player })>"Make operator"</button>
                    <button class="btn btn-danger-outline btn-small" type="button" data-testid="player-ban"
                        disabled=move || act.pending().get()
                        on:click=move |_| send(|player, reason| PlayerAction::Ban { player, reason })>"Ban"</button>
                </span>
            </form>
            {move || problem().map(|p| view! { <p class="small error" role="alert">{p}</p> })}
            {move || act.pending().get().then(|| view! { <p class="muted small" role="status">"Working…"</p> })}
            {move || message.get().map(|m| match m {
                Ok(t) => view! { <p class="banner banner-ok" role="status" data-testid="player-message">{t}</p> }.into_any(),
                Err(t) => view! { <p class="banner banner-error" role="alert" data-testid="player-message">{t}</p> }.into_any(),
            })}
            {move || shown.get().map(|l| view! {
                <ListOf title="Whitelist" testid="whitelist" empty="Nobody yet."
                    rows=l.whitelist.into_iter().map(|p| (p.name, String::new())).collect()
                    button="Remove" act make=|player| PlayerAction::WhitelistRemove { player }/>
                <ListOf title="Operators" testid="ops" empty="No operators."
                    rows=l.ops.into_iter().map(|o| (o.player.name, format!("level {}", o.level))).collect()
                    button="Take rights" act make=|player| PlayerAction::Deop { player }/>
                <ListOf title="Banned" testid="bans" empty="Nobody is banned."
                    rows=l.bans.into_iter().map(|b| (b.player.name, b.reason)).collect()
                    button="Pardon" act make=|player| PlayerAction::Pardon { player }/>
            })}
        </div>
    }
}

/// One list: each player with a note and one button.
#[component]
fn ListOf(
    title: &'static str,
    testid: &'static str,
    empty: &'static str,
    rows: Vec<(String, String)>,
    button: &'static str,
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

/// What a done action says.
fn done_text(a: &PlayerAction) -> String {
    match a {
        PlayerAction::Kick { player, .. } => format!("Kicked {player}"),
        PlayerAction::Ban { player, .. } => format!("Banned {player}"),
        PlayerAction::Pardon { player } => format!("Pardoned {player}"),
        PlayerAction::Op { player } => format!("{player} is an operator"),
        PlayerAction::Deop { player } => format!("{player} is no longer an operator"),
        PlayerAction::WhitelistAdd { player } => format!("Added {player} to the whitelist"),
        PlayerAction::WhitelistRemove { player } => {
            format!("Removed {player} from the whitelist")
        }
        PlayerAction::Whitelist { on: true } => "The whitelist is on".into(),
        PlayerAction::Whitelist { on: false } => "The whitelist is off".into(),
    }
}
