//! A running server's live figures at the top of its page: players, CPU, memory and uptime,
//! from the console socket's stats ("—" for what is not known, such as CPU without metrics).

use leptos::prelude::*;
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
                .map_or_else(dash, |c| format!("{:.2}", c as f64 / 1000.0))
        })
    };
    let memory = move || stats.with(|s| s.memory_mib.map_or_else(dash, |m| format!("{m} MiB")));
    let up = move || stats.with(|s| s.uptime_secs.map_or_else(dash, uptime));
    view! {
        <dl class="figures" data-testid="figures">
            <div><dt>"Players"</dt><dd data-testid="figure-players">{players}</dd></div>
            <div><dt>"CPU"</dt><dd data-testid="figure-cpu">{cpu}</dd></div>
            <div><dt>"Memory"</dt><dd data-testid="figure-memory">{memory}</dd></div>
            <div><dt>"Uptime"</dt><dd data-testid="figure-uptime">{up}</dd></div>
        </dl>
    }
}

/// A duration the way the page says it: `42 s`, `7 min`, `3 h 5 min`, `2 d 4 h`.
pub fn uptime(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 86_400 => format!("{} h {} min", s / 3600, (s % 3600) / 60),
        s => format!("{} d {} h", s / 86_400, (s % 86_400) / 3600),
    }
}
