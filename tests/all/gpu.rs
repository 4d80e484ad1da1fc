//! The CPU-side pieces of the GPU check (scripts/gpu-bundle, scripts/gpu-run, `reco bench gpu`):
//! the random-weight model has the default model's exact header and size and generates under
//! mistral.rs; gpu-run refuses a part whose sha256 is wrong; asking for CUDA in a CPU build is
//! a clear error. The GPU run itself is never a test (docs/GPU.md).

use std::{path::Path, process::Command};

use reco::{
    generate::{gguf_architecture, Device, GenEvent, GenRequest, Generator, MistralGenerator},
    models::{self, Bundle},
};

use crate::config_with_models;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn python(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new("python3")
        .arg(repo().join("scripts/gpu/gguf_random.py"))
        .args(args)
        .output()
        .expect("python3 runs")
}

#[test]
fn random_weights_keep_the_default_models_shape_and_generate() {
    let config = config_with_models(&[Bundle::Generation]);
    let real = models::generation_model_path(&config.models_dir, Bundle::Generation);
    let dir = tempfile::tempdir().expect("tempdir");
    let skel = dir.path().join("qwen.skel");
    let random = dir.path().join("qwen-random.gguf");
    let out = python(&["skeleton".as_ref(), real.as_os_str(), skel.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = python(&["fill".as_ref(), skel.as_os_str(), random.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Same header (metadata, tokenizer, tensor table) and same size; different weights.
    let skel_bytes = std::fs::read(&skel).expect("skeleton");
    assert!(skel_bytes.len() > 1 << 20 && skel_bytes.len() < 16 << 20);
    let random_bytes = std::fs::read(&random).expect("random model");
    let real_len = std::fs::metadata(&real).expect("real model").len();
    assert_eq!(random_bytes.len() as u64, real_len);
    assert_eq!(&random_bytes[..skel_bytes.len()], &skel_bytes[..]);
    let real_bytes = std::fs::read(&real).expect("real model");
    assert_eq!(&real_bytes[..skel_bytes.len()], &skel_bytes[..]);
    assert_ne!(
        &real_bytes[skel_bytes.len()..skel_bytes.len() + 4096],
        &random_bytes[skel_bytes.len()..skel_bytes.len() + 4096]
    );
    drop((real_bytes, random_bytes));
    assert_eq!(gguf_architecture(&random).expect("architecture"), "qwen2");

    // mistral.rs loads it and generates (garbage text, finite numbers).
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let g = rt
        .block_on(MistralGenerator::load_on(&random, Device::Cpu))
        .expect("random-weight model loads");
    let stats = rt.block_on(async {
        let mut h = g.start(GenRequest {
            system: "You are terse.".into(),
            user: "Say hello.".into(),
            constraint: None,
            max_tokens: 4,
        });
        while let Some(ev) = h.events.recv().await {
            match ev {
                GenEvent::Done(s) => return s,
                GenEvent::Failed(m) => panic!("generation failed: {m}"),
                GenEvent::Token(_) => {}
            }
        }
        panic!("no result");
    });
    assert!(stats.completion_tokens >= 1, "{stats:?}");
    assert!(stats.prompt_tokens > 5, "{stats:?}");

    // Junk is refused with the file named.
    let junk = dir.path().join("junk.skel");
    std::fs::write(&junk, b"not a model").expect("write");
    let out = python(&["fill".as_ref(), junk.as_os_str(), random.as_os_str()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a GGUF"));
}

#[test]
fn gpu_run_refuses_a_part_with_the_wrong_sha256() {
    let dir = tempfile::tempdir().expect("tempdir");
    let b = dir.path().join("bundle/b");
    std::fs::create_dir_all(&b).expect("mkdir");
    std::fs::write(b.join("smollm2.part1"), b"half of a model").expect("write");
    let sums = Command::new("sha256sum")
        .arg("smollm2.part1")
        .current_dir(&b)
        .output()
        .expect("sha256sum");
    std::fs::write(b.join("SHA256SUMS"), &sums.stdout).expect("write");
    let run = || {
        Command::new("bash")
            .arg(repo().join("scripts/gpu-run"))
            .args(["--stage", "b", "--bundle"])
            .arg(dir.path().join("bundle"))
            .arg("--out")
            .arg(dir.path().join("out"))
            .current_dir(repo())
            .output()
            .expect("gpu-run runs")
    };
    let ok = run();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    std::fs::write(b.join("smollm2.part1"), b"half of a modeL").expect("tamper");
    let bad = run();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("does not match SHA256SUMS"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[cfg(not(feature = "cuda"))]
#[test]
fn cuda_in_a_cpu_build_is_a_clear_error() {
    let config = config_with_models(&[Bundle::Generation]);
    let real = models::generation_model_path(&config.models_dir, Bundle::Generation);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let e = rt
        .block_on(MistralGenerator::load_on(&real, Device::Cuda))
        .expect_err("no cuda feature");
    assert!(e.to_string().contains("scripts/cuda-build"), "{e}");
    assert!(Device::parse("tpu").is_err());
    assert_eq!(Device::parse("cpu").expect("cpu"), Device::Cpu);
}
