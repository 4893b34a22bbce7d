//! `odyssey serve`, `odyssey users add`, `odyssey reanalyze`: the case workspace. Thin: the
//! arguments become an `odyssey_server::Config`, the work is in `odyssey-server`.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use odyssey_server::db::users::Role;
use odyssey_server::Config;

use super::Global;

/// Where the workspace keeps its data.
#[derive(clap::Args, Debug, Clone)]
pub struct DataArgs {
    /// Data folder: the SQLite database and the uploaded files (created if missing).
    #[arg(long, value_name = "DIR", env = "ODYSSEY_DATA")]
    pub data: PathBuf,
    /// Database URL instead of SQLite in DIR, e.g. postgres://user@host:5432/odyssey.
    #[arg(long, value_name = "URL", env = "ODYSSEY_DATABASE")]
    pub database: Option<String>,
}

impl DataArgs {
    fn config(&self, global: &Global) -> Config {
        let mut c = Config::new(&self.data);
        c.database_url = self.database.clone();
        c.kb = global.kb.clone();
        c
    }
}

/// `odyssey serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Address to listen on (port 0: any free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Annotation sources (TOML, docs/sources.md) for variant analyses.
    #[arg(long, value_name = "FILE")]
    pub sources: Option<PathBuf>,
    /// Largest upload in bytes (larger requests get 413).
    #[arg(long, value_name = "BYTES", default_value_t = odyssey_server::config::DEFAULT_MAX_UPLOAD)]
    pub max_upload: usize,
    /// Analyses run at once (default: one per core).
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Genes and diseases kept per report, and the N of reanalysis "top N" changes.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// Be a Matchmaker Exchange node: a TOML file of [[incoming]] nodes (name, token) allowed
    /// to query /mme/match and [[outgoing]] nodes (name, base_url, token) queried for a case's
    /// matches (docs/mme.md).
    #[arg(long, value_name = "FILE")]
    pub mme: Option<PathBuf>,
}

/// `odyssey users ...`.
#[derive(clap::Subcommand, Debug)]
pub enum UsersCommand {
    /// Add a user (or add projects to one) and print a new API token on the last line.
    Add(UsersAddArgs),
}

/// Role of a user.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum RoleArg {
    /// Sees and works on the cases of their projects.
    Clinician,
    /// A clinician who may also start reanalyses of every case.
    Admin,
}

/// `odyssey users add`.
#[derive(clap::Args, Debug)]
pub struct UsersAddArgs {
    /// User name (letters, digits, '.', '_', '-', '@').
    pub name: String,
    /// Role.
    #[arg(long, value_enum, default_value = "clinician")]
    pub role: RoleArg,
    /// Project the user works in (repeat for several).
    #[arg(long = "project", value_name = "P", required = true)]
    pub projects: Vec<String>,
    /// Read a password for the web sign-in from standard input (first line; 8 to 1,000
    /// characters), stored as an Argon2id hash.
    #[arg(long)]
    pub password_stdin: bool,
    #[command(flatten)]
    pub data: DataArgs,
}

/// `odyssey reanalyze`.
#[derive(clap::Args, Debug)]
pub struct ReanalyzeArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Annotation sources (TOML) for the reanalysis.
    #[arg(long, value_name = "FILE")]
    pub sources: Option<PathBuf>,
    /// Analyses run at once (default: one per core).
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// N of the "top N" comparison (and genes kept per report).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Runs `odyssey serve`.
pub fn serve(a: ServeArgs, global: &Global) -> anyhow::Result<()> {
    let mut c = a.data.config(global);
    c.listen = a.listen;
    c.sources = a.sources;
    c.max_upload_bytes = a.max_upload;
    c.top_n = a.top;
    c.mme = a.mme;
    if let Some(w) = a.workers {
        c.workers = w.max(1);
    }
    runtime()?.block_on(odyssey_server::serve(c))?;
    Ok(())
}

/// Runs `odyssey users ...`.
pub fn users(c: UsersCommand, global: &Global) -> anyhow::Result<()> {
    match c {
        UsersCommand::Add(a) => {
            let role = match a.role {
                RoleArg::Clinician => Role::Clinician,
                RoleArg::Admin => Role::Admin,
            };
            let config = a.data.config(global);
            let password = if a.password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .context("cannot read the password from standard input")?;
                let p = line.trim_end_matches(['\r', '\n']).to_string();
                odyssey_server::pages::session::check_password_rules(&p)
                    .map_err(anyhow::Error::msg)?;
                Some(p)
            } else {
                None
            };
            let token = runtime()?.block_on(odyssey_server::add_user(
                &config,
                &a.name,
                role,
                &a.projects,
            ))?;
            if let Some(p) = password {
                runtime()?
                    .block_on(odyssey_server::pages::session::set_user_password(
                        &config, &a.name, &p,
                    ))
                    .map_err(anyhow::Error::msg)?;
            }
            out!(
                "user {} ({}), projects {}; API token (shown once, stored only as a hash):",
                a.name,
                role.as_str(),
                a.projects.join(", ")
            );
            out!("{token}");
            Ok(())
        }
    }
}

/// Runs `odyssey reanalyze`.
pub fn reanalyze(a: ReanalyzeArgs, global: &Global) -> anyhow::Result<()> {
    let mut c = a.data.config(global);
    c.sources = a.sources;
    c.top_n = a.top;
    if let Some(w) = a.workers {
        c.workers = w.max(1);
    }
    let s = runtime()?.block_on(odyssey_server::reanalyze(c))?;
    let statuses: Vec<String> = s.statuses.iter().map(|(k, n)| format!("{n} {k}")).collect();
    out!(
        "reanalysis {}: {} cases ({}), {} with changes worth a look, {:.1} s",
        s.run,
        s.cases,
        statuses.join(", "),
        s.noteworthy,
        s.seconds
    );
    Ok(())
}
