//! The sign-in limits against a real Postgres over real HTTP: parallel guesses get no more tries
//! than the limit; a stranger's failures lock the account for strangers only (the owner still
//! signs in from a browser that signed in before, or with the password and a second-factor
//! code together, itself limited); a stolen session guessing the password is limited on its own;
//! the client address comes from the proxies the operator trusts, no further.

mod common;

use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

fn login_body(password: &str) -> serde_json::Value {
    json!({"username": "admin", "password": password})
}

async fn failures_in_db(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let mut c = app.pool.get().await.unwrap();
    db::schema::login_attempts::table
        .filter(db::schema::login_attempts::success.eq(false))
        .count()
        .get_result(&mut c)
        .await
        .unwrap()
}

#[tokio::test]
async fn parallel_guesses_get_no_more_tries_than_the_limit() {
    let app = TestApp::spawn_with(|c| {
        c.login_max_failures_per_user = 5;
        c.login_max_failures_per_ip = 1000;
    })
    .await;
    app.setup_admin("admin", PASSWORD).await;
    let guesses: Vec<_> = (0..24)
        .map(|i| {
            tokio::spawn(app.call_detached(
                TestApp::new_client(),
                "login",
                login_body(&format!("guess number {i}")),
            ))
        })
        .collect();
    let mut wrong = 0;
    let mut limited = 0;
    for g in guesses {
        match g.await.unwrap() {
            StatusCode::UNAUTHORIZED => wrong += 1,
            StatusCode::TOO_MANY_REQUESTS => limited += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(
        wrong, 5,
        "exactly the limit's worth of passwords were checked"
    );
    assert_eq!(limited, 19);
    // refused attempts are not kept (a flood does not keep the limit from lifting)
    assert_eq!(failures_in_db(&app).await, 5);
}

/// Signs in `browser` with a wrong password and gives the status.
async fn wrong(app: &TestApp, browser: &reqwest::Client) -> StatusCode {
    app.call_as(browser, "login", login_body("not the password"))
        .await
        .status()
}

#[tokio::test]
async fn a_strangers_failures_do_not_lock_the_owner_out_of_a_known_browser() {
    let app = TestApp::spawn_with(|c| c.login_max_failures_per_user = 3).await;
    app.setup_admin("admin", PASSWORD).await;
    let owner = TestApp::new_client();
    let res = app.call_as(&owner, "login", login_body(PASSWORD)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let device = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("panel_device="))
        .expect("a known-device cookie");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/api/login"] {
        assert!(device.contains(part), "{device} lacks {part}");
    }
    app.call_as(&owner, "logout", json!({})).await;

    let stranger = TestApp::new_client();
    for _ in 0..3 {
        assert_eq!(wrong(&app, &stranger).await, StatusCode::UNAUTHORIZED);
    }
    // strangers are locked out, even with the right password...
    let res = app
        .call_as(&TestApp::new_client(), "login", login_body(PASSWORD))
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = json(res).await;
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("Too many failed sign-in attempts for this account")
            && message.contains("a browser you signed in from before"),
        "{message}"
    );
    // ...the owner's browser is not
    let res = app.call_as(&owner, "login", login_body(PASSWORD)).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    app.call_as(&owner, "logout", json!({})).await;

    // A known browser's own failures are limited on their own.
    for _ in 0..3 {
        assert_eq!(wrong(&app, &owner).await, StatusCode::UNAUTHORIZED);
    }
    let res = app.call_as(&owner, "login", login_body(PASSWORD)).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        json(res).await["message"]
            .as_str()
            .unwrap()
            .contains("from this browser")
    );

    // Another account's device cookie does not count as known for this one.
    app.call(
        "user_create",
        json!({"username": "carol", "password": PASSWORD, "is_admin": false}),
    )
    .await;
    let carol = app.signed_in("carol", PASSWORD).await;
    let res = app.call_as(&carol, "login", login_body(PASSWORD)).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

fn totp_code(secret: &str) -> String {
    common::totp_code_at(secret, common::unix_now())
}

