//! The Content-Security-Policy every answer carries: scripts only from the panel itself, the
//! two inline scripts of `index.html` (the service-worker bootstrap and Trunk's loader) by
//! their hashes, WebAssembly compiled from the panel's own file, nothing from other origins,
//! no framing.

use base64::Engine;
use sha2::{Digest, Sha256};

/// The policy for a web app whose `index.html` is `index`: its inline scripts are allowed by
/// their SHA-256 (the build's exact bytes), nothing else inline.
pub fn policy(index: &str) -> String {
    let hashes: Vec<String> = inline_scripts(index)
        .into_iter()
        .map(|s| {
            let digest = Sha256::digest(s.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}{}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; \
         worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'",
        if hashes.is_empty() { "" } else { " " },
        hashes.join(" ")
    )
}

/// The text of each `<script>` without a `src` (as the browser hashes it: the raw characters
/// between the tags).
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_and_more = &after[open_end + 1..];
        let Some(close) = body_and_more.find("</script") else {
            break;
        };
        if !tag.contains("src=") {
            out.push(&body_and_more[..close]);
        }
        rest = &body_and_more[close..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_allowed_by_hash_and_nothing_else() {
        let html = "<head><script type=\"module\">import x from '/a.js';</script>\
                    <script src=\"/b.js\"></script></head><body><script>\n var a;\n</script></body>";
        assert_eq!(
            inline_scripts(html),
            ["import x from '/a.js';", "\n var a;\n"]
        );
        let p = policy(html);
        let h = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"import x from '/a.js';"));
        assert!(p.contains(&format!("'sha256-{h}'")), "{p}");
        assert_eq!(p.matches("'sha256-").count(), 2, "{p}");
        assert!(!p.contains("unsafe-inline"), "{p}");
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(policy("<p>no scripts</p>").contains("script-src 'self' 'wasm-unsafe-eval';"));
    }
}
