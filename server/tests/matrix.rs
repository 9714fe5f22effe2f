//! The authorization matrix: every endpoint of the server-function registry (plus the file
//! routes and websockets the router mounts), each against every kind of caller: anonymous, a
//! revoked session, a stranger, the owner of another server, a member holding each single
//! permission, the owner and an administrator. The expected answer comes from the endpoint's
//! declared guard (`protocol::guards::GUARDS`), so an endpoint without one fails here.

mod common;

use std::collections::BTreeMap;

use common::{SECRET, TestApp, call_with as call, json};
use diesel_async::RunQueryDsl;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

/// How a call ended, as far as authorization goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// 401: no valid session.
    Unauthenticated,
    /// 404 "No such server.": the server is hidden from this caller.
    Hidden,
    /// 403: known, but not allowed.
    Forbidden,
    /// 403 "API tokens cannot …": an account endpoint that takes sessions only (a token's
    /// authorization is not in question there).
    SessionsOnly,
    /// Anything else: authorization let it through (the call may still fail on its merits).
    Passed,
}

async fn verdict(res: reqwest::Response) -> Verdict {
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    let message = body["message"].as_str().unwrap_or_default();
    match status {
        StatusCode::UNAUTHORIZED => Verdict::Unauthenticated,
        StatusCode::NOT_FOUND if message == "No such server." => Verdict::Hidden,
        StatusCode::FORBIDDEN if message.starts_with("API tokens cannot") => Verdict::SessionsOnly,
        StatusCode::FORBIDDEN if !message.contains("Cross-site") => Verdict::Forbidden,
        _ => Verdict::Passed,
    }
}

/// A caller of the matrix.
#[derive(Debug, Clone)]
struct Caller {
    name: String,
    cookie: Option<String>,
    /// What the guard `Server(p)` should answer this caller, for each p.
    role: Role,
}

#[derive(Debug, Clone, PartialEq)]
enum Role {
    Anonymous,
    Revoked,
    Stranger,
    OtherOwner,
    Member(String),
    Owner,
    Admin,
    /// An administrator's API token holding every server permission but not `admin`: it acts
    /// as its user would without the administrator's powers (a stranger to the server).
    AdminTokenWithoutAdminScope,
}

fn expected(guard: protocol::guards::Guard, role: &Role) -> Verdict {
    use protocol::guards::Guard;
    match (guard, role) {
        (Guard::Public, _) => Verdict::Passed,
        (_, Role::Anonymous | Role::Revoked) => Verdict::Unauthenticated,
        (Guard::SignedIn, _) => Verdict::Passed,
        (Guard::Admin, Role::Admin) => Verdict::Passed,
        (Guard::Server(_), Role::AdminTokenWithoutAdminScope) => Verdict::Hidden,
        (Guard::Admin, _) => Verdict::Forbidden,
        (Guard::Server(_), Role::Owner | Role::Admin) => Verdict::Passed,
        (Guard::Server(_), Role::Stranger | Role::OtherOwner) => Verdict::Hidden,
        (Guard::Server(p), Role::Member(held)) if !p.grantable() || p.name() == held => {
            Verdict::Passed
        }
        (Guard::Server(_), Role::Member(_)) => Verdict::Forbidden,
    }
}

/// Inserts a user (no password: its sessions are minted) and returns its id.
async fn user(app: &TestApp, name: &str, admin: bool) -> Uuid {
    let id = Uuid::new_v4();
    let mut c = app.pool.get().await.unwrap();
    diesel::sql_query(
        "INSERT INTO users (id, username, password_hash, is_admin, max_servers) VALUES ($1, $2, 'x', $3, 50)",
    )
    .bind::<diesel::sql_types::Uuid, _>(id)
    .bind::<diesel::sql_types::Text, _>(name)
    .bind::<diesel::sql_types::Bool, _>(admin)
    .execute(&mut c)
    .await
    .unwrap();
    id
}

