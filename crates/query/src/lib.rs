//! Dyad's query service: serves the coded events — timelines and the
//! articles they came from — over gRPC.

mod config;
mod error;
mod page_token;
mod service;

use std::{future::Future, sync::Arc};

pub use config::{QueryCli, QueryConfig};
pub use error::QueryError;
pub use service::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Querier};

use dyad_proto::v1::query_service_server::QueryServiceServer;
use dyad_store::Store;
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;

/// Serves `dyad.v1.QueryService`, health and reflection on `listener` until
/// `shutdown` completes; health turns NOT_SERVING as soon as it does.
pub async fn serve(
    listener: TcpListener,
    store: Arc<dyn Store>,
    config: QueryConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), tonic::transport::Error> {
    let service = QueryServiceServer::new(Querier::new(store))
        .max_decoding_message_size(config.max_message_bytes)
        .max_encoding_message_size(config.max_message_bytes);
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_serving::<QueryServiceServer<Querier>>()
        .await;
    let (reflection_v1, reflection_v1alpha) = dyad_proto::runtime::reflection_services();
    tracing::info!(addr = ?listener.local_addr().ok(), "query service listening");
    let (begun, shutdown_begun) = tokio::sync::watch::channel(false);
    let server = tonic::transport::Server::builder()
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(service)
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), async move {
            shutdown.await;
            health_reporter
                .set_not_serving::<QueryServiceServer<Querier>>()
                .await;
            health_reporter
                .set_service_status("", tonic_health::ServingStatus::NotServing)
                .await;
            let _ = begun.send(true);
        });
    dyad_proto::runtime::with_shutdown_grace(server, shutdown_begun).await
}
