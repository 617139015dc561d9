//! TLS: a certificate chain and private key in PEM files, served with rustls (ring).

use std::path::Path;

use axum_server::tls_rustls::RustlsConfig;

/// Loads the certificate chain and key. Installs the ring crypto provider once.
pub async fn load_tls(cert: &Path, key: &Path) -> std::io::Result<RustlsConfig> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    RustlsConfig::from_pem_file(cert, key).await.map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!(
                "cannot load the TLS certificate {} and key {}: {e}",
                cert.display(),
                key.display()
            ),
        )
    })
}