/// Sends a credential: `Bearer …` as an API token, anything else as the session cookie.
fn credential(req: reqwest::RequestBuilder, c: &str) -> reqwest::RequestBuilder {
    if c.starts_with("Bearer ") {
        req.header("authorization", c)
    } else {
        req.header("cookie", c)
    }
}

/// An API token of `user` with `scopes`, revoked at once when `revoked`.
async fn api_token(app: &TestApp, user: Uuid, scopes: &[String], revoked: bool) -> String {
    let hex = Uuid::new_v4().simple().to_string();
    let secret = format!("mcp_{hex}{hex}");
    let mut c = app.pool.get().await.unwrap();
    let t = db::ApiToken::create(
        &mut c,
        &db::NewApiToken {
            id: Uuid::new_v4(),
            user_id: user,
            name: "matrix",
            prefix: &secret[..12],
            token_hash: &panel_core::tokens::hash(&secret),
            scopes,
            expires_at: None,
        },
    )
    .await
    .unwrap();
    if revoked {
        db::ApiToken::revoke(&mut c, t.id, user).await.unwrap();
    }
    format!("Bearer {secret}")
}

/// A session cookie for `user`, minted as the panel does at sign-in.
async fn cookie(app: &TestApp, user: Uuid) -> String {
    let mut c = app.pool.get().await.unwrap();
    let s = db::Session::create(&mut c, user, chrono::Duration::hours(1), None, None)
        .await
        .unwrap();
    let claims = panel_core::token::SessionClaims::new(
        user,
        s.id,
        chrono::Utc::now(),
        chrono::Duration::hours(1),
    );
    let jwt = panel_core::token::encode(&claims, SECRET.as_bytes()).unwrap();
    format!("panel_session={jwt}")
}

