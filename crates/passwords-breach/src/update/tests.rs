use std::io::Write;
use std::path::Path;

use flate2::write::{GzEncoder, ZlibEncoder};
use zip::write::SimpleFileOptions;

use super::*;
use crate::localdb::LocalDb;
use crate::process::Silent;
use crate::testgen::sha1;

/// How an entry's payload is packed.
#[derive(Clone, Copy)]
enum Pack {
    Plain,
    Zlib,
    Gzip,
}

fn pack(json: &[u8], how: Pack) -> Vec<u8> {
    match how {
        Pack::Plain => json.to_vec(),
        Pack::Zlib => {
            let mut z = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            z.write_all(json).unwrap();
            z.finish().unwrap()
        }
        Pack::Gzip => {
            let mut z = GzEncoder::new(Vec::new(), flate2::Compression::default());
            z.write_all(json).unwrap();
            z.finish().unwrap()
        }
    }
}

fn write_zip(path: &Path, entries: &[(&str, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, data) in entries {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
}

fn hex(h: &[u8; 20]) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// The reference's entries for some passwords: grouped by 3-hex prefix.
fn groups(passwords: &[&str]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for p in passwords {
        let h = hex(&sha1(p));
        let prefix = h[..3].to_owned();
        match out.iter_mut().find(|(g, _)| *g == prefix) {
            Some((_, list)) => list.push(h),
            None => out.push((prefix, vec![h])),
        }
    }
    out
}

const PASSWORDS: &[&str] = &[
    "password", "123456", "qwerty", "letmein", "iloveyou", "dragon",
];

/// Builds from `entries` into a fresh directory: the installed database or the error.
fn run(entries: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, Result<ConvertStats, UpdateError>) {
    let dir = tempfile::tempdir().unwrap();
    let staging = Staging::new(dir.path()).unwrap();
    write_zip(&staging.zip_path(), entries);
    let result = staging
        .build("test.zip", 1, &ConvertLimits::default(), &Silent)
        .and_then(|built| {
            let stats = built.stats;
            built.install(dir.path()).map(|_| stats)
        });
    (dir, result)
}

fn only_db_left(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn lists_and_objects_in_every_packing_are_read() {
    for (how, gz) in [
        (Pack::Plain, false),
        (Pack::Zlib, true),
        (Pack::Gzip, true),
        (Pack::Plain, true),
    ] {
        for object in [false, true] {
            let mut entries = Vec::new();
            let mut names = Vec::new();
            for (prefix, list) in groups(PASSWORDS) {
                let json = if object {
                    // The reference's de-duplication leaves gaps in the keys.
                    let items: Vec<String> = list
                        .iter()
                        .enumerate()
                        .map(|(i, h)| format!("\"{}\": \"{h}\"", i * 2))
                        .collect();
                    format!("{{ {} }}", items.join(",\n"))
                } else {
                    serde_json::to_string(&list).unwrap()
                };
                names.push(format!("{prefix}.json{}", if gz { ".gz" } else { "" }));
                entries.push(pack(json.as_bytes(), how));
            }
            let entries: Vec<(&str, Vec<u8>)> =
                names.iter().map(String::as_str).zip(entries).collect();
            let (dir, result) = run(&entries);
            let stats = result.unwrap();
            assert_eq!(stats.stored, PASSWORDS.len() as u64);
            let db = LocalDb::open_dir(dir.path()).unwrap();
            for p in PASSWORDS {
                assert!(db.contains(&sha1(p)), "{p}");
            }
            assert!(!db.contains(&sha1("not listed")));
            assert_eq!(db.header().source, "test.zip");
            assert_eq!(only_db_left(dir.path()), ["pwned.db"]);
        }
    }
}

#[test]
fn upper_case_hashes_and_duplicates_are_accepted() {
    let h = hex(&sha1("password")).to_uppercase();
    let json = format!("[\"{h}\", \"{h}\"]");
    let (dir, result) = run(&[(
        &format!("{}.json", &h[..3].to_lowercase()),
        json.into_bytes(),
    )]);
    assert_eq!(result.unwrap().stored, 1);
    assert!(LocalDb::open_dir(dir.path())
        .unwrap()
        .contains(&sha1("password")));
}

fn assert_refused(entries: &[(&str, Vec<u8>)], needle: &str) {
    let (dir, result) = run(entries);
    let err = result.expect_err("refused").to_string();
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    assert!(
        only_db_left(dir.path()).is_empty(),
        "nothing is left behind"
    );
}

#[test]
fn bad_archives_are_refused() {
    let h = hex(&sha1("password"));
    let good = format!("[\"{h}\"]").into_bytes();
    let name = format!("{}.json", &h[..3]);
    for bad_name in [
        "../5ba.json",
        "5BA.json",
        "5ba.txt",
        "5b.json",
        "dir/",
        "5baa.json.gz",
    ] {
        assert_refused(
            &[(name.as_str(), good.clone()), (bad_name, good.clone())],
            "Invalid entry",
        );
    }
    assert_refused(&[(name.as_str(), Vec::new())], "the entry is empty");
    assert_refused(&[], "contains no hashes");
    assert_refused(&[(name.as_str(), b"[]".to_vec())], "contains no hashes");
    // Wrong prefix, short hash, non-hex hash, not JSON, broken JSON, a number.
    assert_refused(&[("000.json", good.clone())], "does not start with 000");
    for bad in [
        format!("[\"{}\"]", &h[..39]),
        format!("[\"{}x\"]", &h[..39]),
        "not json".to_owned(),
        format!("[\"{h}\""),
        format!("[\"{h}\",]"),
        format!("[\"{h}\"] x"),
        "[12]".to_owned(),
        format!("{{\"a\" \"{h}\"}}"),
    ] {
        let (_, result) = run(&[(name.as_str(), bad.clone().into_bytes())]);
        let err = result.err().unwrap_or_else(|| panic!("{bad} accepted"));
        assert!(matches!(err, UpdateError::Entry { .. }), "{bad}: {err}");
    }
    // A truncated zlib stream.
    let mut z = pack(&good, Pack::Zlib);
    z.truncate(z.len() - 6);
    assert_refused(
        &[(format!("{}.json.gz", &h[..3]).as_str(), z)],
        "Unable to extract",
    );
}

#[test]
fn not_a_zip_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let staging = Staging::new(dir.path()).unwrap();
    std::fs::write(staging.zip_path(), b"<html>not found</html>").unwrap();
    let err = staging
        .build("x", 1, &ConvertLimits::default(), &Silent)
        .err()
        .unwrap();
    assert!(matches!(err, UpdateError::Archive(_)), "{err}");
    assert!(only_db_left(dir.path()).is_empty());
}

#[test]
fn expansion_is_limited() {
    let h = hex(&sha1("password"));
    let many = format!("[{}]", vec![format!("\"{h}\""); 1000].join(","));
    let dir = tempfile::tempdir().unwrap();
    let staging = Staging::new(dir.path()).unwrap();
    write_zip(
        &staging.zip_path(),
        &[(
            &format!("{}.json.gz", &h[..3]),
            pack(many.as_bytes(), Pack::Zlib),
        )],
    );
    let limits = ConvertLimits {
        max_entry_bytes: 1000,
        ..ConvertLimits::default()
    };
    let err = staging.build("x", 1, &limits, &Silent).err().unwrap();
    assert!(
        err.to_string().contains("expands to more than 1000"),
        "{err}"
    );
}

#[test]
fn urls_resolve_and_redact() {
    assert_eq!(
        resolve_url("https://h:8443/db/25m-v:version-:format.zip", "16", "gzip"),
        "https://h:8443/db/25m-v16-gzip.zip"
    );
    assert_eq!(
        redact_url("https://user:secret@h/x.zip?token=abc"),
        "https://h/x.zip"
    );
    assert_eq!(
        source_name("https://h/db/25m-v16-gzip.zip?t=1"),
        "25m-v16-gzip.zip"
    );
    assert_eq!(source_name("https://h/"), "update");
}

#[test]
fn entry_names() {
    assert_eq!(archive::entry_prefix("abc.json"), Some(0xabc));
    assert_eq!(archive::entry_prefix("000.json.gz"), Some(0));
    assert_eq!(archive::entry_prefix("fff.json.gz"), Some(0xfff));
    for bad in [
        "ABC.json",
        "abc.json.GZ",
        "abcd.json",
        ".json",
        "abc.gz",
        "a/bc.json",
        "abc.json.gz.gz",
    ] {
        assert_eq!(archive::entry_prefix(bad), None, "{bad}");
    }
}

#[tokio::test]
async fn file_urls_are_copied_with_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src.zip");
    std::fs::write(&src, vec![7u8; 1000]).unwrap();
    let url = reqwest::Url::from_file_path(&src).unwrap().to_string();
    let dest = dir.path().join("copy.zip");
    let n = download(&url, &dest, &DownloadLimits::default(), &Silent)
        .await
        .unwrap();
    assert_eq!(n, 1000);
    let limits = DownloadLimits {
        max_bytes: 999,
        ..DownloadLimits::default()
    };
    let err = download(&url, &dir.path().join("c2"), &limits, &Silent)
        .await
        .err()
        .unwrap();
    assert!(matches!(err, UpdateError::TooLarge { limit: 999 }), "{err}");
    let err = download("ftp://h/x.zip", &dest, &limits, &Silent)
        .await
        .err()
        .unwrap();
    assert!(matches!(err, UpdateError::Url(_)), "{err}");
}
