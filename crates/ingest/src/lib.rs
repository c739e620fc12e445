//! Dyad's ingest service: takes news articles over gRPC, codes them into
//! events with `dyad-extract` and stores both.

mod admission;
mod coding_pool;
mod config;
pub mod convert;
mod error;
mod language;
pub mod page;
mod service;
pub mod validate;
mod writability;

use std::{future::Future, sync::Arc};

pub use config::{DEFAULT_MAX_HTML_BYTES, DEFAULT_MAX_TEXT_BYTES, IngestCli, IngestConfig};
pub use error::IngestError;
pub use service::{Ingester, extract_events};
pub use writability::Writability;

use dyad_extract::{Coder, Dictionaries};
use dyad_proto::v1::ingest_service_server::IngestServiceServer;
use dyad_server::{Access, Policy, ServeError, ServerOptions};
use dyad_store::Store;
use tokio::net::TcpListener;
use tonic::codec::CompressionEncoding;

/// Builds the coder: built-in dictionaries plus every `*.tsv` file of
/// `dictionary_dir`. Errors name the file and line at fault.
pub fn load_coder(dictionary_dir: Option<&std::path::Path>) -> Result<Coder, String> {
    let mut files = Vec::new();
    if let Some(dir) = dictionary_dir {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read dictionary directory {}: {e}", dir.display()))?;
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
            .collect();
        paths.sort();
        for path in paths {
            let contents = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            files.push((path.display().to_string(), contents));
        }
    }
    let dictionaries =
        Dictionaries::with_files(files.iter().map(|(n, c)| (n.as_str(), c.as_str())))
            .map_err(|e| format!("invalid dictionary: {e}"))?;
    Ok(Coder::new(dictionaries))
}

/// Serves `dyad.v1.IngestService`, health and reflection on `listener` until
/// `shutdown` completes; health turns NOT_SERVING as soon as it does. Every
/// call needs a write token when `server` configures tokens.
pub async fn serve(
    listener: TcpListener,
    coder: Arc<Coder>,
    store: Arc<dyn Store>,
    config: IngestConfig,
    server: ServerOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let max_message = server.max_message_bytes;
    let ingester = Ingester::new(coder, store.clone(), config);
    let writability = ingester.writability();
    let service = IngestServiceServer::new(ingester)
        .accept_compressed(CompressionEncoding::Gzip)
        .max_decoding_message_size(max_message)
        .max_encoding_message_size(max_message);
    let name = <IngestServiceServer<Ingester> as tonic::server::NamedService>::NAME;
    let policy = Policy {
        needs: Some(Access::Write),
    };
    let (router, health) = dyad_server::router(name, "ingest", &server, policy)
        .await
        .map_err(ServeError::Setup)?;
    dyad_server::serve(
        router.add_service(service),
        listener,
        health,
        name,
        server.handshake_timeout(),
        move || {
            let (store, writability) = (store.clone(), writability.clone());
            // A store that does not answer in time (a cut network) is down,
            // and so is one that cannot write (a full disk).
            async move {
                let ready = writability.ready(store.as_ref());
                matches!(
                    tokio::time::timeout(std::time::Duration::from_secs(2), ready).await,
                    Ok(true)
                )
            }
        },
        shutdown,
    )
    .await
    .map_err(ServeError::Transport)
}
