//! The file editor: highlighted text with line numbers, search, Ctrl-S, a warning before
//! leaving with unsaved changes, and "changed on disk" detection (on save, and when the window
//! comes back into focus). `server.properties` also opens as a form of typed settings that
//! keeps the file's comments and unknown keys.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use crate::components::guard::Protected;
use crate::components::shell::Loading;
use crate::highlight;
use crate::pages::files::{download_href, files_href};
use crate::properties::{Kind, Properties, SETTINGS, check};
use api::files::{read_file, write_file};
use protocol::paths::{DataPath, Syntax, syntax_of};

/// Files larger than this are edited without highlighting (it would slow typing down).
const HIGHLIGHT_MAX: usize = 256 * 1024;

/// The editor page.
#[component]
pub fn EditorPage() -> impl IntoView {
    view! { <Protected><EditorView/></Protected> }
}

#[component]
fn EditorView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let i18n = crate::i18n::i18n();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<Uuid>().ok())));
    let path = Memo::new(move |_| {
        DataPath::parse(&query.with(|q| q.get("path")).unwrap_or_default()).unwrap_or_default()
    });
    let loaded = LocalResource::new(move || {
        let (id, p) = (id.get(), path.get());
        async move {
            match id {
                Some(id) => read_file(id, p.to_string()).await,
                None => Err(protocol::AppError::not_found(tr!(
                    i18n,
                    "file-editor-no-such-server"
                ))),
            }
        }
    });
    view! {
        <section class="section editor-page">
            <Suspense fallback=|| view! { <Loading label=move_tr!("file-editor-opening")/> }>
                {move || loaded.get().map(|r| match (r, id.get()) {
                    (Ok(f), Some(id)) => view! { <Editor id path=path.get() content=f.content version=f.version/> }.into_any(),
                    (Err(e), id) => view! {
                        {id.map(|id| view! { <a class="back" href=files_href(id, &path.get().parent().to_string())>{move_tr!("file-editor-back")}</a> })}
                        <p class="banner banner-error" role="alert">{e.to_string()}</p>
                        {id.map(|id| view! { <a class="btn btn-ghost" href=download_href(id, &path.get().to_string())>{move_tr!("file-editor-download-instead")}</a> })}
                    }.into_any(),
                    _ => view! { <p class="banner banner-error">{move_tr!("file-editor-no-such-server")}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Editor(id: Uuid, path: DataPath, content: String, version: String) -> impl IntoView {
    let text = RwSignal::new(content.clone());
    let saved = RwSignal::new(content);
    let version = RwSignal::new(version);
    let dirty = Memo::new(move |_| text.with(|t| saved.with(|s| t != s)));
    let changed_on_disk = RwSignal::new(false);
    let status = RwSignal::new(None::<Result<String, String>>);
    let name = path.name().unwrap_or_default().to_string();
    let syntax = syntax_of(&name);
    let is_props = name == "server.properties";
    let form_mode = RwSignal::new(is_props);
    let shown = path.to_string();
    let i18n = crate::i18n::i18n();

    let p2 = shown.clone();
    let save = Action::new_local(move |force: &bool| {
        let (content, p, force) = (text.get_untracked(), p2.clone(), *force);
        async move {
            let v = if force {
                // overwrite: take the version on disk now
                read_file(id, p.clone()).await.map(|f| f.version).ok()
            } else {
                Some(version.get_untracked())
            };
            write_file(id, p, content.clone(), v)
                .await
                .map(|v| (v, content))
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok((v, content))) => {
            version.set(v);
            saved.set(content);
            changed_on_disk.set(false);
            status.set(Some(Ok(tr!(i18n, "file-editor-saved"))));
        }
        Some(Err(e)) => {
            // saving over the version read, the one conflict is that the file changed (or went)
            // on disk meanwhile, whatever language the panel said it in
            if matches!(e, protocol::AppError::Conflict { .. })
                && version.with_untracked(|v| !v.is_empty())
            {
                changed_on_disk.set(true);
            }
            status.set(Some(Err(e.to_string())));
        }
        None => {}
    });
    let p3 = shown.clone();
    let reload = Action::new_local(move |_: &()| read_file(id, p3.clone()));
    Effect::new(move |_| {
        if let Some(Ok(f)) = reload.value().get() {
            text.set(f.content.clone());
            saved.set(f.content);
            version.set(f.version);
            changed_on_disk.set(false);
            status.set(Some(Ok(tr!(i18n, "file-editor-reloaded"))));
        }
    });
    // Ctrl-S / Cmd-S saves; leaving with unsaved changes asks first.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("s") {
            ev.prevent_default();
            if !save.pending().get_untracked() {
                save.dispatch(false);
            }
        }
    });
    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if dirty.get_untracked() {
            ev.prevent_default();
            ev.set_return_value("");
        }
    });
    // Back in the window: has the file changed on disk meanwhile?
    let p4 = shown.clone();
    let check_disk = Action::new_local(move |_: &()| read_file(id, p4.clone()));
    let focus = window_event_listener(leptos::ev::focus, move |_| {
        if !check_disk.pending().get_untracked() {
            check_disk.dispatch(());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(f)) = check_disk.value().get()
            && f.version != version.get_untracked()
        {
            if dirty.get_untracked() {
                changed_on_disk.set(true);
            } else {
                text.set(f.content.clone());
                saved.set(f.content);
                version.set(f.version);
            }
        }
    });
    on_cleanup(move || {
        keys.remove();
        unload.remove();
        focus.remove();
    });
    let back = files_href(id, &path.parent().to_string());
    view! {
        <div class="editor-head">
            <a class="back" href=back on:click=move |ev| {
                if dirty.get_untracked() && !web_sys::window().and_then(|w| w.confirm_with_message(&tr!(i18n, "file-editor-leave")).ok()).unwrap_or(true) {
                    ev.prevent_default();
                }
            }>{move_tr!("file-editor-back")}</a>
            <h1 class="editor-title" title=shown.clone()>{name.clone()}
                <Show when=move || dirty.get()><span class="dirty" title=move_tr!("file-editor-unsaved")>" ●"</span></Show>
            </h1>
            <span class="topbar-spacer"></span>
            {is_props.then(|| view! {
                <div class="tabs" role="tablist">
                    <button role="tab" class:active=move || form_mode.get() aria-selected=move || form_mode.get().to_string() data-testid="tab-form" on:click=move |_| form_mode.set(true)>{move_tr!("file-editor-tab-settings")}</button>
                    <button role="tab" class:active=move || !form_mode.get() aria-selected=move || (!form_mode.get()).to_string() data-testid="tab-text" on:click=move |_| form_mode.set(false)>{move_tr!("file-editor-tab-text")}</button>
                </div>
            })}
            <button class="btn btn-primary btn-small" data-testid="save" disabled=move || save.pending().get() || !dirty.get()
                on:click=move |_| { save.dispatch(false); }>
                {move || if save.pending().get() { tr!("file-editor-saving") } else { tr!("file-editor-save") }}
            </button>
        </div>
        <Show when=move || changed_on_disk.get()>
            <div class="banner banner-error" role="alert" data-testid="changed-on-disk">
                {move_tr!("file-editor-changed")}" "
                <button class="btn btn-ghost btn-small" on:click=move |_| { reload.dispatch(()); }>{move_tr!("file-editor-load-disk")}</button>
                <button class="btn btn-danger-outline btn-small" on:click=move |_| { save.dispatch(true); }>{move_tr!("file-editor-overwrite")}</button>
            </div>
        </Show>
        {move || status.get().filter(|_| !changed_on_disk.get()).map(|s| match s {
            Ok(m) => view! { <p class="banner banner-ok" role="status">{m}</p> }.into_any(),
            Err(e) => view! { <p class="banner banner-error" role="alert">{e}</p> }.into_any(),
        })}
        {move || if form_mode.get() {
            view! { <PropertiesForm text/> }.into_any()
        } else {
            view! { <TextArea text syntax/> }.into_any()
        }}
    }
}

