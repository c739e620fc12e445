//! Dyad's server runtime, shared by both services and `dyad up`:
//! reflection, health, logging, shutdown signals, authentication, TLS,
//! metrics and request limits, so that every Dyad server registers the same
//! descriptors and behaves the same. The API contract itself is
//! `dyad-proto`, which needs none of this.

mod args;
mod auth;
mod body;
mod handshake;
mod limits;
pub mod metrics;
mod options;
mod store_errors;

pub use args::{LogArgs, StoreArgs, listen_addr};
pub use auth::{Access, AuthLayer, Policy, Tokens};
pub use handshake::HandshakeDeadline;
pub use limits::LimitsLayer;
pub use metrics::MetricsLayer;
pub use options::{
    DEFAULT_HANDSHAKE_TIMEOUT_SECS, DEFAULT_MAX_CONCURRENT_CALLS, DEFAULT_MAX_MESSAGE_BYTES,
    DEFAULT_MAX_REQUESTS_PER_SECOND, ServerOptions,
};
pub use store_errors::store_status;

use futures_util::TryStreamExt;
use tokio::net::TcpListener;
use tonic::transport::{
    Server,
    server::{Router, TcpIncoming},
};
use tonic_health::{ServingStatus, server::HealthReporter};
use tonic_reflection::server::{
    v1::{ServerReflection, ServerReflectionServer},
    v1alpha::{
        ServerReflection as ServerReflectionAlpha,
        ServerReflectionServer as ServerReflectionAlphaServer,
    },
};
use tonic_web::GrpcWebLayer;

/// Why a server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Its settings are unusable (a token or certificate file).
    #[error("{0}")]
    Setup(String),
    /// The transport failed.
    #[error(transparent)]
    Transport(#[from] tonic::transport::Error),
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            other => Err(format!("unknown log format {other:?}: use text or json")),
        }
    }
}

/// Blocking threads a service may run beyond one per core (which code
/// articles): the store's writer and one reader.
const EXTRA_BLOCKING_THREADS: usize = 2;

/// The tokio runtime of a service binary: a worker per core, and at most
/// two more blocking threads than cores. Blocking work beyond that queues;
/// tokio's default of 512 threads let a burst of calls spread its
/// allocations over dozens of threads, each keeping its own allocator heap
/// (see the ingest overload bench).
pub fn service_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(cores + EXTRA_BLOCKING_THREADS)
        .build()
}

