//! Two-factor sign-in: set up with a code, then sign-in asks for one; a code works once;
//! recovery codes work once each; wrong codes count as failed sign-ins; turning it off needs
//! the password and a code, and so does replacing it; an administrator can turn off someone
//! else's (audited).

mod common;

use common::{TestApp, json, totp_code_at as code, unix_now as now};
use reqwest::StatusCode;
use serde_json::json;

const PW: &str = "correct horse battery";

async fn login(app: &TestApp, code: Option<&str>) -> reqwest::Response {
    let mut body = json!({"username": "admin", "password": "correct horse battery"});
    if let Some(c) = code {
        body["code"] = json!(c);
    }
    app.call_as(&TestApp::new_client(), "login", body).await
}

#[tokio::test]
async fn totp_setup_sign_in_recovery_and_disable() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    assert_eq!(
        json(app.call("totp_status", json!({})).await).await["enabled"],
        false
    );

    // Set up: a secret and an otpauth link; a wrong code is refused, a right one enables
    let setup = json(app.call("totp_setup", json!({"password": PW})).await).await;
    let secret = setup["secret"].as_str().unwrap().to_string();
    assert!(
        setup["url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    let res = app.call("totp_enable", json!({"code": "000000"})).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = app
        .call("totp_enable", json!({"code": code(&secret, now())}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let recovery: Vec<String> = serde_json::from_value(json(res).await).unwrap();
    assert_eq!(recovery.len(), 10);
    let status = json(app.call("totp_status", json!({})).await).await;
    assert_eq!(status, json!({"enabled": true, "recovery_codes_left": 10}));

    // Sign-in now asks for a code
    let res = login(&app, None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json(res).await["error"], "second_factor");
    let res = login(&app, Some("123456")).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // the code of the next step (within the allowed skew) works once
    let next = code(&secret, now() + 30);
    assert_eq!(login(&app, Some(&next)).await.status(), StatusCode::OK);
    assert_eq!(
        login(&app, Some(&next)).await.status(),
        StatusCode::UNAUTHORIZED,
        "a code works once"
    );

    // Recovery codes: each once, in any case and with or without the dash
    let r = recovery[0].to_uppercase().replace('-', "");
    assert_eq!(login(&app, Some(&r)).await.status(), StatusCode::OK);
    assert_eq!(
        login(&app, Some(&recovery[0])).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        json(app.call("totp_status", json!({})).await).await["recovery_codes_left"],
        9
    );

    // Turning it off needs the password and a code
    let res = app
        .call(
            "totp_disable",
            json!({"password": "wrong password", "code": recovery[1]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = app
        .call(
            "totp_disable",
            json!({"password": "correct horse battery", "code": "000000"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = app
        .call(
            "totp_disable",
            json!({"password": "correct horse battery", "code": recovery[1]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(login(&app, None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn wrong_codes_count_as_failed_sign_ins() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let setup = json(app.call("totp_setup", json!({"password": PW})).await).await;
    let secret = setup["secret"].as_str().unwrap().to_string();
    app.call("totp_enable", json!({"code": code(&secret, now())}))
        .await;
    let mut limited = false;
    for _ in 0..12 {
        let res = login(&app, Some("111111")).await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    assert!(limited, "guessing codes hits the sign-in limit");
}

/// A session alone cannot set up, replace or overwrite the second factor: setting up needs the
/// password, and while it is on, set-up and enable are refused (turning it off needs the
/// password and a code). An administrator can turn it off for a user, audited; no one else.
#[tokio::test]
async fn the_second_factor_cannot_be_replaced_with_a_session_alone() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PW).await;

    // Set-up without the right password: refused, nothing pending
    for password in ["", "not my password"] {
        let res = app.call("totp_setup", json!({"password": password})).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{password:?}");
    }
    let res = app.call("totp_enable", json!({"code": "123456"})).await;
    assert_eq!(json(res).await["message"], "Start the set-up first.");

    // On with the first secret
    let first = json(app.call("totp_setup", json!({"password": PW})).await).await["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .call("totp_enable", json!({"code": code(&first, now())}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Then a second set-up is refused, even with the password, and enable cannot overwrite
    let res = app.call("totp_setup", json!({"password": PW})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        json(res).await["message"]
            .as_str()
            .unwrap()
            .contains("already on"),
    );
    let res = app
        .call("totp_enable", json!({"code": code(&first, now() + 30)}))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // and the first secret still signs in (the next step's code: each code works once)
    let res = login(&app, Some(&code(&first, now() + 30))).await;
    assert_eq!(res.status(), StatusCode::OK);

    // A plain user cannot reset anyone's second factor
    app.plain_user("pat", "a long enough password").await;
    let pat = app.signed_in("pat", "a long enough password").await;
    let me = json(app.call("me", json!({})).await).await;
    let admin_id = me["id"].clone();
    let res = app
        .call_as(&pat, "user_totp_reset", json!({"id": admin_id}))
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(login(&app, None).await.status(), StatusCode::UNAUTHORIZED);

    // An administrator can (for someone who lost phone and codes); it is audited
    let users = json(app.call("users", json!({})).await).await;
    let admin_row = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "admin")
        .unwrap()
        .clone();
    assert_eq!(admin_row["two_factor"], true);
    let res = app
        .call("user_totp_reset", json!({"id": admin_row["id"]}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(login(&app, None).await.status(), StatusCode::OK);
    let res = app
        .call("user_totp_reset", json!({"id": admin_row["id"]}))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "already off");
    let audit = json(app.call("audit_log", json!({"action": "user.2fa"})).await).await;
    assert!(audit.to_string().contains("user.2fa.reset"), "{audit}");
}
