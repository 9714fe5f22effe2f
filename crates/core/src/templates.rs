//! Checking and importing templates.

use crate::{Actor, AppState, conn, internal, servers};
use protocol::AppError;
use protocol::dto::{TemplateDto, TemplateExport};

/// Checks a template document; the message says what is wrong.
pub fn check(spec: &cluster::TemplateSpec) -> Result<(), String> {
    let slug_ok = !spec.slug.is_empty()
        && spec.slug.len() <= 32
        && spec
            .slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !spec.slug.starts_with('-');
    if !slug_ok {
        return Err("slug: 1 to 32 lowercase letters, digits or dashes".into());
    }
    if spec.image.trim().is_empty() || spec.image.contains(char::is_whitespace) {
        return Err("image: required, without spaces".into());
    }
    if !spec.data_path.starts_with('/') || spec.data_path.contains("..") {
        return Err("data_path: an absolute path without ..".into());
    }
    if spec.game_port == 0 {
        return Err("game_port: 1 to 65535".into());
    }
    if !(5..=3600).contains(&spec.stop_timeout_secs) {
        return Err("stop_timeout_secs: 5 to 3600".into());
    }
    if regex::Regex::new(&spec.started_pattern).is_err() {
        return Err("started_pattern: not a valid regular expression".into());
    }
    let mut seen = std::collections::HashSet::new();
    for v in &spec.variables {
        let name_ok = !v.name.is_empty()
            && v.name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            && !v.name.as_bytes()[0].is_ascii_digit();
        if !name_ok {
            return Err(format!(
                "variable {:?}: names are UPPER_CASE letters, digits and _",
                v.name
            ));
        }
        if !seen.insert(v.name.clone()) || v.name == "MEMORY" {
            return Err(format!("variable {}: duplicate or reserved", v.name));
        }
        if let Some(rule) = &v.rule
            && regex::Regex::new(rule).is_err()
        {
            return Err(format!(
                "variable {}: the rule is not a valid regular expression",
                v.name
            ));
        }
    }
    if let cluster::ConsoleInput::Exec { command } = &spec.console
        && !command.iter().any(|a| a.contains("{command}"))
    {
        return Err("console: an exec command must contain {command}".into());
    }
    Ok(())
}

/// Imports a template after checking it.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    t: TemplateExport,
) -> Result<TemplateDto, AppError> {
    let spec: cluster::TemplateSpec = serde_json::from_value(t.spec.clone())
        .map_err(|e| AppError::bad_request(format!("The template document is not valid: {e}")))?;
    check(&spec).map_err(|m| AppError::bad_request(format!("The template is not valid: {m}.")))?;
    if t.name.trim().is_empty() || t.name.len() > 64 || t.description.len() > 500 {
        return Err(AppError::bad_request(
            "The name (1 to 64 characters) and description (up to 500) are required.",
        ));
    }
    let mut c = conn(state).await?;
    let row = db::Template::create(
        &mut c,
        &db::NewTemplate {
            slug: &spec.slug,
            name: t.name.trim(),
            description: &t.description,
            spec: serde_json::to_value(&spec).map_err(|e| internal("a template to JSON", e))?,
        },
    )
    .await?;
    tracing::info!(user = %actor.user.username, template = %row.slug, "template imported");
    servers::template_dto(&row)
}
