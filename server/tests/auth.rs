//! Sign-in end to end over real HTTP against a real Postgres: first-run setup, login, logout,
//! tokens, rate limits and cross-site refusals.

mod common;

use common::{SECRET, TestApp, json};
use reqwest::StatusCode;
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["status"], "ready");
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    // Given the pool can no longer reach any database
    app.pool.close();
    // When readiness is asked, Then it says unavailable
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    // but liveness still answers
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn first_run_setup_creates_the_admin_once_and_signs_in() {
    let app = TestApp::spawn().await;
    let info = json(app.call("panel_info", json!({})).await).await;
    assert_eq!(info["needs_setup"], true);

    let res = app.setup_admin("admin", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res
        .headers()
        .get("set-cookie")
        .expect("setup signs in")
        .to_str()
        .unwrap()
        .to_owned();
    for attr in ["panel_session=", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain-HTTP test server sets no Secure flag"
    );
    let user = json(res).await;
    assert_eq!(user["username"], "admin");
    assert_eq!(user["is_admin"], true);
    assert!(user.get("password_hash").is_none());

    let me = json(app.call("me", json!({})).await).await;
    assert_eq!(me["username"], "admin");

    let info = json(app.call("panel_info", json!({})).await).await;
    assert_eq!(info["needs_setup"], false);

    // A second setup, from another browser, is refused and changes nothing.
    let other = TestApp::new_client();
    let res = app
        .call_as(
            &other,
            "setup",
            json!({"username": "mallory", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(json(res).await["error"], "conflict");
    let mut c = app.pool.get().await.unwrap();
    assert_eq!(db::User::count(&mut c).await.unwrap(), 1);
    assert!(
        db::User::find_by_username(&mut c, "mallory")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn concurrent_setups_create_exactly_one_admin() {
    let app = TestApp::spawn().await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..4 {
        tasks.spawn(app.call_detached(
            TestApp::new_client(),
            "setup",
            json!({"username": format!("admin{i}"), "password": PASSWORD}),
        ));
    }
    let statuses = tasks.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT)
    );
    let mut c = app.pool.get().await.unwrap();
    assert_eq!(db::User::count(&mut c).await.unwrap(), 1);
}

#[tokio::test]
async fn setup_refuses_bad_input_and_changes_nothing() {
    let app = TestApp::spawn().await;
    for (username, password, says) in [
        ("ab", PASSWORD, "3 to 32"),
        ("bad name", PASSWORD, "only letters"),
        ("-admin", PASSWORD, "begin with"),
        ("admin", "short", "at least 10"),
        ("admin", &"x".repeat(80), "at most 72"),
    ] {
        let res = app.setup_admin(username, password).await;
        assert_eq!(
            res.status(),
            StatusCode::BAD_REQUEST,
            "{username}/{password}"
        );
        let body = json(res).await;
        assert_eq!(body["error"], "bad_request");
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
    }
    // malformed bodies
    for body in ["{", "[]", "{\"username\": 5}", "{\"username\": \"admin\"}"] {
        let res = app
            .client
            .post(app.url("/api/setup"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let answer = res.text().await.unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} -> {answer}");
        assert!(answer.contains("bad_request"), "{answer}");
    }
    let info = json(app.call("panel_info", json!({})).await).await;
    assert_eq!(info["needs_setup"], true, "nothing was created");
}

#[tokio::test]
async fn login_logout_and_refusals() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let browser = TestApp::new_client();

    // Not signed in yet
    let res = app.call_as(&browser, "me", json!({})).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json(res).await["error"], "unauthenticated");

    // Wrong password and unknown user: same status, same message
    let wrong = app
        .call_as(
            &browser,
            "login",
            json!({"username": "admin", "password": "not the password"}),
        )
        .await;
    let unknown = app
        .call_as(
            &browser,
            "login",
            json!({"username": "nobody", "password": "not the password"}),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.headers().get("set-cookie").is_none());
    assert_eq!(json(wrong).await, json(unknown).await);

    // Empty fields get a clear message
    let res = app
        .call_as(&browser, "login", json!({"username": "", "password": ""}))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // Right password, any case of the username
    let res = app
        .call_as(
            &browser,
            "login",
            json!({"username": "ADMIN", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    let token = cookie.split(';').next().unwrap().to_owned();
    assert_eq!(
        json(app.call_as(&browser, "me", json!({})).await).await["username"],
        "admin"
    );

    // Logout revokes the session at once: the old cookie no longer works
    let res = app.call_as(&browser, "logout", json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let replay = reqwest::Client::new()
        .post(app.url("/api/me"))
        .header("origin", &app.base)
        .header("content-type", "application/json")
        .header("cookie", &token)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    let mut c = app.pool.get().await.unwrap();
    let user = db::User::find_by_username(&mut c, "admin")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.username, "admin");
}

fn forge(secret: &str, sid: uuid::Uuid, sub: uuid::Uuid, exp_offset: i64) -> String {
    let now = chrono::Utc::now().timestamp();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &json!({"sub": sub, "sid": sid, "iat": now, "exp": now + exp_offset}),
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn forged_expired_and_unknown_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let res = app.setup_admin("admin", PASSWORD).await;
    let me = json(res).await;
    let uid: uuid::Uuid = me["id"].as_str().unwrap().parse().unwrap();
    let mut c = app.pool.get().await.unwrap();
    let session = db::Session::create(&mut c, uid, chrono::Duration::hours(1), None, None)
        .await
        .unwrap();

    let ask = |cookie: String| {
        let app = &app;
        async move {
            reqwest::Client::new()
                .post(app.url("/api/me"))
                .header("origin", &app.base)
                .header("content-type", "application/json")
                .header("cookie", format!("panel_session={cookie}"))
                .body("{}")
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // Control: a token signed with the right key for a live session works.
    assert_eq!(
        ask(forge(SECRET, session.id, uid, 600)).await,
        StatusCode::OK
    );
    // Wrong key
    assert_eq!(
        ask(forge(
            "another-secret-another-secret-another-1",
            session.id,
            uid,
            600
        ))
        .await,
        StatusCode::UNAUTHORIZED
    );
    // Expired
    assert_eq!(
        ask(forge(SECRET, session.id, uid, -10)).await,
        StatusCode::UNAUTHORIZED
    );
    // Right key, but a session that does not exist
    assert_eq!(
        ask(forge(SECRET, uuid::Uuid::new_v4(), uid, 600)).await,
        StatusCode::UNAUTHORIZED
    );
    // Right key and session, but another user id
    assert_eq!(
        ask(forge(SECRET, session.id, uuid::Uuid::new_v4(), 600)).await,
        StatusCode::UNAUTHORIZED
    );
    // Garbage
    assert_eq!(ask("not.a.jwt".into()).await, StatusCode::UNAUTHORIZED);
    // Revoked session
    db::Session::revoke(&mut c, session.id).await.unwrap();
    assert_eq!(
        ask(forge(SECRET, session.id, uid, 600)).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn repeated_failures_are_rate_limited_per_account() {
    let app = TestApp::spawn_with(|c| c.login_max_failures_per_user = 3).await;
    app.setup_admin("admin", PASSWORD).await;
    let browser = TestApp::new_client();
    for _ in 0..3 {
        let res = app
            .call_as(
                &browser,
                "login",
                json!({"username": "admin", "password": "guess guess guess"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused now, with a clear message and Retry-After.
    let res = app
        .call_as(
            &browser,
            "login",
            json!({"username": "admin", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    let body = json(res).await;
    assert_eq!(body["error"], "rate_limited");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("Too many failed sign-in attempts")
    );
    assert!(res_no_cookie(&app, &browser).await);
}

async fn res_no_cookie(app: &TestApp, browser: &reqwest::Client) -> bool {
    app.call_as(browser, "me", json!({})).await.status() == StatusCode::UNAUTHORIZED
}

#[tokio::test]
async fn repeated_failures_are_rate_limited_per_address() {
    let app = TestApp::spawn_with(|c| c.login_max_failures_per_ip = 4).await;
    app.setup_admin("admin", PASSWORD).await;
    // Failures spread over many (unknown) accounts from one address
    for i in 0..4 {
        let res = app
            .call_as(
                &TestApp::new_client(),
                "login",
                json!({"username": format!("user{i}"), "password": "guess guess"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = app
        .call_as(
            &TestApp::new_client(),
            "login",
            json!({"username": "admin", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn cross_site_writes_with_the_cookie_are_refused() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    // A cross-site logout attempt (the browser would send the cookie only if SameSite allowed
    // it; the Origin check refuses it anyway).
    let res = app
        .client
        .post(app.url("/api/logout"))
        .header("origin", "https://evil.example")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(json(res).await["error"], "forbidden");
    // A form post (simple request) with the cookie and no Origin
    let res = app
        .client
        .post(app.url("/api/logout"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Nothing changed: still signed in
    let res = app.call("me", json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_endpoints_and_client_routes() {
    let app = TestApp::spawn().await;
    let res = app.call("no_such_thing", json!({})).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(res).await["error"], "not_found");
    // A client-side route gets the app shell
    let res = app
        .client
        .get(app.url("/servers/abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("app shell"));
    // A real file is served as itself, with safe headers
    let res = app.client.get(app.url("/app.css")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.text().await.unwrap(), "body{}");
    // Oversized API bodies are refused
    let res = app
        .client
        .post(app.url("/api/login"))
        .header("content-type", "application/json")
        .body(vec![b' '; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(json(res).await["error"], "too_large", "the API's own error");
}

/// Off a loopback sandbox, first-run setup needs the one-time setup code the panel prints in
/// its log (and `panel setup-code` prints): whoever reaches a fresh install first cannot make
/// themselves its administrator. Refusals create nothing.
#[tokio::test]
async fn setup_off_a_loopback_sandbox_needs_the_code_from_the_log() {
    let app = TestApp::spawn_with(|c| c.listen = "0.0.0.0:8080".parse().unwrap()).await;
    let info = json(app.call("panel_info", json!({})).await).await;
    assert_eq!(info["setup_code_required"], true);
    let code = panel_core::setup::code(SECRET.as_bytes());
    for (given, says) in [
        (None, "Enter the setup code"),
        (Some("0000-0000-0000-0000"), "not right"),
        (Some(""), "Enter the setup code"),
        (Some(&code[..code.len() - 1]), "not right"),
    ] {
        let mut body = json!({"username": "admin", "password": PASSWORD});
        if let Some(g) = given {
            body["setup_code"] = json!(g);
        }
        let res = app.call("setup", body).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{given:?}");
        let body = json(res).await;
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
        let info = json(app.call("panel_info", json!({})).await).await;
        assert_eq!(info["needs_setup"], true, "nothing was created");
    }
    // typed in capitals with spaces, it is still the code
    let typed = code.to_uppercase().replace('-', " ");
    let res = app
        .call(
            "setup",
            json!({"username": "admin", "password": PASSWORD, "setup_code": typed}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let info = json(app.call("panel_info", json!({})).await).await;
    assert_eq!(info["setup_code_required"], false, "setup is over");
    // and the code opens nothing once it is
    let res = app
        .call_as(
            &TestApp::new_client(),
            "setup",
            json!({"username": "eve", "password": PASSWORD, "setup_code": code}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);

    // A loopback sandbox asks for none.
    let open = TestApp::spawn().await;
    let info = json(open.call("panel_info", json!({})).await).await;
    assert_eq!(info["setup_code_required"], false);
}

/// `panel setup-code` prints the code the running panel asks for.
#[tokio::test]
async fn the_setup_code_is_printed_by_the_binary() {
    let dir = std::env::temp_dir().join(format!("panel-setup-{}", uuid::Uuid::new_v4()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_panel"))
        .arg("setup-code")
        .env("PANEL_SECRET", SECRET)
        .env("PANEL_DATA_DIR", &dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        panel_core::setup::code(SECRET.as_bytes())
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn admin_create_on_the_command_line() {
    let app = TestApp::spawn().await;
    let user = server::cli::create_admin(&app.pool, "ops", &b"a long enough password\n"[..], 12)
        .await
        .unwrap();
    assert!(user.is_admin);
    // duplicate name, any case
    let err = server::cli::create_admin(&app.pool, "OPS", &b"a long enough password\n"[..], 12)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    // weak password
    let err = server::cli::create_admin(&app.pool, "ops2", &b"short\n"[..], 12)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("at least"), "{err}");
    // the created admin can sign in
    let res = app
        .call(
            "login",
            json!({"username": "ops", "password": "a long enough password"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// A large body is read only once its sender is known: an anonymous `file_write` announcing
/// 20 MiB is answered 401 after its first kilobyte, without waiting for the rest (twenty such
/// requests used to hold 480 MiB of the panel's memory before anyone was identified).
#[tokio::test]
async fn a_strangers_large_body_is_refused_before_it_is_read() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let addr = app.base.trim_start_matches("http://").to_string();
    for credential in [
        "",
        "cookie: panel_session=forged\r\n",
        "authorization: Bearer mcp_0000\r\n",
    ] {
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST /api/file_write HTTP/1.1\r\nhost: {addr}\r\norigin: {}\r\n{credential}\
             content-type: application/json\r\ncontent-length: {}\r\n\r\n",
            app.base,
            20 * 1024 * 1024
        );
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(&[b' '; 1024]).await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), s.read(&mut buf))
            .await
            .expect("answered without the rest of the body")
            .unwrap();
        let answer = String::from_utf8_lossy(&buf[..n]);
        assert!(
            answer.starts_with("HTTP/1.1 401"),
            "{credential:?}: {answer}"
        );
    }
}
