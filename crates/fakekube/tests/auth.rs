//! fakekube with a token answers only requests that carry it, as kube-apiserver with a token
//! file does: `401 Unauthorized` as a `Status` otherwise, health and version public.

const TOKEN: &str = "a-token-for-this-test-0123456789";

#[tokio::test]
async fn requests_without_the_token_are_refused() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let root = std::env::temp_dir().join(format!("fakekube-auth-{}", uuid::Uuid::new_v4()));
    let fk = fakekube::FakeKube::start(fakekube::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        root: root.clone(),
        mcsim: env!("CARGO_BIN_EXE_mcsim").into(),
        persist: false,
        namespaces: vec!["games".into()],
        token: Some(TOKEN.into()),
        tls: true,
        node_address: None,
    })
    .await
    .unwrap();
    assert!(fk.url.starts_with("https://"), "{}", fk.url);
    let ca = reqwest::Certificate::from_pem(fk.ca_pem.as_ref().unwrap().as_bytes()).unwrap();
    let http = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .unwrap();
    // a client that does not trust its certificate does not get through
    assert!(reqwest::get(format!("{}/healthz", fk.url)).await.is_err());
    let pods = format!("{}/api/v1/namespaces/games/pods", fk.url);
    for auth in [
        None,
        Some("Bearer wrong".to_string()),
        Some(format!("Bearer {TOKEN}x")),
        Some(format!("Basic {TOKEN}")),
        Some(TOKEN.to_string()),
    ] {
        let mut req = http.get(&pods);
        if let Some(a) = &auth {
            req = req.header("authorization", a);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 401, "{auth:?}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["kind"], "Status");
        assert_eq!(body["reason"], "Unauthorized");
    }
    // a refused write stores nothing
    let res = http
        .post(format!("{}/api/v1/namespaces/games/configmaps", fk.url))
        .header("content-type", "application/json")
        .body(r#"{"metadata":{"name":"sneaky"}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = http
        .get(format!(
            "{}/api/v1/namespaces/games/configmaps/sneaky",
            fk.url
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    // with the token
    let res = http.get(&pods).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(res.status(), 200);
    // the public paths
    for path in ["/healthz", "/readyz", "/livez", "/version"] {
        let res = http.get(format!("{}{path}", fk.url)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
    // the test-only control paths are not public
    let res = http
        .get(format!("{}/fakekube/requests", fk.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    fk.stop().await;
    let _ = std::fs::remove_dir_all(root);
}
