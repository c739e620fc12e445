//! `dyad-ingest`: the ingest service binary.

/// mimalloc: much faster than the system allocator for the many small
/// allocations of dictionary loading and coding.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::{process::ExitCode, sync::Arc};

use clap::Parser;
use dyad_ingest::IngestCli;
use dyad_server::{init_tracing, shutdown_signal};

fn main() -> ExitCode {
    dyad_server::run_service(env!("CARGO_BIN_NAME"), run())
}

async fn run() -> ExitCode {
    let cli = IngestCli::parse();
    init_tracing(cli.log.log_format);
    let store = match cli.store.open().await {
        Ok(store) => store,
        Err(e) => {
            eprintln!("dyad-ingest: {e}");
            return ExitCode::FAILURE;
        }
    };
    let coder = match dyad_ingest::load_coder(cli.service.dictionary_dir.as_deref()) {
        Ok(coder) => Arc::new(coder),
        Err(e) => {
            eprintln!("dyad-ingest: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(addr) = cli.server.metrics_addr
        && let Err(e) = dyad_server::metrics::install(addr)
    {
        eprintln!("dyad-ingest: {e}");
        return ExitCode::FAILURE;
    }
    let listener = match tokio::net::TcpListener::bind(cli.addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("dyad-ingest: cannot listen on {}: {e}", cli.addr);
            return ExitCode::FAILURE;
        }
    };
    if let Ok(addr) = listener.local_addr() {
        println!("dyad-ingest listening on {addr}");
    }
    match dyad_ingest::serve(
        listener,
        coder,
        store,
        cli.service,
        cli.server,
        shutdown_signal(),
    )
    .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dyad-ingest: {e}");
            ExitCode::FAILURE
        }
    }
}
