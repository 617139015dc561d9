//! Cold lookups in the local database: before each lookup the file's pages leave the page
//! cache (`dd iflag=nocache count=0`, i.e. `posix_fadvise(POSIX_FADV_DONTNEED)` on the whole
//! file; pages this process has already mapped stay, which is why every lookup goes to a
//! different random hash). Then the same hashes once more, warm.
//!
//! ```sh
//! cargo run --release -p passwords-breach --example cold_lookup -- data/breach/pwned.db 2000
//! ```

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use passwords_breach::localdb::LocalDb;
use rand::{Rng, SeedableRng};

fn evict(path: &Path) {
    let status = Command::new("dd")
        .arg(format!("if={}", path.display()))
        .args(["iflag=nocache", "count=0", "status=none"])
        .status()
        .expect("dd runs");
    assert!(status.success(), "dd failed");
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name}: n={} p50={:?} p90={:?} p99={:?} max={:?}",
        times.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: cold_lookup DB [N]");
    let n: usize = args.next().map_or(2000, |s| s.parse().expect("N"));
    let path = Path::new(&path);
    let db = LocalDb::open(path).expect("open");
    println!(
        "{} hashes, {} bytes",
        db.len(),
        std::fs::metadata(path).unwrap().len()
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    // Half listed hashes (every k-th of the file), half random ones.
    let step = (db.len() / n as u64).max(1) as usize;
    let listed: Vec<[u8; 20]> = db.iter().step_by(step).take(n / 2).collect();
    let mut keys: Vec<([u8; 20], bool)> = listed.into_iter().map(|h| (h, true)).collect();
    while keys.len() < n {
        keys.push((rng.gen(), false));
    }
    // Shuffle so that neighbours in the file are not looked up one after the other.
    for i in (1..keys.len()).rev() {
        keys.swap(i, rng.gen_range(0..=i));
    }
    let mut cold = Vec::with_capacity(n);
    for (h, listed) in &keys {
        evict(path);
        let t = Instant::now();
        let found = db.contains(h);
        cold.push(t.elapsed());
        assert!(!*listed || found, "a listed hash was not found");
    }
    let mut warm = Vec::with_capacity(n);
    for (h, _) in &keys {
        let t = Instant::now();
        std::hint::black_box(db.contains(h));
        warm.push(t.elapsed());
    }
    let mut ranges = Vec::with_capacity(n);
    for (h, _) in &keys {
        let prefix = &hex::encode(h)[..5];
        evict(path);
        let t = Instant::now();
        std::hint::black_box(db.range(prefix));
        ranges.push(t.elapsed());
    }
    report("contains, cold", cold);
    report("contains, warm", warm);
    report("range, cold", ranges);
}
