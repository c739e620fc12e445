//! Dyad's query service: serves the coded events over gRPC — timelines as
//! lists and series, actor relations, dyad histories with trends and
//! shifts, relation graphs, actor search, a live feed of new events and
//! whole exports.

mod analysis;
mod answers;
mod buckets;
mod config;
mod directory;
pub mod encoded;
mod error;
mod export;
mod graph;
mod history;
mod http;
mod listing;
mod lookup;
mod page_token;
mod relations;
mod request;
mod search;
mod series;
mod service;
mod timeline;
mod watch;

use std::{future::Future, sync::Arc};

/// The QueryService server whose kept answers (`ListEvents`, `GetTimeline`,
/// `ListRelations`, `GetDyadHistory`, `GetRelationGraph`) are returned as
/// [`Encoded`] messages: written as they were encoded once. Clients use
/// `dyad_proto::v1::query_service_client`, whose types are the plain messages.
#[allow(missing_docs, clippy::all)]
pub mod encoded_server {
    include!(concat!(env!("OUT_DIR"), "/encoded/dyad.v1.rs"));
}

pub use config::{DEFAULT_HTTP_ADDR, QueryCli, QueryConfig};
pub use encoded::Encoded;
pub use error::QueryError;
pub use http::bind_http;
pub use listing::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use service::Querier;
pub use watch::DEFAULT_WATCH_BUFFER_KIB;

use dyad_server::{Access, Policy, ServeError, ServerOptions};
use dyad_store::Store;
use encoded_server::query_service_server::QueryServiceServer;
use futures_util::FutureExt;
use tokio::net::TcpListener;
use tonic::codec::CompressionEncoding;

/// Serves `dyad.v1.QueryService`, health and reflection on `listener` until
/// `shutdown` completes; health turns NOT_SERVING as soon as it does. With
/// tokens configured in `server`, calls need a read (or write) token unless
/// `server.public_reads`.
pub async fn serve(
    listener: TcpListener,
    store: Arc<dyn Store>,
    config: QueryConfig,
    server: ServerOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    serve_with_http(listener, None, store, config, server, shutdown).await
}

/// [`serve`], and the HTTP/JSON API on `http` when given: every RPC as
/// `POST /v1/<Method>`, behind the same tokens and limits.
pub async fn serve_with_http(
    listener: TcpListener,
    http: Option<TcpListener>,
    store: Arc<dyn Store>,
    config: QueryConfig,
    server: ServerOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let shutdown = shutdown.shared();
    let service = QueryServiceServer::new(Querier::new(store.clone(), &config))
        .accept_compressed(CompressionEncoding::Gzip)
        .max_decoding_message_size(server.max_message_bytes)
        .max_encoding_message_size(server.max_message_bytes);
    let name = <QueryServiceServer<Querier> as tonic::server::NamedService>::NAME;
    let policy = Policy {
        needs: (!server.public_reads).then_some(Access::Read),
    };
    let (router, health) = dyad_server::router(name, "query", &server, policy)
        .await
        .map_err(ServeError::Setup)?;
    let http = match http {
        Some(listener) => {
            let served = http::serve(listener, service.clone(), &server, policy, shutdown.clone());
            futures_util::future::Either::Left(served.map(|r| r.map_err(ServeError::Setup)))
        }
        None => futures_util::future::Either::Right(std::future::ready(Ok(()))),
    };
    let grpc = dyad_server::serve(
        router.add_service(service),
        listener,
        health,
        name,
        server.handshake_timeout(),
        move || {
            let store = store.clone();
            // A store that does not answer in time (a cut network) is down.
            async move {
                let ping = tokio::time::timeout(std::time::Duration::from_secs(2), store.ping());
                matches!(ping.await, Ok(Ok(())))
            }
        },
        shutdown,
    )
    .map(|r| r.map_err(ServeError::Transport));
    tokio::try_join!(grpc, http).map(|_| ())
}
