//! Servers: validation, creation within quota, power, deletion, and the conversion of rows to the
//! cluster crate's [`cluster::ServerSpec`]. Every mutating action is audited.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use crate::{Actor, AppState, Permission, audit, authorize, conn, internal, missing};
use protocol::dto::{PlanDto, PowerAction, ServerDto, TemplateDto, VariableDto};
use protocol::live::StatusUpdate;
use protocol::{AppError, Desired, Phase, ServerState};

/// Longest server name.
pub const NAME_MAX: usize = 40;

/// Checks a server name: a DNS-1123 label of at most 40 characters.
pub fn validate_name(name: &str) -> Result<(), AppError> {
    let ok = !name.is_empty()
        && name.len() <= NAME_MAX
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(AppError::bad_request(
            crate::msg!("servers-name-invalid", "max" => NAME_MAX),
        ))
    }
}

/// The template of `server` and its document, read once.
pub async fn template_of(
    c: &mut db::PooledConnection,
    server: &db::Server,
) -> Result<(db::Template, cluster::TemplateSpec), AppError> {
    let template = db::Template::find(c, server.template_id)
        .await?
        .ok_or_else(missing("the server's template"))?;
    let spec = template_spec(&template)?;
    Ok((template, spec))
}

/// Reads a template row's document.
pub fn template_spec(t: &db::Template) -> Result<cluster::TemplateSpec, AppError> {
    serde_json::from_value(t.spec.clone()).map_err(|e| {
        tracing::error!(template = %t.slug, error = %e, "unreadable template");
        AppError::internal()
    })
}

