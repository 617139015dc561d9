//! `passwords pwned-list process` as a black box: the real binary imports a generated list
//! into `<data-dir>/breached/pwned.db`; the reference's checks and messages; errors leave the
//! old database and nothing else.

use std::path::Path;
use std::process::{Command, Output};

use passwords_breach::localdb::LocalDb;
use passwords_breach::testgen::{generate, sha1, Order, Spec};

fn run(cwd: &Path, data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passwords"))
        .current_dir(cwd)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("PASSWORDS_DATA_DIR")
        .env_remove("PASSWORDS_DATABASE_URL")
        .env_remove("PASSWORDS_CONFIG")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn list(path: &Path, lines: u64, seed: u64, order: Order, crlf: bool) {
    let mut spec = Spec::new(lines, seed, order);
    spec.crlf = crlf;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    generate(&spec, &mut f).unwrap();
}

#[test]
fn import_installs_the_database_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // The default file name, in the working directory, CRLF, count order.
    list(
        &dir.path().join("pwnedpasswords.txt"),
        3_000,
        1,
        Order::Count,
        true,
    );
    let out = run(dir.path(), &data, &["pwned-list", "process", "-s", "1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let canonical = std::fs::canonicalize(dir.path().join("pwnedpasswords.txt")).unwrap();
    assert!(
        stdout.starts_with(&format!(
            "Importing 1 million entries from {} in import mode.\n",
            canonical.display()
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("Password database updated to v16\n"),
        "{stdout}"
    );
    let db = LocalDb::open_dir(&data.join("breached")).unwrap();
    assert_eq!(db.len(), 3_000);
    assert!(db.contains(&sha1("password")));
    assert!(!db.contains(&sha1("not in the list, surely")));
    assert_eq!(db.header().source, "pwnedpasswords.txt");

    // The occ name, a smaller selection from another file replaces it.
    let other = dir.path().join("other.txt");
    list(&other, 20_000, 2, Order::Hash, false);
    let out = run(
        dir.path(),
        &data,
        &["passwords:pwned-list:process", other.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let db = LocalDb::open_dir(&data.join("breached")).unwrap();
    assert_eq!(db.len(), 20_000);
    assert_eq!(db.header().source, "other.txt");
    let names: Vec<_> = std::fs::read_dir(data.join("breached"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["pwned.db"]);

    // A database where earlier versions put it (`<data-dir>/breach/`) is moved on the next
    // start of any command and stays installed.
    std::fs::rename(data.join("breached"), data.join("breach")).unwrap();
    let out = run(dir.path(), &data, &["system", "report", "services"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["services"]["localDatabase"]["hashes"], 20_000,
        "{report}"
    );
    assert!(!data.join("breach").exists());
    assert_eq!(
        LocalDb::open_dir(&data.join("breached")).unwrap().len(),
        20_000
    );
}

#[test]
fn export_modes_write_the_reference_zip_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    list(
        &dir.path().join("pwnedpasswords.txt"),
        2_000,
        4,
        Order::Hash,
        false,
    );
    for (mode, name) in [("json", "2m-v16-json.zip"), ("file", "2m-v16-gzip.zip")] {
        let out = run(
            dir.path(),
            &data,
            &["pwned-list:process", "-s", "2", "-m", mode],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let shown = if mode == "file" { "gzip" } else { mode };
        let canonical = std::fs::canonicalize(dir.path().join("pwnedpasswords.txt")).unwrap();
        assert_eq!(
            text(&out.stdout),
            format!(
                "Processing 2 million entries from {} in {shown} mode.\nCreating export file…\nCreated {name}\n",
                canonical.display()
            )
        );
        let zip = zip_len(&dir.path().join(name));
        assert!(zip > 1_000, "{zip}");
    }
    // Exports do not touch the local database.
    assert!(!data.join("breached").exists());
}

fn zip_len(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

#[test]
fn bad_arguments_and_files_are_one_clear_error_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let good = dir.path().join("good.txt");
    list(&good, 1_000, 3, Order::Hash, false);
    let g = good.to_str().unwrap();

    let mut bad_hash = std::fs::read_to_string(&good).unwrap();
    bad_hash.push_str("5BAA61E4C9B93F3F0682250B6CF8331B7EE68F:3\n");
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, bad_hash).unwrap();
    let malformed = dir.path().join("malformed.txt");
    std::fs::write(&malformed, "password\n").unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();

    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["pwned-list", "process", "missing.txt"],
            "Error: File not found or not readable: missing.txt".into(),
        ),
        (
            vec!["pwned-list:process", g, "-s", "0"],
            "Error: Invalid size specified: 0".into(),
        ),
        (
            vec!["pwned-list:process", g, "--size=abc"],
            "Error: Invalid size specified: 0".into(),
        ),
        (
            vec!["pwned-list:process", g, "-m", "zip"],
            "Error: Invalid mode specified: zip".into(),
        ),
        (
            vec!["pwned-list:process", bad.to_str().unwrap()],
            "Error: Invalid SHA-1 hash encountered (line 1001)".into(),
        ),
        (
            vec!["pwned-list:process", malformed.to_str().unwrap()],
            "Error: File contains invalid lines (line 1)".into(),
        ),
        (
            vec!["pwned-list:process", empty.to_str().unwrap()],
            "Error: No hashes found".into(),
        ),
    ];
    for (args, message) in &cases {
        let out = run(dir.path(), &data, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(text(&out.stderr).trim_end(), message, "{args:?}");
        // Nothing at all: not even the data directory.
        assert!(!data.join("breached").exists(), "{args:?}");
    }

    // With a database installed, a failing run keeps it byte for byte, and leaves no staging.
    let out = run(dir.path(), &data, &["pwned-list", "process", g]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = std::fs::read(data.join("breached/pwned.db")).unwrap();
    for (args, _) in &cases {
        let out = run(dir.path(), &data, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            std::fs::read(data.join("breached/pwned.db")).unwrap(),
            before
        );
        assert_eq!(std::fs::read_dir(data.join("breached")).unwrap().count(), 1);
    }
}
