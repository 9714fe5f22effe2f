//! A server's mods and plugins from Modrinth: what it has (with updates), a search that shows
//! only what fits its loader and game version, a project's versions to pick one, install and
//! remove; on a modpack server, the pack it runs and a search of packs to choose another. No icon is fetched from Modrinth: the browser talks to the panel alone.

use leptos::prelude::*;
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
    if is_pack(c) {
        return "Modrinth modpacks that run on a server".to_string();
    }
    let loader = c.loaders.first().map(String::as_str).unwrap_or_default();
    let mut name = loader.to_string();
    if let Some(first) = name.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let kind = if c.project_type == "plugin" {
        "plugins"
    } else {
        "mods"
    };
    match &c.game_version {
        Some(v) => format!("{name} {kind} for Minecraft {v}"),
        None => format!("{name} {kind} for any Minecraft version (the server follows the latest)"),
    }
}

fn how(c: &ModContext, pending: bool) -> String {
    match &c.install {
        InstallWay::Declarative { variable } => {
            let when = if pending {
                "Changes apply at the next start or restart."
            } else {
                "The server installs them, with what they need, when it starts."
            };
            format!("Kept in {variable}. {when}")
        }
        InstallWay::Files { folder } => format!(
            "The panel puts each file in {folder}/, checked against Modrinth's SHA-512; a restart loads them."
        ),
        InstallWay::Modpack {
            variable,
            version_variable,
        } => {
            let when = if pending {
                "A change applies at the next start or restart."
            } else {
                "The server installs the pack's loader, game and mods when it starts."
            };
            format!(
                "The pack is kept in {variable}, its version in {version_variable}. {when} Choosing another backs the world up first when the plan keeps backups."
            )
        }
    }
}

