//! `dyad-query`: the query service binary.

/// mimalloc: much faster than the system allocator for the many small
/// allocations of dictionary loading and coding.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;
use dyad_query::QueryCli;
use dyad_server::{init_tracing, shutdown_signal};

fn main() -> ExitCode {
    dyad_server::run_service(env!("CARGO_BIN_NAME"), run())
}

async fn run() -> ExitCode {
    let cli = QueryCli::parse();
    init_tracing(cli.log.log_format);
    let store = match cli.store.open().await {
        Ok(store) => store,
        Err(e) => {
            eprintln!("dyad-query: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(addr) = cli.server.metrics_addr
        && let Err(e) = dyad_server::metrics::install(addr)
    {
        eprintln!("dyad-query: {e}");
        return ExitCode::FAILURE;
    }
    let listener = match tokio::net::TcpListener::bind(cli.addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("dyad-query: cannot listen on {}: {e}", cli.addr);
            return ExitCode::FAILURE;
        }
    };
    let http = match dyad_query::bind_http(&cli.http_addr).await {
        Ok(http) => http,
        Err(e) => {
            eprintln!("dyad-query: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Ok(addr) = listener.local_addr() {
        println!("dyad-query listening on {addr}");
    }
    let served = dyad_query::serve_with_http(
        listener,
        http,
        store,
        cli.service,
        cli.server,
        shutdown_signal(),
    );
    match served.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dyad-query: {e}");
            ExitCode::FAILURE
        }
    }
}