/// The highlighted text area with line numbers and search.
#[component]
fn TextArea(text: RwSignal<String>, syntax: Syntax) -> impl IntoView {
    let area = NodeRef::<leptos::html::Textarea>::new();
    let layer = NodeRef::<leptos::html::Pre>::new();
    let gutter = NodeRef::<leptos::html::Pre>::new();
    let needle = RwSignal::new(String::new());
    let found = RwSignal::new(None::<bool>);
    let lines = Memo::new(move |_| text.with(|t| t.matches('\n').count() + 1));
    let plain =
        Memo::new(move |_| syntax == Syntax::Plain || text.with(String::len) > HIGHLIGHT_MAX);
    let html = Memo::new(move |_| {
        if plain.get() {
            return String::new();
        }
        text.with(|t| highlighted(syntax, t))
    });
    let sync = move || {
        if let (Some(a), Some(l), Some(g)) = (
            area.get_untracked(),
            layer.get_untracked(),
            gutter.get_untracked(),
        ) {
            l.set_scroll_top(a.scroll_top());
            l.set_scroll_left(a.scroll_left());
            g.set_scroll_top(a.scroll_top());
        }
    };
    let find = move || {
        let Some(a) = area.get_untracked() else {
            return;
        };
        let n = needle.get_untracked();
        if n.is_empty() {
            return;
        }
        let t = text.get_untracked();
        let from_utf16 = a.selection_end().ok().flatten().unwrap_or(0) as usize;
        let from = utf16_to_byte(&t, from_utf16);
        let lower_t = t.to_lowercase();
        let lower_n = n.to_lowercase();
        let hit = lower_t[from.min(lower_t.len())..]
            .find(&lower_n)
            .map(|i| i + from)
            .or_else(|| lower_t.find(&lower_n));
        found.set(Some(hit.is_some()));
        if let Some(start) = hit.filter(|_| lower_t.len() == t.len()) {
            let s16 = t[..start].encode_utf16().count() as u32;
            let e16 = s16 + n.encode_utf16().count() as u32;
            let _ = a.focus();
            let _ = a.set_selection_range(s16, e16);
            let line = t[..start].matches('\n').count() as i32;
            let height = a.client_height();
            a.set_scroll_top((line * 20 - height / 2).max(0));
            sync();
        }
    };
    view! {
        <form class="search-bar" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); find(); }>
            <input type="search" placeholder=move_tr!("file-editor-find") aria-label=move_tr!("file-editor-find") bind:value=needle data-testid="find"/>
            <button class="btn btn-ghost btn-small" type="submit">{move_tr!("file-editor-next")}</button>
            {move || (found.get() == Some(false)).then(|| view! { <span class="small muted">{move_tr!("file-editor-not-found")}</span> })}
        </form>
        <div class="editor" class:plain=move || plain.get()>
            <pre class="gutter" aria-hidden="true" node_ref=gutter>
                {move || (1..=lines.get()).map(|n| n.to_string()).collect::<Vec<_>>().join("\n")}
            </pre>
            <div class="code">
                <pre class="layer" aria-hidden="true" node_ref=layer inner_html=move || html.get()></pre>
                <textarea class="src" node_ref=area spellcheck="false" autocapitalize="off" autocomplete="off"
                    wrap="off" aria-label=move_tr!("file-editor-content") data-testid="editor-text"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    on:scroll=move |_| sync()
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        // Tab inserts two spaces instead of leaving the editor
                        if ev.key() == "Tab" && !ev.shift_key() {
                            ev.prevent_default();
                            if let Some(a) = area.get_untracked() {
                                let _ = a.set_range_text("  ");
                                let pos = a.selection_start().ok().flatten().unwrap_or(0) + 2;
                                let _ = a.set_selection_range(pos, pos);
                                text.set(a.value());
                            }
                        }
                    }></textarea>
            </div>
        </div>
    }
}