/// Checks values against a template's variables: unknown names, values of variables users may
/// not set, control characters (a carriage return or a newline in a value the image writes
/// into `server.properties` would add lines of the user's choosing there, whatever a
/// template's rule says), required values, and each rule. Returns the values to store.
pub fn validate_variables(
    spec: &cluster::TemplateSpec,
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, AppError> {
    let mut out = BTreeMap::new();
    for name in given.keys() {
        match spec.variables.iter().find(|v| &v.name == name) {
            None => {
                return Err(AppError::bad_request(
                    crate::msg!("servers-variable-unknown", "name" => name),
                ));
            }
            Some(v) if !v.user_editable => {
                return Err(AppError::bad_request(
                    crate::msg!("servers-variable-fixed", "name" => name),
                ));
            }
            _ => {}
        }
    }
    for var in &spec.variables {
        if !var.user_editable {
            continue;
        }
        let value = given
            .get(&var.name)
            .cloned()
            .or_else(|| var.default.clone())
            .unwrap_or_default();
        if value.len() > 1024 {
            return Err(AppError::bad_request(
                crate::msg!("servers-variable-too-long", "name" => &var.name),
            ));
        }
        if value.chars().any(char::is_control) {
            return Err(AppError::bad_request(
                crate::msg!("servers-variable-one-line", "name" => &var.name),
            ));
        }
        if value.is_empty() {
            if var.required {
                return Err(AppError::bad_request(
                    crate::msg!("servers-variable-required",
                        "name" => &var.name,
                        "description" => &var.description,
                    ),
                ));
            }
            continue;
        }
        if let Err(m) = var.kind.accepts(&value) {
            return Err(AppError::bad_request(format!(
                "{} must {m}.",
                var.label.as_deref().unwrap_or(&var.name)
            )));
        }
        if let Some(rule) = &var.rule {
            let re = regex::Regex::new(rule).map_err(|_| {
                tracing::error!(var = %var.name, "template has an invalid rule");
                AppError::internal()
            })?;
            if !re.is_match(&value) {
                return Err(AppError::bad_request(
                    crate::msg!("servers-variable-invalid",
                        "name" => &var.name,
                        "description" => &var.description,
                    ),
                ));
            }
        }
        out.insert(var.name.clone(), value);
    }
    Ok(out)
}

/// The values a server starts with next: its pending ones, else its current ones.
pub fn starting_values(s: &db::Server) -> BTreeMap<String, String> {
    s.pending_variables
        .clone()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_else(|| variables_of(s))
}

pub(crate) fn variables_of(s: &db::Server) -> BTreeMap<String, String> {
    serde_json::from_value(s.variables.clone()).unwrap_or_default()
}

/// Everything the cluster crate needs for a server, whose extra ports hold `extra_node_ports`.
pub fn spec_for(
    state: &AppState,
    s: &db::Server,
    t: &db::Template,
    p: &db::Plan,
    extra_node_ports: &HashMap<String, i32>,
) -> Result<cluster::ServerSpec, AppError> {
    let template = template_spec(t)?;
    let secret_env = secret_env(state, &template);
    Ok(cluster::ServerSpec {
        id: s.id,
        object_name: s.object_name.clone(),
        display_name: s.name.clone(),
        namespace: state.kube.namespace().to_string(),
        owner: s.owner_id,
        running: s.desired.is_running(),
        template,
        plan: cluster::PlanSpec {
            cpu_request_millis: p.cpu_request_millis.max(1) as u32,
            cpu_limit_millis: p.cpu_limit_millis.max(1) as u32,
            memory_mib: p.memory_mib.max(1) as u32,
            // The claim template keeps the size the server was created with (claim templates
            // cannot change); a larger plan grows the claim itself (`apply`).
            disk_gib: s.claim_gib.unwrap_or(p.disk_gib).max(1) as u32,
        },
        variables: variables_of(s),
        storage_class: s.storage_class.clone(),
        expose: state.expose.mode,
        node_port: s.node_port.and_then(|p| u16::try_from(p).ok()),
        extra_node_ports: extra_node_ports
            .iter()
            .filter_map(|(name, p)| Some((name.clone(), u16::try_from(*p).ok()?)))
            .collect(),
        hostname: crate::expose::hostname(state, &s.name),
        wake_on_join: crate::wake::enabled(state),
        secret_env,
    })
}

/// What a server of `template` takes from Secrets: the operator's CurseForge key, when shared
/// with the game servers, on templates that install from CurseForge (`CURSEFORGE_FILES`,
/// `TYPE=AUTO_CURSEFORGE`).
fn secret_env(state: &AppState, template: &cluster::TemplateSpec) -> Vec<cluster::SecretEnv> {
    let Some(secret) = &state.curseforge_secret else {
        return Vec::new();
    };
    let curseforge = template
        .variables
        .iter()
        .any(|v| v.name == crate::mods::CURSEFORGE_VARIABLE)
        || template
            .fixed_env
            .contains_key(crate::mods::CURSEFORGE_VARIABLE)
        || template
            .fixed_env
            .get("TYPE")
            .is_some_and(|t| t.eq_ignore_ascii_case("AUTO_CURSEFORGE"));
    if !curseforge {
        return Vec::new();
    }
    vec![cluster::SecretEnv {
        name: "CF_API_KEY".into(),
        secret: secret.clone(),
        key: "CF_API_KEY".into(),
    }]
}

/// A template as the form shows it.
pub fn template_dto(t: &db::Template) -> Result<TemplateDto, AppError> {
    let spec = template_spec(t)?;
    Ok(TemplateDto {
        id: t.id,
        slug: t.slug.clone(),
        name: t.name.clone(),
        description: t.description.clone(),
        variables: spec
            .variables
            .into_iter()
            .map(|v| VariableDto {
                name: v.name,
                label: v.label,
                description: v.description,
                kind: v.kind,
                default: v.default,
                required: v.required,
                user_editable: v.user_editable,
            })
            .collect(),
    })
}

/// A plan as the form shows it.
pub fn plan_dto(p: &db::Plan) -> PlanDto {
    PlanDto {
        id: p.id,
        slug: p.slug.clone(),
        name: p.name.clone(),
        cpu_limit_millis: p.cpu_limit_millis,
        memory_mib: p.memory_mib,
        disk_gib: p.disk_gib,
        jvm_memory_mib: cluster::jvm_memory_mib(p.memory_mib.max(0) as u32),
        max_backups: p.max_backups.max(0) as u32,
        max_backup_gib: p.max_backup_gib.max(0) as u32,
    }
}

/// A server as lists show it.
pub async fn server_dto(
    state: &AppState,
    c: &mut db::AsyncPgConnection,
    actor: &Actor,
    s: &db::Server,
) -> Result<ServerDto, AppError> {
    let member = crate::authorize::membership(c, actor, s).await?;
    let template = db::Template::find(c, s.template_id).await?;
    let plan = db::Plan::find(c, s.plan_id)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let extra = db::ServerPort::of(c, s.id).await?;
    let mut dto = dto_of(state, s, template.as_ref(), plan, &extra);
    dto.permissions = crate::authorize::held(actor, s, member.as_ref());
    Ok(dto)
}

/// A server as lists show it, given its template, its plan's name and its extra node ports.
fn dto_of(
    state: &AppState,
    s: &db::Server,
    template: Option<&db::Template>,
    plan: String,
    extra_node_ports: &HashMap<String, i32>,
) -> ServerDto {
    let spec = template.and_then(|t| template_spec(t).ok());
    let game_port = spec.as_ref().map_or(25565, |t| t.game_port);
    let ports = spec
        .iter()
        .flat_map(|t| &t.extra_ports)
        .map(|p| protocol::dto::ExtraPortJoin {
            name: p.name.clone(),
            description: p.description.clone(),
            protocol: p.protocol,
            join: crate::expose::join_extra(state, s, p, extra_node_ports.get(&p.name)),
        })
        .collect();
    ServerDto {
        join: crate::expose::join(state, s, game_port),
        ports,
        players: state.live.player_count(s.id),
        wakes_on_join: crate::wake::enabled(state),
        idle_stop_minutes: s.idle_stop_minutes.and_then(|m| u32::try_from(m).ok()),
        template: template.map(|t| t.name.clone()).unwrap_or_default(),
        id: s.id,
        name: s.name.clone(),
        object_name: s.object_name.clone(),
        storage_class: s.storage_class.clone(),
        owner_id: s.owner_id,
        template_id: s.template_id,
        plan,
        plan_id: s.plan_id,
        pending_plan_id: s.pending_plan_id,
        desired: s.desired,
        status: s.status,
        status_reason: s.status_reason.clone(),
        variables: variables_of(s),
        pending_variables: s
            .pending_variables
            .as_ref()
            .and_then(|v| serde_json::from_value(v.clone()).ok()),
        permissions: Vec::new(),
    }
}

pub(crate) fn cluster_error(e: cluster::ClusterError) -> AppError {
    tracing::warn!(error = %e, "cluster call failed");
    match e {
        cluster::ClusterError::Unreachable(_) => AppError::Network {
            message: crate::msg!("servers-cluster-unreachable"),
        },
        cluster::ClusterError::Timeout(_) => AppError::Network {
            message: crate::msg!("servers-cluster-timeout"),
        },
        other => AppError::bad_request(
            crate::msg!("servers-cluster-refused", "reason" => other.to_string()),
        ),
    }
}

/// Loads a server the actor may act on with `perm`.
pub async fn load(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    perm: Permission,
) -> Result<db::Server, AppError> {
    let mut c = conn(state).await?;
    let server = db::Server::find(&mut c, id)
        .await?
        .ok_or_else(|| AppError::not_found(crate::msg!("servers-not-found")))?;
    let member = crate::authorize::membership(&mut c, actor, &server).await?;
    authorize(actor, &server, member.as_ref(), perm)?;
    Ok(server)
}

/// The node ports of `server`'s extra ports: in node port exposure, one for each port its
/// template declares now (a template that gained a port since the server was made gets it here,
/// at the next start or change).
async fn extra_node_ports(
    state: &AppState,
    c: &mut db::AsyncPgConnection,
    server: &db::Server,
    t: &cluster::TemplateSpec,
) -> Result<HashMap<String, i32>, AppError> {
    let Some(range) = state.expose.node_port_range() else {
        return Ok(HashMap::new());
    };
    let names: Vec<String> = t.extra_ports.iter().map(|p| p.name.clone()).collect();
    db::ServerPort::ensure(c, server.id, &names, range)
        .await?
        .map_err(|db::NodePortsExhausted| {
            AppError::conflict(crate::msg!("servers-extra-ports-exhausted",
                "first" => range.0,
                "last" => range.1,
            ))
        })
}

async fn apply(state: &AppState, server: &db::Server) -> Result<(), AppError> {
    let mut c = conn(state).await?;
    let t = db::Template::find(&mut c, server.template_id)
        .await?
        .ok_or_else(missing("the server's template"))?;
    let p = db::Plan::find(&mut c, server.plan_id)
        .await?
        .ok_or_else(missing("the server's plan"))?;
    let extra = extra_node_ports(state, &mut c, server, &template_spec(&t)?).await?;
    drop(c);
    let spec = spec_for(state, server, &t, &p, &extra)?;
    state
        .kube
        .apply(&cluster::build(&spec))
        .await
        .map_err(cluster_error)?;
    if server.claim_gib.is_some_and(|c| c < p.disk_gib) {
        state
            .kube
            .grow_world(&server.object_name, p.disk_gib as u32)
            .await
            .map_err(cluster_error)?;
    }
    Ok(())
}

/// Creates a server: validates, writes the row within the owner's quota, then applies its
/// objects. If the cluster cannot be reached, the row stays and says so.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    name: String,
    template_id: Uuid,
    plan_id: Uuid,
    variables: BTreeMap<String, String>,
) -> Result<ServerDto, AppError> {
    validate_name(&name)?;
    let mut c = conn(state).await?;
    let t = db::Template::find(&mut c, template_id)
        .await?
        .ok_or_else(|| AppError::bad_request(crate::msg!("servers-choose-template")))?;
    let p = db::Plan::find(&mut c, plan_id)
        .await?
        .ok_or_else(|| AppError::bad_request(crate::msg!("servers-choose-plan")))?;
    let values = validate_variables(&template_spec(&t)?, &variables)?;
    let id = Uuid::new_v4();
    // The owner's own world kept under this name comes back; anyone else's never does (and
    // every other server gets objects named from its new id).
    let kept = db::KeptWorld::take(&mut c, actor.user.id, &name).await?;
    let new = db::NewServer {
        id,
        object_name: kept
            .as_ref()
            .map(|k| k.object_name.clone())
            .unwrap_or_else(|| db::object_name_for(id)),
        storage_class: state.storage.class.clone(),
        name: name.clone(),
        owner_id: actor.user.id,
        template_id: t.id,
        plan_id: p.id,
        variables: serde_json::to_value(&values).map_err(|e| internal("variables to JSON", e))?,
        desired: Desired::Running,
    };
    let server = match db::Server::create_within_quota(
        &mut c,
        new,
        p.memory_mib,
        p.disk_gib,
        state.expose.node_port_range(),
        &template_spec(&t)?
            .extra_ports
            .iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>(),
    )
    .await?
    {
        Ok(s) => s,
        Err(q) => {
            let message = quota_message(&q);
            if let Some(k) = &kept {
                db::KeptWorld::put_back(&mut c, k).await?;
            }
            drop(c);
            let ports = matches!(q, db::QuotaExceeded::NodePorts { .. });
            audit::record(
                state,
                actor,
                None,
                "server.create",
                Some(&name),
                if ports {
                    "refused: no node port"
                } else {
                    "refused: quota"
                },
            )
            .await;
            return Err(if ports {
                AppError::conflict(message)
            } else {
                AppError::Forbidden { message }
            });
        }
    };
    drop(c);
    // Row first, then the cluster: a panel that dies in between leaves a row the reconciler
    // completes. A cluster that refuses or cannot be reached undoes the row: nothing is
    // half-created, and the user is told why.
    let outcome = match apply(state, &server).await {
        Ok(()) => "ok".to_string(),
        Err(e) => {
            let mut c = conn(state).await?;
            db::Server::delete(&mut c, server.id).await?;
            if let Some(k) = &kept {
                db::KeptWorld::put_back(&mut c, k).await?;
            }
            drop(c);
            audit::record(
                state,
                actor,
                None,
                "server.create",
                Some(&name),
                &format!("refused: {e}"),
            )
            .await;
            return Err(e);
        }
    };
    audit::record(
        state,
        actor,
        Some(server.id),
        "server.create",
        Some(&name),
        &outcome,
    )
    .await;
    state.metrics.servers_created.inc();
    let mut c = conn(state).await?;
    // a kept world's backups come back with it, once the server is there for good (a refused
    // creation deletes its row, and would take them along)
    if kept.is_some()
        && let Err(e) = db::adopt_kept_backups(&mut c, &server.object_name, server.id).await
    {
        tracing::warn!(error = %e, world = %server.object_name, "a kept world's backups were not listed again");
    }
    let fresh = db::Server::find(&mut c, server.id)
        .await?
        .ok_or_else(missing("the server just written"))?;
    server_dto(state, &mut c, actor, &fresh).await
}

