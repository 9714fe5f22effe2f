//! Single sign-on against a real OpenID Connect provider: npm's `oidc-provider` (a certified
//! implementation) on loopback, driven by `end2end/oidc-provider.mjs`. The flow is walked as a
//! browser walks it (redirects followed one by one, one cookie jar), and the provider is made
//! to lie: a wrong issuer, a bad signature, an expired token.

mod common;

use common::{TestApp, json};
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};

/// A provider process; killed when dropped.
struct Provider {
    issuer: String,
    _child: tokio::process::Child,
}

/// Starts the provider for a panel at `panel` with `env` (OIDC_TAMPER, OIDC_ISSUER); None when
/// npm's packages are not installed and the full suite is not required.
async fn provider(panel: &str, env: &[(&str, &str)]) -> Option<Provider> {
    use tokio::io::AsyncBufReadExt;
    let end2end = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end");
    if !end2end.join("node_modules/oidc-provider").is_dir() {
        assert!(
            std::env::var("PANEL_REALKUBE").as_deref() != Ok("require"),
            "npm's oidc-provider is required (npm ci --prefix end2end)"
        );
        eprintln!("npm's oidc-provider is not installed: skipped");
        return None;
    }
    let mut child = tokio::process::Command::new("node")
        .arg(end2end.join("oidc-provider.mjs"))
        .env(
            "OIDC_REDIRECT_URIS",
            format!("{panel}{}", panel_core::sso::CALLBACK_PATH),
        )
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let issuer = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
        .await
        .expect("the provider starts")
        .unwrap()
        .expect("the provider prints its issuer");
    Some(Provider {
        issuer,
        _child: child,
    })
}

impl Provider {
    /// Makes the next sign-ins at the provider those of `account`.
    async fn next_login(&self, account: Value) {
        let res = reqwest::Client::new()
            .post(format!(
                "{}/__test/next-login",
                self.issuer.replace("localhost", "127.0.0.1")
            ))
            .json(&account)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
    }
}

/// A free port on loopback for the panel (its address goes into the provider's redirect URI
/// before the panel starts).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A panel with a provider, configured by `tweak` after the defaults (the admin claim
/// `groups=panel-admins`, the `groups` scope, new accounts created).
async fn panel_and_provider(
    env: &[(&str, &str)],
    tweak: impl FnOnce(&mut server::Config),
) -> Option<(TestApp, Provider)> {
    let base = format!("http://127.0.0.1:{}", free_port());
    let provider = provider(&base, env).await?;
    let issuer = if env.iter().any(|(k, _)| *k == "OIDC_ISSUER") {
        // the panel is told the address it reaches; the provider claims another issuer
        provider.issuer.replace("localhost", "127.0.0.1")
    } else {
        provider.issuer.clone()
    };
    let app = TestApp::spawn_with(|c| {
        c.public_url = Some(base.clone());
        c.oidc_issuer = Some(issuer);
        c.oidc_client_id = Some("panel".into());
        c.oidc_client_secret = Some("panel-secret".into());
        c.oidc_name = "Test IdP".into();
        c.oidc_scopes = "email profile groups".into();
        c.oidc_admin_claim = Some("groups=panel-admins".parse().unwrap());
        tweak(c);
    })
    .await;
    assert_eq!(app.base, base);
    Some((app, provider))
}

/// A browser: its own cookie jar, redirects followed by hand.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Where a 303 answer sends the browser, made absolute against `from`.
fn location(res: &reqwest::Response) -> String {
    let to = res
        .headers()
        .get(LOCATION)
        .unwrap_or_else(|| panic!("a redirect, got {}", res.status()))
        .to_str()
        .unwrap();
    res.url().join(to).unwrap().to_string()
}

