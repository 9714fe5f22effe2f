//! Creating a server: name, template, plan, and the template's variables.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use crate::components::form::ErrorBanner;
use crate::components::guard::Protected;
use crate::components::shell::Loading;
use crate::components::variables::VariableField;
use api::servers::{create_server, list_plans, list_templates};
use protocol::dto::{PlanDto, TemplateDto};

/// The create form.
#[component]
pub fn NewServerPage() -> impl IntoView {
    view! { <Protected><NewServerForm/></Protected> }
}

#[component]
fn NewServerForm() -> impl IntoView {
    let choices = LocalResource::new(|| async {
        Ok::<_, protocol::AppError>((list_templates().await?, list_plans().await?))
    });
    view! {
        <section class="section narrow">
            <h1>{move_tr!("new-server-title")}</h1>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || choices.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok((templates, plans)) => view! { <Form templates plans/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Form(templates: Vec<TemplateDto>, plans: Vec<PlanDto>) -> impl IntoView {
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let template_id = RwSignal::new(templates.first().map(|t| t.id).unwrap_or_default());
    let plan_id = RwSignal::new(plans.first().map(|p| p.id).unwrap_or_default());
    let values = RwSignal::new(BTreeMap::<String, String>::new());
    let templates = StoredValue::new(templates);
    let action = Action::new_local(
        |(n, t, p, v): &(String, Uuid, Uuid, BTreeMap<String, String>)| {
            create_server(n.clone(), *t, *p, v.clone())
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(s)) = action.value().get() {
            navigate(&format!("/servers/{}", s.id), Default::default());
        }
    });
    let error = Signal::derive(move || match action.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    });
    let current =
        move || templates.with_value(|ts| ts.iter().find(|t| t.id == template_id.get()).cloned());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // only the variables of the chosen template, and only those the user filled in
        let vars: BTreeMap<String, String> = current()
            .map(|t| {
                values.with_untracked(|v| {
                    t.variables
                        .iter()
                        .filter(|d| d.user_editable)
                        .filter_map(|d| {
                            v.get(&d.name)
                                .filter(|x| !x.is_empty())
                                .map(|x| (d.name.clone(), x.clone()))
                        })
                        .collect()
                })
            })
            .unwrap_or_default();
        action.dispatch((
            name.get_untracked().trim().to_string(),
            template_id.get_untracked(),
            plan_id.get_untracked(),
            vars,
        ));
    };
    view! {
        <form class="card form" on:submit=submit data-testid="new-server-form">
            <ErrorBanner message=error/>
            <label class="field" for="name">
                <span class="field-label">{move_tr!("new-server-name")}</span>
                <input id="name" name="name" required autocomplete="off" placeholder=move_tr!("new-server-name-placeholder") bind:value=name/>
                <span class="field-hint">{move_tr!("new-server-name-hint")}</span>
            </label>
            <fieldset class="field">
                <legend class="field-label">{move_tr!("new-server-template")}</legend>
                <div class="choices">
                    {templates.with_value(|ts| ts.iter().map(|t| {
                        let id = t.id;
                        view! {
                            <label class="choice">
                                <input type="radio" name="template" value=t.slug.clone()
                                    prop:checked=move || template_id.get() == id
                                    on:change=move |_| template_id.set(id)/>
                                <span><strong>{t.name.clone()}</strong><br/><span class="muted small">{t.description.clone()}</span></span>
                            </label>
                        }
                    }).collect_view())}
                </div>
            </fieldset>
            <label class="field" for="plan">
                <span class="field-label">{move_tr!("new-server-plan")}</span>
                <select id="plan" on:change=move |ev| {
                    if let Ok(id) = event_target_value(&ev).parse() { plan_id.set(id) }
                }>
                    {plans.into_iter().map(|p| {
                        let (name, memory, disk) = (p.name, p.jvm_memory_mib, p.disk_gib);
                        let label = move || tr!("new-server-plan-option", {
                            "name" => name.clone(),
                            "memory" => crate::i18n::number(f64::from(memory), 0),
                            "disk" => crate::i18n::number(f64::from(disk), 0),
                        });
                        view! { <option value=p.id.to_string()>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            {move || current().map(|t| view! {
                <fieldset class="field">
                    <legend class="field-label">{move_tr!("new-server-settings")}</legend>
                    {t.variables.into_iter().filter(|v| v.user_editable).map(|def| {
                        view! { <VariableField def values prefix="var"/> }
                    }).collect_view()}
                </fieldset>
            })}
            <button class="btn btn-primary btn-block" type="submit" disabled=move || action.pending().get()>
                {move || if action.pending().get() { tr!("new-server-creating") } else { tr!("new-server-create") }}
            </button>
        </form>
    }
}