/// Applies the server with a new desired state, and stores it only once the cluster took it:
/// an unreachable cluster refuses the action and nothing changes.
pub(crate) async fn change_desired(
    state: &AppState,
    server: &db::Server,
    desired: Desired,
) -> Result<(), AppError> {
    let mut next = with_pending(server, desired.is_running());
    next.desired = desired;
    if desired.is_running() {
        // the world's claim may be ReadWriteOnce: the file manager's pod lets go of it first
        state
            .kube
            .remove_maintenance(&server.object_name)
            .await
            .map_err(cluster_error)?;
    }
    apply(state, &next).await?;
    let mut c = conn(state).await?;
    db::Server::set_desired(&mut c, server.id, desired).await?;
    if desired.is_running() {
        db::Server::promote_pending(&mut c, server.id).await?;
        drop(c);
        // a file operation that read the row before it said "running" may have made the pod
        // again; from here on, file operations see "running" and leave the world alone. The
        // start happened: a failure here is logged, not reported as the start's.
        if let Err(e) = state.kube.remove_maintenance(&server.object_name).await {
            tracing::warn!(server = %server.name, error = %e, "start: the file manager's pod stays");
        }
    }
    Ok(())
}

/// The row as it will run: with its pending variables and plan when `promote`.
fn with_pending(server: &db::Server, promote: bool) -> db::Server {
    let mut next = server.clone();
    if promote && let Some(p) = next.pending_variables.take() {
        next.variables = p;
    }
    if promote && let Some(p) = next.pending_plan_id.take() {
        next.plan_id = p;
    }
    next
}

