//! `reco bench import | retrieval | generate | chat`: timing tables for the numbers the issues ask for. Speed
//! targets live here, never in tests.

use std::{path::PathBuf, process::Command, time::Instant};

use clap::Subcommand;

use crate::{
    catalog::import::{FieldMap, Format},
    catalog::import_file,
    embed::Embedder,
    engine::Engine,
    retrieve::{dense, Retriever, SearchOptions, Searcher},
    store::Store,
    Error, Result,
};

/// Benchmark subcommands.
#[derive(Debug, Subcommand)]
pub enum BenchCmd {
    /// Time importing a file into a fresh on-disk store.
    Import {
        /// The file (e.g. ../shared/data/steam/steam_games.json.gz).
        file: PathBuf,
        /// Importer (default: detected).
        #[arg(long)]
        format: Option<String>,
    },
    /// Time index load, query embedding, dense top-10, lexical and full search; compare the
    /// dense scan with a numpy brute-force baseline on the same vectors.
    Retrieval {
        /// Catalog (default: the default catalog); it is indexed first if needed.
        #[arg(long, short)]
        catalog: Option<String>,
        /// Timed repetitions of each query.
        #[arg(long, default_value_t = 20)]
        repeats: usize,
    },
    /// Time the default model (load, prompt tok/s, generation tok/s, first token, first
    /// candidate card) and the same GGUF file under llama.cpp in the same run.
    Generate {
        /// Catalog for the candidate cards (default: the default catalog; use a 32k one).
        #[arg(long, short)]
        catalog: Option<String>,
        /// A local model instead of the default GGUF.
        #[arg(long, value_name = "PATH")]
        model: Option<PathBuf>,
        /// Tokens generated per raw run.
        #[arg(long, default_value_t = 64)]
        max_tokens: usize,
        /// Python with llama-cpp-python installed, for the baseline.
        #[arg(long, default_value = "python3")]
        python: String,
    },
    /// Time a scripted five-turn conversation with the model as the chat runs it: first
    /// card, first token and full answer, for the first turn and the follow-ups.
    Chat {
        /// Catalog (default: the default catalog).
        #[arg(long, short)]
        catalog: Option<String>,
        /// A local model instead of the default.
        #[arg(long, value_name = "PATH")]
        model: Option<PathBuf>,
        /// Conversations to run (medians are reported).
        #[arg(long, default_value_t = 2)]
        runs: usize,
        /// Send every turn's prompt on its own, without the earlier turns (what the kept
        /// conversation and the engine's prefix cache buy).
        #[arg(long)]
        stateless: bool,
    },
    /// The GPU check: first token and decode tok/s at batch 1 for the default architecture,
    /// one grounded `ask` turn with its picks checked, and the PyTorch anchor (`--anchor`).
    Gpu(super::bench_gpu::GpuArgs),
}

/// Queries used for latency measurements.
const QUERIES: &[&str] = &[
    "a relaxing farming game under 20 dollars",
    "something like Portal but co-op",
    "strategy games that are not turn-based",
    "free multiplayer shooter",
    "scary horror game from the 2010s",
    "Stardw Valey",
    "open world RPG with dragons",
    "puzzle platformer with a great story, no violence",
];

/// Run a benchmark.
pub fn run(engine: &Engine, cmd: BenchCmd) -> Result<()> {
    match cmd {
        BenchCmd::Import { file, format } => bench_import(&file, format.as_deref()),
        BenchCmd::Retrieval { catalog, repeats } => {
            let c = engine.catalog_name(catalog.as_deref());
            bench_retrieval(engine, &c, repeats.max(1))
        }
        BenchCmd::Generate {
            catalog,
            model,
            max_tokens,
            python,
        } => {
            let c = engine.catalog_name(catalog.as_deref());
            super::bench_generate::run(
                engine,
                &c,
                model.as_ref(),
                max_tokens.clamp(8, 1024),
                &python,
            )
        }
        BenchCmd::Chat {
            catalog,
            model,
            runs,
            stateless,
        } => {
            let c = engine.catalog_name(catalog.as_deref());
            super::bench_chat::run(engine, &c, model.as_ref(), runs.max(1), stateless)
        }
        BenchCmd::Gpu(a) => super::bench_gpu::run(engine, &a),
    }
}

fn bench_import(file: &std::path::Path, format: Option<&str>) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("reco-bench-import-{}", std::process::id()));
    let store = Store::open(&dir)?;
    let format = format.map(Format::parse).transpose()?;
    let t = Instant::now();
    let r = import_file(&store, file, "bench", format, &FieldMap::default(), false);
    let secs = t.elapsed().as_secs_f64();
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    let r = r?;
    let s = r.summary;
    println!("| file | imported | skipped | seconds | items/s |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| {} | {} | {} | {secs:.2} | {:.0} |",
        file.display(),
        s.inserted + s.updated + s.unchanged,
        s.skipped,
        (s.inserted + s.updated + s.unchanged) as f64 / secs
    );
    Ok(())
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn time_ms<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed().as_secs_f64() * 1e3)
}

