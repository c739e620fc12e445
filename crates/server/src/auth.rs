//! Bearer-token authentication: a tower layer that checks the
//! `authorization` header of every call against the configured tokens, in
//! constant time, and never logs them.

use std::{
    sync::Arc,
    task::{Context, Poll},
};

use dyad_proto::errors::{Reason, status};
use futures_util::future::{BoxFuture, FutureExt};
use subtle::ConstantTimeEq;
use tonic::{Code, Status};

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Query the events.
    Read,
    /// Ingest articles (and read).
    Write,
}

/// The configured tokens.
#[derive(Clone)]
pub struct Tokens(Arc<Vec<(Vec<u8>, Access)>>);

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tokens({} configured)", self.0.len())
    }
}

impl Tokens {
    /// Parses a tokens file: `<token> <read|write>` per line; blank lines
    /// and `#` comments skipped. Errors name the line, never the token.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut tokens = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split_whitespace();
            let (Some(token), Some(access), None) = (fields.next(), fields.next(), fields.next())
            else {
                return Err(format!(
                    "line {}: expected `<token> <read|write>`",
                    index + 1
                ));
            };
            let access = match access {
                "read" => Access::Read,
                "write" => Access::Write,
                other => {
                    return Err(format!(
                        "line {}: access {other:?} is neither read nor write",
                        index + 1
                    ));
                }
            };
            if token.len() < 16 {
                return Err(format!(
                    "line {}: the token is shorter than 16 characters",
                    index + 1
                ));
            }
            tokens.push((token.as_bytes().to_vec(), access));
        }
        if tokens.is_empty() {
            return Err("no tokens: add lines `<token> <read|write>`".to_string());
        }
        Ok(Self(Arc::new(tokens)))
    }

    /// The access of `presented`, comparing with every token in constant time.
    pub fn access(&self, presented: &[u8]) -> Option<Access> {
        let mut found = None;
        for (token, access) in self.0.iter() {
            if bool::from(token.as_slice().ct_eq(presented)) {
                found = found.max(Some(*access));
            }
        }
        found
    }
}

/// Calls every caller may make: health checks and reflection.
/// Whether a call is open to all: health checks and reflection.
pub(crate) fn is_open(path: &str) -> bool {
    path.starts_with("/grpc.health.v1.Health/") || path.starts_with("/grpc.reflection.")
}

/// The access a service's calls need.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Access every call of the service needs; `None`: open to all.
    pub needs: Option<Access>,
}

/// Checks bearer tokens before calls reach the service.
#[derive(Clone)]
pub struct AuthLayer {
    tokens: Option<Tokens>,
    policy: Policy,
}

impl AuthLayer {
    /// Requires `policy` of every call, with `tokens`.
    pub fn new(tokens: Tokens, policy: Policy) -> Self {
        Self {
            tokens: Some(tokens),
            policy,
        }
    }

    /// Lets every call through: no tokens are configured.
    pub fn open() -> Self {
        Self {
            tokens: None,
            policy: Policy { needs: None },
        }
    }
}

impl<S> tower::Layer<S> for AuthLayer {
    type Service = Auth<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Auth {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`AuthLayer`] wraps.
#[derive(Clone)]
pub struct Auth<S> {
    inner: S,
    layer: AuthLayer,
}

impl<S, B> tower::Service<http::Request<B>> for Auth<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>
        + Send
        + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        match self.check(&request) {
            Ok(()) => self.inner.call(request).boxed(),
            Err(status) => std::future::ready(Ok(status.into_http())).boxed(),
        }
    }
}

impl<S> Auth<S> {
    fn check<B>(&self, request: &http::Request<B>) -> Result<(), Status> {
        let (Some(tokens), Some(needs)) = (&self.layer.tokens, self.layer.policy.needs) else {
            return Ok(());
        };
        if is_open(request.uri().path()) {
            return Ok(());
        }
        let presented = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .map(|value| value.as_bytes())
            .and_then(|value| {
                value
                    .strip_prefix(b"Bearer ")
                    .or(value.strip_prefix(b"bearer "))
            })
            .ok_or_else(|| {
                status(
                    Code::Unauthenticated,
                    "missing credentials: send the header `authorization: Bearer <token>`",
                    Reason::TokenMissing,
                )
            })?;
        match tokens.access(presented) {
            None => Err(status(
                Code::Unauthenticated,
                "the bearer token is not valid",
                Reason::TokenInvalid,
            )),
            Some(access) if access < needs => Err(status(
                Code::PermissionDenied,
                "this token may only read: writing needs a write token",
                Reason::TokenReadOnly,
            )),
            Some(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tokens_and_grants_access() {
        let tokens = Tokens::parse(
            "# readers\nreader-token-0123456789 read\n\nwriter-token-0123456789 write\n",
        )
        .unwrap();
        assert_eq!(
            tokens.access(b"reader-token-0123456789"),
            Some(Access::Read)
        );
        assert_eq!(
            tokens.access(b"writer-token-0123456789"),
            Some(Access::Write)
        );
        assert_eq!(tokens.access(b"writer-token-012345678"), None);
        assert_eq!(tokens.access(b""), None);
    }

    #[test]
    fn bad_token_files_name_the_line_not_the_token() {
        let error = Tokens::parse("good-token-0123456789 write\nsecret-token-0123456789 admin\n")
            .unwrap_err();
        assert!(error.starts_with("line 2:"), "{error}");
        assert!(!error.contains("secret"), "{error}");
        assert!(Tokens::parse("short read").unwrap_err().contains("16"));
        assert!(Tokens::parse("# nothing\n").is_err());
    }
}
