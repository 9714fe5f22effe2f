//! Two-factor sign-in: set up with a code, then sign-in asks for one; a code works once;
//! recovery codes work once each; wrong codes count as failed sign-ins; turning it off needs
//! the password and a code.

mod common;

use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::json;

fn code(secret: &str, at: u64) -> String {
    let t = totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap();
    t.generate(at).to_string()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

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
    let setup = json(app.call("totp_setup", json!({})).await).await;
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
    let setup = json(app.call("totp_setup", json!({})).await).await;
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
