//! Templates (administrators): the list, export as JSON (to copy or download), import from
//! JSON (checked by the panel, refused with the reason), and delete (refused while servers use
//! the template). To change a template: export it, edit the JSON, import it under a new slug.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use uuid::Uuid;

use crate::components::guard::Protected;
use crate::components::session::use_session;
use crate::components::shell::Loading;
use api::servers::list_templates;
use api::templates::{delete_template, export_template, import_template};
use protocol::dto::TemplateExport;

/// The templates page.
#[component]
pub fn TemplatesPage() -> impl IntoView {
    view! { <Protected><Templates/></Protected> }
}

#[component]
fn Templates() -> impl IntoView {
    let session = use_session();
    let admin = move || session.user.get().is_some_and(|u| u.is_admin);
    let reload = RwSignal::new(0u64);
    let templates = LocalResource::new(move || {
        reload.get();
        list_templates()
    });
    let exported = RwSignal::new(None::<(String, String)>);
    let export = Action::new_local(move |id: &Uuid| {
        let id = *id;
        async move {
            let t = export_template(id).await?;
            let slug = t
                .spec
                .get("slug")
                .and_then(|s| s.as_str())
                .unwrap_or("template")
                .to_string();
            let json = serde_json::to_string_pretty(&t).unwrap_or_default();
            exported.set(Some((slug, json)));
            Ok::<(), protocol::AppError>(())
        }
    });
    let remove = Action::new_local(move |id: &Uuid| delete_template(*id));
    let pasted = RwSignal::new(String::new());
    let i18n = crate::i18n::i18n();
    let import = Action::new_local(move |text: &String| {
        let parsed = serde_json::from_str::<TemplateExport>(text);
        async move {
            let t = parsed.map_err(|e| {
                protocol::AppError::bad_request(
                    tr!(i18n, "templates-not-a-document", {"error" => e.to_string()}),
                )
            })?;
            import_template(t).await
        }
    });
    Effect::new(move |_| {
        // Read both (no short-circuit): the effect must follow each of them.
        let imported = matches!(import.value().get(), Some(Ok(_)));
        let removed = matches!(remove.value().get(), Some(Ok(())));
        if imported || removed {
            reload.update(|n| *n += 1);
        }
    });
    let banner = move || match (
        import.value().get(),
        remove.value().get(),
        export.value().get(),
    ) {
        (Some(Err(e)), _, _) | (_, Some(Err(e)), _) | (_, _, Some(Err(e))) => {
            Some((true, e.to_string()))
        }
        (Some(Ok(t)), _, _) => Some((false, tr!("templates-imported", {"name" => t.name}))),
        _ => None,
    };
    view! {
        <section class="section server-page" data-testid="templates">
            <a class="back" href="/">{move_tr!("templates-back")}</a>
            <h1>{move_tr!("templates-title")}</h1>
            <Show when=admin fallback=|| view! { <p class="banner banner-error" role="alert">{move_tr!("templates-admins-only")}</p> }>
                {move || banner().map(|(bad, text)| view! {
                    <p class=if bad { "banner banner-error" } else { "banner banner-ok" } role="status" data-testid="templates-banner">{text}</p>
                })}
                <Suspense fallback=|| view! { <Loading/> }>
                    {move || templates.get().map(|r| match r {
                        Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="template-list">
                                {list.into_iter().map(|t| {
                                    let id = t.id;
                                    let confirm = RwSignal::new(false);
                                    view! {
                                        <li class="card template-row" data-testid="template-row">
                                            <div>
                                                <strong>{t.name.clone()}</strong>" "<code class="small muted">{t.slug.clone()}</code>
                                                <p class="muted small">{t.description.clone()}</p>
                                            </div>
                                            <div class="button-row">
                                                <button class="btn btn-ghost btn-small" on:click=move |_| { export.dispatch(id); }>{move_tr!("templates-export")}</button>
                                                <Show when=move || confirm.get() fallback=move || view! {
                                                    <button class="btn btn-danger-outline btn-small" on:click=move |_| confirm.set(true)>{move_tr!("templates-delete-ask")}</button>
                                                }>
                                                    <button class="btn btn-danger btn-small" on:click=move |_| { remove.dispatch(id); confirm.set(false); }>{move_tr!("templates-delete")}</button>
                                                    <button class="btn btn-ghost btn-small" on:click=move |_| confirm.set(false)>{move_tr!("templates-cancel")}</button>
                                                </Show>
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    })}
                </Suspense>
                {move || exported.get().map(|(slug, json)| {
                    let href = format!("data:application/json;charset=utf-8,{}", percent_encode(&json));
                    view! {
                        <div class="card" data-testid="export">
                            <h2>{format!("{slug}.json")}</h2>
                            <textarea class="json" readonly rows="12" prop:value=json.clone()></textarea>
                            <div class="button-row">
                                <a class="btn btn-ghost btn-small" href=href download=format!("{slug}.json")>{move_tr!("templates-download")}</a>
                                <button class="btn btn-ghost btn-small" on:click=move |_| { pasted.set(json.clone()); }>{move_tr!("templates-edit-as-new")}</button>
                                <button class="btn btn-ghost btn-small" on:click=move |_| exported.set(None)>{move_tr!("templates-close")}</button>
                            </div>
                        </div>
                    }
                })}
                <form class="card settings" data-testid="import" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    import.dispatch(pasted.get_untracked());
                }>
                    <h2>{move_tr!("templates-import")}</h2>
                    <p class="muted small">{move_tr!("templates-import-help")}</p>
                    <textarea class="json" rows="12" aria-label=move_tr!("templates-json") data-testid="import-json"
                        prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                    <button class="btn btn-primary" type="submit" disabled=move || import.pending().get() || pasted.with(|p| p.trim().is_empty())>
                        {move || if import.pending().get() { tr!("templates-importing") } else { tr!("templates-import") }}
                    </button>
                </form>
            </Show>
        </section>
    }
}

/// Percent-encodes text for a `data:` URL.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
