//! The panel's HTTP client for the public APIs it reads (Modrinth, the game version lists):
//! TLS by rustls with ring (the provider the Kubernetes client already uses, set as rustls'
//! default once), a user agent naming the panel as those APIs ask, no redirects, and time
//! limits.

use std::time::Duration;

/// Installs ring as rustls' default provider (nothing if one is installed already).
fn install_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // an error means another provider was installed first: that one serves as well
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A client for `what` (named in the error when it cannot be built).
pub fn client(what: &str) -> Result<reqwest::Client, String> {
    install_provider();
    reqwest::Client::builder()
        .user_agent(concat!(
            "mc-panel/",
            env!("CARGO_PKG_VERSION"),
            " (a Kubernetes panel for Minecraft servers)"
        ))
        // the APIs answer where they are asked; a redirect could lead anywhere
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| format!("the {what} client: {e}"))
}
