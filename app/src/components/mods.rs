//! A server's mods and plugins from Modrinth: what it has (with updates), a search that shows
//! only what fits its loader and game version, a project's versions to pick one, install and
//! remove; on a modpack server, the pack it runs and a search of packs to choose another. No icon is fetched from Modrinth: the browser talks to the panel alone.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use uuid::Uuid;

use api::mods::{install_mod, list_mods, mod_versions, remove_mod, search_mods};
use protocol::mods::{InstallWay, ModContext, ModHit, ModSource, ModsDto};

/// What an install or a removal answers, and what to say when it worked.
type Done = (Result<ModsDto, protocol::AppError>, String);
/// Installs a project (at a version, else the newest that fits) from a source.
type Install = Action<(String, Option<String>, ModSource), Done>;

/// Whether the server runs a modpack (one pack, chosen rather than installed).
fn is_pack(c: &ModContext) -> bool {
    matches!(c.install, InstallWay::Modpack { .. })
}

/// What fits, in words (`Fabric mods for 1.21.4`).
fn fits(c: &ModContext) -> String {
    let i18n = crate::i18n::i18n();
    if is_pack(c) {
        return tr!(i18n, "mods-fit-packs");
    }
    let loader = c.loaders.first().map(String::as_str).unwrap_or_default();
    let mut name = loader.to_string();
    if let Some(first) = name.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let plugins = c.project_type == "plugin";
    match (&c.game_version, plugins) {
        (Some(v), false) => {
            tr!(i18n, "mods-fit-mods", {"loader" => name, "version" => v.clone()})
        }
        (Some(v), true) => {
            tr!(i18n, "mods-fit-plugins", {"loader" => name, "version" => v.clone()})
        }
        (None, false) => tr!(i18n, "mods-fit-mods-any", {"loader" => name}),
        (None, true) => tr!(i18n, "mods-fit-plugins-any", {"loader" => name}),
    }
}

fn how(c: &ModContext, pending: bool) -> String {
    let i18n = crate::i18n::i18n();
    match &c.install {
        InstallWay::Declarative { variable } => {
            let when = if pending {
                tr!(i18n, "mods-how-declarative-pending")
            } else {
                tr!(i18n, "mods-how-declarative-start")
            };
            let kept = tr!(i18n, "mods-how-declarative", {"variable" => variable.clone()});
            format!("{kept} {when}")
        }
        InstallWay::Files { folder } => {
            tr!(i18n, "mods-how-files", {"folder" => folder.clone()})
        }
        InstallWay::Modpack {
            variable,
            version_variable,
        } => {
            let when = if pending {
                tr!(i18n, "mods-how-pack-pending")
            } else {
                tr!(i18n, "mods-how-pack-start")
            };
            let kept = tr!(i18n, "mods-how-pack", {
                "variable" => variable.clone(),
                "version_variable" => version_variable.clone(),
            });
            let backup = tr!(i18n, "mods-how-pack-backup");
            format!("{kept} {when} {backup}")
        }
    }
}

/// A download count, short (`950`, `1.2k`, `3.4M` in the current language).
fn count(n: u64) -> String {
    let i18n = crate::i18n::i18n();
    match n {
        0..1_000 => crate::i18n::number(n as f64, 0),
        1_000..1_000_000 => {
            tr!(i18n, "mods-thousands", {"n" => crate::i18n::number(n as f64 / 1e3, 1)})
        }
        _ => tr!(i18n, "mods-millions", {"n" => crate::i18n::number(n as f64 / 1e6, 1)}),
    }
}

