//! The console: a terminal view of the server's output (ANSI colours, 5 000 lines of
//! scrollback, search, copy, auto-scroll that pauses while the user reads above), the command
//! line with history, and the connection state. Lines are added to the DOM directly, in
//! batches, not through the reactive tree: it keeps up with thousands of lines a second.

use leptos::html;
use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::ansi;
use crate::components::live_socket::{Conn, LiveSocket};
use api::files::{read_file, write_file};
use api::servers::{get_server, power_server};
use protocol::ServerState;
use protocol::dto::PowerAction;
use protocol::hints::{Hint, hint_for};
use protocol::live::{
    Abilities, ClientMsg, MAX_COMMAND, ServerMsg, Stats, StatusUpdate, console_path,
};

/// Lines kept on screen.
const SCROLLBACK: u32 = 5000;
/// Commands remembered for the arrow keys.
const COMMAND_HISTORY: usize = 100;

fn line_element(doc: &web_sys::Document, line: &str, extra: Option<&str>) -> web_sys::Element {
    let div = doc.create_element("div").expect("div");
    div.set_class_name(match extra {
        Some(c) => c,
        None => "line",
    });
    for span in ansi::spans(line) {
        let (class, style) = span.style.css();
        if class.is_empty() && style.is_empty() {
            let _ = div.append_with_str_1(&span.text);
            continue;
        }
        let el = doc.create_element("span").expect("span");
        if !class.is_empty() {
            el.set_class_name(&class);
        }
        if !style.is_empty() {
            // through the CSSOM: the Content-Security-Policy refuses style attributes
            use wasm_bindgen::JsCast;
            if let Some(html) = el.dyn_ref::<web_sys::HtmlElement>() {
                for decl in style.split(';') {
                    if let Some((name, value)) = decl.split_once(':') {
                        let _ = html.style().set_property(name.trim(), value.trim());
                    }
                }
            }
        }
        el.set_text_content(Some(&span.text));
        let _ = div.append_child(&el);
    }
    if line.is_empty() {
        div.set_text_content(Some("\u{200b}"));
    }
    div
}

/// The terminal's scrollback and what it needs to keep the view where the user wants it.
#[derive(Clone, Copy)]
struct Screen {
    el: NodeRef<html::Div>,
    stick: RwSignal<bool>,
    unseen: RwSignal<u32>,
}

impl Screen {
    fn append(&self, lines: &[String], class: Option<&str>) {
        let Some(el) = self.el.get_untracked() else {
            return;
        };
        let doc = document();
        let frag = doc.create_document_fragment();
        for l in lines {
            let _ = frag.append_child(&line_element(&doc, l, class));
        }
        let _ = el.append_child(&frag);
        while el.child_element_count() > SCROLLBACK {
            if let Some(first) = el.first_element_child() {
                first.remove();
            }
        }
        if self.stick.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        } else {
            self.unseen.update(|n| *n += lines.len() as u32);
        }
    }

    fn reset(&self, lines: &[String]) {
        if let Some(el) = self.el.get_untracked() {
            el.set_inner_html("");
        }
        self.append(lines, None);
    }

    fn scroll_to_end(&self) {
        if let Some(el) = self.el.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
        self.stick.set(true);
        self.unseen.set(0);
    }

    /// Highlights the next line (after the current hit) containing `q`; returns the number of
    /// matching lines.
    fn find_next(&self, q: &str) -> usize {
        let Some(el) = self.el.get_untracked() else {
            return 0;
        };
        let q = q.to_lowercase();
        let lines = el.children();
        let mut hits = Vec::new();
        let mut current = None;
        for i in 0..lines.length() {
            let Some(line) = lines.item(i) else { continue };
            if line.class_list().contains("hit") {
                current = Some(hits.len());
                let _ = line.class_list().remove_1("hit");
            }
            let text = line.text_content().unwrap_or_default().to_lowercase();
            if !q.is_empty() && text.contains(&q) {
                hits.push(line);
            } else if current == Some(hits.len()) {
                // The previous hit no longer matches: continue from here.
            }
        }
        if hits.is_empty() {
            return 0;
        }
        let next = match current {
            Some(i) if i + 1 < hits.len() => i + 1,
            Some(_) => 0,
            None => 0,
        };
        let hit = &hits[next];
        let _ = hit.class_list().add_1("hit");
        if let Some(h) = hit.dyn_ref::<web_sys::HtmlElement>() {
            self.stick.set(false);
            el.set_scroll_top(h.offset_top() - el.client_height() / 2);
        }
        hits.len()
    }
}

