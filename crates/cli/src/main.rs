//! `dyad`: run both services, code articles offline, bulk-load articles,
//! export events.

mod articles;
mod calibrate;
mod connect;
mod demo;
mod eval;
mod eval_pages;
mod export;
mod extract;
mod health;
mod ingest;
mod shapes;
mod tag;
mod train;
mod train_parser;
mod up;
mod widen;

/// mimalloc: much faster than the system allocator for the many small
/// allocations of dictionary loading and coding.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "dyad", version, about = "Turn news into political event data")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the ingest and query services in one process on the embedded SQLite store.
    Up(up::UpArgs),
    /// Code articles offline and print their events.
    Extract(extract::ExtractArgs),
    /// Bulk-load articles into a running ingest service.
    Ingest(ingest::IngestArgs),
    /// Score the coder against gold sentences and annotated articles.
    Eval(eval::EvalArgs),
    /// Score the reading of web pages against pages with their expected text.
    EvalPages(eval_pages::EvalPagesArgs),
    /// Export the events a filter takes to CSV, TSV, JSON Lines or Parquet, in Dyad's layout or GDELT's.
    Export(export::ExportArgs),
    /// Ask a service whether it serves (exit status 0) or not (1).
    Health(health::HealthArgs),
    /// Tag CoNLL-U with the coder's part-of-speech tagger and report its accuracy.
    Tag(tag::TagArgs),
    /// Train the coder's models from data (the part-of-speech tagger, the dependency parser, the confidence model, the lexicon).
    Train(train::TrainArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = dyad_server::service_runtime().expect("a tokio runtime starts");
    let result = match cli.command {
        Command::Up(args) => runtime.block_on(up::run(args)),
        Command::Extract(args) => extract::run(args),
        Command::Ingest(args) => runtime.block_on(ingest::run(args)),
        Command::Eval(args) => eval::run(args),
        Command::EvalPages(args) => eval_pages::run(args),
        Command::Export(args) => runtime.block_on(export::run(args)),
        Command::Health(args) => runtime.block_on(health::run(args)),
        Command::Tag(args) => tag::run(args),
        Command::Train(args) => train::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("dyad: {error:#}");
            ExitCode::FAILURE
        }
    }
}
