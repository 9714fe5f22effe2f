//! Serving the API over TLS with a certificate made at start, as a cluster's API server does:
//! kubectl sends a bearer token over TLS only, so the sandbox's token needs it. The
//! certificate (for `127.0.0.1` and `localhost`) is its own CA; clients are given it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// A self-signed serving certificate and its key.
pub struct Identity {
    /// The certificate, PEM (what a kubeconfig's `certificate-authority-data` holds).
    pub cert_pem: String,
    /// The certificate, DER (what a kube-rs `Config::root_cert` holds).
    pub cert_der: Vec<u8>,
    key_der: Vec<u8>,
}

impl Identity {
    /// A new certificate for `127.0.0.1` and `localhost`.
    pub fn generate() -> std::io::Result<Identity> {
        let names = vec!["127.0.0.1".to_string(), "localhost".to_string()];
        let made = rcgen::generate_simple_self_signed(names).map_err(std::io::Error::other)?;
        Ok(Identity {
            cert_pem: made.cert.pem(),
            cert_der: made.cert.der().to_vec(),
            key_der: made.signing_key.serialize_der(),
        })
    }

    fn acceptor(&self) -> std::io::Result<TlsAcceptor> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(std::io::Error::other)?
            .with_no_client_auth()
            .with_single_cert(
                vec![self.cert_der.clone().into()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(self.key_der.clone().into()),
            )
            .map_err(std::io::Error::other)?;
        // exec and attach upgrade HTTP/1.1 connections
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

/// A listener whose connections have completed their TLS handshake. Handshakes run in their
/// own tasks (a slow or silent client holds up no one), for 10 s at most.
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    addr: SocketAddr,
    accepting: tokio::task::JoinHandle<()>,
}

impl TlsListener {
    /// Serves TLS with `identity` on the connections of `tcp`.
    pub fn new(tcp: TcpListener, identity: &Identity) -> std::io::Result<TlsListener> {
        let acceptor = identity.acceptor()?;
        let addr = tcp.local_addr()?;
        let (tx, ready) = mpsc::channel(64);
        let accepting = tokio::spawn(async move {
            loop {
                let (stream, peer) = match tcp.accept().await {
                    Ok(c) => c,
                    Err(e) => {
                        tracing::debug!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let (acceptor, tx) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream))
                        .await
                    {
                        Ok(Ok(tls)) => {
                            let _ = tx.send((tls, peer)).await;
                        }
                        Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(TlsListener {
            ready,
            addr,
            accepting,
        })
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(c) => c,
            // the accepting task ended (it does not): serve nothing more
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.addr)
    }
}
