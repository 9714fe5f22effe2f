//! API tokens: created in a session, shown once, used with `curl`-like calls (no cookie, no
//! origin), limited to their scope, refused when expired or revoked (open sockets included).

mod common;

use common::servers::{create, ids, wait_status};
use common::{TestApp, json};
use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// The administrator's password in these tests.
const PW: &str = "correct horse battery";

async fn with_token(app: &TestApp, token: &str, endpoint: &str, body: Value) -> reqwest::Response {
    common::call_with(app, Some(&format!("Bearer {token}")), endpoint, &body).await
}

#[tokio::test]
async fn tokens_act_within_their_scope_until_revoked_or_expired() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let id = json(create(&app, "scripted", &t, &p).await).await["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Create: the secret is answered once; the list never shows it
    let res = app
        .call("token_create", json!({"name": "deploy bot", "scopes": ["console.read", "control.start"], "expires_days": 30, "password": PW}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let made = json(res).await;
    let token = made["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("mcp_") && token.len() > 60);
    let listed = json(app.call("tokens", json!({})).await).await;
    assert_eq!(listed[0]["name"], "deploy bot");
    assert!(
        !listed.to_string().contains(&token),
        "the secret is not listed"
    );
    assert_eq!(listed[0]["prefix"], token[..12]);

    // Refusals at creation
    for (body, status) in [
        (
            json!({"name": "", "scopes": ["console.read"], "password": PW}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"name": "x", "scopes": [], "password": PW}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"name": "x", "scopes": ["root"], "password": PW}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"name": "x", "scopes": ["console.read"], "expires_days": 0, "password": PW}),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        assert_eq!(
            app.call("token_create", body.clone()).await.status(),
            status,
            "{body}"
        );
    }

    // Use: no cookie, no origin; within the scope only
    let servers = json(with_token(&app, &token, "servers", json!({})).await).await;
    assert_eq!(
        servers[0]["permissions"],
        json!(["console.read", "control.start"])
    );
    let res = with_token(
        &app,
        &token,
        "server_power",
        json!({"id": id, "action": "start"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    for (endpoint, body) in [
        ("server_power", json!({"id": id, "action": "stop"})),
        ("files_list", json!({"id": id, "path": "/"})),
        ("server_delete", json!({"id": id, "keep_world": false})),
        ("template_export", json!({"id": t})),
        (
            "token_create",
            json!({"name": "child", "scopes": ["console.read"], "password": PW}),
        ),
    ] {
        let res = with_token(&app, &token, endpoint, body).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }
    let res = with_token(&app, "mcp_0000", "servers", json!({})).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = with_token(&app, "not-a-token", "servers", json!({})).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // A console socket opened with the token closes when the token is revoked
    wait_status(&app, &id, "running").await;
    let url = format!(
        "{}{}",
        app.base.replace("http://", "ws://"),
        protocol::live::console_path(id.parse().unwrap())
    );
    let mut req = url.into_client_request().unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .expect("socket with a token");
    let first: Value =
        serde_json::from_str(ws.next().await.unwrap().unwrap().to_text().unwrap()).unwrap();
    assert_eq!(first["event"], "hello");
    assert_eq!(
        first["args"]["write"], false,
        "console.write is not in the scope"
    );
    let res = app
        .call("token_revoke", json!({"id": made["info"]["id"]}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let closed = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while let Some(Ok(m)) = ws.next().await {
            if let Ok(t) = m.to_text()
                && t.contains("\"closed\"")
            {
                return t.to_string();
            }
        }
        String::new()
    })
    .await
    .expect("the socket closes within seconds");
    assert!(closed.contains("revoked"), "{closed}");
    let res = with_token(&app, &token, "servers", json!({})).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // Expired tokens stop working
    let made = json(
        app.call(
            "token_create",
            json!({"name": "short", "scopes": ["console.read"], "expires_days": 1, "password": PW}),
        )
        .await,
    )
    .await;
    let short = made["token"].as_str().unwrap();
    assert_eq!(
        with_token(&app, short, "servers", json!({})).await.status(),
        StatusCode::OK
    );
    {
        use diesel_async::RunQueryDsl;
        let mut c = app.pool.get().await.unwrap();
        diesel::sql_query("UPDATE api_tokens SET expires_at = now() - interval '1 second'")
            .execute(&mut c)
            .await
            .unwrap();
    }
    assert_eq!(
        with_token(&app, short, "servers", json!({})).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Plain users cannot give a token the admin scope; admins can, and it works
    app.plain_user("pat", "a long enough password").await;
    let pat = common::ws::login_cookie(&app, "pat", "a long enough password").await;
    let res = reqwest::Client::new()
        .post(app.url("/api/token_create"))
        .header("cookie", &pat)
        .header("origin", &app.base)
        .header("content-type", "application/json")
        .body(
            json!({"name": "x", "scopes": ["admin"], "password": "a long enough password"})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let made = json(
        app.call(
            "token_create",
            json!({"name": "ops", "scopes": ["admin"], "password": PW}),
        )
        .await,
    )
    .await;
    let ops = made["token"].as_str().unwrap();
    let res = with_token(&app, ops, "template_export", json!({"id": t})).await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// A token needs the password to be made (a stolen session alone cannot mint one), and a
/// password change or an administrator's reset revokes every token of that user.
#[tokio::test]
async fn a_token_needs_the_password_and_dies_with_it() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PW).await;
    let token_count = async || {
        json(app.call("tokens", json!({})).await)
            .await
            .as_array()
            .unwrap()
            .len()
    };

    // Without the password, or with a wrong one: refused, and no token made
    for (password, message) in [
        ("", "Enter your password."),
        ("not my password", "The password is not right."),
    ] {
        let res = app
            .call(
                "token_create",
                json!({"name": "stolen", "scopes": ["console.read"], "password": password}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert_eq!(json(res).await["message"], message);
    }
    let res = app
        .call(
            "token_create",
            json!({"name": "stolen", "scopes": ["console.read"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "no password field");
    assert_eq!(token_count().await, 0);
    let audit = json(
        app.call("audit_log", json!({"action": "token.create"}))
            .await,
    )
    .await;
    assert!(
        audit.to_string().contains("refused: wrong password"),
        "{audit}"
    );

    // A password change revokes the user's tokens, and says how many
    let make = async |name: &str, password: &str| {
        let res = app
            .call(
                "token_create",
                json!({"name": name, "scopes": ["console.read"], "password": password}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        json(res).await["token"].as_str().unwrap().to_string()
    };
    let first = make("one", PW).await;
    let second = make("two", PW).await;
    assert_eq!(
        with_token(&app, &first, "servers", json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    let res = app
        .call(
            "password_change",
            json!({"current_password": PW, "new_password": "a brand new password"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let done = json(res).await;
    assert_eq!(done["tokens_revoked"], 2, "{done}");
    for t in [&first, &second] {
        assert_eq!(
            with_token(&app, t, "servers", json!({})).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(token_count().await, 0);

    // An administrator's reset of another user's password revokes that user's tokens
    app.plain_user("pat", "a long enough password").await;
    let pat = app.signed_in("pat", "a long enough password").await;
    let res = app
        .call_as(
            &pat,
            "token_create",
            json!({"name": "pat's", "scopes": ["console.read"], "password": "a long enough password"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let pats = json(res).await["token"].as_str().unwrap().to_string();
    let pat_id = app.user_id("pat").await;
    let res = app
        .call(
            "user_password_reset",
            json!({"id": pat_id, "password": "reset by the admin"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        with_token(&app, &pats, "servers", json!({})).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