fn bench_retrieval(engine: &Engine, catalog: &str, repeats: usize) -> Result<()> {
    let embedder = engine.embedder()?;
    engine.index(catalog, &*embedder)?;
    let (retriever, load_ms) = time_ms(|| Retriever::load(&engine.store, catalog));
    let retriever = retriever?;
    let n = retriever.items().len();
    // Embedding throughput on up to 512 item texts (what `catalog index` spends its time on).
    let texts: Vec<String> = retriever
        .items()
        .iter()
        .take(512)
        .map(|i| i.embed_text())
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let (_, embed_items_ms) = time_ms(|| embedder.embed(&refs));
    let vectors = engine.store.vectors(catalog)?;
    let mut qvecs = Vec::new();
    let (mut embed_t, mut dense_t, mut lex_t, mut full_t) = (vec![], vec![], vec![], vec![]);
    for q in QUERIES {
        let (v, ms) = time_ms(|| embedder.embed_one(q));
        qvecs.push(v?);
        embed_t.push(ms);
    }
    let searcher = Searcher {
        retriever: std::sync::Arc::new(retriever),
        embedder,
        adapter: None,
    };
    // The dense scan alone, in a tight loop like the numpy baseline's.
    for _ in 0..repeats {
        for qv in &qvecs {
            let (_, ms) = time_ms(|| dense::search(&vectors, qv, 10, &|_| true));
            dense_t.push(ms);
        }
    }
    for _ in 0..repeats {
        for q in QUERIES {
            let opts = SearchOptions {
                k: 10,
                mode: crate::retrieve::Mode::Lexical,
                ..SearchOptions::default()
            };
            let (_, ms) = time_ms(|| searcher.search(q, &opts));
            lex_t.push(ms);
            let (r, ms) = time_ms(|| searcher.search(q, &SearchOptions::default()));
            r?;
            full_t.push(ms);
        }
    }
    let numpy = numpy_baseline(&vectors, &qvecs, repeats);
    let dense_p50 = percentile(dense_t.clone(), 0.5);
    println!(
        "retrieval benchmark on catalog `{catalog}` ({n} items, {} vectors × {})",
        vectors.len(),
        vectors.dim
    );
    println!("| measure | p50 | p95 |");
    println!("|---|---:|---:|");
    println!("| index load (items + vectors + BM25), ms | {load_ms:.1} | |");
    println!(
        "| query embedding, ms | {:.2} | {:.2} |",
        percentile(embed_t.clone(), 0.5),
        percentile(embed_t, 0.95)
    );
    println!(
        "| dense top-10 (exact scan), ms | {dense_p50:.2} | {:.2} |",
        percentile(dense_t, 0.95)
    );
    println!(
        "| lexical search (parse + BM25 + filters), ms | {:.2} | {:.2} |",
        percentile(lex_t.clone(), 0.5),
        percentile(lex_t, 0.95)
    );
    println!(
        "| full search (embed + filters + fusion), ms | {:.2} | {:.2} |",
        percentile(full_t.clone(), 0.5),
        percentile(full_t, 0.95)
    );
    println!(
        "| index build throughput, items/s | {:.0} | |",
        texts.len() as f64 / (embed_items_ms / 1e3)
    );
    match numpy {
        Ok(np) => println!(
            "| numpy brute-force top-10, ms | {np:.2} | |\n| numpy / reco dense (>1 = reco faster) | {:.2} | |",
            np / dense_p50
        ),
        Err(e) => println!("| numpy baseline | unavailable: {e} | |"),
    }
    Ok(())
}

fn write_f32(path: &std::path::Path, data: &[f32]) -> Result<()> {
    let bytes: Vec<u8> = data.iter().flat_map(|x| x.to_le_bytes()).collect();
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

/// Run `benches/dense_numpy.py` on the same vectors and queries; its p50 in ms.
fn numpy_baseline(
    vectors: &crate::store::VectorSet,
    queries: &[Vec<f32>],
    repeats: usize,
) -> Result<f64> {
    let dir = std::env::temp_dir().join(format!("reco-bench-np-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let (vp, qp) = (dir.join("vectors.f32"), dir.join("queries.f32"));
    write_f32(&vp, &vectors.data)?;
    write_f32(&qp, &queries.concat())?;
    let python = std::env::var("RECO_PYTHON").unwrap_or_else(|_| "python3".into());
    let args = [
        vp.clone().into_os_string(),
        qp.clone().into_os_string(),
        vectors.dim.to_string().into(),
        "10".into(),
        repeats.to_string().into(),
    ];
    let v = run_script(&python, "dense_numpy.py", &args, "pip install numpy?");
    let _ = std::fs::remove_dir_all(&dir);
    let v = v?;
    v["p50_ms"]
        .as_f64()
        .ok_or_else(|| Error::Invalid("numpy script gave no p50_ms".into()))
}

/// Run `benches/SCRIPT` with `python` and parse the JSON line it prints.
pub(super) fn run_script(
    python: &str,
    script: &str,
    args: &[std::ffi::OsString],
    hint: &str,
) -> Result<serde_json::Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("benches")
        .join(script);
    if !path.exists() {
        return Err(Error::Invalid(format!("{} not found", path.display())));
    }
    let out = Command::new(python)
        .arg(&path)
        .args(args)
        .output()
        .map_err(|e| Error::Invalid(format!("{python}: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Error::Invalid(format!(
            "{script} failed ({hint}): {}",
            err.lines().last().unwrap_or_default()
        )));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| Error::Invalid(format!("{script} output: {e}")))
}
