//! List processing end to end on generated files: the selection equals a brute-force
//! reference (both orders, LF and CRLF), the known passwords are found, errors leave nothing.

use std::collections::BTreeSet;
use std::path::Path;

use passwords_breach::localdb::{parse_sha1, LocalDb, FILE_NAME};
use passwords_breach::process::{import, ProcessError, Silent};
use passwords_breach::pwned::ListError;
use passwords_breach::testgen::{generate, sha1, Order, Spec};

fn write_list(dir: &Path, spec: &Spec) -> std::path::PathBuf {
    let path = dir.join("list.txt");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    generate(spec, &mut f).unwrap();
    path
}

/// The reference rule by brute force: stable sort by count, descending; take the first n.
fn brute_force(path: &Path, n: usize) -> BTreeSet<[u8; 20]> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<([u8; 20], u64)> = text
        .lines()
        .map(|l| {
            let (h, c) = l.trim_end_matches('\r').split_once(':').unwrap();
            (parse_sha1(h.as_bytes()).unwrap(), c.parse().unwrap())
        })
        .collect();
    lines.sort_by_key(|l| std::cmp::Reverse(l.1));
    lines.into_iter().take(n).map(|(h, _)| h).collect()
}

#[test]
fn selection_equals_brute_force_in_both_orders_and_line_ends() {
    for (order, crlf, seed) in [
        (Order::Hash, false, 1),
        (Order::Count, false, 2),
        (Order::Hash, true, 3),
        (Order::Count, true, 4),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut spec = Spec::new(20_000, seed, order);
        spec.crlf = crlf;
        let list = write_list(dir.path(), &spec);
        for n in [1u64, 5, 777, 5_000, 19_999, 20_000, 50_000] {
            let db_dir = dir.path().join(format!("db{n}"));
            let summary = import(&list, n, &db_dir, &Silent).unwrap();
            assert_eq!(summary.lines, 20_000);
            assert_eq!(summary.taken, n.min(20_000));
            let db = LocalDb::open_dir(&db_dir).unwrap();
            let got: BTreeSet<[u8; 20]> = db.iter().collect();
            let expected = brute_force(&list, n as usize);
            assert_eq!(got, expected, "{order:?} crlf={crlf} n={n}");
            assert_eq!(db.len(), expected.len() as u64);
            if n >= 5 {
                for p in ["password", "123456", "qwerty", "letmein", "iloveyou"] {
                    assert!(db.contains(&sha1(p)), "{p}");
                }
            }
            // Only the database is left in its directory.
            let names: Vec<_> = std::fs::read_dir(&db_dir)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert_eq!(names, [FILE_NAME]);
        }
    }
}

#[test]
fn generated_hash_order_is_sorted_and_count_order_descends() {
    let dir = tempfile::tempdir().unwrap();
    for (order, seed) in [(Order::Hash, 7), (Order::Count, 8)] {
        let list = write_list(dir.path(), &Spec::new(5_000, seed, order));
        let text = std::fs::read_to_string(&list).unwrap();
        let rows: Vec<(String, u64)> = text
            .lines()
            .map(|l| {
                let (h, c) = l.split_once(':').unwrap();
                (h.to_string(), c.parse().unwrap())
            })
            .collect();
        assert_eq!(rows.len(), 5_000);
        for w in rows.windows(2) {
            match order {
                Order::Hash => assert!(w[0].0 < w[1].0),
                Order::Count => assert!(w[0].1 >= w[1].1),
            }
        }
        // Same seed, same file.
        let again = write_list(&dir.path().join(".."), &Spec::new(5_000, seed, order));
        assert_eq!(std::fs::read(&again).unwrap(), text.as_bytes());
    }
}

#[test]
fn errors_keep_the_old_database_and_leave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let list = write_list(dir.path(), &Spec::new(1_000, 9, Order::Hash));
    let db_dir = dir.path().join("breach");
    import(&list, 100, &db_dir, &Silent).unwrap();
    let before = std::fs::read(db_dir.join(FILE_NAME)).unwrap();

    let mut text = std::fs::read_to_string(&list).unwrap();
    let bad = dir.path().join("bad.txt");
    text.push_str("ABCDEF:12\n");
    std::fs::write(&bad, &text).unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let malformed = dir.path().join("malformed.txt");
    std::fs::write(&malformed, "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8 12\n").unwrap();

    for (input, check) in [
        (
            &bad,
            (|e: &ProcessError| {
                matches!(e, ProcessError::List(ListError::InvalidHash { line: 1001 }))
            }) as fn(&ProcessError) -> bool,
        ),
        (&empty, |e| {
            matches!(e, ProcessError::List(ListError::NoHashes))
        }),
        (&malformed, |e| {
            matches!(e, ProcessError::List(ListError::InvalidLine { line: 1 }))
        }),
        (&dir.path().join("missing.txt"), |e| {
            matches!(e, ProcessError::List(ListError::NotFound(_)))
        }),
    ] {
        let err = import(input, 100, &db_dir, &Silent).unwrap_err();
        assert!(check(&err), "{input:?}: {err}");
        assert_eq!(std::fs::read(db_dir.join(FILE_NAME)).unwrap(), before);
        assert_eq!(std::fs::read_dir(&db_dir).unwrap().count(), 1);
        // A directory that did not exist is not created.
        let fresh = dir.path().join("fresh");
        assert!(import(input, 100, &fresh, &Silent).is_err());
        assert!(!fresh.exists());
    }
}

#[test]
fn export_zips_hold_the_selection_in_the_reference_format() {
    use passwords_breach::export::{export, file_name, Format};
    use std::io::Read;

    let dir = tempfile::tempdir().unwrap();
    let list = write_list(dir.path(), &Spec::new(30_000, 10, Order::Count));
    let expected = brute_force(&list, 12_000);
    for format in [Format::Json, Format::Gzip] {
        let name = file_name(12, format);
        assert_eq!(name, format!("12m-v16-{}.zip", format.name()));
        let summary = export(&list, 12_000, dir.path(), &name, format, &Silent).unwrap();
        assert_eq!(summary.path, dir.path().join(&name));
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&summary.path).unwrap()).unwrap();
        let mut all = Vec::new();
        let mut names = Vec::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let entry_name = entry.name().to_string();
            let mut raw = Vec::new();
            entry.read_to_end(&mut raw).unwrap();
            let json = match format {
                Format::Json => {
                    assert_eq!(entry_name.len(), 8, "{entry_name}");
                    assert!(entry_name.ends_with(".json"));
                    raw
                }
                Format::Gzip => {
                    assert!(entry_name.ends_with(".json.gz"), "{entry_name}");
                    let mut out = Vec::new();
                    flate2::read::ZlibDecoder::new(&raw[..])
                        .read_to_end(&mut out)
                        .unwrap();
                    out
                }
            };
            let hashes: Vec<String> = serde_json::from_slice(&json).unwrap();
            assert!(!hashes.is_empty());
            assert!(hashes.windows(2).all(|w| w[0] < w[1]), "sorted, unique");
            for h in &hashes {
                assert!(h.starts_with(&entry_name[..3]), "{h} in {entry_name}");
                all.push(parse_sha1(h.as_bytes()).unwrap());
            }
            names.push(entry_name);
        }
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(all.into_iter().collect::<BTreeSet<_>>(), expected);
        // Only the zip is left in the directory, besides the list.
        assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with('.')));
    }
}
