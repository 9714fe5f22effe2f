//! The installable app: `/sw.js`, the service worker, generated at start from the web app's
//! files (`dist/`), so that its precache list and cache name follow each build.

use std::path::Path;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

const TEMPLATE: &str = include_str!("sw.js");

/// The service worker for the build in `dist`: every shell file, and a version that changes
/// with them (their names carry content hashes; index.html is hashed itself).
pub fn service_worker(dist: &Path) -> String {
    let mut shell = vec!["/".to_string()];
    let mut fingerprint = Vec::new();
    let mut walk = vec![dist.to_path_buf()];
    while let Some(dir) = walk.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk.push(path);
                continue;
            }
            let Ok(rel) = path.strip_prefix(dist) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let keep = rel.ends_with(".wasm")
                || rel.ends_with(".js")
                || rel.ends_with(".css")
                || rel.ends_with(".png")
                || rel.ends_with(".webmanifest");
            if rel == "index.html" {
                fingerprint.extend(std::fs::read(&path).unwrap_or_default());
            } else if keep {
                fingerprint.extend(rel.as_bytes());
                shell.push(format!("/{rel}"));
            }
        }
    }
    shell.sort();
    let version = format!("{:016x}", fnv1a(&fingerprint));
    TEMPLATE.replace("__VERSION__", &version).replace(
        "__SHELL__",
        &serde_json::to_string(&shell).unwrap_or_else(|_| "[]".into()),
    )
}

/// FNV-1a, 64 bits: a stable fingerprint (not a security hash).
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The `/sw.js` response: never cached by the browser's HTTP cache, so updates are seen.
pub fn response(body: &str) -> Response {
    let mut res = body.to_string().into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_lists_the_build_and_changes_with_it() {
        let dir = std::env::temp_dir().join(format!("sw-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(dir.join("icons")).unwrap();
        std::fs::write(dir.join("index.html"), "<script src=/app-1.js>").unwrap();
        std::fs::write(dir.join("app-1.js"), "x").unwrap();
        std::fs::write(dir.join("app-1_bg.wasm"), "x").unwrap();
        std::fs::write(dir.join("icons/icon-192.png"), "x").unwrap();
        let a = service_worker(&dir);
        assert!(
            a.contains(r#"["/","/app-1.js","/app-1_bg.wasm","/icons/icon-192.png"]"#),
            "{a}"
        );
        std::fs::write(dir.join("index.html"), "<script src=/app-2.js>").unwrap();
        let b = service_worker(&dir);
        let version = |s: &str| {
            s.lines()
                .find(|l| l.starts_with("const VERSION"))
                .unwrap()
                .to_string()
        };
        assert_ne!(version(&a), version(&b), "a new build, a new cache");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