/// A server owned by `owner` (created through the API), with every member added.
async fn server(
    app: &TestApp,
    owner: &str,
    name: &str,
    members: &BTreeMap<String, Uuid>,
) -> String {
    let (t, p) = common::servers::ids(app, "vanilla", "small").await;
    let res = call(
        app,
        Some(owner),
        "server_create",
        &json!({"name": name, "template_id": t, "plan_id": p, "variables": {}}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK, "create {name}");
    let id: Uuid = json(res).await["id"].as_str().unwrap().parse().unwrap();
    let mut c = app.pool.get().await.unwrap();
    for (perm, user) in members {
        db::Member::upsert(&mut c, id, *user, std::slice::from_ref(perm))
            .await
            .unwrap();
    }
    id.to_string()
}

/// A body valid in shape for `endpoint`, on server `id`.
fn body(endpoint: &str, id: &str, t: &str, p: &str, victim: Uuid) -> Value {
    match endpoint {
        "server_create" => {
            json!({"name": "made-by-matrix", "template_id": t, "plan_id": p, "variables": {}})
        }
        "server_power" => json!({"id": id, "action": "start"}),
        "server_settings" => json!({"id": id, "variables": {}}),
        "server_plan" => json!({"id": id, "plan_id": p}),
        // its own template: refused (400) once the caller may change settings
        "server_template" => json!({"id": id, "template_id": t}),
        "server_idle_stop" => json!({"id": id, "minutes": 30}),
        "server_delete" => json!({"id": id, "keep_world": false}),
        "server_member_set" => json!({"id": id, "username": "victim", "permissions": []}),
        "server_member_remove" => json!({"id": id, "user_id": victim}),
        "template_export" | "template_delete" => json!({"id": Uuid::new_v4()}),
        "template_import" => json!({"template": {"name": "x", "description": "", "spec": {}}}),
        "files_delete" => json!({"id": id, "paths": ["/nothing"]}),
        "backups" => json!({"id": id}),
        "backup_create" => json!({"id": id, "name": "matrix"}),
        "backup_lock" => json!({"id": id, "backup": Uuid::new_v4(), "locked": true}),
        "backup_exclude" => json!({"id": id, "patterns": ["*.log"]}),
        "backup_delete" => json!({"id": id, "backup": Uuid::new_v4()}),
        "backup_restore" => json!({"id": id, "backup": Uuid::new_v4(), "wipe": false}),
        "backup_restore_new" => {
            json!({"id": id, "backup": Uuid::new_v4(), "name": "from-matrix", "plan_id": p})
        }
        "schedules" | "players" | "game_versions" | "webhooks" => json!({"id": id}),
        // refused for its address (400) once the caller may manage the server's webhooks
        "webhook_create" => json!({"id": id, "name": "m", "url": "ftp://x", "format": "json",
            "events": ["server.started"]}),
        "panel_webhooks" => json!({}),
        "server_graphs" => json!({"id": id, "hours": 6}),
        "panel_graphs" => json!({"hours": 6}),
        "panel_webhook_create" => json!({"name": "m", "url": "ftp://x", "format": "json",
            "events": ["server.started"]}),
        "webhook_update" => json!({"id": Uuid::new_v4(), "changes": {}}),
        "webhook_delete" | "webhook_test" | "webhook_deliveries" => json!({"id": Uuid::new_v4()}),
        // refused for their input (400) or the template (409) once the caller may use mods:
        // no request leaves for Modrinth
        "mods" => json!({"id": id}),
        "mod_search" => json!({"id": id, "query": "x".repeat(101)}),
        "mod_versions" | "mod_remove" => json!({"id": id, "project": "../x"}),
        "mod_install" => json!({"id": id, "project": "../x", "version": null}),
        "player_action" => {
            json!({"id": id, "action": {"action": "whitelist_remove", "player": "Nobody"}})
        }
        // refused for its cron (400) once the caller may use schedules at all
        "schedule_save" => json!({"id": id, "schedule": {"name": "m", "cron": "* * * *",
            "time_zone": "UTC", "active": true, "tasks": []}}),
        "schedule_delete" | "schedule_run" => json!({"id": id, "schedule": Uuid::new_v4()}),
        "file_rename" | "file_copy" => json!({"id": id, "from": "/a", "to": "/b"}),
        "file_write" => json!({"id": id, "path": "/new.txt", "content": "x"}),
        "file_chmod" => json!({"id": id, "path": "/a", "mode": 420}),
        "files_compress" => {
            json!({"id": id, "folder": "/", "names": ["a"], "archive": "a", "format": "zip"})
        }
        "setup" | "login" => json!({"username": "nobody", "password": "not the password"}),
        "token_create" => json!({"name": "matrix", "scopes": ["console.read"], "password": "x"}),
        "totp_setup" => json!({"password": "x"}),
        "world_delete" => json!({"object_name": "mc-not-a-world"}),
        "token_revoke" => json!({"id": Uuid::new_v4()}),
        "totp_enable" => json!({"code": "000000"}),
        "plan_create" => {
            json!({"plan": {"slug": "Bad Slug", "name": "x", "cpu_request_millis": 1, "cpu_limit_millis": 1, "memory_mib": 1, "disk_gib": 1}})
        }
        "plan_rename" | "plan_delete" => json!({"id": Uuid::new_v4(), "name": "x"}),
        "totp_disable" => json!({"password": "not it", "code": "000000"}),
        "password_change" => {
            json!({"current_password": "not it", "new_password": "a new long password"})
        }
        "user_create" => {
            json!({"username": "made-by-matrix", "password": "a long enough password", "is_admin": false})
        }
        "user_update" => json!({"id": Uuid::new_v4(), "changes": {}}),
        "user_password_reset" => {
            json!({"id": Uuid::new_v4(), "password": "a long enough password"})
        }
        _ => json!({"id": id, "path": "/"}),
    }
}

#[tokio::test]
async fn every_endpoint_against_every_caller() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let admin_id = user(&app, "boss", true).await;
    let owner_id = user(&app, "olivia", false).await;
    let other_id = user(&app, "oscar", false).await;
    let stranger_id = user(&app, "sam", false).await;
    let victim = user(&app, "victim", false).await;
    let mut members = BTreeMap::new();
    for perm in protocol::permission::GRANTABLE {
        members.insert(
            perm.to_string(),
            user(&app, &format!("m-{perm}"), false).await,
        );
    }
    let owner = cookie(&app, owner_id).await;
    let other = cookie(&app, other_id).await;
    let id = server(&app, &owner, "matrix", &members).await;
    server(&app, &other, "elsewhere", &BTreeMap::new()).await;
    {
        let mut c = app.pool.get().await.unwrap();
        db::Member::upsert(&mut c, id.parse().unwrap(), victim, &[])
            .await
            .unwrap();
    }
    // A revoked session: the stranger's first one, signed out
    let revoked = cookie(&app, stranger_id).await;
    diesel::sql_query("UPDATE sessions SET revoked_at = now() WHERE user_id = $1")
        .bind::<diesel::sql_types::Uuid, _>(stranger_id)
        .execute(&mut app.pool.get().await.unwrap())
        .await
        .unwrap();
    let revoked_api_token = api_token(&app, owner_id, &["console.read".into()], true).await;
    let every_permission = protocol::permission::names(&protocol::permission::GRANTABLE);
    let unscoped_admin_token = api_token(&app, admin_id, &every_permission, false).await;
    let admin_token = api_token(
        &app,
        admin_id,
        &[every_permission.clone(), vec!["admin".into()]].concat(),
        false,
    )
    .await;
    let mut callers = vec![
        Caller {
            name: "revoked API token of the owner".into(),
            cookie: Some(revoked_api_token),
            role: Role::Revoked,
        },
        Caller {
            name: "administrator's token without the admin scope".into(),
            cookie: Some(unscoped_admin_token),
            role: Role::AdminTokenWithoutAdminScope,
        },
        Caller {
            name: "administrator's token with the admin scope".into(),
            cookie: Some(admin_token),
            role: Role::Admin,
        },
        Caller {
            name: "anonymous".into(),
            cookie: None,
            role: Role::Anonymous,
        },
        Caller {
            name: "revoked".into(),
            cookie: Some(revoked),
            role: Role::Revoked,
        },
        Caller {
            name: "stranger".into(),
            cookie: Some(cookie(&app, stranger_id).await),
            role: Role::Stranger,
        },
        Caller {
            name: "other owner".into(),
            cookie: Some(cookie(&app, other_id).await),
            role: Role::OtherOwner,
        },
        Caller {
            name: "owner".into(),
            cookie: Some(owner.clone()),
            role: Role::Owner,
        },
        Caller {
            name: "admin".into(),
            cookie: Some(cookie(&app, admin_id).await),
            role: Role::Admin,
        },
    ];
    for (perm, uid) in &members {
        callers.push(Caller {
            name: format!("member with {perm}"),
            cookie: Some(cookie(&app, *uid).await),
            role: Role::Member(perm.clone()),
        });
    }
    let (t, p) = common::servers::ids(&app, "vanilla", "small").await;

    let endpoints = server::api::endpoints();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (path, _) in &endpoints {
        let name = path.trim_start_matches("/api/");
        let Some(guard) = protocol::guards::guard(name) else {
            failures.push(format!(
                "{name}: no guard declared in protocol::guards::GUARDS"
            ));
            continue;
        };
        if guard == protocol::guards::Guard::Public {
            continue;
        }
        for caller in &callers {
            let want = expected(guard, &caller.role);
            // A deletion that goes through needs a server of its own each time.
            let target = if name == "server_delete" && want == Verdict::Passed {
                server(&app, &owner, &format!("del-{checked}"), &members).await
            } else {
                id.clone()
            };
            let res = call(
                &app,
                caller.cookie.as_deref(),
                name,
                &body(name, &target, &t, &p, victim),
            )
            .await;
            let got = verdict(res).await;
            checked += 1;
            let token = caller
                .cookie
                .as_deref()
                .is_some_and(|c| c.starts_with("Bearer "));
            // account endpoints refuse every token before authorization matters
            let sessions_only = token && want == Verdict::Passed && got == Verdict::SessionsOnly;
            if got != want && !sessions_only {
                failures.push(format!(
                    "{name} as {}: {got:?}, expected {want:?}",
                    caller.name
                ));
            }
        }
    }
    // Every declared guard names a registered endpoint.
    for (name, _) in protocol::guards::GUARDS {
        if !endpoints
            .iter()
            .any(|(p, _)| p.trim_start_matches("/api/") == *name)
        {
            failures.push(format!("{name}: declared but not registered"));
        }
    }

    // The file routes and the console socket, with the permission each declares.
    for (route, method, perm) in panel_core::files::http::ROUTES
        .iter()
        .chain(panel_core::backups::ROUTES)
    {
        let guard = protocol::guards::Guard::Server(*perm);
        for caller in &callers {
            let mut req = reqwest::Client::new()
                .request(
                    http::Method::from_bytes(method.as_bytes()).unwrap(),
                    app.url(&route.replace("{id}", &id)),
                )
                .query(&[("path", "/eula.txt")])
                .query(&[("backup", uuid::Uuid::new_v4().to_string())])
                .header("origin", &app.base)
                .header("x-panel-request", "matrix")
                .body("x");
            if let Some(c) = &caller.cookie {
                req = credential(req, c);
            }
            let got = verdict(req.send().await.unwrap()).await;
            checked += 1;
            if got != expected(guard, &caller.role) {
                failures.push(format!("{method} {route} as {}: {got:?}", caller.name));
            }
        }
    }
    for (route, perm) in panel_core::live::SOCKETS {
        let guard = match perm {
            Some(p) => protocol::guards::Guard::Server(*p),
            None => protocol::guards::Guard::SignedIn,
        };
        // (API tokens on sockets: server/tests/tokens.rs)
        for caller in callers
            .iter()
            .filter(|c| !c.cookie.as_deref().unwrap_or("").starts_with("Bearer "))
        {
            let path = route.replace("{id}", &id);
            let got =
                match common::ws::connect(&app, &path, caller.cookie.as_deref(), Some(&app.base))
                    .await
                {
                    Ok(_) => Verdict::Passed,
                    Err(401) => Verdict::Unauthenticated,
                    Err(404) => Verdict::Hidden,
                    Err(403) => Verdict::Forbidden,
                    Err(other) => panic!("{route}: {other}"),
                };
            checked += 1;
            if got != expected(guard, &caller.role) {
                failures.push(format!("socket {route} as {}: {got:?}", caller.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 400, "the matrix ran: {checked} checks");
}

/// Members cannot grant what they lack, changes apply to open consoles at once, and the list
/// shows shared servers with the member's permissions.
#[tokio::test]
async fn members_share_exactly_what_they_are_given() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let owner_id = user(&app, "olivia", false).await;
    let manager_id = user(&app, "manny", false).await;
    let friend_id = user(&app, "fred", false).await;
    let owner = cookie(&app, owner_id).await;
    let manager = cookie(&app, manager_id).await;
    let friend = cookie(&app, friend_id).await;
    let id = server(&app, &owner, "shared", &BTreeMap::new()).await;

    // The owner makes manny a member who manages members, with the console to read
    let res = call(&app, Some(&owner), "server_member_set", &json!({"id": id, "username": "manny", "permissions": ["members", "console.read", "console.write"]})).await;
    assert_eq!(res.status(), StatusCode::OK);
    // manny cannot grant what he lacks, nor unknown names, nor touch the owner or himself
    for (perms, who, status) in [
        (json!(["files.write"]), "fred", StatusCode::FORBIDDEN),
        (json!(["sudo"]), "fred", StatusCode::BAD_REQUEST),
        (json!(["console.read"]), "olivia", StatusCode::BAD_REQUEST),
        (json!(["console.read"]), "manny", StatusCode::BAD_REQUEST),
        (
            json!(["console.read"]),
            "nobody-here",
            StatusCode::NOT_FOUND,
        ),
    ] {
        let res = call(
            &app,
            Some(&manager),
            "server_member_set",
            &json!({"id": id, "username": who, "permissions": perms}),
        )
        .await;
        assert_eq!(res.status(), status, "{who} {perms}");
    }
    let res = call(
        &app,
        Some(&manager),
        "server_member_set",
        &json!({"id": id, "username": "fred", "permissions": ["console.read", "console.write"]}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let list = json(call(&app, Some(&owner), "server_members", &json!({"id": id})).await).await;
    assert_eq!(list.as_array().unwrap().len(), 2);

    // fred sees the server in his list, with his permissions only
    let servers = json(call(&app, Some(&friend), "servers", &json!({})).await).await;
    let shared = servers
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id.as_str())
        .unwrap();
    assert_eq!(
        shared["permissions"],
        json!(["console.read", "console.write"])
    );
    let mine = json(call(&app, Some(&owner), "server", &json!({"id": id})).await).await;
    assert_eq!(
        mine["permissions"].as_array().unwrap().len(),
        protocol::permission::GRANTABLE.len()
    );

    // fred's open console: may type; when console.write goes, the hello says so within seconds;
    // when console.read goes, the socket closes with the reason
    common::servers::wait_status(&app, &id, "running").await;
    let path = protocol::live::console_path(id.parse().unwrap());
    let mut ws = common::ws::connect(&app, &path, Some(&friend), Some(&app.base))
        .await
        .unwrap();
    let hello = ws.until("hello", |m| common::ws::is(m, "hello")).await;
    assert_eq!(hello["args"]["write"], true);
    assert_eq!(hello["args"]["power"], json!([]));
    let res = call(
        &app,
        Some(&manager),
        "server_member_set",
        &json!({"id": id, "username": "fred", "permissions": ["console.read"]}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let hello = ws.until("hello", |m| common::ws::is(m, "hello")).await;
    assert_eq!(
        hello["args"]["write"], false,
        "the change reached the open console"
    );
    let res = call(
        &app,
        Some(&friend),
        "server_power",
        &json!({"id": id, "action": "stop"}),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "a forced API call is refused"
    );
    let res = call(
        &app,
        Some(&owner),
        "server_member_remove",
        &json!({"id": id, "user_id": friend_id}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let closed = ws.until("closed", |m| common::ws::is(m, "closed")).await;
    assert!(
        closed["args"]["reason"]
            .as_str()
            .unwrap()
            .contains("removed")
    );
    let res = call(&app, Some(&friend), "server", &json!({"id": id})).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "gone from view");

    // a member with members cannot remove one holding more than they do; anyone may leave
    let res = call(
        &app,
        Some(&owner),
        "server_member_set",
        &json!({"id": id, "username": "fred", "permissions": ["delete"]}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = call(
        &app,
        Some(&manager),
        "server_member_remove",
        &json!({"id": id, "user_id": friend_id}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = call(
        &app,
        Some(&friend),
        "server_member_remove",
        &json!({"id": id, "user_id": friend_id}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK, "leaving");
    let mut c = app.pool.get().await.unwrap();
    let actions = db::Audit::actions_for(&mut c, id.parse().unwrap())
        .await
        .unwrap();
    assert!(actions.iter().filter(|(a, _)| a == "member.set").count() >= 3);
    assert!(actions.iter().any(|(a, _)| a == "member.remove"));
}
