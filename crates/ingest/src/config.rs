//! Configuration of the ingest service, from flags and `DYAD_*` variables.

use std::{net::SocketAddr, path::PathBuf};

use dyad_proto::runtime::LogFormat;

/// Default size limit of an article's text: 1 MiB.
pub const DEFAULT_MAX_TEXT_BYTES: usize = 1 << 20;
/// Default size limit of one gRPC message: 4 MiB.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 4 << 20;

/// Settings of the ingest service.
#[derive(Debug, Clone, clap::Args)]
pub struct IngestConfig {
    /// Largest accepted article text, in bytes.
    #[arg(long, env = "DYAD_MAX_TEXT_BYTES", default_value_t = DEFAULT_MAX_TEXT_BYTES)]
    pub max_text_bytes: usize,
    /// Largest accepted gRPC message, in bytes.
    #[arg(long, env = "DYAD_MAX_MESSAGE_BYTES", default_value_t = DEFAULT_MAX_MESSAGE_BYTES)]
    pub max_message_bytes: usize,
    /// Directory of extra dictionary files (*.tsv) added to the built-in ones.
    #[arg(long = "dictionary", env = "DYAD_DICTIONARY")]
    pub dictionary_dir: Option<PathBuf>,
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            max_text_bytes: DEFAULT_MAX_TEXT_BYTES,
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
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
    #[arg(long, env = "DYAD_INGEST_ADDR", default_value = "127.0.0.1:50051")]
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
    pub service: IngestConfig,
}
