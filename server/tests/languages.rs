//! The panel's own messages in the request's language: the `panel-language` cookie the app
//! sets when a person chooses, else the browser's `Accept-Language`, else English; standard
//! messages written without the catalogue (the session check's) are said in it at the edge.

mod common;

use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::json;

async fn me_with(app: &TestApp, header: (&str, &str)) -> (StatusCode, serde_json::Value) {
    let res = TestApp::new_client()
        .post(app.url("/api/me"))
        .header("origin", &app.base)
        .header("content-type", "application/json")
        .header(header.0, header.1)
        .body("{}")
        .send()
        .await
        .unwrap();
    (res.status(), json(res).await)
}

#[tokio::test]
async fn messages_come_in_the_chosen_or_the_browsers_language() {
    let app = TestApp::spawn().await;
    let english = json(app.call("me", json!({})).await).await;
    assert_eq!(
        english["message"],
        "You are not signed in, or your session has ended. Please sign in."
    );

    let (status, german) = me_with(&app, ("accept-language", "de-DE,de;q=0.9,en;q=0.8")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the status is the same");
    assert_eq!(german["error"], "unauthenticated", "and the kind");
    assert!(
        german["message"]
            .as_str()
            .unwrap()
            .starts_with("Nicht angemeldet"),
        "{german}"
    );

    // the app's choice wins over the browser's
    let (_, spanish) = me_with(&app, ("cookie", "panel-language=es")).await;
    assert!(
        spanish["message"]
            .as_str()
            .unwrap()
            .starts_with("No hay sesión"),
        "{spanish}"
    );
    let (_, both) = me_with(&app, ("cookie", "x=1; panel-language=es; y=2")).await;
    assert_eq!(both["message"], spanish["message"]);

    // a language the panel does not speak, or the pseudo-locale: English
    for header in [
        ("accept-language", "ja-JP,zh;q=0.5"),
        ("cookie", "panel-language=en-XA"),
        ("cookie", "panel-language=<script>"),
    ] {
        let (_, answer) = me_with(&app, header).await;
        assert_eq!(answer["message"], english["message"], "{header:?}");
    }
}
