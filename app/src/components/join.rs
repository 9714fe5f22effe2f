//! How players reach a server: its join address with a one-tap copy on the server page, and the
//! same line without the button on the dashboard's cards; and whether a player wakes it.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use protocol::dto::{ExtraPortJoin, Join};

/// The join line of a server. `copy` adds the copy button (not inside a card's link); `label`
/// names the line ("Join" by default; an extra port's description), and `testid` its test ids
/// (`join`, `join-address`, `join-copy` by default).
#[component]
pub fn JoinAddress(
    join: Join,
    #[prop(optional)] copy: bool,
    #[prop(optional, into)] label: Option<Signal<String>>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let label = label.unwrap_or_else(|| move_tr!("join-label"));
    let id = testid.unwrap_or("join");
    let (line_id, address_id, copy_id) = (id, format!("{id}-address"), format!("{id}-copy"));
    match join {
        Join::Address { address } => {
            let text = address.clone();
            let on_copy = move |_| {
                let _ = window().navigator().clipboard().write_text(&text);
                copied.set(true);
                set_timeout(
                    move || copied.set(false),
                    std::time::Duration::from_secs(2),
                );
            };
            let copy_label = move || tr!("join-copy-label", {"label" => label.get()});
            view! {
                <p class="join" data-testid=line_id>
                    <span class="join-label">{label}</span>
                    <code class="join-address" data-testid=address_id>{address}</code>
                    {copy.then(|| view! {
                        <button type="button" class="btn btn-ghost btn-small" data-testid=copy_id
                            aria-label=copy_label on:click=on_copy>
                            {move || if copied.get() { tr!("join-copied") } else { tr!("join-copy") }}
                        </button>
                    })}
                </p>
            }
            .into_any()
        }
        Join::NodePort { port } => view! {
            <p class="join" data-testid=line_id>
                <span class="join-label">{label}</span>
                <span>{move_tr!("join-port")}" "<code data-testid=address_id>{port}</code>" "{move_tr!("join-any-node")}</span>
            </p>
        }
        .into_any(),
        Join::Waiting => view! {
            <p class="join muted small" data-testid=line_id>
                <span class="join-label">{label}</span>
                {move_tr!("join-waiting")}
            </p>
        }
        .into_any(),
        Join::Internal { address } => view! {
            <p class="join muted small" data-testid=line_id>
                <span class="join-label">{label}</span>
                {move_tr!("join-internal")}" "<code data-testid=address_id>{address}</code>
            </p>
        }
        .into_any(),
        Join::Unknown => ().into_any(),
    }
}

/// The template's extra ports (Bedrock, a map) under the join address, each with its address.
#[component]
pub fn ExtraPorts(ports: Vec<ExtraPortJoin>, #[prop(optional)] copy: bool) -> impl IntoView {
    (!ports.is_empty()).then(|| {
        let lines = ports
            .into_iter()
            .map(|p| {
                let what = if p.description.is_empty() {
                    p.name
                } else {
                    p.description
                };
                let label = format!("{what} ({})", p.protocol.as_str());
                view! { <JoinAddress join=p.join label=label copy=copy testid="port"/> }
            })
            .collect_view();
        view! { <div class="extra-ports" data-testid="extra-ports">{lines}</div> }
    })
}

/// "Asleep: wakes when a player joins", for a stopped server a player's join wakes.
#[component]
pub fn Asleep(wakes: bool, #[prop(into)] status: Signal<protocol::ServerState>) -> impl IntoView {
    let asleep = move || wakes && status.get() == protocol::ServerState::Stopped;
    view! {
        <Show when=asleep>
            <p class="asleep small" data-testid="asleep">{move_tr!("join-asleep")}</p>
        </Show>
    }
}