fn count(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..1_000_000 => format!("{:.1}k", n as f64 / 1e3),
        _ => format!("{:.1}M", n as f64 / 1e6),
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
                    format!("The server now runs {name}.")
                } else {
                    format!("Installed {name}.")
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
                ModSource::Spiget => format!(
                    "Removed {project} from the list; its file stays in plugins/ until you delete it in the file manager."
                ),
                ModSource::CurseForge => format!(
                    "Removed {project} from the list; its file goes at the server's next start (the dependencies installed with it stay)."
                ),
                ModSource::Modrinth => format!("Removed {project}."),
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
            <h2 class="h2">"Mods and plugins"</h2>
            <Suspense fallback=|| view! { <p class="muted small">"Reading the mods…"</p> }>
                {move || list.get().and_then(|r| r.err()).map(|e| view! {
                    <p class="muted small" data-testid="mods-unavailable">{e.to_string()}</p>
                })}
            </Suspense>
            {move || shown.get().map(|m| {
                let pack = is_pack(&m.context);
                let rows = m.installed.clone().into_iter().map(|i| {
                    let (p1, p2, from) = (i.project.clone(), i.project.clone(), i.source);
                    let version = match (i.source, i.version_id.clone()) {
                        (ModSource::Spiget, _) => format!("SpigotMC {} · newest at each start", i.project),
                        (ModSource::CurseForge, Some(v)) => format!("CurseForge {} · file {v}", i.project),
                        (_, Some(v)) => format!("version {v}"),
                        (_, None) => "newest".into(),
                    };
                    let name = i.title.clone().unwrap_or_else(|| i.project.clone());
                    view! {
                        <li class="player-row" data-testid="mod-installed" data-source=source_name(from)>
                            <span class="player-name">{name}</span>
                            <span class="muted small player-note">{version}{i.filename.clone().map(|f| format!(" · {f}"))}</span>
                            {i.update.clone().map(|u| view! {
                                <button class="btn btn-primary btn-small" data-testid="mod-update" disabled=busy
                                    on:click=move |_| { install.dispatch((p1.clone(), None, from)); }>{format!("Update to {u}")}</button>
                            })}
                            {(!pack).then(|| view! {
                                <button class="btn btn-ghost btn-small" data-testid="mod-remove" disabled=busy
                                    on:click=move |_| { remove.dispatch((p2.clone(), from)); }>"Remove"</button>
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
                    {none.then(|| view! { <p class="muted small">{if pack { "No pack chosen yet." } else { "None yet." }}</p> })}
                    {choice.then(|| view! {
                        <fieldset class="source-choice" data-testid="mod-sources">
                            <legend class="field-label small">"Search on"</legend>
                            {radios}
                        </fieldset>
                    })}
                    {spiget.then(|| view! {
                        <p class="muted small">"SpigotMC plugins are kept in SPIGET_RESOURCES: the server fetches their newest version at each start. Premium and externally hosted ones cannot be installed this way."</p>
                    })}
                    {curseforge.then(|| view! {
                        <p class="muted small">"CurseForge files are pinned in CURSEFORGE_FILES with the dependencies they need; the server downloads them at its start."</p>
                    })}
                    <form class="inline-form player-form" role="search" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        search.dispatch((query.get_untracked(), source.get_untracked()));
                    }>
                        <label class="field" for="mod-query">
                            <span class="field-label small">{move || match (pack, source.get()) {
                                (true, _) => "Search Modrinth's modpacks",
                                (false, ModSource::Spiget) => "Search SpigotMC",
                                (false, ModSource::CurseForge) => "Search CurseForge",
                                (false, ModSource::Modrinth) => "Search Modrinth",
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
                            {move || if search.pending().get() { "Searching…" } else { "Search" }}
                        </button>
                    </form>
                }
            })}
            {move || busy().then(|| view! { <p class="muted small" role="status">"Working…"</p> })}
            {move || message.get().map(|m| match m {
                Ok(t) => view! { <p class="banner banner-ok" role="status" data-testid="mod-message">{t}</p> }.into_any(),
                Err(t) => view! { <p class="banner banner-error" role="alert" data-testid="mod-message">{t}</p> }.into_any(),
            })}
            {move || search.value().get().map(|r| match r {
                Err(e) => view! { <p class="banner banner-error" role="alert" data-testid="mod-search-error">{e.to_string()}</p> }.into_any(),
                Ok(found) if found.hits.is_empty() => view! { <p class="muted small">"Nothing fits this server."</p> }.into_any(),
                Ok(found) => view! {
                    <p class="muted small">{format!("{} found", found.total)}</p>
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
    view! {
        <li class="mod-hit" data-testid="mod-hit">
            <div class="mod-hit-head">
                <strong>{hit.title.clone()}</strong>
                <span class="muted small">{if spiget {
                    format!("on SpigotMC · {} downloads", count(hit.downloads))
                } else {
                    format!("by {} · {} downloads", hit.author, count(hit.downloads))
                }}</span>
            </div>
            <p class="small">{hit.description.clone()}</p>
            {(!hit.tested_versions.is_empty()).then(|| view! {
                <p class="muted small">{format!("Tested on {}", hit.tested_versions.join(", "))}</p>
            })}
            <span class="button-row">
                <button class="btn btn-primary btn-small" data-testid="mod-install" disabled=move || busy.get()
                    on:click=move |_| { install.dispatch((s1.clone(), None, from)); }>{if pack { "Use this pack" } else { "Install" }}</button>
                <button class="btn btn-ghost btn-small" data-testid="mod-versions"
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "Hide versions" } else { "Versions…" }}
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
                                    v.published.get(..10).unwrap_or_default().to_string()
                                } else {
                                    format!("{} · {}", v.version_type, v.game_versions.join(", "))
                                };
                                view! {
                                    <li class="player-row">
                                        <span class="player-name">{v.version_number.clone()}</span>
                                        <span class="muted small player-note">{note}</span>
                                        {(!spiget).then(|| view! {
                                            <button class="btn btn-ghost btn-small" disabled=move || busy.get()
                                                on:click=move |_| { install.dispatch((p.clone(), Some(vid.clone()), from)); }>{if pack { "Use this one" } else { "Install this" }}</button>
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
