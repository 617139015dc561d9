//! Seeded generator of Pwned Passwords SHA-1 lists (`HASH:COUNT`), for tests and benchmarks.
//!
//! Streams any number of lines in constant memory. In hash order, hashes are drawn as an
//! increasing sequence (random gaps) and counts from a heavy-tailed distribution; in count
//! order, counts fall with the rank (Zipf-like, so the low counts have long runs of ties) and
//! hashes are random. The SHA-1 of each `known` password is mixed in with a high count.

use std::io::Write;

use rand::{Rng, SeedableRng};
use sha1::{Digest, Sha1};

/// Well-known breached passwords that a generated list contains by default.
pub const KNOWN: &[&str] = &["password", "123456", "qwerty", "letmein", "iloveyou"];

/// Order of the lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Hash,
    Count,
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct Spec {
    pub lines: u64,
    pub seed: u64,
    pub order: Order,
    pub crlf: bool,
    /// Passwords whose SHA-1 is listed (with counts above every random one).
    pub known: Vec<String>,
}

impl Spec {
    pub fn new(lines: u64, seed: u64, order: Order) -> Self {
        Self {
            lines,
            seed,
            order,
            crlf: false,
            known: KNOWN.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// The SHA-1 of a password.
pub fn sha1(password: &str) -> [u8; 20] {
    Sha1::digest(password.as_bytes()).into()
}

/// Highest count a random line gets; known passwords get more.
const TOP: u64 = 1_000_000;

/// Writes the list; returns the number of lines written (`spec.lines`, known ones included,
/// or more if there are more known passwords than lines).
pub fn generate(spec: &Spec, out: &mut dyn Write) -> std::io::Result<u64> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(spec.seed);
    let eol: &[u8] = if spec.crlf { b"\r\n" } else { b"\n" };
    let known_n = spec.known.len() as u64;
    let random_n = spec.lines.saturating_sub(known_n);
    let mut known: Vec<([u8; 20], u64)> = spec
        .known
        .iter()
        .enumerate()
        .map(|(i, p)| (sha1(p), TOP * 10 - i as u64))
        .collect();
    let mut line = Vec::with_capacity(64);
    let mut put = |out: &mut dyn Write, h: &[u8; 20], c: u64| -> std::io::Result<()> {
        line.clear();
        line.extend_from_slice(hex::encode_upper(h).as_bytes());
        line.push(b':');
        line.extend_from_slice(c.to_string().as_bytes());
        line.extend_from_slice(eol);
        out.write_all(&line)
    };
    match spec.order {
        Order::Count => {
            for (h, c) in &known {
                put(out, h, *c)?;
            }
            for rank in 0..random_n {
                let h: [u8; 20] = rng.gen();
                // Zipf-like: count ~ TOP / (rank+1)^0.9 scaled to the list's size.
                let c = ((TOP as f64) / ((rank + 1) as f64).powf(0.9)).max(1.0) as u64;
                put(out, &h, c)?;
            }
        }
        Order::Hash => {
            known.sort();
            let mut known = known.into_iter().peekable();
            // Increasing 128-bit tops with gaps averaging a bit under 2^128 / n (so the sum
            // never reaches the top), the low 4 bytes random.
            let n = u128::from(random_n);
            let step = u128::MAX / (n + n / 16 + 16);
            let mut top: u128 = 0;
            for _ in 0..random_n {
                top = top.saturating_add(rng.gen_range(1..=step * 2));
                let mut h = [0u8; 20];
                h[..16].copy_from_slice(&top.to_be_bytes());
                let low: [u8; 4] = rng.gen();
                h[16..].copy_from_slice(&low);
                while let Some((k, c)) = known.next_if(|(k, _)| *k < h) {
                    put(out, &k, c)?;
                }
                // Heavy tail: most counts are small, a few are large.
                let u: f64 = rng.gen_range(f64::EPSILON..1.0);
                let c = ((1.0 / u).powf(1.5) as u64).clamp(1, TOP);
                put(out, &h, c)?;
            }
            for (k, c) in known {
                put(out, &k, c)?;
            }
        }
    }
    out.flush()?;
    Ok(random_n + known_n)
}
