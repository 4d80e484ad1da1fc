//! Reads `general.architecture` from a GGUF header without loading the model, so that an
//! architecture mistral.rs cannot load is a clear error instead of a panic in its builder.

use std::{
    io::{BufReader, Read},
    path::Path,
};

use crate::{Error, Result};

fn read_u32(r: &mut impl Read) -> std::io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn read_u64(r: &mut impl Read) -> std::io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn read_string(r: &mut impl Read) -> std::io::Result<String> {
    let n = read_u64(r)?;
    if n > 1 << 20 {
        return Err(std::io::Error::other("string too long"));
    }
    let mut b = vec![0u8; n as usize];
    r.read_exact(&mut b)?;
    Ok(String::from_utf8_lossy(&b).into_owned())
}

/// Size in bytes of a scalar GGUF value type, `None` for strings and arrays.
fn scalar_size(t: u32) -> Option<usize> {
    match t {
        0 | 1 | 7 => Some(1),
        2 | 3 => Some(2),
        4..=6 => Some(4),
        10..=12 => Some(8),
        _ => None,
    }
}

/// The model architecture named in a GGUF file's metadata (e.g. `qwen2`, `llama`).
pub fn gguf_architecture(path: &Path) -> Result<String> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut r = BufReader::new(f);
    let bad = |m: &str| Error::generate(format!("{}: not a GGUF model file ({m})", path.display()));
    let mut magic = [0u8; 4];
    r.read_exact(&mut magic).map_err(|_| bad("too short"))?;
    if &magic != b"GGUF" {
        return Err(bad("bad magic"));
    }
    let _version = read_u32(&mut r).map_err(|_| bad("truncated header"))?;
    let _tensors = read_u64(&mut r).map_err(|_| bad("truncated header"))?;
    let kvs = read_u64(&mut r).map_err(|_| bad("truncated header"))?;
    for _ in 0..kvs.min(64) {
        let key = read_string(&mut r).map_err(|_| bad("truncated metadata"))?;
        let t = read_u32(&mut r).map_err(|_| bad("truncated metadata"))?;
        if t == 8 {
            let v = read_string(&mut r).map_err(|_| bad("truncated metadata"))?;
            if key == "general.architecture" {
                return Ok(v);
            }
        } else if let Some(n) = scalar_size(t) {
            let mut skip = vec![0u8; n];
            r.read_exact(&mut skip)
                .map_err(|_| bad("truncated metadata"))?;
        } else {
            break;
        }
    }
    Err(bad("no general.architecture before the first array"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_architecture_and_rejects_junk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("m.gguf");
        let mut b = b"GGUF".to_vec();
        b.extend(3u32.to_le_bytes());
        b.extend(0u64.to_le_bytes());
        b.extend(2u64.to_le_bytes());
        for (k, v) in [("general.architecture", "qwen2"), ("general.name", "x")] {
            b.extend((k.len() as u64).to_le_bytes());
            b.extend(k.as_bytes());
            b.extend(8u32.to_le_bytes());
            b.extend((v.len() as u64).to_le_bytes());
            b.extend(v.as_bytes());
        }
        std::fs::write(&p, &b).expect("write");
        assert_eq!(gguf_architecture(&p).expect("arch"), "qwen2");
        std::fs::write(&p, b"not a model").expect("write");
        assert!(gguf_architecture(&p).is_err());
    }
}
