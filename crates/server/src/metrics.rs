//! Prometheus metrics: the exporter on its own HTTP port, and a tower
//! layer counting every call by method and status code, timing it and
//! gauging the calls in flight.

use std::{
    net::SocketAddr,
    task::{Context, Poll},
    time::Instant,
};

use futures_util::future::{BoxFuture, FutureExt};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use tonic::Code;

use super::body::observe;

/// Latency buckets, in seconds: 100 µs to 60 s.
const LATENCY_BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0, 30.0, 60.0,
];

/// Starts the exporter: `GET http://addr/metrics` in the Prometheus text
/// format. Once per process (both services of `dyad up` share it).
pub fn install(addr: SocketAddr) -> Result<(), String> {
    PrometheusBuilder::new()
        .with_http_listener(addr)
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
        .map_err(|e| format!("metrics buckets: {e}"))?
        .install()
        .map_err(|e| format!("cannot serve metrics on {addr}: {e}"))?;
    describe();
    tracing::info!(%addr, "metrics at /metrics");
    Ok(())
}

fn describe() {
    metrics::describe_counter!(
        "dyad_grpc_requests_total",
        "gRPC calls finished, by service, method and status code"
    );
    metrics::describe_histogram!(
        "dyad_grpc_request_duration_seconds",
        metrics::Unit::Seconds,
        "gRPC call duration to the end of the response (streams included)"
    );
    metrics::describe_gauge!("dyad_grpc_requests_in_flight", "gRPC calls running now");
}

/// Counts and times the calls of one service.
#[derive(Clone)]
pub struct MetricsLayer {
    service: &'static str,
}

impl MetricsLayer {
    /// Labels the calls' metrics with `service` (e.g. "ingest").
    pub fn new(service: &'static str) -> Self {
        Self { service }
    }
}

impl<S> tower::Layer<S> for MetricsLayer {
    type Service = Metered<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Metered {
            inner,
            service: self.service,
        }
    }
}

/// The service [`MetricsLayer`] wraps.
#[derive(Clone)]
pub struct Metered<S> {
    inner: S,
    service: &'static str,
}

impl<S, B> tower::Service<http::Request<B>> for Metered<S>
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
        let service = self.service;
        let method = method_label(request.uri().path());
        let started = Instant::now();
        let in_flight = metrics::gauge!("dyad_grpc_requests_in_flight", "service" => service);
        in_flight.increment(1.0);
        self.inner
            .call(request)
            .map(move |result| {
                result.map(|response| {
                    observe(
                        response,
                        Box::new(move |code| {
                            in_flight.decrement(1.0);
                            let method = if code == Some(Code::Unimplemented) {
                                "unknown".to_string()
                            } else {
                                method
                            };
                            let code = code.map_or("CLIENT_GONE", code_name);
                            metrics::counter!("dyad_grpc_requests_total",
                                "service" => service, "method" => method.clone(), "code" => code)
                            .increment(1);
                            metrics::histogram!("dyad_grpc_request_duration_seconds",
                                "service" => service, "method" => method)
                            .record(started.elapsed().as_secs_f64());
                        }),
                    )
                })
            })
            .boxed()
    }
}

/// `package.Service/Method` of a call's path, bounded in length.
fn method_label(path: &str) -> String {
    let method = path.trim_start_matches('/');
    if method.len() > 100 {
        "unknown".to_string()
    } else {
        method.to_string()
    }
}

/// The canonical name of a status code, as grpc-status documents it.
fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}
