//! Store tests: every hash found, absent ones not, range queries, header checks.

use std::collections::BTreeSet;

use rand::{Rng, SeedableRng};

use super::*;

fn random_hashes(n: usize, seed: u64) -> Vec<[u8; 20]> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    (0..n).map(|_| rng.gen()).collect()
}

fn build(hashes: &[[u8; 20]], budget: usize) -> (tempfile::TempDir, LocalDb) {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Builder::with_budget(dir.path(), budget).unwrap();
    for h in hashes {
        b.push(h).unwrap();
    }
    let out = dir.path().join("staged.db");
    b.finish(&out, "test source", 1_700_000_000).unwrap();
    install(&out, dir.path()).unwrap();
    let db = LocalDb::open_dir(dir.path()).unwrap();
    (dir, db)
}

#[test]
fn every_hash_is_found_and_absent_ones_are_not() {
    let mut hashes = random_hashes(50_000, 1);
    // Duplicates and hashes that share a bucket prefix.
    let duplicates = hashes[..100].to_vec();
    hashes.extend(duplicates);
    let mut same = [0xabu8; 20];
    for i in 0..300u16 {
        same[18..].copy_from_slice(&i.to_be_bytes());
        hashes.push(same);
    }
    let (_dir, db) = build(&hashes, 1 << 20);
    let unique: BTreeSet<[u8; 20]> = hashes.iter().copied().collect();
    assert_eq!(db.len(), unique.len() as u64);
    assert_eq!(db.header().source, "test source");
    assert_eq!(db.header().created, 1_700_000_000);
    for h in &unique {
        assert!(db.contains(h), "{}", hex::encode(h));
    }
    let listed: Vec<[u8; 20]> = db.iter().collect();
    assert_eq!(listed, unique.iter().copied().collect::<Vec<_>>());
    for h in random_hashes(50_000, 2) {
        assert_eq!(db.contains(&h), unique.contains(&h));
    }
    // Neighbours of listed hashes (same bucket, one bit away) are absent.
    for h in unique.iter().take(1000) {
        let mut n = *h;
        n[19] ^= 1;
        assert_eq!(db.contains(&n), unique.contains(&n));
    }
    assert!(db.contains_hex(&hex::encode_upper(unique.first().unwrap())));
    assert!(!db.contains_hex("5baa"));
}

#[test]
fn a_small_budget_splits_partitions_and_gives_the_same_store() {
    let hashes = random_hashes(30_000, 3);
    let (_d1, big) = build(&hashes, 64 << 20);
    // With a 20 KiB budget the random first-byte partitions (~2.3 KiB) are sorted directly,
    // the skewed 0x42 one (~100 KiB) is split again by its second byte.
    let mut skewed = hashes.clone();
    skewed.extend(random_hashes(5_000, 4).into_iter().map(|mut h| {
        h[0] = 0x42;
        h
    }));
    let (_d2, small) = build(&skewed, 20 * 1024);
    let (_d3, reference) = build(&skewed, 64 << 20);
    assert_eq!(
        small.iter().collect::<Vec<_>>(),
        reference.iter().collect::<Vec<_>>()
    );
    assert_eq!(big.len(), 30_000);
}

#[test]
fn range_returns_exactly_the_hashes_with_the_prefix() {
    let mut hashes = random_hashes(20_000, 5);
    // Edge nibbles: prefixes ending in 0 and f inside one bucket.
    for last in [0x00u8, 0x0f, 0x10, 0xef, 0xf0, 0xff] {
        let mut h = [0u8; 20];
        h[0] = 0x5b;
        h[1] = 0xaa;
        h[2] = last;
        h[19] = last;
        hashes.push(h);
    }
    let (_dir, db) = build(&hashes, 1 << 20);
    let unique: BTreeSet<[u8; 20]> = hashes.iter().copied().collect();
    let mut prefixes: Vec<String> = hashes
        .iter()
        .take(200)
        .map(|h| hex::encode(h)[..5].to_string())
        .collect();
    prefixes.extend(["5baa0", "5baa1", "5baae", "5baaf", "00000", "fffff"].map(String::from));
    for p in prefixes {
        let expected: Vec<[u8; 20]> = unique
            .iter()
            .filter(|h| hex::encode(h).starts_with(&p))
            .copied()
            .collect();
        assert_eq!(db.range(&p).unwrap(), expected, "{p}");
        assert_eq!(db.range(&p.to_uppercase()).unwrap(), expected, "{p}");
    }
    assert!(db.range("5baa").is_none());
    assert!(db.range("5baag").is_none());
}

#[test]
fn an_empty_store_works() {
    let (_dir, db) = build(&[], 1 << 20);
    assert!(db.is_empty());
    assert!(!db.contains(&[0; 20]));
    assert_eq!(db.range("00000").unwrap(), Vec::<[u8; 20]>::new());
}

#[test]
fn damaged_files_are_refused() {
    let (dir, db) = build(&random_hashes(100, 6), 1 << 20);
    drop(db);
    let path = dir.path().join(FILE_NAME);
    let good = std::fs::read(&path).unwrap();

    let mut truncated = good.clone();
    truncated.pop();
    std::fs::write(&path, &truncated).unwrap();
    assert!(matches!(LocalDb::open(&path), Err(DbError::Format { .. })));

    let mut magic = good.clone();
    magic[0] = b'X';
    std::fs::write(&path, &magic).unwrap();
    assert!(matches!(LocalDb::open(&path), Err(DbError::Format { .. })));

    let mut version = good.clone();
    version[8] = 9;
    std::fs::write(&path, &version).unwrap();
    assert!(matches!(LocalDb::open(&path), Err(DbError::Format { .. })));

    assert!(matches!(
        LocalDb::open(&dir.path().join("missing")),
        Err(DbError::Io { .. })
    ));
}
