//! `dyad health`: asks a service's standard gRPC health endpoint whether it
//! serves, and says so by exit status (0: serving; 1: not serving, unknown
//! or unreachable) — for container health checks and scripts.

use std::{process::ExitCode, time::Duration};

use anyhow::Context;

use crate::connect::{ClientOptions, unreachable};
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

/// Flags of `dyad health`.
#[derive(Debug, clap::Args)]
pub struct HealthArgs {
    /// The service's address: host:port or http://host:port.
    #[arg(long, env = "DYAD_HEALTH_ADDR", default_value = "127.0.0.1:50051")]
    addr: String,
    /// The service to ask about, e.g. dyad.v1.QueryService; empty asks about
    /// the server as a whole.
    #[arg(long, default_value = "")]
    service: String,
    /// Seconds to wait for an answer.
    #[arg(long, default_value_t = 3.0)]
    timeout: f64,
    /// TLS (health checks need no token).
    #[command(flatten)]
    client: ClientOptions,
}

/// Checks the service; prints its status.
pub async fn run(args: HealthArgs) -> anyhow::Result<ExitCode> {
    let url = args.addr.clone();
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        anyhow::bail!("--timeout must be a positive number of seconds");
    }
    let timeout = Duration::from_secs_f64(args.timeout);
    let endpoint = args
        .client
        .endpoint(&url)
        .context("--addr")?
        .connect_timeout(timeout)
        .timeout(timeout);
    let channel = match endpoint.connect().await {
        Ok(channel) => channel,
        Err(e) => {
            let service = if args.service.is_empty() {
                "the service"
            } else {
                &args.service
            };
            eprintln!("dyad health: {}", unreachable(service, &url, &e));
            return Ok(ExitCode::FAILURE);
        }
    };
    let request = HealthCheckRequest {
        service: args.service.clone(),
    };
    match HealthClient::new(channel).check(request).await {
        Ok(reply) => {
            let status = reply.into_inner().status();
            println!("{}", status.as_str_name());
            Ok(if status == ServingStatus::Serving {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Err(status) => {
            eprintln!(
                "dyad health: {url}: {} ({:?})",
                status.message(),
                status.code()
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
