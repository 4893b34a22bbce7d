//! `odyssey`: the command-line front end. Each subcommand lives in its own module under
//! `src/cmd/`; this file only parses arguments and dispatches.

use clap::{Parser, Subcommand};

mod cmd;

/// Odyssey: phenotype- and genotype-driven prioritisation of rare-disease diagnoses.
#[derive(Parser)]
#[command(name = "odyssey", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ODYSSEY_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli.command {}
}
