//! Configuration of the query service, from flags and `DYAD_*` variables.

use std::{net::SocketAddr, path::PathBuf};

use dyad_proto::runtime::{LogFormat, ServerOptions};

/// Settings of the query service.
#[derive(Debug, Clone, clap::Args)]
pub struct QueryConfig {
    /// Largest gRPC message sent or received, in bytes.
    #[arg(long = "max-message-bytes", env = "DYAD_MAX_MESSAGE_BYTES", default_value_t = 4 << 20)]
    pub max_message_bytes: usize,
    /// Memory for answers kept until the store changes, in MiB: a
    /// ListEvents, GetTimeline, ListRelations, GetDyadHistory or
    /// GetRelationGraph request asked again is then answered from memory
    /// (SQLite stores; 0 keeps none).
    #[arg(
        long = "answer-cache-mib",
        env = "DYAD_ANSWER_CACHE_MIB",
        default_value_t = 64
    )]
    pub answer_cache_mib: usize,
}

impl Default for QueryConfig {
    fn default() -> Self {
        Self {
            max_message_bytes: 4 << 20,
            answer_cache_mib: 64,
        }
    }
}

/// Command line of the `dyad-query` binary.
#[derive(Debug, clap::Parser)]
#[command(
    name = "dyad-query",
    version,
    about = "Dyad query service: event timelines and articles"
)]
pub struct QueryCli {
    /// Address to listen on.
    #[arg(long, env = "DYAD_QUERY_ADDR", default_value = "127.0.0.1:50052")]
    pub addr: SocketAddr,
    /// Store URL: sqlite://PATH. Default: sqlite://DATA_DIR/dyad.sqlite3.
    #[arg(long, env = "DYAD_STORE")]
    pub store: Option<String>,
    /// Data directory of the embedded store.
    #[arg(long, env = "DYAD_DATA_DIR", default_value = "./dyad-data")]
    pub data_dir: PathBuf,
    /// Log format: text or json. Filter with RUST_LOG.
    #[arg(long, env = "DYAD_LOG_FORMAT", default_value = "text")]
    pub log_format: LogFormat,
    /// Service settings.
    #[command(flatten)]
    pub service: QueryConfig,
    /// Authentication, TLS, metrics and request limits.
    #[command(flatten)]
    pub server: ServerOptions,
}
