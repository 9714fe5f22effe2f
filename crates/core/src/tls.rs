//! The process's TLS crypto provider: ring, the one the Kubernetes client already uses, set as
//! rustls' default once so that the HTTP clients the panel builds (Modrinth's) can use it.

/// Installs ring as rustls' default provider (nothing if one is installed already).
pub fn install_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // an error means another provider was installed first: that one serves as well
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
