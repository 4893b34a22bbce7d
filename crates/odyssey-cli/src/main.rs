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
    /// Rank diseases and genes for a case (phenopacket or HPO terms), or a batch of cases.
    Analyze(Box<cmd::analyze::AnalyzeArgs>),
    /// Annotate a VCF with consequences (SO terms) and HGVS from transcript models.
    Annotate(cmd::annotate::AnnotateArgs),
    /// Compile or inspect the annotator's reference data (gene models + sequence).
    #[command(subcommand)]
    Refdata(cmd::refdata::RefdataCommand),
    /// Compile annotation sources (gnomAD, ClinVar, scores) into compact stores, or inspect one.
    #[command(subcommand)]
    Sources(cmd::sources::SourcesCommand),
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
        Command::Analyze(a) => cmd::analyze::run(*a, &cli.global),
        Command::Annotate(a) => cmd::annotate::run(a),
        Command::Refdata(c) => cmd::refdata::run(c),
        Command::Sources(c) => cmd::sources::run(c),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) if e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)) => {
            // the reader of our output went away (e.g. `| head`): not an error
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
