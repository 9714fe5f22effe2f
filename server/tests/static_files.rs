//! The web app's files: gzipped for browsers that accept it (the build's own `.gz` when there
//! is one; API answers are not), cached for good when their name carries a hash, and the
//! service worker generated from the build.

mod common;

use common::TestApp;

#[tokio::test]
async fn the_app_is_served_gzipped_and_the_worker_lists_it() {
    let app = TestApp::spawn().await;
    let big = "let x = 1;\n".repeat(20_000);
    std::fs::write(app.data_dir.join("dist").join("app-1234.js"), &big).unwrap();
    let client = reqwest::Client::builder().build().unwrap();
    let res = client
        .get(app.url("/app-1234.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let body = res.bytes().await.unwrap();
    assert!(
        body.len() < big.len() / 10,
        "{} bytes for {}",
        body.len(),
        big.len()
    );
    let plain = client.get(app.url("/app-1234.js")).send().await.unwrap();
    assert!(
        plain.headers().get("content-encoding").is_none(),
        "only when asked"
    );

    // a build's own `.gz` is served as is, and hashed names are cached for good
    let dist = app.data_dir.join("dist");
    std::fs::write(dist.join("app-0123456789abcdef.js"), &big).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, b"made by the build").unwrap();
    std::fs::write(
        dist.join("app-0123456789abcdef.js.gz"),
        gz.finish().unwrap(),
    )
    .unwrap();
    let res = client
        .get(app.url("/app-0123456789abcdef.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&res.bytes().await.unwrap()[..]),
        &mut text,
    )
    .unwrap();
    assert_eq!(text, "made by the build");
    let index = client.get(app.url("/servers/x")).send().await.unwrap();
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["cache-control"], "no-cache");

    // the worker was generated at start from the build's files
    let sw = client.get(app.url("/sw.js")).send().await.unwrap();
    assert_eq!(sw.status(), 200);
    assert_eq!(sw.headers()["cache-control"], "no-cache");
    let text = sw.text().await.unwrap();
    assert!(text.contains("\"/app.css\""), "{text}");
    assert!(text.contains("const VERSION = \""));
}

/// Every answer carries a strict Content-Security-Policy: the page's inline script by its hash,
/// WebAssembly from the panel's own files, no inline styles, nothing from other origins.
#[tokio::test]
async fn every_answer_carries_a_strict_content_security_policy() {
    use base64::Engine;
    use sha2::Digest;
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(b"var boot = 1;"));
    for path in ["/", "/servers/some/client/route", "/api/panel_info"] {
        let res = if path.starts_with("/api/") {
            client
                .post(app.url(path))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap()
        } else {
            client.get(app.url(path)).send().await.unwrap()
        };
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'"
            )),
            "{path}: {csp}"
        );
        for part in [
            "default-src 'self'",
            "style-src 'self';",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(part), "{path}: {part} in {csp}");
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains('*'),
            "{path}: {csp}"
        );
    }
}
