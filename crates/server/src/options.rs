//! Settings every Dyad server shares: authentication, TLS, metrics and
//! request and message limits, from flags and `DYAD_*` variables.

use std::{net::SocketAddr, path::PathBuf};

use tonic::transport::{Identity, ServerTlsConfig};

use super::auth::Tokens;

/// Default most requests a service starts per second (a stream counts once).
pub const DEFAULT_MAX_REQUESTS_PER_SECOND: u32 = 20_000;
/// Default most calls a service runs at once; more are refused with
/// RESOURCE_EXHAUSTED.
pub const DEFAULT_MAX_CONCURRENT_CALLS: usize = 256;
/// Default size limit of one gRPC message, sent or received: 6 MiB (an
/// ingested page at its 4 MiB limit with the rest of its article; a query
/// answer at most as large).
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 6 << 20;

/// Default seconds a new connection has to start its handshake.
pub const DEFAULT_HANDSHAKE_TIMEOUT_SECS: u64 = 10;

/// Security, observability and limits of a server.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerOptions {
    /// Bearer tokens, one per line as `<token> <read|write>` (# comments).
    /// With tokens, writes always need a write token; reads need a token
    /// unless --public-reads.
    #[arg(long, env = "DYAD_AUTH_TOKENS_FILE")]
    pub auth_tokens: Option<PathBuf>,
    /// With --auth-tokens: let the query service answer without a token.
    #[arg(long, env = "DYAD_PUBLIC_READS")]
    pub public_reads: bool,
    /// PEM certificate chain: serve over TLS (with --tls-key).
    #[arg(long, env = "DYAD_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, env = "DYAD_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve Prometheus metrics at http://HOST:PORT/metrics.
    #[arg(long, env = "DYAD_METRICS_ADDR", value_parser = crate::listen_addr)]
    pub metrics_addr: Option<SocketAddr>,
    /// Most requests started per second (0: no limit); more are refused
    /// with RESOURCE_EXHAUSTED.
    #[arg(long, env = "DYAD_MAX_REQUESTS_PER_SECOND", default_value_t = DEFAULT_MAX_REQUESTS_PER_SECOND)]
    pub max_requests_per_second: u32,
    /// Most calls served at once; more are refused with RESOURCE_EXHAUSTED.
    #[arg(long, env = "DYAD_MAX_CONCURRENT_CALLS", default_value_t = DEFAULT_MAX_CONCURRENT_CALLS)]
    pub max_concurrent_calls: usize,
    /// Largest gRPC message sent or received, in bytes.
    #[arg(long, env = "DYAD_MAX_MESSAGE_BYTES", default_value_t = DEFAULT_MAX_MESSAGE_BYTES)]
    pub max_message_bytes: usize,
    /// Seconds a new connection has to start its handshake (TLS, or the
    /// HTTP/2 preface) and, with TLS, to finish the TLS handshake; silent
    /// connections are closed after it.
    #[arg(long, env = "DYAD_HANDSHAKE_TIMEOUT", default_value_t = DEFAULT_HANDSHAKE_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub handshake_timeout: u64,
}

impl Default for ServerOptions {
    /// No tokens, no TLS, no metrics; the default limits.
    fn default() -> Self {
        Self {
            auth_tokens: None,
            public_reads: false,
            tls_cert: None,
            tls_key: None,
            metrics_addr: None,
            max_requests_per_second: DEFAULT_MAX_REQUESTS_PER_SECOND,
            max_concurrent_calls: DEFAULT_MAX_CONCURRENT_CALLS,
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT_SECS,
        }
    }
}

impl ServerOptions {
    /// How long a new connection has to start (and, with TLS, finish) its
    /// handshake.
    pub fn handshake_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.handshake_timeout)
    }

    /// The configured tokens, read from their file.
    pub fn tokens(&self) -> Result<Option<Tokens>, String> {
        self.auth_tokens
            .as_deref()
            .map(|path| {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read --auth-tokens {}: {e}", path.display()))?;
                warn_if_others_can_read(path);
                Tokens::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
            })
            .transpose()
    }

    /// The TLS configuration, read from the certificate and key files.
    pub fn tls(&self) -> Result<Option<ServerTlsConfig>, String> {
        let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) else {
            return Ok(None);
        };
        let read = |path: &PathBuf| {
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        Ok(Some(
            ServerTlsConfig::new()
                .identity(Identity::from_pem(read(cert)?, read(key)?))
                .timeout(self.handshake_timeout()),
        ))
    }
}

/// Logs a warning when a secrets file may be read by other users of the
/// machine (any "other" permission bit set), as ssh does for keys.
fn warn_if_others_can_read(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.permissions().mode() & 0o007 != 0
    {
        tracing::warn!(
            file = %path.display(),
            mode = format!("{:o}", metadata.permissions().mode() & 0o777),
            "the tokens file can be read by other users of this machine: chmod 600 it"
        );
    }
}
