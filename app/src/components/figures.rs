//! A running server's live figures at the top of its page: players, CPU, memory and uptime,
//! from the console socket's stats ("—" for what is not known, such as CPU without metrics).

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use protocol::live::Stats;

/// Players, CPU, memory and uptime, each with its label.
#[component]
pub fn Figures(stats: RwSignal<Stats>) -> impl IntoView {
    let dash = || "—".to_string();
    let players = move || {
        stats.with(|s| match (&s.presence, s.players) {
            (Some(p), _) => format!("{} / {}", p.online, p.max),
            (None, Some(n)) => n.to_string(),
            _ => dash(),
        })
    };
    let cpu = move || {
        stats.with(|s| {
            s.cpu_millis
                .map_or_else(dash, |c| crate::i18n::number(c as f64 / 1000.0, 2))
        })
    };
    let memory = move || {
        stats.with(|s| {
            s.memory_mib.map_or_else(
                dash,
                |m| tr!("figures-memory-mib", {"mib" => crate::i18n::number(m as f64, 0)}),
            )
        })
    };
    let up = move || stats.with(|s| s.uptime_secs.map_or_else(dash, uptime));
    view! {
        <dl class="figures" data-testid="figures">
            <div><dt>{move_tr!("figures-players")}</dt><dd data-testid="figure-players">{players}</dd></div>
            <div><dt>{move_tr!("figures-cpu")}</dt><dd data-testid="figure-cpu">{cpu}</dd></div>
            <div><dt>{move_tr!("figures-memory")}</dt><dd data-testid="figure-memory">{memory}</dd></div>
            <div><dt>{move_tr!("figures-uptime")}</dt><dd data-testid="figure-uptime">{up}</dd></div>
        </dl>
    }
}

/// A duration the way the page says it: `42 s`, `7 min`, `3 h 5 min`, `2 d 4 h` (in the
/// current language; callable outside the component tree).
pub fn uptime(secs: u64) -> String {
    let i18n = crate::i18n::i18n();
    match secs {
        s if s < 60 => tr!(i18n, "figures-uptime-secs", {"s" => s}),
        s if s < 3600 => tr!(i18n, "figures-uptime-mins", {"min" => s / 60}),
        s if s < 86_400 => {
            tr!(i18n, "figures-uptime-hours", {"h" => s / 3600, "min" => (s % 3600) / 60})
        }
        s => tr!(i18n, "figures-uptime-days", {"d" => s / 86_400, "h" => (s % 86_400) / 3600}),
    }
}
