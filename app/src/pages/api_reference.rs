//! The API reference: the panel's own OpenAPI document (`/api/openapi.json`) read and shown as
//! a list of endpoints, grouped by area, each with its arguments and its answer, and the types
//! they name. Nothing comes from elsewhere: no viewer from a CDN, the document is the panel's.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where the document is served.
const DOCUMENT: &str = "/api/openapi.json";

/// The reference page (open to anyone, as the document is).
#[component]
pub fn ApiReferencePage() -> impl IntoView {
    let document = LocalResource::new(fetch_document);
    let filter = RwSignal::new(String::new());
    view! {
        <section class="section api-reference" data-testid="api-reference">
            <a class="back" href="/account">{move_tr!("api-reference-back")}</a>
            <div class="section-head">
                <h1>{move_tr!("api-reference-title")}</h1>
                <a class="btn btn-ghost btn-small" href=DOCUMENT rel="external" download="openapi.json">{move_tr!("api-reference-document")}</a>
            </div>
            <Suspense fallback=|| view! { <p class="muted">{move_tr!("api-reference-loading")}</p> }>
                {move || document.get().map(|doc| match doc {
                    Err(e) => view! { <p class="banner banner-error" role="alert">{move || e.message()}</p> }.into_any(),
                    Ok(doc) => view! { <Reference doc filter/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// Why the document could not be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unfetched {
    /// No browser window.
    NoWindow,
    /// The request failed.
    Unreachable,
    /// The panel answered with this status.
    Status(u16),
    /// The answer is not the JSON document.
    Unreadable,
}

impl Unfetched {
    /// What to tell the reader, in the current language.
    fn message(self) -> String {
        match self {
            Unfetched::NoWindow => tr!("api-reference-no-window"),
            Unfetched::Unreachable => tr!("api-reference-unreachable"),
            Unfetched::Status(status) => {
                tr!("api-reference-status", {"status" => status.to_string()})
            }
            Unfetched::Unreadable => tr!("api-reference-unreadable"),
        }
    }
}

/// Fetches the document (the browser's `fetch`, same origin).
async fn fetch_document() -> Result<Value, Unfetched> {
    let unreachable = |_| Unfetched::Unreachable;
    let window = web_sys::window().ok_or(Unfetched::NoWindow)?;
    let answer = JsFuture::from(window.fetch_with_str(DOCUMENT))
        .await
        .map_err(unreachable)?;
    let answer: web_sys::Response = answer.dyn_into().map_err(unreachable)?;
    if !answer.ok() {
        return Err(Unfetched::Status(answer.status()));
    }
    let text = JsFuture::from(answer.text().map_err(unreachable)?)
        .await
        .map_err(unreachable)?;
    serde_json::from_str(&text.as_string().unwrap_or_default()).map_err(|_| Unfetched::Unreadable)
}

/// One endpoint of the document.
#[derive(Clone)]
struct Endpoint {
    path: String,
    tag: String,
    summary: String,
    description: String,
    body: Value,
    answer: Value,
}

fn endpoints(doc: &Value) -> Vec<Endpoint> {
    let Some(paths) = doc["paths"].as_object() else {
        return Vec::new();
    };
    let mut all: Vec<Endpoint> = paths
        .iter()
        .filter_map(|(path, item)| {
            let op = item.get("post")?;
            Some(Endpoint {
                path: path.clone(),
                tag: op["tags"][0].as_str().unwrap_or("other").to_string(),
                summary: op["summary"].as_str().unwrap_or_default().to_string(),
                description: op["description"].as_str().unwrap_or_default().to_string(),
                body: op["requestBody"]["content"]["application/json"]["schema"].clone(),
                answer: op["responses"]["200"]["content"]["application/json"]["schema"].clone(),
            })
        })
        .collect();
    all.sort_by(|a, b| (&a.tag, &a.path).cmp(&(&b.tag, &b.path)));
    all
}

/// A schema as a short type: `UserDto`, `string (uuid)`, `ServerDto[]`, `"a" | "b"`,
/// `integer or null`.
fn type_of(schema: &Value) -> String {
    if let Some(r) = schema["$ref"].as_str() {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            return options.iter().map(type_of).collect::<Vec<_>>().join(" | ");
        }
    }
    if let Some(values) = schema["enum"].as_array() {
        return values
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(" | ");
    }
    let one = |t: &str| match t {
        "array" => format!("{}[]", type_of(&schema["items"])),
        "object" if schema["additionalProperties"].is_object() => {
            format!("map of {}", type_of(&schema["additionalProperties"]))
        }
        "string" => match schema["format"].as_str() {
            Some(f) => format!("string ({f})"),
            None => "string".into(),
        },
        other => other.to_string(),
    };
    match &schema["type"] {
        Value::String(t) => one(t),
        Value::Array(types) => {
            let named: Vec<String> = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .map(one)
                .collect();
            let nullable = types.iter().any(|t| t == "null");
            format!(
                "{}{}",
                named.join(" | "),
                if nullable { " or null" } else { "" }
            )
        }
        _ if schema.as_object().is_some_and(|o| o.is_empty()) => "null".into(),
        _ => "any".into(),
    }
}

/// The fields of an object schema: name, type, required, description.
fn fields(schema: &Value) -> Vec<(String, String, bool, String)> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    schema["properties"]
        .as_object()
        .map(|props| {
            props
                .iter()
                .map(|(name, s)| {
                    (
                        name.clone(),
                        type_of(s),
                        required.contains(&name.as_str()),
                        s["description"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[component]
fn Fields(schema: Value) -> impl IntoView {
    let list = fields(&schema);
    if list.is_empty() {
        return view! { <p class="muted small">{type_of(&schema)}</p> }.into_any();
    }
    view! {
        <dl class="api-fields">
            {list.into_iter().map(|(name, ty, required, about)| view! {
                <dt><code>{name}</code>" "<span class="api-type">{ty}</span>
                    {(!required).then(|| view! { <span class="muted small">" "{move_tr!("api-reference-optional")}</span> })}</dt>
                <dd class="muted small">{about}</dd>
            }).collect_view()}
        </dl>
    }
    .into_any()
}

#[component]
fn Reference(doc: Value, filter: RwSignal<String>) -> impl IntoView {
    let intro = doc["info"]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let version = doc["info"]["version"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let all = endpoints(&doc);
    let count = all.len();
    let types: Vec<(String, Value)> = doc["components"]["schemas"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let errors = doc["components"]["responses"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.trim_start_matches('E').to_string(),
                        v["description"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let shown = move || {
        let f = filter.get().trim().to_lowercase();
        all.iter()
            .filter(|e| {
                f.is_empty()
                    || e.path.to_lowercase().contains(&f)
                    || e.summary.to_lowercase().contains(&f)
                    || e.tag.contains(&f)
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    view! {
        <p class="muted">{intro}</p>
        <p class="muted small">{move || tr!("api-reference-summary", {"version" => version.clone(), "count" => count})}" "<code>"{\"error\": kind, \"message\": …}"</code>":"</p>
        <ul class="api-errors small">
            {errors.into_iter().map(|(status, meaning)| view! { <li><code>{status}</code>" "{meaning}</li> }).collect_view()}
        </ul>
        <input class="audit-filter" type="search" placeholder=move_tr!("api-reference-filter-placeholder")
            aria-label=move_tr!("api-reference-filter") bind:value=filter data-testid="api-filter"/>
        <div class="api-endpoints">
            {move || shown().into_iter().map(|e| view! {
                <details class="card api-endpoint" data-testid="api-endpoint" data-path=e.path.clone()>
                    <summary>
                        <span class="chip">{e.tag.clone()}</span>" "
                        <code>{format!("POST {}", e.path)}</code>
                        <span class="muted small api-summary">{e.summary.clone()}</span>
                    </summary>
                    {(!e.description.is_empty()).then(|| view! { <p class="small">{e.description.clone()}</p> })}
                    <h3 class="h3">{move_tr!("api-reference-arguments")}</h3>
                    <Fields schema=e.body.clone()/>
                    <h3 class="h3">{let answer = type_of(&e.answer); move || tr!("api-reference-answer", {"type" => answer.clone()})}</h3>
                    <Fields schema=e.answer.clone()/>
                </details>
            }).collect_view()}
        </div>
        <h2 class="h2">{move_tr!("api-reference-types")}</h2>
        <div class="api-types">
            {types.into_iter().map(|(name, schema)| {
                let id = format!("type-{name}");
                let about = schema["description"].as_str().unwrap_or_default().to_string();
                view! {
                    <details class="card api-endpoint" id=id>
                        <summary><code>{name}</code>" "<span class="muted small api-summary">{about}</span></summary>
                        <Fields schema=schema/>
                    </details>
                }
            }).collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_read_as_people_write_them() {
        assert_eq!(
            type_of(&json!({"$ref": "#/components/schemas/UserDto"})),
            "UserDto"
        );
        assert_eq!(
            type_of(&json!({"type": "array", "items": {"$ref": "#/x/ServerDto"}})),
            "ServerDto[]"
        );
        assert_eq!(
            type_of(&json!({"type": ["integer", "null"]})),
            "integer or null"
        );
        assert_eq!(
            type_of(&json!({"type": "string", "format": "uuid"})),
            "string (uuid)"
        );
        assert_eq!(
            type_of(&json!({"type": "string", "enum": ["a", "b"]})),
            "\"a\" | \"b\""
        );
        assert_eq!(
            type_of(&json!({"type": "object", "additionalProperties": {"type": "string"}})),
            "map of string"
        );
        assert_eq!(type_of(&json!({})), "null");
        let f = fields(
            &json!({"required": ["a"], "properties": {"a": {"type": "string"}, "b": {"type": "boolean", "description": "B."}}}),
        );
        assert_eq!(f[0], ("a".into(), "string".into(), true, String::new()));
        assert_eq!(f[1], ("b".into(), "boolean".into(), false, "B.".into()));
    }
}
