//! `reco models fetch | list`.

use clap::Subcommand;

use crate::{
    config::Config,
    models::{fetch, Bundle, Manifest, ModelSpec},
    Result,
};

/// Model subcommands.
#[derive(Debug, Subcommand)]
pub enum ModelsCmd {
    /// Install pinned model files (default: the embedding and generation models).
    Fetch {
        /// Bundles to fetch: embedding, generation, small (repeatable); default embedding + generation.
        #[arg(long = "bundle", value_name = "NAME")]
        bundles: Vec<String>,
        /// Re-hash installed files instead of trusting their stamps.
        #[arg(long)]
        verify: bool,
    },
    /// List the pinned models and whether each is installed.
    List,
}

/// Run a models subcommand.
pub fn run(config: &Config, cmd: ModelsCmd, progress: bool) -> Result<()> {
    let manifest = Manifest::builtin();
    match cmd {
        ModelsCmd::Fetch { bundles, verify } => {
            let bundles: Vec<Bundle> = if bundles.is_empty() {
                vec![Bundle::Embedding, Bundle::Generation]
            } else {
                bundles
                    .iter()
                    .map(|b| Bundle::parse(b))
                    .collect::<Result<_>>()?
            };
            let specs: Vec<&ModelSpec> = bundles
                .iter()
                .flat_map(|b| b.names().iter())
                .filter_map(|n| manifest.get(n))
                .collect();
            let report = fetch(&config.models_dir, &specs, progress, verify)?;
            for n in &report.installed {
                println!("installed  {n}");
            }
            for n in &report.present {
                println!("up to date {n}");
            }
            println!("models directory: {}", config.models_dir.display());
        }
        ModelsCmd::List => {
            println!("{:<18} {:<10} WHAT", "MODEL", "STATUS");
            for m in &manifest.model {
                let installed = config.models_dir.join(&m.file).exists();
                let status = if installed { "installed" } else { "missing" };
                println!("{:<18} {:<10} {}", m.name, status, m.what);
            }
            println!("models directory: {}", config.models_dir.display());
        }
    }
    Ok(())
}
