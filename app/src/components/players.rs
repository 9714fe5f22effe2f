//! Who is on a server: the Players card of the server page (from the console socket's stats:
//! the server's answer to the Server List Ping) and the count on the dashboard's cards.

use leptos::prelude::*;
use leptos_fluent::tr;
use protocol::live::{PlayerCount, Stats};

/// The Players card: players online and at most, some names, the MOTD, version and latency.
/// Shows nothing until the server has answered once.
#[component]
pub fn PlayersCard(stats: RwSignal<Stats>) -> impl IntoView {
    move || {
        stats.with(|s| s.presence.clone()).map(|p| {
            let names = p.sample.clone();
            let more = p.online as usize > names.len();
            view! {
                <div class="players" data-testid="players">
                    <p class="players-count">
                        <strong data-testid="players-online">{p.online}</strong>
                        " / "{tr!("players-online", {"max" => p.max})}
                    </p>
                    {(!names.is_empty()).then(|| view! {
                        <ul class="players-names" data-testid="players-names">
                            {names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                            {more.then(|| view! { <li class="muted">"…"</li> })}
                        </ul>
                    })}
                    <p class="small muted" data-testid="players-about">
                        // the message of the day without its § codes' colours (the card is not
                        // the dark server list), then the version and the latency
                        {crate::motd::parse(&p.motd).into_iter().map(|(t, _)| t).collect::<String>()}
                        {(!p.motd.is_empty()).then_some(" · ")}
                        {[p.version.clone(), tr!("players-latency", {"ms" => p.latency_ms})]
                            .into_iter()
                            .filter(|t| !t.is_empty())
                            .collect::<Vec<_>>()
                            .join(" · ")}
                    </p>
                </div>
            }
        })
    }
}

/// The count on a dashboard card ("3 / 20 online"), when the server answers.
#[component]
pub fn PlayerBadge(#[prop(into)] count: Signal<Option<PlayerCount>>) -> impl IntoView {
    move || {
        count.get().map(|c| {
            view! {
                <span class="small player-badge" data-testid="card-players">
                    {tr!("players-badge", {"online" => c.online, "max" => c.max})}
                </span>
            }
        })
    }
}