/// The Mods section.
#[component]
pub fn Mods(id: Uuid) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        list_mods(id)
    });
    let shown = RwSignal::new(None::<ModsDto>);
    Effect::new(move |_| {
        if let Some(Ok(m)) = list.get() {
            shown.set(Some(m));
        }
    });
    let message = RwSignal::new(None::<Result<String, String>>);
    // for the messages made after an answer (no reactive owner there)
    let i18n = crate::i18n::i18n();
    let install = Action::new_local(
        move |(project, version, source): &(String, Option<String>, ModSource)| {
            let (project, version, source) = (project.clone(), version.clone(), *source);
            async move {
                let r = install_mod(id, project.clone(), version, Some(source)).await;
                let pack = r.as_ref().is_ok_and(|m| is_pack(&m.context));
                // SpigotMC's and CurseForge's projects are numbers: say their names
                let name = r
                    .as_ref()
                    .ok()
                    .and_then(|m| {
                        m.installed
                            .iter()
                            .find(|i| i.project == project && i.source == source)
                    })
                    .and_then(|i| i.title.clone())
                    .unwrap_or_else(|| project.clone());
                let said = if pack {
                    tr!(i18n, "mods-now-runs", {"name" => name})
                } else {
                    tr!(i18n, "mods-installed", {"name" => name})
                };
                (r, said)
            }
        },
    );
    let remove = Action::new_local(move |(project, source): &(String, ModSource)| {
        let (project, source) = (project.clone(), *source);
        async move {
            let r = remove_mod(id, project.clone(), Some(source)).await;
            let said = match source {
                ModSource::Spiget => tr!(i18n, "mods-removed-spiget", {"project" => project}),
                ModSource::CurseForge => {
                    tr!(i18n, "mods-removed-curseforge", {"project" => project})
                }
                ModSource::Modrinth => tr!(i18n, "mods-removed", {"project" => project}),
            };
            (r, said)
        }
    });
    let done = move |v: Option<Done>| match v {
        Some((Ok(m), said)) => {
            message.set(Some(Ok(said)));
            shown.set(Some(m));
        }
        Some((Err(e), _)) => message.set(Some(Err(e.to_string()))),
        None => {}
    };
    Effect::new(move |_| done(install.value().get()));
    Effect::new(move |_| done(remove.value().get()));
    let busy = move || install.pending().get() || remove.pending().get();
    let query = RwSignal::new(String::new());
    let source = RwSignal::new(ModSource::Modrinth);
    let search = Action::new_local(move |(q, from): &(String, ModSource)| {
        search_mods(id, q.clone(), Some(*from))
    });
    view! {
        <div class="mods" data-testid="mods">
            <h2 class="h2">{move_tr!("mods-title")}</h2>
            <Suspense fallback=|| view! { <p class="muted small">{move_tr!("mods-reading")}</p> }>
                {move || list.get().and_then(|r| r.err()).map(|e| view! {
                    <p class="muted small" data-testid="mods-unavailable">{e.to_string()}</p>
                })}
            </Suspense>
            {move || shown.get().map(|m| {
                let pack = is_pack(&m.context);
                let rows = m.installed.clone().into_iter().map(|i| {
                    let (p1, p2, from) = (i.project.clone(), i.project.clone(), i.source);
                    let version = match (i.source, i.version_id.clone()) {
                        (ModSource::Spiget, _) => tr!("mods-version-spiget", {"project" => i.project.clone()}),
                        (ModSource::CurseForge, Some(v)) => tr!("mods-version-curseforge", {"project" => i.project.clone(), "file" => v}),
                        (_, Some(v)) => tr!("mods-version", {"version" => v}),
                        (_, None) => tr!("mods-newest"),
                    };
                    let name = i.title.clone().unwrap_or_else(|| i.project.clone());
                    view! {
                        <li class="player-row" data-testid="mod-installed" data-source=source_name(from)>
                            <span class="player-name">{name}</span>
                            <span class="muted small player-note">{version}{i.filename.clone().map(|f| format!(" · {f}"))}</span>
                            {i.update.clone().map(|u| view! {
                                <button class="btn btn-primary btn-small" data-testid="mod-update" disabled=busy
                                    on:click=move |_| { install.dispatch((p1.clone(), None, from)); }>{tr!("mods-update-to", {"version" => u})}</button>
                            })}
                            {(!pack).then(|| view! {
                                <button class="btn btn-ghost btn-small" data-testid="mod-remove" disabled=busy
                                    on:click=move |_| { remove.dispatch((p2.clone(), from)); }>{move_tr!("mods-remove")}</button>
                            })}
                        </li>
                    }
                }).collect_view();
                let none = m.installed.is_empty();
                let sources = m.context.sources.clone();
                let choice = sources.len() > 1;
                let radios = sources.iter().map(|&from| view! {
                    <label class="small"><input type="radio" name="mod-source" data-testid=format!("mod-source-{}", source_name(from))
                        prop:checked=move || source.get() == from
                        on:change=move |_| source.set(from)/>{from.label()}</label>
                }).collect_view();
                let spiget = sources.contains(&ModSource::Spiget);
                let curseforge = sources.contains(&ModSource::CurseForge);
                view! {
                    <p class="small" data-testid="mods-fit">{fits(&m.context)}</p>
                    <p class="muted small">{how(&m.context, m.pending)}</p>
                    <ul class="player-rows" data-testid="mods-installed">{rows}</ul>
                    {none.then(|| view! { <p class="muted small">{if pack { tr!("mods-no-pack") } else { tr!("mods-none") }}</p> })}
                    {choice.then(|| view! {
                        <fieldset class="source-choice" data-testid="mod-sources">
                            <legend class="field-label small">{move_tr!("mods-search-on")}</legend>
                            {radios}
                        </fieldset>
                    })}
                    {spiget.then(|| view! {
                        <p class="muted small">{move_tr!("mods-spiget-note")}</p>
                    })}
                    {curseforge.then(|| view! {
                        <p class="muted small">{move_tr!("mods-curseforge-note")}</p>
                    })}
                    <form class="inline-form player-form" role="search" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        search.dispatch((query.get_untracked(), source.get_untracked()));
                    }>
                        <label class="field" for="mod-query">
                            <span class="field-label small">{move || match (pack, source.get()) {
                                (true, _) => tr!("mods-search-packs"),
                                (false, ModSource::Spiget) => tr!("mods-search-spiget"),
                                (false, ModSource::CurseForge) => tr!("mods-search-curseforge"),
                                (false, ModSource::Modrinth) => tr!("mods-search-modrinth"),
                            }}</span>
                            <input id="mod-query" type="search" data-testid="mod-query" maxlength="100"
                                placeholder=move || match (pack, source.get()) {
                                    (true, _) => "cobblemon",
                                    (false, ModSource::Spiget) => "luckperms",
                                    (false, ModSource::CurseForge) => "jei",
                                    (false, ModSource::Modrinth) => "lithium",
                                } autocomplete="off"
                                prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                        </label>
                        <button class="btn btn-ghost btn-small" type="submit" data-testid="mod-search"
                            disabled=move || search.pending().get()>
                            {move || if search.pending().get() { tr!("mods-searching") } else { tr!("mods-search") }}
                        </button>
                    </form>
                }
            })}
            {move || busy().then(|| view! { <p class="muted small" role="status">{move_tr!("mods-working")}</p> })}
            {move || message.get().map(|m| match m {
                Ok(t) => view! { <p class="banner banner-ok" role="status" data-testid="mod-message">{t}</p> }.into_any(),
                Err(t) => view! { <p class="banner banner-error" role="alert" data-testid="mod-message">{t}</p> }.into_any(),
            })}
            {move || search.value().get().map(|r| match r {
                Err(e) => view! { <p class="banner banner-error" role="alert" data-testid="mod-search-error">{e.to_string()}</p> }.into_any(),
                Ok(found) if found.hits.is_empty() => view! { <p class="muted small">{move_tr!("mods-nothing-fits")}</p> }.into_any(),
                Ok(found) => view! {
                    <p class="muted small">{move || tr!("mods-found", {"shown" => crate::i18n::number(found.total as f64, 0)})}</p>
                    <ul class="mod-hits" data-testid="mod-hits">
                        {let pack = is_pack(&found.context);
                         found.hits.into_iter().map(|h| view! { <Hit id hit=h install pack busy=Signal::derive(busy)/> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </div>
    }
}

/// One search result: install the newest that fits (for a modpack server: run it), or choose
/// a version.
#[component]
fn Hit(id: Uuid, hit: ModHit, install: Install, pack: bool, busy: Signal<bool>) -> impl IntoView {
    let open = RwSignal::new(false);
    let from = hit.source;
    // what the panel takes: Modrinth's slug, SpigotMC's and CurseForge's numbers
    let slug = if from == ModSource::CurseForge {
        hit.project_id.clone()
    } else {
        hit.slug.clone()
    };
    let spiget = from == ModSource::Spiget;
    let versions = LocalResource::new({
        let slug = slug.clone();
        move || {
            let slug = slug.clone();
            let wanted = open.get();
            async move {
                if wanted {
                    Some(mod_versions(id, slug, Some(from)).await)
                } else {
                    None
                }
            }
        }
    });
    let (s1, s2) = (slug.clone(), slug.clone());
    let (author, downloads) = (hit.author.clone(), hit.downloads);
    let tested = hit.tested_versions.join(", ");
    view! {
        <li class="mod-hit" data-testid="mod-hit">
            <div class="mod-hit-head">
                <strong>{hit.title.clone()}</strong>
                <span class="muted small">{move || if spiget {
                    tr!("mods-hit-spiget", {"downloads" => count(downloads)})
                } else {
                    tr!("mods-hit-by", {"author" => author.clone(), "downloads" => count(downloads)})
                }}</span>
            </div>
            <p class="small">{hit.description.clone()}</p>
            {(!hit.tested_versions.is_empty()).then(|| view! {
                <p class="muted small">{move || tr!("mods-tested-on", {"versions" => tested.clone()})}</p>
            })}
            <span class="button-row">
                <button class="btn btn-primary btn-small" data-testid="mod-install" disabled=move || busy.get()
                    on:click=move |_| { install.dispatch((s1.clone(), None, from)); }>{move || if pack { tr!("mods-use-pack") } else { tr!("mods-install") }}</button>
                <button class="btn btn-ghost btn-small" data-testid="mod-versions"
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { tr!("mods-hide-versions") } else { tr!("mods-versions") }}
                </button>
            </span>
            {move || versions.get().flatten().map(|r| match r {
                Err(e) => view! { <p class="small error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(list) => {
                    let s2 = s2.clone();
                    view! {
                        <ul class="player-rows" data-testid="mod-version-list">
                            {list.into_iter().map(|v| {
                                let (p, vid) = (s2.clone(), v.id.clone());
                                let note = if spiget {
                                    crate::i18n::date_time(&v.published)
                                } else {
                                    format!("{} · {}", v.version_type, v.game_versions.join(", "))
                                };
                                view! {
                                    <li class="player-row">
                                        <span class="player-name">{v.version_number.clone()}</span>
                                        <span class="muted small player-note">{note}</span>
                                        {(!spiget).then(|| view! {
                                            <button class="btn btn-ghost btn-small" disabled=move || busy.get()
                                                on:click=move |_| { install.dispatch((p.clone(), Some(vid.clone()), from)); }>{move || if pack { tr!("mods-use-version") } else { tr!("mods-install-version") }}</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </li>
    }
}

/// A source's name in test ids and attributes.
fn source_name(from: ModSource) -> &'static str {
    match from {
        ModSource::Modrinth => "modrinth",
        ModSource::Spiget => "spiget",
        ModSource::CurseForge => "curseforge",
    }
}
