//! Configuration of the ingest service, from flags and `DYAD_*` variables.

use std::{net::SocketAddr, path::PathBuf};

use dyad_server::{LogArgs, ServerOptions, StoreArgs};

/// Default size limit of an article's text: 1 MiB.
pub const DEFAULT_MAX_TEXT_BYTES: usize = 1 << 20;
/// Default size limit of an article's page (`html`): 4 MiB.
pub const DEFAULT_MAX_HTML_BYTES: usize = 4 << 20;
/// Default budget of articles being coded or stored at once, in bytes.
pub const DEFAULT_MAX_INFLIGHT_BYTES: usize = 256 << 20;
/// Default most articles on one stream.
pub const DEFAULT_MAX_STREAM_ARTICLES: u64 = 1_000_000;

/// Settings of the ingest service.
#[derive(Debug, Clone, clap::Args)]
pub struct IngestConfig {
    /// Largest accepted article text, in bytes.
    #[arg(long, env = "DYAD_MAX_TEXT_BYTES", default_value_t = DEFAULT_MAX_TEXT_BYTES)]
    pub max_text_bytes: usize,
    /// Largest accepted page (`html`), in bytes.
    #[arg(long, env = "DYAD_MAX_HTML_BYTES", default_value_t = DEFAULT_MAX_HTML_BYTES)]
    pub max_html_bytes: usize,
    /// Most bytes of articles being coded or stored at once. Streams wait
    /// (HTTP/2 flow control holds the client back); single calls wait up to
    /// a second, then get RESOURCE_EXHAUSTED.
    #[arg(long, env = "DYAD_MAX_INFLIGHT_BYTES", default_value_t = DEFAULT_MAX_INFLIGHT_BYTES)]
    pub max_inflight_bytes: usize,
    /// Most articles on one IngestArticles stream; the stream then ends
    /// with RESOURCE_EXHAUSTED (open a new one).
    #[arg(long, env = "DYAD_MAX_STREAM_ARTICLES", default_value_t = DEFAULT_MAX_STREAM_ARTICLES)]
    pub max_stream_articles: u64,
    /// Directory of extra dictionary files (*.tsv) added to the built-in ones.
    #[arg(long = "dictionary", env = "DYAD_DICTIONARY")]
    pub dictionary_dir: Option<PathBuf>,
}

impl IngestConfig {
    /// The size limits validation applies.
    pub fn limits(&self) -> crate::validate::Limits {
        crate::validate::Limits {
            max_text_bytes: self.max_text_bytes,
            max_html_bytes: self.max_html_bytes,
        }
    }
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            max_text_bytes: DEFAULT_MAX_TEXT_BYTES,
            max_html_bytes: DEFAULT_MAX_HTML_BYTES,
            max_inflight_bytes: DEFAULT_MAX_INFLIGHT_BYTES,
            max_stream_articles: DEFAULT_MAX_STREAM_ARTICLES,
            dictionary_dir: None,
        }
    }
}

/// Command line of the `dyad-ingest` binary.
#[derive(Debug, clap::Parser)]
#[command(
    name = "dyad-ingest",
    version,
    about = "Dyad ingest service: codes news articles into events"
)]
pub struct IngestCli {
    /// Address to listen on.
    #[arg(long, env = "DYAD_INGEST_ADDR", default_value = "127.0.0.1:50051", value_parser = dyad_server::listen_addr)]
    pub addr: SocketAddr,
    /// Where the store is.
    #[command(flatten)]
    pub store: StoreArgs,
    /// How to log.
    #[command(flatten)]
    pub log: LogArgs,
    /// Service settings.
    #[command(flatten)]
    pub service: IngestConfig,
    /// Authentication, TLS, metrics, request and message limits.
    #[command(flatten)]
    pub server: ServerOptions,
}
