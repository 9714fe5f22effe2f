//! The API's OpenAPI 3.1 document, made from the types themselves: each endpoint's request body
//! is its server function's argument struct (its doc comment is the endpoint's), its answer the
//! function's `Ok` type, and every error an [`AppError`] with its status. Served at
//! `/api/openapi.json`; a test keeps this list equal to the registered functions.

use std::collections::BTreeMap;

use leptos::server_fn::ServerFn;
use protocol::AppError;
use utoipa::openapi::path::{HttpMethod, Operation, OperationBuilder, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Required, SecurityRequirement};
use utoipa::{OpenApi as _, PartialSchema, ToSchema};

use crate::*;

/// The wire types, every one a component of the document (with what they hold).
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(
    protocol::dto::UserDto,
    protocol::dto::PanelInfo,
    protocol::dto::VariableDto,
    protocol::dto::TemplateDto,
    protocol::dto::PlanDto,
    protocol::dto::KeptWorldDto,
    protocol::dto::ServerDto,
    protocol::dto::Join,
    protocol::dto::MemberDto,
    protocol::dto::ExtraPortJoin,
    protocol::dto::PortProtocol,
    protocol::dto::PowerAction,
    protocol::dto::TemplateExport,
    protocol::dto::FileKind,
    protocol::dto::FileEntry,
    protocol::dto::FolderListing,
    protocol::dto::FileText,
    protocol::dto::ArchiveFormat,
    protocol::dto::TokenDto,
    protocol::dto::NewTokenDto,
    protocol::dto::PasswordChangedDto,
    protocol::dto::SessionDto,
    protocol::dto::AdminUserDto,
    protocol::dto::UserChangesDto,
    protocol::dto::AuditEntryDto,
    protocol::dto::TwoFactorDto,
    protocol::dto::TotpSetupDto,
    protocol::dto::NewPlanDto,
    protocol::dto::BackupsDto,
    protocol::dto::BackupDto,
    protocol::dto::BackupProgress,
    protocol::dto::RestoreDto,
    protocol::dto::RestoreStep,
    protocol::dto::TaskAction,
    protocol::dto::ScheduleTask,
    protocol::dto::ScheduleTrigger,
    protocol::dto::ScheduleInput,
    protocol::dto::ScheduleDto,
    protocol::dto::RunState,
    protocol::dto::RunCause,
    protocol::dto::TaskOutcome,
    protocol::dto::ScheduleRunDto,
    protocol::dto::SchedulesDto,
    protocol::error::AppError,
    protocol::live::Abilities,
    protocol::live::StatusUpdate,
    protocol::live::Stats,
    protocol::live::Presence,
    protocol::live::PlayerCount,
    protocol::live::PlayersUpdate,
    protocol::live::ServerMsg,
    protocol::live::ClientMsg,
    protocol::mods::ModSource,
    protocol::mods::ModHit,
    protocol::mods::ModFile,
    protocol::mods::ModDependency,
    protocol::mods::ModVersion,
    protocol::mods::InstallWay,
    protocol::mods::ModContext,
    protocol::mods::InstalledMod,
    protocol::mods::ModsDto,
    protocol::mods::ModSearchDto,
    protocol::permission::Permission,
    protocol::players::Listed,
    protocol::players::Operator,
    protocol::players::Banned,
    protocol::players::PlayerLists,
    protocol::players::PlayerAction,
    protocol::sso::SsoFailure,
    protocol::variables::VarChoice,
    protocol::variables::VarKind,
    protocol::versions::GameVersions,
    protocol::webhooks::WebhookEvent,
    protocol::webhooks::WebhookFormat,
    protocol::webhooks::DeliveryState,
    protocol::webhooks::WebhookDto,
    protocol::webhooks::NewWebhookDto,
    protocol::webhooks::WebhookChangesDto,
    protocol::webhooks::DeliveryDto,
    protocol::live::SampleDto,
    protocol::live::SamplesDto,
    protocol::state::Phase
)))]
struct Components;