/// Starts a sign-in at the panel and walks the provider's redirects until the provider sends
/// the browser back: the callback URL, not yet followed. Err(where) when the panel sent the
/// browser elsewhere (its sign-in page, saying why).
async fn to_callback(app: &TestApp, browser: &reqwest::Client) -> Result<String, String> {
    let res = browser
        .get(app.url("/auth/sso/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut url = location(&res);
    for _ in 0..10 {
        if url.starts_with(&app.base) {
            return if url.contains(panel_core::sso::CALLBACK_PATH) {
                Ok(url)
            } else {
                Err(url)
            };
        }
        let res = browser.get(&url).send().await.unwrap();
        assert!(
            res.status().is_redirection(),
            "the provider redirects: {} {}",
            res.status(),
            res.text().await.unwrap()
        );
        url = location(&res);
    }
    panic!("too many redirects at the provider");
}

/// Follows the callback: where the panel sends the browser.
async fn callback(browser: &reqwest::Client, url: &str) -> String {
    let res = browser.get(url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{url}");
    res.headers()[LOCATION].to_str().unwrap().to_owned()
}

/// A whole sign-in: where the panel sends the browser at the end.
async fn sign_in(app: &TestApp, browser: &reqwest::Client) -> String {
    match to_callback(app, browser).await {
        Ok(url) => callback(browser, &url).await,
        Err(to) => to.trim_start_matches(&app.base).to_owned(),
    }
}

async fn me(app: &TestApp, browser: &reqwest::Client) -> Value {
    let res = app.call_as(browser, "me", json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    json(res).await
}

async fn users(app: &TestApp) -> Vec<Value> {
    let res = app.call("users", json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    json(res).await.as_array().unwrap().clone()
}

async fn pending_logins(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let mut c = app.pool.get().await.unwrap();
    db::schema::sso_logins::table
        .count()
        .get_result(&mut c)
        .await
        .unwrap()
}

fn account(sub: &str, name: &str, email: &str, verified: bool, groups: &[&str]) -> Value {
    json!({
        "sub": sub,
        "preferred_username": name,
        "email": email,
        "email_verified": verified,
        "groups": groups,
    })
}

#[tokio::test]
async fn a_provider_signs_users_in_creates_links_and_makes_administrators() {
    let Some((app, idp)) = panel_and_provider(&[], |_| {}).await else {
        return;
    };
    assert_eq!(
        app.setup_admin("root", "root-password-1").await.status(),
        StatusCode::OK
    );
    let info = json(app.call("panel_info", json!({})).await).await;
    assert_eq!(info["sso"], "Test IdP");
    assert_eq!(info["passwords"], true);

    // a first sign-in makes an account, named as the provider prefers, not an administrator
    idp.next_login(account(
        "alice-sub",
        "Alice Liddell",
        "alice@example.test",
        true,
        &[],
    ))
    .await;
    let alice = browser();
    assert_eq!(sign_in(&app, &alice).await, "/");
    let me_alice = me(&app, &alice).await;
    assert_eq!(me_alice["username"], "Alice-Liddell");
    assert_eq!(me_alice["is_admin"], false);
    let listed = users(&app).await;
    let row = listed
        .iter()
        .find(|u| u["username"] == "Alice-Liddell")
        .unwrap();
    assert_eq!(row["email"], "alice@example.test");
    assert_eq!(row["linked"], json!([idp.issuer]));
    // nothing of it is left under way
    assert_eq!(pending_logins(&app).await, 0);

    // the same subject signs in to the same account, from another browser too; the group
    // claim makes it an administrator, and its loss takes that back
    idp.next_login(account(
        "alice-sub",
        "renamed",
        "alice@example.test",
        true,
        &["panel-admins"],
    ))
    .await;
    let second = browser();
    assert_eq!(sign_in(&app, &second).await, "/");
    let again = me(&app, &second).await;
    assert_eq!(again["id"], me_alice["id"]);
    assert_eq!(again["is_admin"], true);
    idp.next_login(account(
        "alice-sub",
        "renamed",
        "alice@example.test",
        true,
        &[],
    ))
    .await;
    let third = browser();
    assert_eq!(sign_in(&app, &third).await, "/");
    assert_eq!(me(&app, &third).await["is_admin"], false);
    assert_eq!(
        users(&app).await.len(),
        2,
        "root and alice, no third account"
    );

    // an address the panel knows does not link without the operator's leave: a new account
    let root_id = app.user_id("root").await;
    let res = app
        .call(
            "user_update",
            json!({"id": root_id, "changes": {"email": "root@example.test"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    idp.next_login(account(
        "mallory-sub",
        "root",
        "root@example.test",
        true,
        &[],
    ))
    .await;
    let mallory = browser();
    assert_eq!(sign_in(&app, &mallory).await, "/");
    let m = me(&app, &mallory).await;
    assert_ne!(m["id"], root_id);
    assert_eq!(m["username"], "root-2", "the taken name gets a suffix");
    let row = users(&app)
        .await
        .into_iter()
        .find(|u| u["username"] == "root-2")
        .unwrap();
    assert_eq!(row["email"], Value::Null, "the address stays root's alone");

    // a disabled account does not sign in
    let res = app
        .call(
            "user_update",
            json!({"id": m["id"], "changes": {"disabled": true}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(sign_in(&app, &browser()).await, "/login?sso=disabled");

    // the audit log tells how the accounts came
    let audit = json(app.call("audit_log", json!({})).await)
        .await
        .to_string();
    assert!(
        audit.contains("Alice-Liddell (through http://127.0.0.1:"),
        "{audit}"
    );
    assert!(
        audit.contains("administrator yes (the provider's claim)"),
        "{audit}"
    );
}

#[tokio::test]
async fn a_verified_address_links_only_when_the_operator_allows_it() {
    let Some((app, idp)) = panel_and_provider(&[], |c| {
        c.oidc_link_by_email = true;
        c.oidc_create_users = false;
    })
    .await
    else {
        return;
    };
    assert_eq!(
        app.setup_admin("root", "root-password-1").await.status(),
        StatusCode::OK
    );
    let res = app
        .call(
            "user_create",
            json!({"username": "carol", "password": "carol-password-1", "is_admin": false}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let carol = json(res).await;
    let res = app
        .call(
            "user_update",
            json!({"id": carol["id"], "changes": {"email": "Carol@Example.test"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // another user cannot take the same address, whatever its case
    let root_id = app.user_id("root").await;
    let res = app
        .call(
            "user_update",
            json!({"id": root_id, "changes": {"email": "carol@example.TEST"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = app
        .call(
            "user_update",
            json!({"id": root_id, "changes": {"email": "not an address"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // an address the provider did not verify links nothing, and no account is made
    idp.next_login(account(
        "carol-sub",
        "carol",
        "carol@example.test",
        false,
        &[],
    ))
    .await;
    assert_eq!(sign_in(&app, &browser()).await, "/login?sso=no_account");
    assert_eq!(users(&app).await.len(), 2);

    // verified, it links to carol's account, and from then on the subject alone does
    idp.next_login(account(
        "carol-sub",
        "carol",
        "carol@example.test",
        true,
        &[],
    ))
    .await;
    let b = browser();
    assert_eq!(sign_in(&app, &b).await, "/");
    assert_eq!(me(&app, &b).await["id"], carol["id"]);
    idp.next_login(account(
        "carol-sub",
        "carol",
        "carol@elsewhere.test",
        false,
        &[],
    ))
    .await;
    let b = browser();
    assert_eq!(sign_in(&app, &b).await, "/");
    assert_eq!(me(&app, &b).await["id"], carol["id"]);

    // a second subject with carol's address finds her account linked already
    idp.next_login(account("carol-2", "carol", "carol@example.test", true, &[]))
        .await;
    assert_eq!(sign_in(&app, &browser()).await, "/login?sso=already_linked");
}

#[tokio::test]
async fn a_state_is_answered_once_and_only_in_the_browser_that_started_it() {
    let Some((app, idp)) = panel_and_provider(&[], |_| {}).await else {
        return;
    };
    assert_eq!(
        app.setup_admin("root", "root-password-1").await.status(),
        StatusCode::OK
    );
    idp.next_login(account("dave-sub", "dave", "dave@example.test", true, &[]))
        .await;
    let dave = browser();
    let url = to_callback(&app, &dave).await.unwrap();
    assert!(url.contains("code=") && url.contains("state="), "{url}");

    // another browser brings dave's answer (a sign-in forced on someone): refused, and the
    // state is spent
    let other = browser();
    assert_eq!(callback(&other, &url).await, "/login?sso=other_browser");
    assert_eq!(
        app.call_as(&other, "me", json!({})).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(callback(&dave, &url).await, "/login?sso=stale");

    // a fresh sign-in works, once: its replay is refused and opens no session
    let url = to_callback(&app, &dave).await.unwrap();
    assert_eq!(callback(&dave, &url).await, "/");
    assert_eq!(me(&app, &dave).await["username"], "dave");
    let replay = browser();
    assert_eq!(callback(&replay, &url).await, "/login?sso=stale");
    assert_eq!(
        app.call_as(&replay, "me", json!({})).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // answers without a state, with a made-up one, or the provider's own refusal
    for query in ["", "?code=x", "?code=x&state=made-up", "?state=&code="] {
        let to = callback(&browser(), &app.url(&format!("/auth/sso/callback{query}"))).await;
        assert_eq!(to, "/login?sso=stale", "{query}");
    }
    let b = browser();
    let url = to_callback(&app, &b).await.unwrap();
    let state = reqwest::Url::parse(&url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let denied = app.url(&format!(
        "/auth/sso/callback?error=access_denied&error_description=no&state={state}"
    ));
    assert_eq!(callback(&b, &denied).await, "/login?sso=refused");
    let mut c = app.pool.get().await.unwrap();
    assert_eq!(db::User::count(&mut c).await.unwrap(), 2, "root and dave");
}

#[tokio::test]
async fn a_wrong_issuer_is_not_trusted() {
    let Some((app, _idp)) =
        panel_and_provider(&[("OIDC_ISSUER", "http://localhost:{port}")], |_| {}).await
    else {
        return;
    };
    assert_eq!(sign_in(&app, &browser()).await, "/login?sso=untrusted");
    assert_eq!(pending_logins(&app).await, 0);
}

#[tokio::test]
async fn a_token_with_a_bad_signature_is_refused() {
    let Some((app, _idp)) = panel_and_provider(&[("OIDC_TAMPER", "signature")], |_| {}).await
    else {
        return;
    };
    let b = browser();
    assert_eq!(sign_in(&app, &b).await, "/login?sso=bad_token");
    assert_eq!(
        app.call_as(&b, "me", json!({})).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let mut c = app.pool.get().await.unwrap();
    assert!(!db::User::any_exist(&mut c).await.unwrap());
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let Some((app, _idp)) = panel_and_provider(&[("OIDC_TAMPER", "expire")], |_| {}).await else {
        return;
    };
    let b = browser();
    assert_eq!(sign_in(&app, &b).await, "/login?sso=bad_token");
    let mut c = app.pool.get().await.unwrap();
    assert!(!db::User::any_exist(&mut c).await.unwrap());
}

#[tokio::test]
async fn without_passwords_the_provider_is_the_only_way_in() {
    let Some((app, idp)) = panel_and_provider(&[], |c| c.passwords = false).await else {
        return;
    };
    let info = json(app.call("panel_info", json!({})).await).await;
    assert_eq!(info["passwords"], false);
    assert_eq!(
        info["needs_setup"], false,
        "no setup: the claim makes administrators"
    );
    let res = app.setup_admin("root", "root-password-1").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let mut c = app.pool.get().await.unwrap();
    assert!(!db::User::any_exist(&mut c).await.unwrap());
    drop(c);

    idp.next_login(account(
        "erin-sub",
        "erin",
        "erin@example.test",
        true,
        &["panel-admins"],
    ))
    .await;
    let erin = browser();
    assert_eq!(sign_in(&app, &erin).await, "/");
    assert_eq!(me(&app, &erin).await["is_admin"], true);

    // an account with a password (made by an administrator) still cannot use it
    let res = app
        .call_as(
            &erin,
            "user_create",
            json!({"username": "frank", "password": "frank-password-1", "is_admin": false}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .call_as(
            &browser(),
            "login",
            json!({"username": "frank", "password": "frank-password-1"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body = json(res).await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("sign in with Test IdP"),
        "{body}"
    );
}

#[tokio::test]
async fn a_panel_without_a_provider_has_no_way_there() {
    let app = TestApp::spawn().await;
    for path in ["/auth/sso/start", "/auth/sso/callback?code=a&state=b"] {
        let res = browser().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let info = json(app.call("panel_info", json!({})).await).await;
    assert_eq!(info["sso"], Value::Null);
}

#[tokio::test]
async fn before_setup_only_the_admin_claim_makes_an_account_and_a_required_claim_gates_all() {
    let Some((app, idp)) = panel_and_provider(&[], |c| {
        c.oidc_allowed_claim = Some("groups=panel-users".parse().unwrap());
    })
    .await
    else {
        return;
    };
    // someone outside the panel's group gets nothing, before setup or after
    idp.next_login(account("eve-sub", "eve", "eve@example.test", true, &[]))
        .await;
    assert_eq!(sign_in(&app, &browser()).await, "/login?sso=no_account");
    // in the group but no administrator, before setup: setup stays open
    idp.next_login(account(
        "bob-sub",
        "bob",
        "bob@example.test",
        true,
        &["panel-users"],
    ))
    .await;
    assert_eq!(sign_in(&app, &browser()).await, "/login?sso=no_account");
    let info = json(app.call("panel_info", json!({})).await).await;
    assert_eq!(info["needs_setup"], true);
    // the administrator claim makes the first account, an administrator
    idp.next_login(account(
        "ada-sub",
        "ada",
        "ada@example.test",
        true,
        &["panel-users", "panel-admins"],
    ))
    .await;
    let ada = browser();
    assert_eq!(sign_in(&app, &ada).await, "/");
    assert_eq!(me(&app, &ada).await["is_admin"], true);
    // then bob gets his account
    idp.next_login(account(
        "bob-sub",
        "bob",
        "bob@example.test",
        true,
        &["panel-users"],
    ))
    .await;
    let bob = browser();
    assert_eq!(sign_in(&app, &bob).await, "/");
    assert_eq!(me(&app, &bob).await["username"], "bob");
}

#[tokio::test]
async fn an_address_never_opens_an_administrators_account() {
    let Some((app, idp)) = panel_and_provider(&[], |c| c.oidc_link_by_email = true).await else {
        return;
    };
    assert_eq!(
        app.setup_admin("root", "root-password-1").await.status(),
        StatusCode::OK
    );
    let root_id = app.user_id("root").await;
    let res = app
        .call(
            "user_update",
            json!({"id": root_id, "changes": {"email": "root@example.test"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    idp.next_login(account("who-sub", "who", "root@example.test", true, &[]))
        .await;
    assert_eq!(sign_in(&app, &browser()).await, "/login?sso=no_account");
    assert_eq!(users(&app).await.len(), 1, "neither linked nor made");
}