/// What a refusal for quota says.
fn quota_message(q: &db::QuotaExceeded) -> String {
    match q {
        db::QuotaExceeded::Servers { max } => {
            crate::msg!("servers-quota-servers", "max" => *max)
        }
        db::QuotaExceeded::Memory { max, used } => {
            crate::msg!("servers-quota-memory", "max" => *max, "used" => *used)
        }
        db::QuotaExceeded::Disk { max, used } => {
            crate::msg!("servers-quota-disk", "max" => *max, "used" => *used)
        }
        db::QuotaExceeded::NodePorts { first, last } => {
            crate::msg!("servers-quota-node-ports", "first" => *first, "last" => *last)
        }
    }
}

/// Moves a server to another plan, within its owner's quota. The world's disk can grow, never
/// shrink; it grows at once (the volume is expanded in place). CPU and memory change at once on
/// a stopped server, at the next start or restart on a running one.
pub async fn change_plan(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    plan_id: Uuid,
) -> Result<ServerDto, AppError> {
    let server = load(state, actor, id, Permission::Settings).await?;
    let mut c = conn(state).await?;
    let plan = db::Plan::find(&mut c, plan_id)
        .await?
        .ok_or_else(|| AppError::bad_request(crate::msg!("servers-plan-not-found")))?;
    let current = db::Plan::find(&mut c, server.plan_id)
        .await?
        .ok_or_else(missing("the server's plan"))?;
    if server.pending_plan_id.unwrap_or(server.plan_id) == plan.id {
        return server_dto(state, &mut c, actor, &server).await;
    }
    let claim = server.claim_gib.unwrap_or(current.disk_gib);
    let world = claim.max(current.disk_gib);
    if plan.disk_gib < world {
        return Err(AppError::bad_request(
            crate::msg!("servers-disk-cannot-shrink",
                "world" => world,
                "plan" => &plan.name,
                "disk" => plan.disk_gib,
            ),
        ));
    }
    if plan.disk_gib > world && !state.storage.grows {
        let storage = match server.storage_class.as_deref() {
            Some(class) => class.to_owned(),
            None => crate::msg!("servers-default-storage-class"),
        };
        return Err(AppError::conflict(crate::msg!("servers-disk-cannot-grow",
            "storage" => storage,
            "plan" => &plan.name,
            "disk" => plan.disk_gib,
            "world" => world,
        )));
    }
    let now = !server.desired.is_running();
    let changed = db::Server::change_plan_within_quota(&mut c, &server, &plan, now, claim)
        .await?
        .map_err(|q| AppError::Forbidden {
            message: quota_message(&q),
        })?;
    drop(c);
    // Stopped: the StatefulSet takes the new resources now. Either way the disk grows now.
    let result = if now {
        apply(state, &changed).await
    } else if plan.disk_gib > world {
        state
            .kube
            .grow_world(&server.object_name, plan.disk_gib as u32)
            .await
            .map(|_| ())
            .map_err(cluster_error)
    } else {
        Ok(())
    };
    if let Err(e) = result {
        let mut c = conn(state).await?;
        db::Server::restore_plan(&mut c, &server).await?;
        audit::record(
            state,
            actor,
            Some(id),
            "server.plan",
            Some(&plan.slug),
            "refused: cluster",
        )
        .await;
        return Err(e);
    }
    audit::record(
        state,
        actor,
        Some(id),
        "server.plan",
        Some(&plan.slug),
        "ok",
    )
    .await;
    let mut c = conn(state).await?;
    server_dto(state, &mut c, actor, &changed).await
}

