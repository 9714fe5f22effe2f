//! Graphs of CPU, memory and players over the last hours: a server's (its page) or the whole
//! panel's (the administrators' dashboard), drawn here as SVG lines from the panel's own
//! samples, nothing from elsewhere. Refreshed every minute.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use uuid::Uuid;

use api::graphs::{panel_graphs, server_graphs};
use protocol::AppError;
use protocol::live::{SampleDto, SamplesDto};

async fn fetch(server: Option<Uuid>, hours: u32) -> Result<SamplesDto, AppError> {
    match server {
        Some(id) => server_graphs(id, hours).await,
        None => panel_graphs(hours).await,
    }
}

/// The graphs of `server` (None: every server, summed).
#[component]
pub fn Graphs(server: Option<Uuid>) -> impl IntoView {
    let hours = RwSignal::new(6u32);
    let tick = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        let h = hours.get();
        tick.track();
        fetch(server, h)
    });
    // a fresh point comes every minute
    leptos::task::spawn_local(async move {
        loop {
            gloo_timers::future::TimeoutFuture::new(60_000).await;
            if tick.try_update(|n| *n += 1).is_none() {
                return;
            }
        }
    });
    view! {
        <div class="graphs" data-testid="graphs">
            <div class="section-head">
                <h2 id="graphs-title">{move || if server.is_some() { tr!("graphs-title") } else { tr!("graphs-panel-title") }}</h2>
                <select class="sort" aria-label=move_tr!("graphs-how-far-back") data-testid="graph-hours"
                    on:change=move |ev| hours.set(event_target_value(&ev).parse().unwrap_or(6))>
                    {[1u32, 6, 24].into_iter().map(|h| view! {
                        <option value=h.to_string() selected=move || hours.get() == h>{move_tr!("graphs-last-hours", {"hours" => h})}</option>
                    }).collect_view()}
                </select>
            </div>
            <Suspense fallback=|| view! { <p class="muted small">{move_tr!("graphs-loading")}</p> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                    Ok(d) if d.samples.is_empty() => view! {
                        <p class="muted small">{move_tr!("graphs-empty")}</p>
                    }.into_any(),
                    Ok(d) => {
                        let h = hours.get_untracked();
                        view! {
                            <div class="graph-grid">
                                <Chart name="CPU" title=move_tr!("graphs-cpu") unit="m" d=d.clone() hours=h pick=|s: &SampleDto| s.cpu_millis/>
                                <Chart name="Memory" title=move_tr!("graphs-memory") unit=" MiB" d=d.clone() hours=h pick=|s: &SampleDto| s.memory_mib/>
                                <Chart name="Players" title=move_tr!("graphs-players") unit="" d=d hours=h pick=|s: &SampleDto| s.players/>
                            </div>
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}

/// Seconds since the epoch of an RFC 3339 time.
fn epoch(at: &str) -> Option<f64> {
    let t = js_sys::Date::parse(at);
    (!t.is_nan()).then_some(t / 1000.0)
}

/// The lines of a graph in a 300 × 80 box: one segment per stretch without a gap longer than
/// two sampling rounds.
fn segments(points: &[(f64, f64)], from: f64, to: f64, max: f64, every: f64) -> Vec<String> {
    let x = |t: f64| ((t - from) / (to - from).max(1.0) * 300.0).clamp(0.0, 300.0);
    let y = |v: f64| 78.0 - v / max.max(1.0) * 74.0;
    let mut out = Vec::new();
    let mut current = String::new();
    let mut last: Option<f64> = None;
    for &(t, v) in points {
        if last.is_some_and(|l| t - l > every * 2.5) && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push_str(&format!("{:.1},{:.1} ", x(t), y(v)));
        last = Some(t);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// One graph: `name` is its English name for the tests (`data-title`), `title` its heading.
#[component]
fn Chart(
    name: &'static str,
    #[prop(into)] title: Signal<String>,
    unit: &'static str,
    d: SamplesDto,
    hours: u32,
    pick: fn(&SampleDto) -> Option<i64>,
) -> impl IntoView {
    let drawn: Vec<(&SampleDto, f64, f64)> = d
        .samples
        .iter()
        .filter_map(|s| Some((s, epoch(&s.at)?, pick(s)? as f64)))
        .collect();
    let points: Vec<(f64, f64)> = drawn.iter().map(|p| (p.1, p.2)).collect();
    let first_at = drawn.first().map(|p| p.0.at.clone());
    let to = js_sys::Date::now() / 1000.0;
    let window = to - f64::from(hours) * 3600.0;
    // a server sampled for less than the window is drawn from its first point
    let from = points.first().map_or(window, |p| p.0.max(window));
    let start = move || match &first_at {
        Some(at) if from > window + 60.0 => {
            tr!("graphs-since", {"time" => crate::i18n::time(at)})
        }
        _ => tr!("graphs-hours-ago", {"hours" => hours}),
    };
    let max = points.iter().map(|p| p.1).fold(0.0, f64::max);
    let now = points.last().map(|p| p.1);
    let lines = segments(&points, from, to, max, f64::from(d.every_secs.max(1)));
    // whole figures, as they are (no grouping: `1234 MiB`)
    let label = move |v: f64| format!("{}{unit}", v.round() as i64);
    let summary = move || match now {
        Some(v) => tr!("graphs-summary", {"now" => label(v), "top" => label(max)}),
        None => tr!("graphs-no-figures"),
    };
    view! {
        <figure class="graph" data-testid="graph" data-title=name>
            <figcaption><strong>{title}</strong>" "<span class="muted small">{summary}</span></figcaption>
            <svg viewBox="0 0 300 80" preserveAspectRatio="none" role="img"
                aria-label=move || tr!("graphs-chart-label", {"title" => title.get(), "hours" => hours})>
                <line class="graph-axis" x1="0" y1="78.5" x2="300" y2="78.5"/>
                {lines.into_iter().map(|p| view! { <polyline class="graph-line" points=p/> }).collect_view()}
            </svg>
            <div class="graph-scale muted small"><span>{start}</span><span>{move_tr!("graphs-now")}</span></div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::segments;

    #[test]
    fn a_gap_splits_the_line_and_values_fit_the_box() {
        let pts = [(0.0, 0.0), (60.0, 50.0), (120.0, 100.0), (600.0, 100.0)];
        let lines = segments(&pts, 0.0, 600.0, 100.0, 60.0);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].trim(), "0.0,78.0 30.0,41.0 60.0,4.0");
        assert_eq!(lines[1].trim(), "300.0,4.0");
    }
}