fn utf16_to_byte(s: &str, units: usize) -> usize {
    let mut n = 0;
    for (i, c) in s.char_indices() {
        if n >= units {
            return i;
        }
        n += c.len_utf16();
    }
    s.len()
}

/// The highlighted layer's HTML (escaped text in classed spans); a trailing newline gets a
/// space so the layer is as tall as the text area.
pub fn highlighted(syntax: Syntax, text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for (i, l) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for (tok, piece) in highlight::line(syntax, l) {
            let class = tok.class();
            if !class.is_empty() {
                out.push_str("<span class=\"");
                out.push_str(class);
                out.push_str("\">");
            }
            for c in piece.chars() {
                match c {
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '&' => out.push_str("&amp;"),
                    c => out.push(c),
                }
            }
            if !class.is_empty() {
                out.push_str("</span>");
            }
        }
    }
    out.push(' ');
    out
}

/// `server.properties` as a form; every change rewrites only its own line of the text.
#[component]
fn PropertiesForm(text: RwSignal<String>) -> impl IntoView {
    let props = Memo::new(move |_| text.with(|t| Properties::parse(t)));
    view! {
        <div class="props-form" data-testid="props-form">
            {SETTINGS.iter().map(|s| {
                let s = *s;
                let id = format!("prop-{}", s.key);
                let error = RwSignal::new(None::<String>);
                let current = move || props.with(|p| p.get(s.key).map(str::to_string)).unwrap_or_else(|| s.default.to_string());
                let apply = move |v: String| match check(&s, &v) {
                    Ok(()) => {
                        error.set(None);
                        let mut p = props.get_untracked();
                        p.set(s.key, &v);
                        text.set(p.to_text());
                    }
                    Err(e) => error.set(Some(e)),
                };
                let input = match s.kind {
                    Kind::Bool => view! {
                        <label class="switch">
                            <input type="checkbox" id=id.clone() data-testid=id.clone() prop:checked=move || current() == "true"
                                on:change=move |ev| apply(event_target_checked(&ev).to_string())/>
                            <span>{move || if current() == "true" { tr!("file-editor-on") } else { tr!("file-editor-off") }}</span>
                        </label>
                    }.into_any(),
                    Kind::Choice(options) => view! {
                        <select id=id.clone() data-testid=id.clone() on:change=move |ev| apply(event_target_value(&ev))>
                            {options.iter().map(|o| { let o = *o; view! { <option value=o selected=move || current() == o>{o}</option> } }).collect_view()}
                        </select>
                    }.into_any(),
                    Kind::Int(min, max) => view! {
                        <input type="number" id=id.clone() data-testid=id.clone() min=min max=max inputmode="numeric"
                            prop:value=current on:change=move |ev| apply(event_target_value(&ev))/>
                    }.into_any(),
                    Kind::Text => view! {
                        <input type="text" id=id.clone() data-testid=id.clone() prop:value=current on:change=move |ev| apply(event_target_value(&ev))/>
                    }.into_any(),
                };
                view! {
                    <div class="field prop">
                        <label class="field-label" for=id.clone()>{s.label}<code class="small muted">{format!(" {}", s.key)}</code></label>
                        {input}
                        <span class="field-hint">{s.help}</span>
                        {move || error.get().map(|e| view! { <span class="small error" role="alert">{e}</span> })}
                    </div>
                }
            }).collect_view()}
            <p class="muted small">{move_tr!("file-editor-props-note")}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layer_escapes_and_keeps_every_character() {
        let h = highlighted(Syntax::Properties, "motd=<b>&\n# c");
        assert_eq!(
            h,
            "<span class=\"hl-k\">motd</span><span class=\"hl-p\">=</span>&lt;b&gt;&amp;\n<span class=\"hl-c\"># c</span> "
        );
        assert_eq!(utf16_to_byte("é🌍a", 3), "é🌍".len());
    }
}
