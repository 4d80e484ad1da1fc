//! Generation adapters on real models: reco merges a PEFT LoRA folder into the GGUF model
//! (`generate::merge`; mistral.rs 0.8.1's own GGUF LoRA merge has no effect) and loads the
//! merged file. The small model (SmolLM2-135M, llama) is loaded plain, with a zero adapter,
//! with a random adapter, and plain again, and its greedy answers are compared; the default
//! model (Qwen2.5-0.5B, qwen2) takes a q/v adapter; adapters that do not fit are refused.

use std::{collections::HashMap, path::Path};

use candle_core::{Device, Tensor};
use reco::{
    generate::{
        lora, merge, Device as GenDevice, GenEvent, GenRequest, Generator, MistralGenerator,
    },
    models::{self, Bundle},
};

use crate::{config_with_models, generation::runtime};

/// A model's projections: layers, and per module its name, in and out features.
struct Shape {
    layers: usize,
    modules: [(&'static str, usize, usize); 7],
}

/// SmolLM2-135M: 30 layers, hidden size 576, 3 key/value heads of 64, MLP 1536.
const SMOL: Shape = Shape {
    layers: 30,
    modules: [
        ("self_attn.q_proj", 576, 576),
        ("self_attn.k_proj", 576, 192),
        ("self_attn.v_proj", 576, 192),
        ("self_attn.o_proj", 576, 576),
        ("mlp.gate_proj", 576, 1536),
        ("mlp.up_proj", 576, 1536),
        ("mlp.down_proj", 1536, 576),
    ],
};

/// Qwen2.5-0.5B: 24 layers, hidden size 896, 2 key/value heads of 64, MLP 4864.
const QWEN: Shape = Shape {
    layers: 24,
    modules: [
        ("self_attn.q_proj", 896, 896),
        ("self_attn.k_proj", 896, 128),
        ("self_attn.v_proj", 896, 128),
        ("self_attn.o_proj", 896, 896),
        ("mlp.gate_proj", 896, 4864),
        ("mlp.up_proj", 896, 4864),
        ("mlp.down_proj", 4864, 896),
    ],
};
const RANK: usize = 8;

fn small_model() -> std::path::PathBuf {
    let config = config_with_models(&[Bundle::SmallGeneration]);
    models::generation_model_path(&config.models_dir, Bundle::SmallGeneration)
}

/// A uniform draw in [−scale, scale] from a fixed linear congruential sequence.
fn draws(n: usize, seed: u64, scale: f32) -> Vec<f32> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((x >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * scale
        })
        .collect()
}

/// Write a PEFT LoRA folder for the projections named in `targets` of every layer of `shape`:
/// `A` random, `B` zero or random.
fn write_adapter(dir: &Path, shape: &Shape, b_scale: f32, targets: &[&str]) {
    std::fs::create_dir_all(dir).expect("adapter folder");
    let mut tensors = HashMap::new();
    let mut seed = 1;
    for layer in 0..shape.layers {
        for (module, n_in, n_out) in shape.modules {
            let short = module.rsplit('.').next().unwrap_or(module);
            if !targets.contains(&short) {
                continue;
            }
            seed += 1;
            let p = format!("base_model.model.model.layers.{layer}.{module}");
            let a = draws(RANK * n_in, seed, 0.05);
            let b = draws(n_out * RANK, seed + 10_000, b_scale);
            tensors.insert(
                format!("{p}.lora_A.weight"),
                Tensor::from_vec(a, (RANK, n_in), &Device::Cpu).expect("A"),
            );
            tensors.insert(
                format!("{p}.lora_B.weight"),
                Tensor::from_vec(b, (n_out, RANK), &Device::Cpu).expect("B"),
            );
        }
    }
    candle_core::safetensors::save(&tensors, dir.join("adapter_model.safetensors"))
        .expect("write weights");
    let list: Vec<String> = targets.iter().map(|t| format!("\"{t}\"")).collect();
    std::fs::write(
        dir.join("adapter_config.json"),
        format!(
            r#"{{"r": {RANK}, "lora_alpha": {}, "lora_dropout": 0.0, "target_modules": [{}], "peft_type": "LORA"}}"#,
            2 * RANK,
            list.join(", ")
        ),
    )
    .expect("write config");
}

const ALL: [&str; 7] = [
    "q_proj",
    "k_proj",
    "v_proj",
    "o_proj",
    "gate_proj",
    "up_proj",
    "down_proj",
];

fn load(model: &Path, lora: Option<&Path>, cache: &Path) -> MistralGenerator {
    runtime()
        .block_on(async {
            match lora {
                None => MistralGenerator::load_on(model, GenDevice::Cpu).await,
                Some(l) => MistralGenerator::load_adapted(model, GenDevice::Cpu, l, cache).await,
            }
        })
        .expect("model loads")
}

/// The greedy answer to a fixed question.
fn answer(g: &MistralGenerator) -> String {
    runtime().block_on(async {
        let mut h = g.start(GenRequest {
            system: "You are a helpful assistant.".into(),
            history: Vec::new(),
            user: "Name three board games and say why people like them.".into(),
            constraint: None,
            max_tokens: 40,
        });
        let mut text = String::new();
        while let Some(ev) = h.events.recv().await {
            match ev {
                GenEvent::Token(t) => text.push_str(&t),
                GenEvent::Done(_) => break,
                GenEvent::Failed(m) => panic!("generation failed: {m}"),
            }
        }
        text
    })
}

#[test]
fn a_zero_adapter_changes_nothing_a_random_one_changes_the_answer_and_the_next_load_is_clean() {
    let model = small_model();
    let dir = tempfile::tempdir().expect("tmp");
    let cache = dir.path().join("cache");
    let (zero, random) = (dir.path().join("zero"), dir.path().join("random"));
    write_adapter(&zero, &SMOL, 0.0, &ALL);
    write_adapter(&random, &SMOL, 0.05, &ALL);

    let plain = answer(&load(&model, None, &cache));
    assert!(plain.split_whitespace().count() >= 5, "plain: {plain:?}");

    let z = load(&model, Some(&zero), &cache);
    assert!(z.name().ends_with("+lora:zero"), "{}", z.name());
    assert_eq!(
        answer(&z),
        plain,
        "a zero adapter must not change the output"
    );
    drop(z);

    let r = load(&model, Some(&random), &cache);
    let adapted = answer(&r);
    assert_ne!(adapted, plain, "a random adapter must change the output");
    drop(r);
    // The merged file is made once and reused.
    let merged = std::fs::read_dir(&cache).expect("cache").count();
    assert_eq!(merged, 2, "one merged model per adapter");
    assert_eq!(answer(&load(&model, Some(&random), &cache)), adapted);
    assert_eq!(std::fs::read_dir(&cache).expect("cache").count(), 2);

    assert_eq!(
        answer(&load(&model, None, &cache)),
        plain,
        "a model loaded after an adapted one must be clean"
    );
}

#[test]
fn the_default_model_takes_an_adapter_and_a_bad_one_is_refused_naming_what_is_wrong() {
    let config = config_with_models(&[Bundle::Generation]);
    let qwen = models::generation_model_path(&config.models_dir, Bundle::Generation);
    let dir = tempfile::tempdir().expect("tmp");
    let cache = dir.path().join("cache");
    let qv = dir.path().join("qv");
    write_adapter(&qv, &QWEN, 0.05, &["q_proj", "v_proj"]);
    let plain = answer(&load(&qwen, None, &cache));
    let adapted = load(&qwen, Some(&qv), &cache);
    assert_ne!(
        answer(&adapted),
        plain,
        "the adapter changes the default model"
    );

    // An adapter made for another model: more layers, other shapes.
    let smol = dir.path().join("smol");
    write_adapter(&smol, &SMOL, 0.05, &["q_proj"]);
    let e = merge::merged(&qwen, &smol, &cache).expect_err("another model's adapter");
    assert!(e.to_string().contains("has no tensor `blk.2"), "{e}");
    let shapes = Shape { layers: 1, ..SMOL };
    write_adapter(&smol, &shapes, 0.05, &["q_proj"]);
    let e = merge::merged(&qwen, &smol, &cache).expect_err("wrong shapes");
    assert!(
        e.to_string()
            .contains("[896, 896] in the model but [576, 576]"),
        "{e}"
    );

    // A module this does not know (phi3's fused projection).
    let fused = dir.path().join("fused");
    std::fs::create_dir_all(&fused).expect("dir");
    let t = Tensor::zeros((RANK, 896), candle_core::DType::F32, &Device::Cpu).expect("t");
    let tensors = HashMap::from([(
        "base_model.model.model.layers.0.self_attn.qkv_proj.lora_A.weight".to_string(),
        t,
    )]);
    candle_core::safetensors::save(&tensors, fused.join("adapter_model.safetensors"))
        .expect("save");
    std::fs::copy(
        qv.join("adapter_config.json"),
        fused.join("adapter_config.json"),
    )
    .expect("copy");
    let e = merge::merged(&qwen, &fused, &cache).expect_err("unknown module");
    assert!(e.to_string().contains("qkv_proj"), "{e}");
    assert!(lora::read_config(&fused.join("adapter_config.json")).is_ok());
}
