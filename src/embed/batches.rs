//! Embedding many texts over the backbone's sessions side by side.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Embedder, TokenStates};
use crate::{Error, Result};

/// The vectors of `texts`, in input order, embedded `batch` texts a call on up to
/// [`Embedder::parallelism`] threads; `done(n)` is called as each batch of `n` texts finishes
/// (progress bars). Plain scoped threads, not rayon: a session holds its lock while its
/// tokenizer runs rayon work, and a rayon worker waiting inside that work could steal another
/// outer job that asks for the same (non-reentrant) lock. The first error stops the others.
pub fn embed_batches(
    embedder: &dyn Embedder,
    texts: &[&str],
    batch: usize,
    done: &(dyn Fn(usize) + Sync),
) -> Result<Vec<Vec<f32>>> {
    side_by_side(embedder, texts, batch, done, &|c| embedder.embed(c))
}

/// The per-token states of `texts` ([`Embedder::embed_tokens`]), in input order, computed as
/// [`embed_batches`] computes vectors.
pub fn embed_token_batches(
    embedder: &dyn Embedder,
    texts: &[&str],
    batch: usize,
    done: &(dyn Fn(usize) + Sync),
) -> Result<Vec<TokenStates>> {
    side_by_side(embedder, texts, batch, done, &|c| embedder.embed_tokens(c))
}

/// `run` over batches of `texts` on up to [`Embedder::parallelism`] threads.
fn side_by_side<T: Send>(
    embedder: &dyn Embedder,
    texts: &[&str],
    batch: usize,
    done: &(dyn Fn(usize) + Sync),
    run: &(dyn Fn(&[&str]) -> Result<Vec<T>> + Sync),
) -> Result<Vec<T>> {
    let chunks: Vec<&[&str]> = texts.chunks(batch.max(1)).collect();
    let workers = embedder.parallelism().clamp(1, chunks.len().max(1));
    if workers == 1 {
        let mut out = Vec::with_capacity(texts.len());
        for c in chunks {
            out.extend(run(c)?);
            done(c.len());
        }
        return Ok(out);
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<Vec<T>> = (0..chunks.len()).map(|_| Vec::new()).collect();
    std::thread::scope(|s| -> Result<()> {
        let (chunks, next) = (&chunks, &next);
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(move || -> Result<Vec<(usize, Vec<T>)>> {
                    let mut mine = Vec::new();
                    loop {
                        let b = next.fetch_add(1, Ordering::Relaxed);
                        let Some(c) = chunks.get(b) else {
                            return Ok(mine);
                        };
                        match run(c) {
                            Ok(v) => {
                                done(c.len());
                                mine.push((b, v));
                            }
                            Err(e) => {
                                next.store(chunks.len(), Ordering::Relaxed);
                                return Err(e);
                            }
                        }
                    }
                })
            })
            .collect();
        for h in handles {
            let mine = h
                .join()
                .map_err(|_| Error::embed("an embedding thread panicked"))??;
            for (b, v) in mine {
                parts[b] = v;
            }
        }
        Ok(())
    })?;
    Ok(parts.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::HashEmbedder;

    /// The hash embedder, claiming three sessions.
    struct Three(HashEmbedder);

    impl Embedder for Three {
        fn id(&self) -> &str {
            self.0.id()
        }
        fn dim(&self) -> usize {
            self.0.dim()
        }
        fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
            if texts.contains(&"boom") {
                return Err(Error::embed("boom"));
            }
            self.0.embed(texts)
        }
        fn parallelism(&self) -> usize {
            3
        }
    }

    #[test]
    fn side_by_side_keeps_order_counts_and_stops_on_error() {
        let e = Three(HashEmbedder::new(16));
        let owned: Vec<String> = (0..100).map(|i| format!("text {i}")).collect();
        let texts: Vec<&str> = owned.iter().map(String::as_str).collect();
        let seen = AtomicUsize::new(0);
        let got = embed_batches(&e, &texts, 7, &|n| {
            seen.fetch_add(n, Ordering::Relaxed);
        })
        .expect("embedded");
        assert_eq!(got, e.0.embed(&texts).expect("one call"));
        assert_eq!(seen.load(Ordering::Relaxed), 100);
        let mut bad = texts.clone();
        bad[50] = "boom";
        assert!(embed_batches(&e, &bad, 7, &|_| {}).is_err());
        assert!(embed_batches(&e, &[], 7, &|_| {})
            .expect("empty")
            .is_empty());
    }
}