/// Runs a service binary's `main` on [`service_runtime`]; `binary` names it
/// in the error when the runtime cannot start.
pub fn run_service(
    binary: &str,
    main: impl std::future::Future<Output = std::process::ExitCode>,
) -> std::process::ExitCode {
    match service_runtime() {
        Ok(runtime) => runtime.block_on(main),
        Err(e) => {
            eprintln!("{binary}: cannot start the runtime: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Installs the global tracing subscriber, filtered by `RUST_LOG` (default
/// `info`), writing to standard error: text is coloured only when that is a
/// terminal, so log files and journals hold no escape codes. Calling it
/// twice is harmless.
pub fn init_tracing(format: LogFormat) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Reflection services, v1 and v1alpha (grpcurl 1.8 speaks only v1alpha),
/// describing the `dyad.v1` files and `grpc.health.v1`.
pub fn reflection_services() -> (
    ServerReflectionServer<impl ServerReflection>,
    ServerReflectionAlphaServer<impl ServerReflectionAlpha>,
) {
    let builder = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(dyad_proto::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    let v1 = builder()
        .build_v1()
        .expect("the compiled-in descriptor sets are valid");
    let v1alpha = builder()
        .build_v1alpha()
        .expect("the compiled-in descriptor sets are valid");
    (v1, v1alpha)
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("installing a SIGTERM handler succeeds on unix");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    tracing::info!("shutdown signal received");
}

/// How long a server waits, once shutdown begins, for open calls and
/// connections to finish before it stops anyway.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// The layers every call passes: gRPC-Web translation (outermost, so that
/// browser clients get every answer in their framing), metrics (so that
/// refused calls are counted), authentication, then limits.
pub type Layers = tower::layer::util::Stack<
    LimitsLayer,
    tower::layer::util::Stack<
        AuthLayer,
        tower::layer::util::Stack<
            MetricsLayer,
            tower::layer::util::Stack<GrpcWebLayer, tower::layer::util::Identity>,
        >,
    >,
>;

/// A server with health and reflection, serving `service_name` (its
/// `NamedService::NAME`), behind the layers `options` and `policy` ask for,
/// and the health reporter to flip on shutdown. `label` names the service
/// in metrics. Add the service itself to the router, then call [`serve`].
pub async fn router(
    service_name: &'static str,
    label: &'static str,
    options: &ServerOptions,
    policy: Policy,
) -> Result<(Router<Layers>, HealthReporter), String> {
    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_service_status(service_name, ServingStatus::Serving)
        .await;
    let (reflection_v1, reflection_v1alpha) = reflection_services();
    // HTTP/1.1 too: gRPC-Web clients in browsers speak it. Peers that stop
    // answering pings (gone, or never a real client) are dropped.
    let mut builder = Server::builder()
        .accept_http1(true)
        .http2_keepalive_interval(Some(KEEPALIVE_INTERVAL))
        .http2_keepalive_timeout(Some(KEEPALIVE_TIMEOUT))
        .tcp_keepalive(Some(KEEPALIVE_INTERVAL));
    if let Some(tls) = options.tls()? {
        builder = builder
            .tls_config(tls)
            .map_err(|e| format!("invalid TLS certificate or key: {e}"))?;
    }
    let tokens = options.tokens()?;
    let auth = match tokens {
        Some(tokens) => AuthLayer::new(tokens, policy),
        None => AuthLayer::open(),
    };
    let router = builder
        .layer(GrpcWebLayer::new())
        .layer(MetricsLayer::new(label))
        .layer(auth)
        .layer(LimitsLayer::new(
            options.max_requests_per_second,
            options.max_concurrent_calls,
        ))
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha);
    Ok((router, health))
}

/// How often an HTTP/2 connection is pinged (and TCP keepalive probes sent).
pub const KEEPALIVE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(30);
/// How long a ping may go unanswered before its connection is closed.
pub const KEEPALIVE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// How often a server asks whether what it depends on (its store) is there.
pub const READINESS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Serves `router` on `listener` until `shutdown` completes; a connection
/// that does not start its handshake within `handshake_timeout` is closed
/// ([`HandshakeDeadline`]). Health follows
/// `ready` (asked every [`READINESS_EVERY`]: SERVING while it answers true,
/// NOT_SERVING while false, e.g. while the store is unreachable) and turns
/// NOT_SERVING for `service_name` and overall for good as soon as shutdown
/// begins; calls in flight then get [`SHUTDOWN_GRACE`] to finish.
pub async fn serve<R, F>(
    router: Router<Layers>,
    listener: TcpListener,
    health: HealthReporter,
    service_name: &'static str,
    handshake_timeout: std::time::Duration,
    ready: R,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), tonic::transport::Error>
where
    R: Fn() -> F + Send + 'static,
    F: std::future::Future<Output = bool> + Send + 'static,
{
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, service = service_name, "listening");
    }
    let (begun, shutdown_begun) = tokio::sync::watch::channel(false);
    // Status changes are made under this lock, so that a readiness check
    // never turns a shutting-down server back to SERVING.
    let status_lock = std::sync::Arc::new(tokio::sync::Mutex::new(()));
    tokio::spawn(follow_readiness(
        health.clone(),
        service_name,
        ready,
        shutdown_begun.clone(),
        status_lock.clone(),
    ));
    // No Nagle delay: an answer larger than one segment would otherwise wait
    // for the client's delayed acknowledgement (about 40 ms).
    let incoming = TcpIncoming::from(listener)
        .with_nodelay(Some(true))
        .map_ok(move |stream| HandshakeDeadline::new(stream, handshake_timeout));
    let server = router.serve_with_incoming_shutdown(incoming, async move {
        shutdown.await;
        let _guard = status_lock.lock().await;
        let _ = begun.send(true);
        set_status(&health, service_name, ServingStatus::NotServing).await;
    });
    with_shutdown_grace(server, shutdown_begun).await
}

async fn set_status(health: &HealthReporter, service_name: &'static str, status: ServingStatus) {
    health.set_service_status(service_name, status).await;
    health.set_service_status("", status).await;
}

/// Sets health from `ready` every [`READINESS_EVERY`] until shutdown begins.
async fn follow_readiness<R, F>(
    health: HealthReporter,
    service_name: &'static str,
    ready: R,
    shutdown_begun: tokio::sync::watch::Receiver<bool>,
    status_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
) where
    R: Fn() -> F,
    F: std::future::Future<Output = bool>,
{
    let mut serving = true;
    loop {
        tokio::time::sleep(READINESS_EVERY).await;
        let now = ready().await;
        let _guard = status_lock.lock().await;
        if *shutdown_begun.borrow() {
            return;
        }
        if now != serving {
            serving = now;
            if now {
                tracing::info!(service = service_name, "ready again: SERVING");
                set_status(&health, service_name, ServingStatus::Serving).await;
            } else {
                tracing::warn!(
                    service = service_name,
                    "not ready (store unreachable): NOT_SERVING"
                );
                set_status(&health, service_name, ServingStatus::NotServing).await;
            }
        }
    }
}

/// Runs `server` but returns at most [`SHUTDOWN_GRACE`] after `begun` turns
/// true, even if clients keep connections open.
async fn with_shutdown_grace<E>(
    server: impl std::future::Future<Output = Result<(), E>>,
    mut begun: tokio::sync::watch::Receiver<bool>,
) -> Result<(), E> {
    let deadline = async move {
        let _ = begun.wait_for(|started| *started).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
        tracing::warn!("connections still open after the shutdown grace period; stopping anyway");
    };
    tokio::select! {
        result = server => result,
        () = deadline => Ok(()),
    }
}