/// A server's console. Status changes and abilities are passed up to the page.
#[component]
pub fn Console(
    id: Uuid,
    /// Set on every status message.
    on_status: Callback<StatusUpdate>,
    /// What the caller may do, as the panel says.
    abilities: RwSignal<Option<Abilities>>,
    /// The figures the panel sends every few seconds (shown here and by the page).
    stats: RwSignal<Stats>,
) -> impl IntoView {
    let screen = Screen {
        el: NodeRef::new(),
        stick: RwSignal::new(true),
        unseen: RwSignal::new(0),
    };
    // the socket's messages and the event handlers run outside the component tree
    let i18n = crate::i18n::i18n();
    let conn = RwSignal::new(Conn::Connecting);
    let error = RwSignal::new(None::<String>);
    let throttled = RwSignal::new(0u64);
    // the first line that asks something of the owner (an old Java, the EULA), shown once
    let hint = RwSignal::new(None::<Hint>);
    let look = move |lines: &[String]| {
        if hint.with_untracked(Option::is_none)
            && let Some(h) = lines.iter().find_map(|l| hint_for(l))
        {
            hint.set(Some(h));
        }
    };
    let socket = LiveSocket::open(console_path(id), conn, move |msg| match msg {
        ServerMsg::Hello(a) => abilities.set(Some(a)),
        ServerMsg::History(lines) => {
            look(&lines);
            screen.reset(&lines)
        }
        ServerMsg::Output(lines) => {
            look(&lines);
            screen.append(&lines, None)
        }
        ServerMsg::InstallOutput(lines) => screen.append(&lines, Some("line install")),
        ServerMsg::CommandOutput(lines) => screen.append(&lines, Some("line answer")),
        ServerMsg::Status(u) => on_status.run(u),
        ServerMsg::Stats(s) => stats.set(s),
        ServerMsg::Throttled { dropped } => {
            throttled.update(|n| *n += dropped);
            screen.append(
                &[tr!(i18n, "console-throttled", {"count" => dropped})],
                Some("line notice"),
            );
        }
        ServerMsg::Error { message } => error.set(Some(message)),
        ServerMsg::Closed { .. } | ServerMsg::Players(_) => {}
    });
    let socket = StoredValue::new_local(socket);

    let command = RwSignal::new(String::new());
    let history = StoredValue::new(Vec::<String>::new());
    let cursor = StoredValue::new(0usize);
    let send = move || {
        let cmd = command.get_untracked();
        if cmd.trim().is_empty() {
            return;
        }
        if socket.with_value(|s| s.send(&ClientMsg::SendCommand(cmd.clone()))) {
            error.set(None);
            history.update_value(|h| {
                if h.last() != Some(&cmd) {
                    h.push(cmd.clone());
                }
                if h.len() > COMMAND_HISTORY {
                    h.remove(0);
                }
                cursor.set_value(h.len());
            });
            command.set(String::new());
            screen.scroll_to_end();
        } else {
            error.set(Some(tr!(i18n, "console-not-connected")));
        }
    };
    // the previous (-1) or next (1) command of the history
    let recall = move |step: isize| {
        history.with_value(|h| {
            let next = (cursor.get_value() as isize + step).clamp(0, h.len() as isize) as usize;
            cursor.set_value(next);
            command.set(h.get(next).cloned().unwrap_or_default());
        });
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step: isize = match ev.key().as_str() {
            "ArrowUp" => -1,
            "ArrowDown" => 1,
            _ => return,
        };
        ev.prevent_default();
        recall(step);
    };
    let on_scroll = move |_| {
        if let Some(el) = screen.el.get_untracked() {
            let at_bottom = el.scroll_top() + el.client_height() >= el.scroll_height() - 8;
            screen.stick.set(at_bottom);
            if at_bottom {
                screen.unseen.set(0);
            }
        }
    };
    // A narrower window reflows the lines: stay at the end if that is where the user was.
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        if screen.stick.get_untracked()
            && let Some(el) = screen.el.get_untracked()
        {
            el.set_scroll_top(el.scroll_height());
        }
    });
    on_cleanup(move || resize.remove());
    let query = RwSignal::new(String::new());
    let hits = RwSignal::new(None::<usize>);
    let copy = move |_| {
        if let Some(el) = screen.el.get_untracked() {
            let _ = window()
                .navigator()
                .clipboard()
                .write_text(&el.inner_text());
        }
    };
    let can_write = move || abilities.with(|a| a.as_ref().is_some_and(|a| a.write));
    let conn_text = move || match conn.get() {
        Conn::Connecting => Some(tr!("console-connecting")),
        Conn::Open => None,
        Conn::Reconnecting(s) => Some(tr!("console-reconnecting", {"seconds" => s})),
        Conn::Closed(reason) => Some(tr!("console-disconnected", {"reason" => reason})),
    };
    view! {
        <section class="console" data-testid="console">
            <div class="console-bar">
                <span class=move || format!("conn conn-{}", if conn.with(|c| *c == Conn::Open) { "open" } else { "down" })
                    data-testid="console-conn">{move || conn_text().unwrap_or_else(|| tr!("console-live"))}</span>
                <span class="stats small muted" data-testid="console-stats">{move || stats.with(|s| {
                    let mut parts = Vec::new();
                    if let Some(u) = s.uptime_secs { parts.push(tr!("console-uptime", {"uptime" => super::figures::uptime(u)})); }
                    if let Some(p) = s.players { parts.push(tr!("console-players", {"count" => p})); }
                    if let Some(m) = s.memory_mib { parts.push(tr!("console-memory", {"mib" => crate::i18n::number(m as f64, 0)})); }
                    if let Some(c) = s.cpu_millis { parts.push(tr!("console-cpu", {"cpu" => crate::i18n::number(c as f64 / 1000.0, 2)})); }
                    parts.join(" · ")
                })}</span>
                <form class="console-search" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    hits.set(Some(screen.find_next(&query.get_untracked())));
                }>
                    <input type="search" placeholder=move_tr!("console-find") aria-label=move_tr!("console-find-label") data-testid="console-find"
                        prop:value=move || query.get() on:input=move |ev| { query.set(event_target_value(&ev)); hits.set(None); }/>
                    {move || hits.get().map(|n| view! { <span class="small muted">{move || if n == 0 { tr!("console-find-none") } else { format!("{n}") }}</span> })}
                </form>
                <button class="btn btn-ghost btn-small" type="button" on:click=copy title=move_tr!("console-copy-title")>{move_tr!("console-copy")}</button>
            </div>
            {move || hint.get().map(|h| view! { <HintBanner id hint=h/> })}
            <div class="term" node_ref=screen.el on:scroll=on_scroll data-testid="console-output" role="log" aria-live="off" tabindex="0"></div>
            <Show when=move || { screen.unseen.get() > 0 }>
                <button class="btn btn-small new-lines" type="button" on:click=move |_| screen.scroll_to_end()>
                    {move || tr!("console-new-lines", {"count" => screen.unseen.get()})}
                </button>
            </Show>
            {move || error.get().map(|e| view! { <p class="banner banner-error small" role="alert" data-testid="console-error">{e}</p> })}
            <Show when=can_write fallback=|| view! { <p class="muted small" data-testid="console-readonly">{move_tr!("console-readonly")}</p> }>
                <form class="console-input" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); send(); }>
                    <span class="prompt" aria-hidden="true">">"</span>
                    <input type="text" autocomplete="off" autocapitalize="off" spellcheck="false" enterkeyhint="send"
                        maxlength=MAX_COMMAND.to_string() placeholder=move_tr!("console-command-placeholder") aria-label=move_tr!("console-command")
                        data-testid="console-command"
                        prop:value=move || command.get() on:input=move |ev| command.set(event_target_value(&ev))
                        on:keydown=on_key/>
                    // phones have no arrow keys: a button recalls the last commands (pressing it
                    // keeps the focus, so the on-screen keyboard stays up)
                    <button class="btn btn-ghost btn-small touch-only" type="button" aria-label=move_tr!("console-recall")
                        data-testid="console-recall"
                        on:pointerdown=|ev| ev.prevent_default() on:click=move |_| recall(-1)>"↑"</button>
                    // sending keeps the focus in the field (and the keyboard up) for the next one
                    <button class="btn btn-primary btn-small" type="submit" on:pointerdown=|ev| ev.prevent_default()
                        disabled=move || conn.with(|c| *c != Conn::Open)>{move_tr!("console-send")}</button>
                </form>
            </Show>
        </section>
    }
}

