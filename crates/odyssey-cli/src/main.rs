//! `odyssey`: the command-line front end. Each subcommand lives in its own module under
//! `src/cmd/`; this file only parses arguments and dispatches.

use clap::{Parser, Subcommand};

mod cmd;

/// Odyssey: phenotype- and genotype-driven prioritisation of rare-disease diagnoses.
#[derive(Parser)]
#[command(name = "odyssey", version = version(), about, long_about = None)]
struct Cli {
    #[command(flatten)]
    global: cmd::Global,
    #[command(subcommand)]
    command: Command,
}

/// `odyssey --version`: the Odyssey version and the release of the embedded knowledge base.
fn version() -> &'static str {
    concat!(env!("CARGO_PKG_VERSION"), " (embedded knowledge base: HPO 2025-01-16; `odyssey kb info` for the one in use)")
}

#[derive(Subcommand)]
enum Command {
    /// Build, inspect and search the knowledge base (HPO and its annotations).
    #[command(subcommand)]
    Kb(cmd::kb::KbCommand),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ODYSSEY_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match cli.command {
        Command::Kb(c) => cmd::kb::run(c, &cli.global),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
