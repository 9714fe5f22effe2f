//! Checking and importing templates, and the sandbox's own.

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
        return Err(crate::msg!("templates-check-slug"));
    }
    if spec.image.trim().is_empty() || spec.image.contains(char::is_whitespace) {
        return Err(crate::msg!("templates-check-image"));
    }
    if !spec.data_path.starts_with('/') || spec.data_path.contains("..") {
        return Err(crate::msg!("templates-check-data-path"));
    }
    if spec.game_port == 0 {
        return Err(crate::msg!("templates-check-game-port"));
    }
    check_extra_ports(spec)?;
    if !(5..=3600).contains(&spec.stop_timeout_secs) {
        return Err(crate::msg!("templates-check-stop-timeout"));
    }
    if regex::Regex::new(&spec.started_pattern).is_err() {
        return Err(crate::msg!("templates-check-started-pattern"));
    }
    let mut seen = std::collections::HashSet::new();
    for v in &spec.variables {
        let name_ok = !v.name.is_empty()
            && v.name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            && !v.name.as_bytes()[0].is_ascii_digit();
        if !name_ok {
            return Err(crate::msg!("templates-check-variable-name",
                "name" => format!("{:?}", v.name),
            ));
        }
        if !seen.insert(v.name.clone()) || v.name == "MEMORY" || v.name == cluster::builders::POD_IP
        {
            return Err(crate::msg!("templates-check-variable-duplicate",
                "name" => &v.name,
            ));
        }
        v.kind
            .check()
            .map_err(|m| format!("variable {}: {m}", v.name))?;
        if let Some(d) = v.default.as_deref().filter(|d| !d.is_empty())
            && let Err(m) = v.kind.accepts(d)
        {
            return Err(format!("variable {}: the default must {m}", v.name));
        }
        if v.label
            .as_ref()
            .is_some_and(|l| l.trim().is_empty() || l.len() > 64)
        {
            return Err(crate::msg!("templates-check-variable-label",
                "name" => &v.name,
            ));
        }
        if let Some(rule) = &v.rule
            && regex::Regex::new(rule).is_err()
        {
            return Err(crate::msg!("templates-check-variable-rule",
                "name" => &v.name,
            ));
        }
    }
    if let cluster::ConsoleInput::Exec { command } = &spec.console
        && !command.iter().any(|a| a.contains("{command}"))
    {
        return Err(crate::msg!("templates-check-console"));
    }
    Ok(())
}

/// The extra ports: at most [`cluster::MAX_EXTRA_PORTS`], each named with a DNS label of up to
/// 15 characters (not the game port's), no two on one port and protocol, none on the game port.
fn check_extra_ports(spec: &cluster::TemplateSpec) -> Result<(), String> {
    use cluster::PortProtocol;
    if spec.extra_ports.len() > cluster::MAX_EXTRA_PORTS {
        return Err(crate::msg!("templates-check-extra-ports-max",
            "max" => cluster::MAX_EXTRA_PORTS,
        ));
    }
    let mut names = std::collections::HashSet::from([cluster::builders::GAME_PORT]);
    let mut ports = std::collections::HashSet::from([(spec.game_port, PortProtocol::Tcp)]);
    for p in &spec.extra_ports {
        let name_ok = (1..=15).contains(&p.name.len())
            && p.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && p.name.as_bytes()[0].is_ascii_lowercase()
            && !p.name.ends_with('-');
        if !name_ok {
            return Err(crate::msg!("templates-check-extra-port-name",
                "name" => format!("{:?}", p.name),
            ));
        }
        if !names.insert(p.name.as_str()) {
            return Err(crate::msg!("templates-check-extra-port-taken",
                "name" => &p.name,
            ));
        }
        if p.port == 0 {
            return Err(crate::msg!("templates-check-extra-port-number",
                "name" => &p.name,
            ));
        }
        if !ports.insert((p.port, p.protocol)) {
            return Err(crate::msg!("templates-check-extra-port-twice",
                "name" => &p.name,
                "port" => p.port,
                "protocol" => p.protocol.as_str(),
            ));
        }
    }
    Ok(())
}

