//! Administrators manage users: create, quotas, disable (sessions and tokens end at once),
//! reset passwords; the last enabled administrator cannot be removed.

mod common;

use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn admins_manage_users_but_never_the_last_admin() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let me = json(app.call("me", json!({})).await).await;
    let admin_id = me["id"].as_str().unwrap().to_string();

    // Create: checked, then made
    let res = app
        .call(
            "user_create",
            json!({"username": "x", "password": "a long enough password", "is_admin": false}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "username too short");
    let res = app
        .call(
            "user_create",
            json!({"username": "kim", "password": "short", "is_admin": false}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = app
        .call(
            "user_create",
            json!({"username": "kim", "password": "a long enough password", "is_admin": false}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let kim = json(res).await;
    let kim_id = kim["id"].as_str().unwrap().to_string();
    let res = app
        .call(
            "user_create",
            json!({"username": "KIM", "password": "a long enough password", "is_admin": false}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "names are unique, whatever the case"
    );
    let users = json(app.call("users", json!({})).await).await;
    assert_eq!(users.as_array().unwrap().len(), 2);

    // kim is not an admin: the admin endpoints refuse her
    let kim_cookie = common::ws::login_cookie(&app, "kim", "a long enough password").await;
    let res = common::call_with(&app, Some(&kim_cookie), "users", &json!({})).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Quotas: bounded; then kim's quota of one server holds
    let res = app
        .call(
            "user_update",
            json!({"id": kim_id, "changes": {"max_servers": -1}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = app
        .call(
            "user_update",
            json!({"id": kim_id, "changes": {"max_servers": 1}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["max_servers"], 1);

    // The last admin can neither lose the role nor be disabled; with a second admin, one can
    for changes in [json!({"is_admin": false}), json!({"disabled": true})] {
        let res = app
            .call("user_update", json!({"id": admin_id, "changes": changes}))
            .await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "{changes}");
        assert!(
            common::servers::message(res)
                .await
                .contains("without an enabled administrator")
        );
    }
    let me = json(app.call("me", json!({})).await).await;
    assert_eq!(me["is_admin"], true, "nothing changed");
    let res = app
        .call(
            "user_update",
            json!({"id": kim_id, "changes": {"is_admin": true}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .call(
            "user_update",
            json!({"id": kim_id, "changes": {"is_admin": false}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Disabling kim ends her session and tokens at once, and she cannot sign in
    let res = app
        .call(
            "user_update",
            json!({"id": kim_id, "changes": {"disabled": true}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = common::call_with(&app, Some(&kim_cookie), "me", &json!({})).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = app
        .call_as(
            &TestApp::new_client(),
            "login",
            json!({"username": "kim", "password": "a long enough password"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // Reset password (enabled again first)
    app.call(
        "user_update",
        json!({"id": kim_id, "changes": {"disabled": false}}),
    )
    .await;
    let res = app
        .call(
            "user_password_reset",
            json!({"id": kim_id, "password": "a fresh password here"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .call_as(
            &TestApp::new_client(),
            "login",
            json!({"username": "kim", "password": "a fresh password here"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .call(
            "user_update",
            json!({"id": uuid::Uuid::new_v4(), "changes": {}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let mut c = app.pool.get().await.unwrap();
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let n: N = diesel::sql_query("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'user.%'")
        .get_result(&mut c)
        .await
        .unwrap();
    assert!(n.n >= 6, "user changes are audited: {}", n.n);
}