/// The statuses any endpoint may answer with an [`AppError`], and what they mean.
pub const ERROR_STATUSES: [(u16, &str); 10] = [
    (
        400,
        "The request is malformed or a value is invalid (`bad_request`).",
    ),
    (
        401,
        "No valid session or token, or a second factor is needed (`unauthenticated`, `second_factor`).",
    ),
    (
        403,
        "The caller may not do this, or a cross-site request (`forbidden`).",
    ),
    (
        404,
        "No such thing, or not the caller's to know of (`not_found`).",
    ),
    (
        409,
        "It conflicts with the current state (`conflict`, `not_running`).",
    ),
    (
        413,
        "The body is larger than the panel takes (`too_large`).",
    ),
    (
        429,
        "Too many attempts; `Retry-After` says when to try again (`rate_limited`).",
    ),
    (
        500,
        "The panel failed; the cause is in its log (`internal`).",
    ),
    (
        502,
        "The panel could not reach the cluster or a service it asks (`network`).",
    ),
    (
        503,
        "The database is unavailable for a moment (a primary switch); `Retry-After` says when to try again; a change under way may or may not have been made (`unavailable`).",
    ),
];

/// One endpoint: the server function of argument struct `F`.
fn operation<F>() -> (String, Operation)
where
    F: ServerFn + ToSchema,
    F::Output: PartialSchema,
{
    let name = F::PATH.trim_start_matches("/api/").to_owned();
    let mut request = F::schema();
    // the struct's doc comment is the function's: it describes the endpoint, not the body
    let description = match &mut request {
        RefOr::T(Schema::Object(o)) => o.description.take(),
        _ => None,
    }
    .map(|d| {
        // server_fn's own first line ("Serialized arguments for the [`f`] server function.")
        let d = match d.split_once(" server function.") {
            Some((_, rest)) if d.starts_with("Serialized arguments") => rest,
            _ => &d,
        };
        d.trim().replace("\n ", "\n")
    });
    let summary = description
        .as_deref()
        .and_then(|d| d.split(". ").next())
        .map(|s| s.trim_end_matches('.').replace('\n', " "));
    let description = description.filter(|d| summary.as_deref() != Some(d.trim_end_matches('.')));
    let mut op = OperationBuilder::new()
        .operation_id(Some(name.clone()))
        .tag(module_of::<F>())
        .summary(summary)
        .description(description)
        .request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content("application/json", Content::new(Some(request)))
                .build(),
        ))
        .response(
            "200",
            ResponseBuilder::new()
                .description("Done; the answer.")
                .content("application/json", Content::new(Some(F::Output::schema())))
                .build(),
        );
    for (status, _) in ERROR_STATUSES {
        op = op.response(
            status.to_string(),
            RefOr::Ref(Ref::new(format!("#/components/responses/E{status}"))),
        );
    }
    (F::PATH.to_owned(), op.build())
}

/// The module of `api` a function is in (`api::auth::Login` → `auth`): the endpoint's tag.
fn module_of<F>() -> &'static str {
    std::any::type_name::<F>()
        .split("::")
        .nth(1)
        .unwrap_or("api")
}

macro_rules! endpoints {
    ($($f:ty),* $(,)?) => {
        /// Every endpoint, by path.
        fn operations() -> Vec<(String, Operation)> {
            vec![$(operation::<$f>()),*]
        }
    };
}

