//! Configuration of the query service, from flags and `DYAD_*` variables.

use std::net::SocketAddr;

use dyad_server::{LogArgs, ServerOptions, StoreArgs};

/// Default address of the HTTP/JSON API.
pub const DEFAULT_HTTP_ADDR: &str = "127.0.0.1:8080";

/// Settings of the query service.
#[derive(Debug, Clone, clap::Args)]
pub struct QueryConfig {
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
    /// Memory each WatchEvents consumer may fall behind by, in KiB: a
    /// consumer with more events unread is cut off with RESOURCE_EXHAUSTED
    /// and the cursor to resume from.
    #[arg(
        long = "watch-buffer-kib",
        env = "DYAD_WATCH_BUFFER_KIB",
        default_value_t = crate::watch::DEFAULT_WATCH_BUFFER_KIB,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1_048_576)
    )]
    pub watch_buffer_kib: usize,
}

impl Default for QueryConfig {
    fn default() -> Self {
        Self {
            answer_cache_mib: 64,
            watch_buffer_kib: crate::watch::DEFAULT_WATCH_BUFFER_KIB,
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
    #[arg(long, env = "DYAD_QUERY_ADDR", default_value = "127.0.0.1:50052", value_parser = dyad_server::listen_addr)]
    pub addr: SocketAddr,
    /// Address of the HTTP/JSON API (HOST:PORT, or `off`).
    #[arg(long, env = "DYAD_HTTP_ADDR", default_value = DEFAULT_HTTP_ADDR)]
    pub http_addr: String,
    /// Where the store is.
    #[command(flatten)]
    pub store: StoreArgs,
    /// How to log.
    #[command(flatten)]
    pub log: LogArgs,
    /// Service settings.
    #[command(flatten)]
    pub service: QueryConfig,
    /// Authentication, TLS, metrics, request and message limits.
    #[command(flatten)]
    pub server: ServerOptions,
}
