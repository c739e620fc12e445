//! Request limits in front of a service: a rate limit on calls started and
//! a cap on calls running at once. Calls over either are refused at once
//! with RESOURCE_EXHAUSTED (load shedding), never queued without bound.
//! Calls open to all (health, reflection) have a small budget of their own,
//! so that callers without a token can never take the service's capacity.

use std::{
    num::NonZeroU32,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use dyad_proto::errors;
use futures_util::future::{BoxFuture, FutureExt};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::Semaphore;
use tonic::Code;

use super::body::observe;

/// Health checks, watches and reflection calls served at once, apart from
/// the service's own calls.
pub const MAX_OPEN_CALLS: usize = 64;

/// Limits of a service's calls.
#[derive(Clone)]
pub struct LimitsLayer {
    rate: Option<Arc<DefaultDirectRateLimiter>>,
    per_second: u32,
    calls: Arc<Semaphore>,
    max_calls: usize,
    open_calls: Arc<Semaphore>,
}

impl LimitsLayer {
    /// At most `per_second` calls started per second (0: unlimited) and
    /// `max_calls` running at once.
    pub fn new(per_second: u32, max_calls: usize) -> Self {
        let rate = NonZeroU32::new(per_second)
            .map(|n| Arc::new(RateLimiter::direct(Quota::per_second(n))));
        Self {
            rate,
            per_second,
            calls: Arc::new(Semaphore::new(max_calls.max(1))),
            max_calls: max_calls.max(1),
            open_calls: Arc::new(Semaphore::new(MAX_OPEN_CALLS)),
        }
    }
}

impl<S> tower::Layer<S> for LimitsLayer {
    type Service = Limits<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Limits {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`LimitsLayer`] wraps.
#[derive(Clone)]
pub struct Limits<S> {
    inner: S,
    layer: LimitsLayer,
}

impl<S, B> tower::Service<http::Request<B>> for Limits<S>
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
        let refuse = |status: tonic::Status| std::future::ready(Ok(status.into_http())).boxed();
        let open = crate::auth::is_open(request.uri().path());
        if !open
            && let Some(rate) = &self.layer.rate
            && rate.check().is_err()
        {
            return refuse(errors::status_with(
                Code::ResourceExhausted,
                format!(
                    "over the limit of {} requests per second: retry with backoff",
                    self.layer.per_second
                ),
                errors::Reason::RateLimited,
                &[],
                Some(Duration::from_secs_f64(
                    1.0 / f64::from(self.layer.per_second).max(1.0),
                )),
            ));
        }
        let (calls, limit, what) = if open {
            (
                &self.layer.open_calls,
                MAX_OPEN_CALLS,
                "health and reflection calls",
            )
        } else {
            (&self.layer.calls, self.layer.max_calls, "calls")
        };
        let Ok(permit) = calls.clone().try_acquire_owned() else {
            return refuse(errors::status(
                Code::ResourceExhausted,
                format!(
                    "the service is running its limit of {limit} {what} at once: retry with backoff"
                ),
                errors::Reason::TooManyCalls,
            ));
        };
        // The permit is held until the response body ends (streams too).
        self.inner
            .call(request)
            .map(|result| result.map(|response| observe(response, Box::new(move |_| drop(permit)))))
            .boxed()
    }
}
