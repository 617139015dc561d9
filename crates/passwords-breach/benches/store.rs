//! Lookup speed of the local database: `contains` of listed and absent hashes, and 5-hex
//! range queries. Uses the database at `PASSWORDS_BENCH_DB` (a `pwned.db`, e.g. 25 M hashes
//! made by `passwords pwned-list process`) or else builds one of 1 M random hashes.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use passwords_breach::localdb::{install, Builder, LocalDb};
use rand::{Rng, SeedableRng};

fn open() -> (Option<tempfile::TempDir>, LocalDb) {
    if let Some(path) = std::env::var_os("PASSWORDS_BENCH_DB") {
        return (
            None,
            LocalDb::open(&PathBuf::from(path)).expect("open the database"),
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let mut b = Builder::new(dir.path()).expect("builder");
    for _ in 0..1_000_000 {
        b.push(&rng.gen()).expect("push");
    }
    let out = dir.path().join("staged.db");
    b.finish(&out, "bench", 0).expect("finish");
    install(&out, dir.path()).expect("install");
    let db = LocalDb::open_dir(dir.path()).expect("open");
    (Some(dir), db)
}

fn lookups(c: &mut Criterion) {
    let (_dir, db) = open();
    // Listed hashes: every 997th one.
    let listed: Vec<[u8; 20]> = db.iter().step_by(997).take(10_000).collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(2);
    let absent: Vec<[u8; 20]> = (0..10_000).map(|_| rng.gen()).collect();
    let prefixes: Vec<String> = absent
        .iter()
        .map(|h| hex::encode(h)[..5].to_string())
        .collect();
    println!("database: {} hashes", db.len());

    let mut i = 0;
    c.bench_function("contains listed", |b| {
        b.iter(|| {
            i = (i + 1) % listed.len();
            assert!(db.contains(&listed[i]));
        })
    });
    let mut i = 0;
    c.bench_function("contains absent", |b| {
        b.iter(|| {
            i = (i + 1) % absent.len();
            db.contains(&absent[i])
        })
    });
    let mut i = 0;
    c.bench_function("range 5 hex", |b| {
        b.iter(|| {
            i = (i + 1) % prefixes.len();
            db.range(&prefixes[i]).map(|r| r.len())
        })
    });
}

criterion_group!(benches, lookups);
criterion_main!(benches);