/// Where accepting the EULA is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EulaStep {
    Stopping,
    Writing,
    Starting,
}

/// What a console line asks of the owner, in plain words, with the way out.
#[component]
fn HintBanner(id: Uuid, hint: Hint) -> impl IntoView {
    match hint {
        Hint::Java { needs, tag } => view! {
            <div class="banner banner-error" role="alert" data-testid="console-hint">
                <p><strong>{move_tr!("console-java-title", {"needs" => needs})}</strong></p>
                <p class="small">{move_tr!("console-java-text", {"needs" => needs, "tag" => tag.clone()})}</p>
            </div>
        }
        .into_any(),
        Hint::Eula => {
            // the world's files are reachable on a stopped server (a crashing one holds its
            // volume): stop it, write eula.txt as the game does, start it again
            let step = RwSignal::new(None::<EulaStep>);
            let accept = Action::new_local(move |_: &()| async move {
                step.set(Some(EulaStep::Stopping));
                let _ = power_server(id, PowerAction::Stop).await;
                for _ in 0..120 {
                    if get_server(id).await.is_ok_and(|s| s.status == ServerState::Stopped) {
                        break;
                    }
                    gloo_timers::future::TimeoutFuture::new(500).await;
                }
                step.set(Some(EulaStep::Writing));
                let version = read_file(id, "/eula.txt".into()).await.ok().map(|f| f.version);
                write_file(id, "/eula.txt".into(), "eula=true\n".into(), version).await?;
                step.set(Some(EulaStep::Starting));
                // the start waits for the file manager's pod to go; a slow cluster may need longer
                let mut started = power_server(id, PowerAction::Start).await.map(drop);
                for _ in 0..3 {
                    if started.is_ok() {
                        break;
                    }
                    gloo_timers::future::TimeoutFuture::new(2000).await;
                    started = power_server(id, PowerAction::Start).await.map(drop);
                }
                started
            });
            view! {
                <div class="banner" role="alert" data-testid="console-hint">
                    <p><strong>{move_tr!("console-eula-title")}</strong></p>
                    <p class="small">{move_tr!("console-eula-before")}" "
                        <a href="https://aka.ms/MinecraftEULA" target="_blank" rel="noopener noreferrer">{move_tr!("console-eula-link")}</a>
                        {move_tr!("console-eula-after")}</p>
                    {move || match accept.value().get() {
                        Some(Ok(())) => view! { <p class="small" data-testid="eula-accepted">{move_tr!("console-eula-accepted")}</p> }.into_any(),
                        Some(Err(e)) => view! { <p class="small error">{e.to_string()}</p> }.into_any(),
                        None if accept.pending().get() => view! {
                            <p class="small" role="status">{move || match step.get() {
                                Some(EulaStep::Stopping) => tr!("console-eula-stopping"),
                                Some(EulaStep::Writing) => tr!("console-eula-writing"),
                                Some(EulaStep::Starting) => tr!("console-eula-starting"),
                                None => "…".to_string(),
                            }}</p>
                        }.into_any(),
                        None => view! {
                            <button class="btn btn-primary btn-small" data-testid="eula-accept"
                                disabled=move || accept.pending().get()
                                on:click=move |_| { accept.dispatch(()); }>{move_tr!("console-eula-accept")}</button>
                        }.into_any(),
                    }}
                </div>
            }
            .into_any()
        }
    }
}
