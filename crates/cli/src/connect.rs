//! Connecting to a Dyad service: plain or TLS (with the CA that signed the
//! service's certificate), and a bearer token on every call.

use std::{path::PathBuf, time::Duration};

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
    /// Seconds to wait for the service to accept a connection.
    #[arg(long, env = "DYAD_CONNECT_TIMEOUT", default_value_t = 5.0, value_parser = positive_seconds)]
    pub connect_timeout: f64,
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds > 0.0 => Ok(seconds),
        _ => Err(format!("{text:?} is not a positive number of seconds")),
    }
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
        if self.ca_cert.is_some() && addr.starts_with("http://") {
            anyhow::bail!(
                "--ca-cert asks for TLS but {addr} is a plaintext http:// address: \
                 give https://… (or HOST:PORT), or leave out --ca-cert"
            );
        }
        let tls = self.ca_cert.is_some() || addr.starts_with("https://");
        let url = if addr.contains("://") {
            addr.to_string()
        } else if tls {
            format!("https://{addr}")
        } else {
            format!("http://{addr}")
        };
        let mut endpoint = Endpoint::from_shared(url.clone())
            .map_err(|e| anyhow::anyhow!("{url:?} is not an address: {e}"))?
            .connect_timeout(Duration::from_secs_f64(self.connect_timeout));
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

    /// A channel to the service at `addr`, connected now: a service that
    /// is not there fails within --connect-timeout, with a message naming
    /// `what` and the address and saying how to start it. The channel
    /// reconnects on its own after later failures.
    pub async fn connect(&self, addr: &str, what: &str) -> anyhow::Result<Channel> {
        let endpoint = self.endpoint(addr)?;
        let url = endpoint.uri().to_string();
        endpoint
            .connect()
            .await
            .map_err(|e| anyhow::anyhow!(unreachable(what, &url, &e)))
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

/// Why `what` at `url` could not be reached, with every cause in the error
/// chain (not just "transport error") and the command that starts it.
pub fn unreachable(what: &str, url: &str, error: &(dyn std::error::Error + 'static)) -> String {
    let causes = causes(error);
    if is_certificate_error(&causes) {
        return format!(
            "cannot reach {what} at {url}: {causes}. Its TLS certificate is not trusted: \
             give --ca-cert the CA that signed it, and an address matching a name in it"
        );
    }
    format!(
        "cannot reach {what} at {url}: {causes}. Is it running? `dyad up` starts both services \
         (ingest on 127.0.0.1:50051, query on 127.0.0.1:50052); --addr points elsewhere"
    )
}

/// An error with every cause in its chain, each told once: "transport
/// error: invalid peer certificate: UnknownIssuer".
pub fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut causes = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !causes.iter().any(|seen| seen.contains(&text)) {
            causes.push(text);
        }
        source = cause.source();
    }
    causes.join(": ")
}

/// Whether a failure is the service's certificate being refused (no
/// trusted CA signed it, it names another host, it expired): no retry will
/// change that, unlike a service that is down.
pub fn is_certificate_error(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    text.contains("certificate") || text.contains("unknownissuer")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> ClientOptions {
        ClientOptions {
            ca_cert: None,
            token: None,
            connect_timeout: 5.0,
        }
    }

    #[test]
    fn certificate_failures_are_told_apart_from_absent_services() {
        assert!(is_certificate_error(
            "transport error: invalid peer certificate: UnknownIssuer"
        ));
        assert!(!is_certificate_error(
            "transport error: tcp connect error: Connection refused (os error 111)"
        ));
    }

    #[tokio::test]
    async fn a_service_that_is_not_there_is_named_with_its_cause_and_a_hint() {
        // A port just freed: nothing listens on it.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let started = std::time::Instant::now();
        let error = options()
            .connect(&format!("localhost:{port}"), "the ingest service")
            .await
            .unwrap_err()
            .to_string();
        assert!(started.elapsed() < Duration::from_secs(5), "{error}");
        assert!(
            error.starts_with(&format!(
                "cannot reach the ingest service at http://localhost:{port}/"
            )),
            "{error}"
        );
        assert!(error.to_lowercase().contains("refused"), "{error}");
        assert!(error.contains("dyad up"), "{error}");
    }

    #[tokio::test]
    async fn a_service_that_never_answers_fails_within_the_connect_timeout() {
        // A listener that never accepts still completes TCP handshakes on
        // Linux (the backlog); a non-routable address never answers.
        let options = ClientOptions {
            connect_timeout: 0.5,
            ..options()
        };
        let started = std::time::Instant::now();
        let error = options
            .connect("10.255.255.1:50051", "the query service")
            .await
            .unwrap_err()
            .to_string();
        assert!(started.elapsed() < Duration::from_secs(3), "{error}");
        assert!(error.contains("cannot reach the query service"), "{error}");
    }

    #[test]
    fn a_ca_certificate_never_goes_with_plaintext() {
        let options = ClientOptions {
            ca_cert: Some("ca.pem".into()),
            ..options()
        };
        let error = options
            .endpoint("http://127.0.0.1:50051")
            .unwrap_err()
            .to_string();
        assert!(error.contains("plaintext http://"), "{error}");
    }

    #[test]
    fn the_connect_timeout_must_be_positive() {
        assert!(positive_seconds("0").is_err());
        assert!(positive_seconds("nan").is_err());
        assert_eq!(positive_seconds("2.5"), Ok(2.5));
    }
}