/// Imports a template after checking it.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    t: TemplateExport,
) -> Result<TemplateDto, AppError> {
    let spec: cluster::TemplateSpec = serde_json::from_value(t.spec.clone()).map_err(|e| {
        AppError::bad_request(crate::msg!("templates-document-invalid",
            "reason" => e.to_string(),
        ))
    })?;
    check(&spec)
        .map_err(|m| AppError::bad_request(crate::msg!("templates-invalid", "reason" => m)))?;
    if t.name.trim().is_empty() || t.name.len() > 64 || t.description.len() > 500 {
        let message = crate::msg!("templates-name-description");
        return Err(AppError::bad_request(message));
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

/// The template the sandbox adds: a real Minecraft server in Node.js (flying-squid), so that a
/// person trying the panel on a laptop can join a server it made with a real client.
pub const FLYING_SQUID: &str = include_str!("../templates/flying-squid.json");

/// Adds the sandbox's templates that are missing and brings those there to the panel's version
/// (at the sandbox's start; an administrator who deleted one gets it back at the next).
pub async fn seed_sandbox(state: &AppState) -> Result<(), AppError> {
    let doc: TemplateExport = serde_json::from_str(FLYING_SQUID)
        .map_err(|e| internal("reading the sandbox's template", e))?;
    let spec: cluster::TemplateSpec = serde_json::from_value(doc.spec.clone())
        .map_err(|e| internal("reading the sandbox's template", e))?;
    check(&spec).map_err(|m| internal("checking the sandbox's template", m))?;
    let mut c = conn(state).await?;
    let made = db::Template::create(
        &mut c,
        &db::NewTemplate {
            slug: &spec.slug,
            name: &doc.name,
            description: &doc.description,
            spec: doc.spec.clone(),
        },
    )
    .await;
    match made {
        Ok(t) => tracing::info!(template = %t.slug, "sandbox template added"),
        Err(db::Error::Conflict(_)) => {
            db::Template::replace_spec(&mut c, &spec.slug, &doc.spec).await?;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_template_is_valid() {
        let doc: TemplateExport = serde_json::from_str(FLYING_SQUID).unwrap();
        let spec: cluster::TemplateSpec = serde_json::from_value(doc.spec).unwrap();
        check(&spec).unwrap();
        let vars: Vec<_> = spec.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(vars, ["VERSION", "MOTD", "MAX_PLAYERS", "ONLINE_MODE"]);
        assert!(
            regex::Regex::new(&spec.started_pattern).unwrap().is_match(
                "> \u{1b}[1GDec 6th 2026, 02:10:00 [INFO]: Done: ready on 127.4.5.6:25565"
            )
        );
    }

    #[test]
    fn extra_ports_are_checked() {
        let doc: TemplateExport = serde_json::from_str(FLYING_SQUID).unwrap();
        let base: cluster::TemplateSpec = serde_json::from_value(doc.spec).unwrap();
        let with = |ports: serde_json::Value| {
            let mut spec = base.clone();
            spec.extra_ports = serde_json::from_value(ports).unwrap();
            check(&spec)
        };
        with(serde_json::json!([
            {"name": "bedrock", "port": 19132, "protocol": "UDP", "description": "Bedrock"},
            {"name": "map", "port": 8100, "protocol": "TCP"},
            {"name": "voice", "port": 25565, "protocol": "UDP"},
        ]))
        .unwrap();
        for (ports, says) in [
            (serde_json::json!([{"name": "Map", "port": 8100, "protocol": "TCP"}]), "lowercase"),
            (serde_json::json!([{"name": "a-very-long-name", "port": 8100, "protocol": "TCP"}]), "15"),
            (serde_json::json!([{"name": "minecraft", "port": 8100, "protocol": "TCP"}]), "taken"),
            (serde_json::json!([{"name": "map", "port": 25565, "protocol": "TCP"}]), "twice"),
            (serde_json::json!([{"name": "map", "port": 0, "protocol": "TCP"}]), "65535"),
            (
                serde_json::json!([{"name": "a", "port": 1, "protocol": "TCP"}, {"name": "a", "port": 2, "protocol": "TCP"}]),
                "taken",
            ),
            (
                serde_json::json!((1..=5).map(|i| serde_json::json!({"name": format!("p{i}"), "port": 9000 + i, "protocol": "TCP"})).collect::<Vec<_>>()),
                "at most 4",
            ),
        ] {
            let err = with(ports.clone()).unwrap_err();
            assert!(err.contains(says), "{ports}: {err}");
        }
    }
}
