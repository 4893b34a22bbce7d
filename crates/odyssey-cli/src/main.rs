//! `odyssey`: the command-line front end. Each subcommand lives in its own module under
//! `src/cmd/`; this file only parses arguments and dispatches.

use clap::{Parser, Subcommand};

/// `eprintln!` that never panics: a message to standard error is dropped when standard error
/// is closed (for example `2>&1 | head -1`), instead of aborting the run with a panic.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `println!` that returns the write error (with `?`, in a function returning
/// `anyhow::Result`) instead of panicking: writing to a closed pipe (`odyssey kb info | head
/// -1`) then ends the run quietly (see `is_broken_pipe`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)?
    }};
}

/// `print!` likewise.
macro_rules! out_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout(), $($arg)*)?
    }};
}

mod cmd;

/// Odyssey: phenotype- and genotype-driven prioritisation of rare-disease diagnoses.
#[derive(Parser)]
#[command(name = "odyssey", about = "Odyssey: rank the diseases, genes and variants that explain a rare disease, from HPO phenotypes and exome/genome VCFs.", long_about = None, disable_version_flag = true, arg_required_else_help = true)]
struct Cli {
    #[command(flatten)]
    global: cmd::Global,
    /// Print the version and the release of the knowledge base in use (`--kb` or embedded).
    #[arg(short = 'V', long)]
    version: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

/// `odyssey --version`: the Odyssey version and the HPO release of the knowledge base in use.
fn print_version(global: &cmd::Global) -> anyhow::Result<()> {
    let kb = global.load_kb()?;
    out!(
        "odyssey {} (knowledge base: HPO {}, annotations {}, {})",
        env!("CARGO_PKG_VERSION"),
        kb.kb.meta().hpo_release,
        kb.kb.meta().annotations_release,
        kb.source
    );
    Ok(())
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
    /// Benchmark accuracy and speed on published phenopackets (phenotype or spiked mode).
    Bench(Box<cmd::bench::BenchArgs>),
    /// Run the case workspace server (REST API under /api/v1).
    Serve(Box<cmd::workspace::ServeArgs>),
    /// Manage the workspace's users and their API tokens.
    #[command(subcommand)]
    Users(cmd::workspace::UsersCommand),
    /// Re-run every stored case of a workspace (e.g. with a new --kb or --sources) and record
    /// what changed.
    Reanalyze(Box<cmd::workspace::ReanalyzeArgs>),
}

/// True when `e` comes from writing to a closed pipe (`EPIPE`: standard output read by
/// `head`, a pager that was quit...), looking through every error of the chain, including
/// the library's `Error::Io`, which is transparent and so hides its `io::Error` from
/// `source()`.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let pipe = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(pipe)
            || match c.downcast_ref::<odyssey::Error>() {
                Some(odyssey::Error::Io(io)) => pipe(io),
                Some(odyssey::Error::Write { source, .. }) => pipe(source),
                _ => false,
            }
    })
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
    if matches!(
        cli.command,
        Some(
            Command::Kb(_)
                | Command::Analyze(_)
                | Command::Annotate(_)
                | Command::Refdata(_)
                | Command::Sources(_)
        )
    ) {
        // commands that write files: a SIGINT/SIGTERM/SIGHUP removes their temporary files
        // and never interrupts an output set being moved into place (docs/robustness.md)
        if let Err(e) = odyssey::output::install_signal_cleanup() {
            tracing::warn!("signal clean-up not installed: {e}");
        }
    }
    let result = match cli.command {
        _ if cli.version => print_version(&cli.global),
        None => {
            use clap::CommandFactory;
            Cli::command().print_help().map_err(anyhow::Error::from)
        }
        Some(Command::Kb(c)) => cmd::kb::run(c, &cli.global),
        Some(Command::Analyze(a)) => cmd::analyze::run(*a, &cli.global),
        Some(Command::Annotate(a)) => cmd::annotate::run(a),
        Some(Command::Refdata(c)) => cmd::refdata::run(c),
        Some(Command::Sources(c)) => cmd::sources::run(c),
        Some(Command::Bench(a)) => cmd::bench::run(*a, &cli.global),
        Some(Command::Serve(a)) => cmd::workspace::serve(*a, &cli.global),
        Some(Command::Users(c)) => cmd::workspace::users(c, &cli.global),
        Some(Command::Reanalyze(a)) => cmd::workspace::reanalyze(*a, &cli.global),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => {
            // the reader of our output went away (e.g. `| head -1`): not an error; end
            // quietly with status 0, as ripgrep does (docs/robustness.md)
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            note!("error: {}", cmd::error_chain(&e));
            std::process::ExitCode::FAILURE
        }
    }
}
