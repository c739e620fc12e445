//! Command-line settings every Dyad server takes besides its own: where the
//! store is and how to log. One definition for `dyad-ingest`, `dyad-query`
//! and `dyad up`, so their flags, variables and defaults cannot drift.

use std::{
    net::{SocketAddr, ToSocketAddrs},
    path::PathBuf,
    sync::Arc,
};

use dyad_store::{Store, StoreError};

use crate::LogFormat;

/// Where the store is.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Store URL: sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DB.
    /// Default: sqlite://DATA_DIR/dyad.sqlite3.
    #[arg(long, env = "DYAD_STORE")]
    pub store: Option<String>,
    /// Data directory of the embedded SQLite store (when --store is not given).
    #[arg(long, env = "DYAD_DATA_DIR", default_value = "./dyad-data")]
    pub data_dir: PathBuf,
}

impl StoreArgs {
    /// The store URL these settings name.
    pub fn url(&self) -> String {
        dyad_store::url_or_default(self.store.as_deref(), &self.data_dir)
    }

    /// The URL without its password, to print or log.
    pub fn shown_url(&self) -> String {
        dyad_store::redact(&self.url())
    }

    /// Opens (and creates or migrates) the store.
    pub async fn open(&self) -> Result<Arc<dyn Store>, StoreError> {
        dyad_store::open(&self.url()).await
    }
}

/// How to log.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct LogArgs {
    /// Log format: text or json. Filter with RUST_LOG. Text is coloured
    /// only when standard error is a terminal.
    #[arg(long, env = "DYAD_LOG_FORMAT", default_value = "text")]
    pub log_format: LogFormat,
}

/// A listening address from `HOST:PORT`, the host an IP address or a name
/// (`localhost:50051`) resolved now; IPv4 is preferred when a name has both.
pub fn listen_addr(text: &str) -> Result<SocketAddr, String> {
    let resolved: Vec<SocketAddr> = text
        .to_socket_addrs()
        .map_err(|e| format!("{text:?} is not HOST:PORT ({e})"))?
        .collect();
    resolved
        .iter()
        .find(|addr| addr.is_ipv4())
        .or(resolved.first())
        .copied()
        .ok_or_else(|| format!("{text:?} resolves to no address"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses_may_name_their_host() {
        assert_eq!(
            listen_addr("localhost:50071").unwrap(),
            "127.0.0.1:50071".parse::<SocketAddr>().unwrap()
        );
        assert_eq!(
            listen_addr("0.0.0.0:50051").unwrap(),
            "0.0.0.0:50051".parse::<SocketAddr>().unwrap()
        );
        assert_eq!(
            listen_addr("[::1]:1").unwrap(),
            "[::1]:1".parse::<SocketAddr>().unwrap()
        );
        assert!(listen_addr("localhost").unwrap_err().contains("HOST:PORT"));
    }
}
