//! The account: sessions (list, sign out one) and the password change, which signs out every
//! other session.

mod common;

use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::json;

async fn call_with(
    app: &TestApp,
    cookie: &str,
    endpoint: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    common::call_with(app, Some(cookie), endpoint, &body).await
}

#[tokio::test]
async fn sessions_and_password_change() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let phone = common::ws::login_cookie(&app, "admin", "correct horse battery").await;
    let laptop = common::ws::login_cookie(&app, "admin", "correct horse battery").await;

    // Three sessions (setup's, the phone's, the laptop's); the caller's is marked
    let list = json(app.call("sessions", json!({})).await).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);

    // Sign the laptop out from here
    let laptop_id = json(call_with(&app, &laptop, "sessions", json!({})).await)
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == true)
        .unwrap()["id"]
        .clone();
    let res = app.call("session_revoke", json!({"id": laptop_id})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        call_with(&app, &laptop, "me", json!({})).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let res = app.call("session_revoke", json!({"id": laptop_id})).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "already signed out");

    // Password: refusals first, nothing changes
    for (current, new, says) in [
        ("wrong password!", "a brand new password", "not right"),
        ("correct horse battery", "short", "at least"),
        ("correct horse battery", "correct horse battery", "differ"),
    ] {
        let res = app
            .call(
                "password_change",
                json!({"current_password": current, "new_password": new}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{says}");
        assert!(common::servers::message(res).await.contains(says));
    }
    assert_eq!(
        call_with(&app, &phone, "me", json!({})).await.status(),
        StatusCode::OK
    );

    // The change signs out the phone, keeps this session, and the new password works
    let res = app.call("password_change", json!({"current_password": "correct horse battery", "new_password": "a brand new password"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        json(res).await,
        json!({"sessions_signed_out": 1, "tokens_revoked": 0})
    );
    assert_eq!(
        call_with(&app, &phone, "me", json!({})).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.call("me", json!({})).await.status(), StatusCode::OK);
    let res = app
        .call_as(
            &TestApp::new_client(),
            "login",
            json!({"username": "admin", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = app
        .call_as(
            &TestApp::new_client(),
            "login",
            json!({"username": "admin", "password": "a brand new password"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // API tokens cannot touch the account
    let token = json(
        app.call(
            "token_create",
            json!({"name": "t", "scopes": ["console.read"], "password": "a brand new password"}),
        )
        .await,
    )
    .await["token"]
        .as_str()
        .unwrap()
        .to_string();
    let res = reqwest::Client::new()
        .post(app.url("/api/password_change"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(json!({"current_password": "a brand new password", "new_password": "another new password"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