/// Saves a server's variables (checked against its template). A stopped server takes them at
/// once; a running one at its next start or restart.
pub async fn save_settings(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    variables: BTreeMap<String, String>,
) -> Result<ServerDto, AppError> {
    let server = load(state, actor, id, Permission::Settings).await?;
    let mut c = conn(state).await?;
    let (_, spec) = template_of(&mut c, &server).await?;
    let values = validate_variables(&spec, &variables)?;
    drop(c);
    // another game version: the world is backed up first (when the server can have backups),
    // since a newer game converts it for good and an older one may not load it
    let before = starting_values(&server);
    let (old, new) = (before.get("VERSION"), values.get("VERSION"));
    if old != new {
        let name = format!(
            "Before version {}",
            new.map(String::as_str).unwrap_or("default")
        );
        crate::backups::before_change(state, actor, &server, &name, "version").await?;
    }
    let json = serde_json::to_value(&values).map_err(|e| internal("variables to JSON", e))?;
    let mut c = conn(state).await?;
    let saved = db::Server::save_variables(&mut c, id, json).await?;
    drop(c);
    audit::record(state, actor, Some(id), "server.settings", None, "ok").await;
    let mut c = conn(state).await?;
    server_dto(state, &mut c, actor, &saved).await
}

/// Moves a stopped server to another template (its type: Paper to Purpur, Vanilla to Fabric):
/// the values the new template takes are kept, the others take its defaults; a world kept
/// elsewhere by the new template (another data path) is refused, and so is a value it needs,
/// has no default for and is not `given`. The world is backed up first when the plan keeps backups; the new
/// type runs at the next start.
pub async fn change_template(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    template_id: Uuid,
    given: BTreeMap<String, String>,
) -> Result<ServerDto, AppError> {
    let server = load(state, actor, id, Permission::Settings).await?;
    let mut c = conn(state).await?;
    let (old, old_spec) = template_of(&mut c, &server).await?;
    let new = db::Template::find(&mut c, template_id)
        .await?
        .ok_or_else(|| AppError::bad_request(crate::msg!("servers-template-not-found")))?;
    drop(c);
    if new.id == old.id {
        return Err(AppError::bad_request(
            crate::msg!("servers-template-same", "template" => &new.name),
        ));
    }
    let spec = template_spec(&new)?;
    if server.desired.is_running()
        || state.live.pod(id).borrow().is_some()
        || state.backups.restoring(id)
    {
        let message = crate::msg!("servers-template-stop-first");
        return Err(AppError::conflict(message));
    }
    if spec.data_path != old_spec.data_path {
        return Err(AppError::bad_request(
            crate::msg!("servers-template-data-path",
                "new" => &new.name,
                "new_path" => &spec.data_path,
                "old_path" => &old_spec.data_path,
                "old" => &old.name,
            ),
        ));
    }
    // what the new template takes of the values the server has
    let before = starting_values(&server);
    let mut values = BTreeMap::new();
    for var in spec.variables.iter().filter(|v| v.user_editable) {
        if let Some(v) = before.get(&var.name) {
            let one = BTreeMap::from([(var.name.clone(), v.clone())]);
            if validate_one(&spec, &one).is_ok() {
                values.insert(var.name.clone(), v.clone());
            }
        }
    }
    // and what the caller gives (a value the new type needs and has no default for)
    values.extend(given);
    let values = validate_variables(&spec, &values)?;
    let name = format!("Before type {}", new.name);
    crate::backups::before_change(state, actor, &server, &name, "type").await?;
    let json = serde_json::to_value(&values).map_err(|e| internal("variables to JSON", e))?;
    let mut c = conn(state).await?;
    let changed = db::Server::set_template(&mut c, id, new.id, json)
        .await?
        .ok_or_else(|| AppError::conflict(crate::msg!("servers-template-started-meanwhile")))?;
    drop(c);
    audit::record(
        state,
        actor,
        Some(id),
        "server.template",
        Some(&new.slug),
        "ok",
    )
    .await;
    let mut c = conn(state).await?;
    server_dto(state, &mut c, actor, &changed).await
}