endpoints!(
    account::ListSessions,
    account::RevokeSession,
    account::ChangePassword,
    audit::AuditLog,
    auth::GetPanelInfo,
    auth::Setup,
    auth::Login,
    auth::Logout,
    auth::Me,
    backups::ListBackups,
    backups::CreateBackup,
    backups::SetBackupExclude,
    backups::LockBackup,
    backups::DeleteBackup,
    backups::RestoreBackup,
    backups::RestoreBackupIntoNew,
    files::ListFiles,
    files::ReadFile,
    files::WriteFile,
    files::MakeFolder,
    files::RenameFile,
    files::CopyFile,
    files::DeleteFiles,
    files::ChmodFile,
    files::CompressFiles,
    files::DecompressFile,
    members::ListMembers,
    members::SetMember,
    members::RemoveMember,
    mods::ListMods,
    mods::SearchMods,
    mods::ModVersions,
    mods::InstallMod,
    mods::RemoveMod,
    players::GetPlayerLists,
    players::ActOnPlayer,
    schedules::ListSchedules,
    schedules::SaveSchedule,
    schedules::DeleteSchedule,
    schedules::RunSchedule,
    servers::ListTemplates,
    servers::ListPlans,
    servers::ListServers,
    servers::GetServer,
    servers::CreateServer,
    servers::PowerServer,
    servers::SaveServerSettings,
    servers::GameVersions,
    servers::ChangeServerPlan,
    servers::ChangeServerTemplate,
    servers::SetServerIdleStop,
    servers::DeleteServer,
    servers::CreatePlan,
    servers::RenamePlan,
    servers::DeletePlan,
    templates::ExportTemplate,
    templates::ImportTemplate,
    templates::DeleteTemplate,
    tokens::ListTokens,
    tokens::CreateToken,
    tokens::RevokeToken,
    two_factor::TotpStatus,
    two_factor::TotpSetup,
    two_factor::TotpEnable,
    two_factor::TotpDisable,
    two_factor::UserTotpReset,
    users::ListUsers,
    users::CreateUser,
    users::UpdateUser,
    users::ResetUserPassword,
    graphs::ServerGraphs,
    graphs::PanelGraphs,
    webhooks::ListWebhooks,
    webhooks::ListPanelWebhooks,
    webhooks::CreatePanelWebhook,
    webhooks::CreateWebhook,
    webhooks::UpdateWebhook,
    webhooks::DeleteWebhook,
    webhooks::TestWebhook,
    webhooks::WebhookDeliveries,
    worlds::WorldsKept,
    worlds::WorldDelete
);

fn error_response(meaning: &str) -> Response {
    ResponseBuilder::new()
        .description(meaning)
        .content(
            "application/json",
            Content::new(Some(RefOr::Ref(Ref::from_schema_name(AppError::name())))),
        )
        .build()
}

/// The whole document.
pub fn document() -> OpenApi {
    let mut doc = Components::openapi();
    doc.info.title = "Minecraft server panel API".into();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    doc.info.description = Some(
        "Every endpoint is `POST /api/<name>` with a JSON body of its arguments and a JSON answer. \
         Sign in with a session cookie (as the web app does: same-origin requests naming their \
         `Origin`) or an API token (`Authorization: Bearer …`, made on the Account page)."
            .into(),
    );
    doc.info.license = Some(utoipa::openapi::License::new("AGPL-3.0-or-later"));
    let mut paths = BTreeMap::new();
    for (path, op) in operations() {
        paths.insert(path, PathItem::new(HttpMethod::Post, op));
    }
    doc.paths.paths = paths.into_iter().collect();
    let components = doc.components.get_or_insert_with(Default::default);
    for (status, meaning) in ERROR_STATUSES {
        components
            .responses
            .insert(format!("E{status}"), RefOr::T(error_response(meaning)));
    }
    components.security_schemes.insert(
        "session".into(),
        RefOr::T(SecurityScheme::ApiKey(ApiKey::Cookie(
            ApiKeyValue::with_description(
                "panel_session",
                "The web app's session (set by `login`); requests must also send `Origin`.",
            ),
        ))),
    );
    components.security_schemes.insert(
        "token".into(),
        RefOr::T(SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("An API token made on the Account page."))
                .build(),
        )),
    );
    doc.security = Some(vec![
        SecurityRequirement::default(),
        SecurityRequirement::new("session", Vec::<String>::new()),
        SecurityRequirement::new("token", Vec::<String>::new()),
    ]);
    doc
}

/// The document as JSON, made once.
pub fn json() -> &'static str {
    static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    JSON.get_or_init(|| document().to_json().expect("the document serialises"))
}

/// Every endpoint the document describes, by path.
pub fn paths() -> Vec<String> {
    operations().into_iter().map(|(p, _)| p).collect()
}
