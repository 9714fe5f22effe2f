//! One template variable in a form, by its kind: a toggle, a list of choices, a number box with
//! its range, or text; labelled with its name for people, its environment name beside it for
//! the API's users, and a live preview under a message of the day.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use protocol::dto::VariableDto;
use protocol::variables::VarKind;

use crate::motd;

/// A variable's input bound to its entry in `values` (absent: the template's default applies).
#[component]
pub fn VariableField(
    /// The variable.
    def: VariableDto,
    /// The form's values by environment name.
    values: RwSignal<BTreeMap<String, String>>,
    /// Prefix of the input's id (`var`, `set`): the id is `<prefix>-<NAME>`.
    prefix: &'static str,
    /// Values to offer as the user types (a text variable keeps any value).
    #[prop(default = None)]
    suggestions: Option<Signal<Vec<String>>>,
) -> impl IntoView {
    let id = format!("{prefix}-{}", def.name);
    let key = def.name.clone();
    let default = def.default.clone().unwrap_or_default();
    let current = {
        let (key, default) = (key.clone(), default.clone());
        move || values.with(|m| m.get(&key).cloned().unwrap_or_else(|| default.clone()))
    };
    let set = {
        let key = key.clone();
        move |v: String| values.update(|m| _ = m.insert(key.clone(), v))
    };
    let label = def.label.clone().unwrap_or_else(|| def.name.clone());
    let problem = {
        let (kind, label, current) = (def.kind.clone(), label.clone(), current.clone());
        move || {
            let v = current();
            (!v.is_empty() && kind.accepts(&v).is_err())
                .then(|| must(&kind, &label))
                .flatten()
        }
    };
    let input = match def.kind.clone() {
        VarKind::Bool => {
            let (on, on2) = (current.clone(), current.clone());
            view! {
                <label class="switch">
                    <input type="checkbox" id=id.clone() data-testid=id.clone()
                        prop:checked=move || on() == "true"
                        on:change=move |ev| set(event_target_checked(&ev).to_string())/>
                    <span>{move || if on2() == "true" { tr!("variables-on") } else { tr!("variables-off") }}</span>
                </label>
            }
            .into_any()
        }
        VarKind::Choice { options } => {
            let unset = (!def.required && default.is_empty()).then(|| {
                let current = current.clone();
                view! { <option value="" selected=move || current().is_empty()>{move_tr!("variables-not-set")}</option> }
            });
            view! {
                <select id=id.clone() data-testid=id.clone() on:change=move |ev| set(event_target_value(&ev))>
                    {unset}
                    {options.into_iter().map(|o| {
                        let (value, current) = (o.value.clone(), current.clone());
                        view! { <option value=o.value selected=move || current() == value>{o.label}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        VarKind::Number { min, max } => view! {
            <input type="number" id=id.clone() data-testid=id.clone() min=min max=max step="1"
                inputmode="numeric" placeholder=default.clone()
                prop:value=current.clone() on:input=move |ev| set(event_target_value(&ev))/>
        }
        .into_any(),
        VarKind::Text => {
            let list = format!("{id}-list");
            view! {
                <input type="text" id=id.clone() data-testid=id.clone() placeholder=default.clone()
                    list=suggestions.is_some().then(|| list.clone())
                    prop:value=current.clone() on:input=move |ev| set(event_target_value(&ev))/>
                {suggestions.map(|s| view! {
                    <datalist id=list.clone() data-testid=list.clone()>
                        {move || s.get().into_iter().map(|v| view! { <option value=v/> }).collect_view()}
                    </datalist>
                })}
            }
            .into_any()
        }
    };
    let preview = (def.name == "MOTD").then(|| {
        let current = current.clone();
        view! { <MotdPreview text=Signal::derive(current)/> }
    });
    view! {
        <div class="field prop">
            <label class="field-label" for=id.clone()>
                {label}{def.required.then_some(" *")}
                <code class="small muted">{format!(" {}", def.name)}</code>
            </label>
            {input}
            <span class="field-hint">{def.description}</span>
            {preview}
            {move || problem().map(|e| view! { <span class="small error" role="alert">{e}</span> })}
        </div>
    }
}

/// What a value of `kind` must be, said under the field of the variable `label` (None for
/// text, which takes anything).
fn must(kind: &VarKind, label: &str) -> Option<String> {
    let label = label.to_string();
    Some(match kind {
        VarKind::Text => return None,
        VarKind::Bool => tr!("variables-must-bool", {"label" => label}),
        VarKind::Number { min, max } => tr!("variables-must-number", {
            "label" => label,
            "min" => min.to_string(),
            "max" => max.to_string(),
        }),
        VarKind::Choice { options } => tr!("variables-must-choice", {
            "label" => label,
            "choices" => options.iter().map(|o| o.value.as_str()).collect::<Vec<_>>().join(", "),
        }),
    })
}

/// A message of the day as the players' server list draws it, `§` codes and all.
#[component]
pub fn MotdPreview(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! {
        <div class="motd-preview" data-testid="motd-preview" aria-label=move_tr!("variables-motd-preview")>
            {move || motd::parse(&text.get()).into_iter().map(|(t, f)| {
                view! { <span class=motd::classes(&f)>{t}</span> }
            }).collect_view()}
        </div>
    }
}