/// Whether `spec` takes the one value in `one` (its rule and kind), ignoring its other
/// variables.
fn validate_one(
    spec: &cluster::TemplateSpec,
    one: &BTreeMap<String, String>,
) -> Result<(), AppError> {
    let mut only = spec.clone();
    only.variables.retain(|v| one.contains_key(&v.name));
    validate_variables(&only, one).map(|_| ())
}

/// The longest idle stop, in minutes (a day).
pub const MAX_IDLE_STOP_MINUTES: u32 = 1440;

/// Sets (or clears, with None) the minutes without a player after which the panel stops the
/// server.
pub async fn set_idle_stop(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    minutes: Option<u32>,
) -> Result<ServerDto, AppError> {
    let server = load(state, actor, id, Permission::Settings).await?;
    if minutes.is_some_and(|m| !(1..=MAX_IDLE_STOP_MINUTES).contains(&m)) {
        return Err(AppError::bad_request(
            crate::msg!("servers-idle-stop-range",
                "max" => MAX_IDLE_STOP_MINUTES,
            ),
        ));
    }
    let mut c = conn(state).await?;
    let saved = db::Server::set_idle_stop(&mut c, server.id, minutes.map(|m| m as i32)).await?;
    drop(c);
    let what = minutes.map_or_else(|| "off".to_string(), |m| format!("{m} min"));
    audit::record(
        state,
        actor,
        Some(id),
        "server.idle_stop",
        Some(&what),
        "ok",
    )
    .await;
    let mut c = conn(state).await?;
    server_dto(state, &mut c, actor, &saved).await
}