#[tokio::test]
async fn a_locked_account_opens_to_the_password_with_a_second_factor() {
    let app = TestApp::spawn_with(|c| c.login_max_failures_per_user = 3).await;
    app.setup_admin("admin", PASSWORD).await;
    let setup = json(app.call("totp_setup", json!({"password": PASSWORD})).await).await;
    let secret = setup["secret"].as_str().unwrap().to_string();
    let res = app
        .call("totp_enable", json!({"code": totp_code(&secret)}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let recovery: Vec<String> = serde_json::from_value(json(res).await).unwrap();

    for _ in 0..3 {
        assert_eq!(
            wrong(&app, &TestApp::new_client()).await,
            StatusCode::UNAUTHORIZED
        );
    }
    let new = TestApp::new_client;
    // the password alone: locked
    let res = app.call_as(&new(), "login", login_body(PASSWORD)).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // with a wrong code, or a wrong password and a good code: refused, not telling which
    let mut body = login_body(PASSWORD);
    body["code"] = json!("000000");
    let res = app.call_as(&new(), "login", body).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        json(res).await["message"],
        "Wrong username, password or code."
    );
    let mut body = login_body("not the password");
    body["code"] = json!(recovery[0]);
    let res = app.call_as(&new(), "login", body).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        json(res).await["message"],
        "Wrong username, password or code."
    );
    // the password and a good code: in
    let owner = new();
    let mut body = login_body(PASSWORD);
    body["code"] = json!(recovery[1]);
    let res = app.call_as(&owner, "login", body).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    assert_eq!(
        json(app.call_as(&owner, "me", json!({})).await).await["username"],
        "admin"
    );

    // That way in is limited too: guessing codes ends in a refusal, and the stranger count was
    // not cleared by the owner's sign-in.
    let mut refused = false;
    for _ in 0..5 {
        let mut body = login_body(PASSWORD);
        body["code"] = json!("111111");
        let res = app.call_as(&new(), "login", body).await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            let body = json(res).await;
            assert!(
                body["message"]
                    .as_str()
                    .unwrap()
                    .contains("a browser you signed in from before")
            );
            refused = true;
            break;
        }
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    assert!(refused, "guessing codes on a locked account is limited");
}

#[tokio::test]
async fn a_locked_account_without_a_second_factor_is_not_opened_by_a_code() {
    let app = TestApp::spawn_with(|c| c.login_max_failures_per_user = 2).await;
    app.setup_admin("admin", PASSWORD).await;
    for _ in 0..2 {
        assert_eq!(
            wrong(&app, &TestApp::new_client()).await,
            StatusCode::UNAUTHORIZED
        );
    }
    let browser = TestApp::new_client();
    let mut body = login_body(PASSWORD);
    body["code"] = json!("123456");
    let res = app.call_as(&browser, "login", body).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        json(res).await["message"],
        "Wrong username, password or code."
    );
    assert_eq!(
        app.call_as(&browser, "me", json!({})).await.status(),
        StatusCode::UNAUTHORIZED,
        "no session"
    );
}

#[tokio::test]
async fn a_session_guessing_the_password_is_limited_without_locking_the_owner_out() {
    let app = TestApp::spawn_with(|c| c.login_max_failures_per_user = 3).await;
    app.setup_admin("admin", PASSWORD).await;
    let thief = app.signed_in("admin", PASSWORD).await;
    let guess = |p: &str| json!({"name": "ci", "scopes": ["console.read"], "password": p});
    for _ in 0..3 {
        let res = app.call_as(&thief, "token_create", guess("a guess")).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    }
    let res = app.call_as(&thief, "token_create", guess(PASSWORD)).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        json(res).await["message"]
            .as_str()
            .unwrap()
            .contains("in this session")
    );
    // the owner signs in anywhere
    let res = app
        .call_as(&TestApp::new_client(), "login", login_body(PASSWORD))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// The address recorded for a new session of `browser`, sent through the given
/// `X-Forwarded-For`.
async fn session_ip(app: &TestApp, forwarded_for: &str) -> String {
    let browser = TestApp::new_client();
    let res = browser
        .post(app.url("/api/login"))
        .header("origin", &app.base)
        .header("content-type", "application/json")
        .header("x-forwarded-for", forwarded_for)
        .body(login_body(PASSWORD).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let sessions = json(app.call_as(&browser, "sessions", json!({})).await).await;
    let current = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == true)
        .unwrap()
        .clone();
    current["ip"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_client_address_comes_from_trusted_proxies_only() {
    // the peer (loopback) is a trusted proxy; so is 10.0.0.0/8 in front of it
    let app = TestApp::spawn_with(|c| {
        c.trust_proxy = "127.0.0.0/8,10.0.0.0/8".parse().unwrap();
    })
    .await;
    app.setup_admin("admin", PASSWORD).await;
    // a forged left part is skipped over: the first untrusted address from the right
    assert_eq!(
        session_ip(&app, "1.1.1.1, 198.51.100.7, 10.2.3.4").await,
        "198.51.100.7"
    );

    let app = TestApp::spawn_with(|c| c.trust_proxy = "1".parse().unwrap()).await;
    app.setup_admin("admin", PASSWORD).await;
    assert_eq!(
        session_ip(&app, "1.1.1.1, 198.51.100.7, 10.2.3.4").await,
        "10.2.3.4"
    );

    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    assert_eq!(session_ip(&app, "198.51.100.7").await, "127.0.0.1");
}
