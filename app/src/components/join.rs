//! How players reach a server: its join address with a one-tap copy on the server page, and the
//! same line without the button on the dashboard's cards; and whether a player wakes it.

use leptos::prelude::*;
use protocol::dto::Join;

/// The join line of a server. `copy` adds the copy button (not inside a card's link).
#[component]
pub fn JoinAddress(join: Join, #[prop(optional)] copy: bool) -> impl IntoView {
    let copied = RwSignal::new(false);
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
            view! {
                <p class="join" data-testid="join">
                    <span class="join-label">"Join"</span>
                    <code class="join-address" data-testid="join-address">{address}</code>
                    {copy.then(|| view! {
                        <button type="button" class="btn btn-ghost btn-small" data-testid="join-copy"
                            aria-label="Copy the join address" on:click=on_copy>
                            {move || if copied.get() { "Copied" } else { "Copy" }}
                        </button>
                    })}
                </p>
            }
            .into_any()
        }
        Join::NodePort { port } => view! {
            <p class="join" data-testid="join">
                <span class="join-label">"Join"</span>
                <span>"port "<code data-testid="join-address">{port}</code>" on any node of the cluster"</span>
            </p>
        }
        .into_any(),
        Join::Waiting => view! {
            <p class="join muted small" data-testid="join">
                <span class="join-label">"Join"</span>
                "waiting for the load balancer's address"
            </p>
        }
        .into_any(),
        Join::Internal { address } => view! {
            <p class="join muted small" data-testid="join">
                "Reachable inside the cluster at "<code data-testid="join-address">{address}</code>
            </p>
        }
        .into_any(),
        Join::Unknown => ().into_any(),
    }
}

/// "Asleep: wakes when a player joins", for a stopped server a player's join wakes.
#[component]
pub fn Asleep(wakes: bool, #[prop(into)] status: Signal<protocol::ServerState>) -> impl IntoView {
    let asleep = move || wakes && status.get() == protocol::ServerState::Stopped;
    view! {
        <Show when=asleep>
            <p class="asleep small" data-testid="asleep">"Asleep: wakes when a player joins"</p>
        </Show>
    }
}