/// Start, stop, restart or kill. Repeating an action is harmless; one that makes no sense in the
/// current state is refused with the reason.
pub async fn power(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    action: PowerAction,
) -> Result<ServerDto, AppError> {
    let perm = match action {
        PowerAction::Start => Permission::ControlStart,
        PowerAction::Stop => Permission::ControlStop,
        PowerAction::Restart => Permission::ControlRestart,
        PowerAction::Kill => Permission::ControlKill,
    };
    let server = load(state, actor, id, perm).await?;
    if state.backups.restoring(id) && matches!(action, PowerAction::Start | PowerAction::Restart) {
        return Err(AppError::conflict(crate::msg!("servers-power-restoring")));
    }
    state.metrics.power_action(match action {
        PowerAction::Start => "start",
        PowerAction::Stop => "stop",
        PowerAction::Restart => "restart",
        PowerAction::Kill => "kill",
    });
    let name = server.object_name.clone();
    let (label, provisional) = match action {
        PowerAction::Start => {
            change_desired(state, &server, Desired::Running).await?;
            (
                "server.start",
                (server.status != ServerState::Running).then_some(ServerState::Starting),
            )
        }
        PowerAction::Stop => {
            change_desired(state, &server, Desired::Stopped).await?;
            // With no pod (never made: refused, or not yet placed) nothing will stop, and no
            // pod event will come to say so: it is stopped now.
            let has_pod = state.live.pod(id).borrow().is_some();
            (
                "server.stop",
                (server.status != ServerState::Stopped).then_some(if has_pod {
                    ServerState::Stopping
                } else {
                    ServerState::Stopped
                }),
            )
        }
        PowerAction::Restart => {
            if !server.desired.is_running() {
                audit::record(
                    state,
                    actor,
                    Some(id),
                    "server.restart",
                    None,
                    "refused: stopped",
                )
                .await;
                return Err(AppError::conflict(crate::msg!("servers-restart-stopped")));
            }
            // Pending settings go in with the restart: the changed pod template makes the
            // StatefulSet replace the pod (gracefully) by itself; deleting it as well would
            // start the server twice.
            if server.pending_variables.is_some() || server.pending_plan_id.is_some() {
                apply(state, &with_pending(&server, true)).await?;
                let mut c = conn(state).await?;
                db::Server::promote_pending(&mut c, id).await?;
            } else {
                state
                    .kube
                    .delete_pod(&name, None)
                    .await
                    .map_err(cluster_error)?;
            }
            ("server.restart", Some(ServerState::Stopping))
        }
        PowerAction::Kill => {
            let pod = state.kube.pod(&name).await.map_err(cluster_error)?;
            if pod.is_none() {
                audit::record(
                    state,
                    actor,
                    Some(id),
                    "server.kill",
                    None,
                    "refused: not running",
                )
                .await;
                return Err(AppError::conflict(crate::msg!("servers-kill-not-running")));
            }
            change_desired(state, &server, Desired::Stopped).await?;
            state
                .kube
                .delete_pod(&name, Some(cluster::client::KILL_GRACE_SECS))
                .await
                .map_err(cluster_error)?;
            ("server.kill", Some(ServerState::Stopping))
        }
    };
    audit::record(state, actor, Some(id), label, None, "ok").await;
    let mut c = conn(state).await?;
    if let Some(p) = provisional
        && db::Server::set_status_if(&mut c, id, server.status, p).await?
    {
        state.live.publish_status(StatusUpdate {
            id,
            status: p.into(),
            reason: None,
        });
    }
    let fresh = db::Server::find(&mut c, id)
        .await?
        .ok_or_else(missing("the server just written"))?;
    server_dto(state, &mut c, actor, &fresh).await
}

/// Stops `server` for the panel itself (an idle stop): as a person's stop, audited with no
/// actor and `why` as its outcome.
pub async fn stop_unattended(
    state: &AppState,
    server: &db::Server,
    why: &str,
) -> Result<(), AppError> {
    change_desired(state, server, Desired::Stopped).await?;
    audit::record_unattended(
        state,
        Some(server.id),
        "server.stop",
        Some(&server.name),
        why,
    )
    .await;
    let mut c = conn(state).await?;
    if server.status != ServerState::Stopped
        && db::Server::set_status_if(&mut c, server.id, server.status, ServerState::Stopping)
            .await?
    {
        state.live.publish_status(StatusUpdate {
            id: server.id,
            status: ServerState::Stopping.into(),
            reason: None,
        });
    }
    Ok(())
}

