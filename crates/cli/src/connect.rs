//! Connecting to a Dyad service: plain or TLS (with the CA that signed the
//! service's certificate), and a bearer token on every call.

use std::path::PathBuf;

use anyhow::Context;
use tonic::{
    metadata::AsciiMetadataValue,
    service::{Interceptor, interceptor::InterceptedService},
    transport::{Certificate, Channel, ClientTlsConfig, Endpoint},
};

/// How a client reaches a service.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientOptions {
    /// PEM certificate of the CA that signed the service's certificate:
    /// connect over TLS (an https:// address does too, with system roots).
    #[arg(long, env = "DYAD_CA_CERT")]
    pub ca_cert: Option<PathBuf>,
    /// Bearer token sent on every call (see the service's --auth-tokens).
    #[arg(long, env = "DYAD_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

/// Adds `authorization: Bearer <token>` to every call, when there is a token.
#[derive(Clone)]
pub struct Bearer(Option<AsciiMetadataValue>);

impl Interceptor for Bearer {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(value) = &self.0 {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        Ok(request)
    }
}

/// A channel with the bearer token on every call.
pub type AuthChannel = InterceptedService<Channel, Bearer>;

impl ClientOptions {
    /// The endpoint for `addr` (host:port or a URL), TLS when asked for.
    pub fn endpoint(&self, addr: &str) -> anyhow::Result<Endpoint> {
        let tls = self.ca_cert.is_some() || addr.starts_with("https://");
        let url = if addr.contains("://") {
            addr.to_string()
        } else if tls {
            format!("https://{addr}")
        } else {
            format!("http://{addr}")
        };
        let mut endpoint = Endpoint::from_shared(url.clone())
            .map_err(|e| anyhow::anyhow!("{url:?} is not an address: {e}"))?;
        if tls {
            let mut config = ClientTlsConfig::new().with_enabled_roots();
            if let Some(path) = &self.ca_cert {
                let pem = std::fs::read(path)
                    .with_context(|| format!("cannot read --ca-cert {}", path.display()))?;
                config = config.ca_certificate(Certificate::from_pem(pem));
            }
            endpoint = endpoint.tls_config(config).context("cannot set up TLS")?;
        }
        Ok(endpoint)
    }

    /// The token interceptor.
    pub fn bearer(&self) -> anyhow::Result<Bearer> {
        self.token
            .as_deref()
            .map(|token| {
                format!("Bearer {token}")
                    .parse::<AsciiMetadataValue>()
                    .map_err(|_| anyhow::anyhow!("--token must be printable ASCII"))
            })
            .transpose()
            .map(Bearer)
    }
}