/// Deletes a server's objects (its world too unless `keep_world`) and its row.
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    keep_world: bool,
) -> Result<(), AppError> {
    let server = load(state, actor, id, Permission::Delete).await?;
    state
        .kube
        .delete_server(&server.object_name, keep_world)
        .await
        .map_err(cluster_error)?;
    let mut c = conn(state).await?;
    if keep_world {
        let plan = db::Plan::find(&mut c, server.plan_id).await?;
        let disk = server
            .claim_gib
            .into_iter()
            .chain(plan.map(|p| p.disk_gib))
            .max()
            .unwrap_or(1);
        db::Server::delete_keeping_world(&mut c, &server, disk).await?;
    } else {
        db::Server::delete(&mut c, id).await?;
    }
    drop(c);
    if !keep_world {
        // its backups go with its world
        crate::backups::empty_repository(state, id, &server.object_name);
    }
    state.live.forget(id);
    state.live.publish_status(StatusUpdate {
        id,
        status: Phase::Deleted,
        reason: None,
    });
    let target = if keep_world {
        "world kept"
    } else {
        "world deleted"
    };
    audit::record(state, actor, Some(id), "server.delete", Some(target), "ok").await;
    state.metrics.servers_deleted.inc();
    Ok(())
}

/// The servers the actor may see.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<ServerDto>, AppError> {
    let mut c = conn(state).await?;
    let rows = if actor.acts_as_admin() {
        db::Server::all(&mut c).await?
    } else {
        db::Server::visible_to(&mut c, actor.user.id).await?
    };
    // A few more queries for the whole list, not per server.
    let ids: Vec<Uuid> = rows.iter().map(|s| s.id).collect();
    let shares: Vec<db::Member> = db::Member::of_servers(&mut c, &ids)
        .await?
        .into_iter()
        .filter(|m| m.user_id == actor.user.id)
        .collect();
    let templates: std::collections::HashMap<_, _> = db::Template::all(&mut c)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let plans: std::collections::HashMap<_, _> = db::Plan::all(&mut c)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let extra = db::ServerPort::all(&mut c).await?;
    let none = HashMap::new();
    Ok(rows
        .iter()
        .map(|s| {
            let p = plans.get(&s.plan_id).cloned().unwrap_or_default();
            let ports = extra.get(&s.id).unwrap_or(&none);
            let mut dto = dto_of(state, s, templates.get(&s.template_id), p, ports);
            let member = shares.iter().find(|m| m.server_id == s.id);
            dto.permissions = crate::authorize::held(actor, s, member);
            dto
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> cluster::TemplateSpec {
        serde_json::from_value(serde_json::json!({
            "slug": "t", "image": "i", "startup_command": null, "fixed_env": {},
            "variables": [
                {"name": "VERSION", "description": "a version", "default": "LATEST", "required": true, "rule": "^(LATEST|[0-9.]+)$", "user_editable": true},
                {"name": "MOTD", "description": "motd", "default": null, "required": false, "rule": null, "user_editable": true},
                {"name": "SECRET", "description": "fixed", "default": "x", "required": true, "rule": null, "user_editable": false}
            ],
            "console": {"kind": "attach"}, "started_pattern": "Done", "stop_command": "stop", "stop_timeout_secs": 60,
            "data_path": "/data", "game_port": 25565, "health_command": [], "init": null
        }))
        .unwrap()
    }

    #[test]
    fn names() {
        for ok in ["a", "survival", "my-server-2", &"a".repeat(40)] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "A",
            "a_b",
            "a.b",
            &"a".repeat(41),
            "ü",
            "a b",
        ] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn variables() {
        let s = spec();
        let v = validate_variables(&s, &BTreeMap::new()).unwrap();
        assert_eq!(v["VERSION"], "LATEST", "defaults fill in");
        assert!(!v.contains_key("MOTD"));
        let given = BTreeMap::from([("VERSION".to_string(), "1.21.4".to_string())]);
        assert_eq!(validate_variables(&s, &given).unwrap()["VERSION"], "1.21.4");
        for (k, v, says) in [
            ("VERSION", "banana", "not valid"),
            ("VERSION", "", "required"),
            ("SECRET", "y", "cannot be changed"),
            ("NOPE", "1", "Unknown variable"),
            ("MOTD", "hi\rop=me", "one line"),
            ("MOTD", "hi\nop=me", "one line"),
            ("MOTD", "tab\there", "control characters"),
        ] {
            let err = validate_variables(&s, &BTreeMap::from([(k.to_string(), v.to_string())]))
                .unwrap_err();
            assert!(err.to_string().contains(says), "{k}={v}: {err}");
        }
    }
}
