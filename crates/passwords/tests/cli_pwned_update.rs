//! `passwords pwned-list update` and the update job of `passwords serve`, as a black box:
//! the real binary downloads update files from a real HTTP server on 127.0.0.1 that the test
//! runs, on every backend. Our own zip and the reference's variants (list or object
//! payloads, zlib or gzip) install; broken downloads and bad archives are refused and leave
//! the old database and settings as they were.

#[macro_use]
mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use passwords_breach::localdb::LocalDb;
use passwords_breach::testgen::{generate, sha1, Order, Spec};

// ---------------------------------------------------------------------------------------------
// A tiny HTTP server: one thread, one request per connection, answers by path.
// ---------------------------------------------------------------------------------------------

#[derive(Clone)]
enum Answer {
    /// 200 with this body.
    File(Vec<u8>),
    /// This status, a short body.
    Status(u16),
    /// 200 announcing the full length, then only the first `cut` bytes and a close.
    Truncated(Vec<u8>, usize),
    /// The connection is closed without an answer.
    Close,
}

struct FileServer {
    port: u16,
    routes: Arc<Mutex<HashMap<String, Answer>>>,
    hits: Arc<Mutex<Vec<String>>>,
}

impl FileServer {
    fn start() -> FileServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let routes: Arc<Mutex<HashMap<String, Answer>>> = Arc::default();
        let hits: Arc<Mutex<Vec<String>>> = Arc::default();
        let (r, h) = (routes.clone(), hits.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (r, h) = (r.clone(), h.clone());
                std::thread::spawn(move || serve_one(stream, &r, &h));
            }
        });
        FileServer { port, routes, hits }
    }

    fn set(&self, path: &str, answer: Answer) {
        self.routes.lock().unwrap().insert(path.to_owned(), answer);
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self) -> usize {
        self.hits.lock().unwrap().len()
    }
}

fn serve_one(
    mut stream: TcpStream,
    routes: &Mutex<HashMap<String, Answer>>,
    hits: &Mutex<Vec<String>>,
) {
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    hits.lock().unwrap().push(path.clone());
    let answer = routes
        .lock()
        .unwrap()
        .get(&path)
        .cloned()
        .unwrap_or(Answer::Status(404));
    let send = |stream: &mut TcpStream, status: &str, len: usize, body: &[u8]| {
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: application/zip\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
        );
        let _ = stream.write_all(body);
        let _ = stream.flush();
    };
    match answer {
        Answer::File(body) => send(&mut stream, "200 OK", body.len(), &body),
        Answer::Status(code) => send(&mut stream, &format!("{code} Oops"), 4, b"oops"),
        Answer::Truncated(body, cut) => send(&mut stream, "200 OK", body.len(), &body[..cut]),
        Answer::Close => {}
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

// ---------------------------------------------------------------------------------------------
// Update files
// ---------------------------------------------------------------------------------------------

/// Our own `pwned-list process --mode gzip` zip of a generated list of `lines` hashes.
fn our_zip(env: &TestEnv, lines: u64, seed: u64) -> Vec<u8> {
    let work = tempfile::tempdir().unwrap();
    let list = work.path().join("list.txt");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&list).unwrap());
    generate(&Spec::new(lines, seed, Order::Hash), &mut f).unwrap();
    drop(f);
    let out = env
        .command(&[
            "pwned-list",
            "process",
            list.to_str().unwrap(),
            "-s",
            "1",
            "-m",
            "gzip",
        ])
        .current_dir(work.path())
        .output()
        .unwrap();
    assert_success(&out, &["pwned-list", "process"]);
    std::fs::read(work.path().join("1m-v16-gzip.zip")).unwrap()
}

/// How a reference-style entry is written.
#[derive(Clone, Copy, Debug)]
enum Style {
    /// `abc.json.gz`, a zlib-compressed JSON list (the reference's gzip mode).
    ZlibList,
    /// `abc.json.gz`, a gzip-compressed JSON object with gaps in its keys.
    GzipObject,
    /// `abc.json`, a plain JSON object.
    PlainObject,
}

fn hex(h: &[u8; 20]) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// A zip of `passwords`' hashes, grouped by prefix, written in `style`; `edit` may change
/// the entries (name, payload) before they are packed.
fn reference_zip(
    passwords: &[&str],
    style: Style,
    edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>),
) -> Vec<u8> {
    use flate2::write::{GzEncoder, ZlibEncoder};
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for p in passwords {
        let h = hex(&sha1(p));
        match groups.iter_mut().find(|(g, _)| *g == h[..3]) {
            Some((_, list)) => list.push(h),
            None => groups.push((h[..3].to_owned(), vec![h])),
        }
    }
    let mut entries: Vec<(String, Vec<u8>)> = groups
        .into_iter()
        .map(|(prefix, list)| {
            let object = || {
                let items: Vec<String> = list
                    .iter()
                    .enumerate()
                    .map(|(i, h)| format!("\"{}\":\"{h}\"", i * 2 + 1))
                    .collect();
                format!("{{{}}}", items.join(","))
            };
            match style {
                Style::ZlibList => {
                    let mut z = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
                    z.write_all(serde_json::to_string(&list).unwrap().as_bytes())
                        .unwrap();
                    (format!("{prefix}.json.gz"), z.finish().unwrap())
                }
                Style::GzipObject => {
                    let mut z = GzEncoder::new(Vec::new(), flate2::Compression::default());
                    z.write_all(object().as_bytes()).unwrap();
                    (format!("{prefix}.json.gz"), z.finish().unwrap())
                }
                Style::PlainObject => (format!("{prefix}.json"), object().into_bytes()),
            }
        })
        .collect();
    edit(&mut entries);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in &entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const REFERENCE: &[&str] = &["hunter2", "trustno1", "correct horse", "monkey", "sunshine"];

fn breach_dir(env: &TestEnv) -> std::path::PathBuf {
    env.data_dir().join("breached")
}

fn db(env: &TestEnv) -> LocalDb {
    LocalDb::open_dir(&breach_dir(env)).unwrap()
}

fn breach_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn report(env: &TestEnv) -> Value {
    serde_json::from_str(&env.cli_ok(&["system", "report", "services", "status"])).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

backend_tests!(
    installs_our_zip_and_the_reference_variants,
    |backend| async move {
        let env = TestEnv::new(backend).await;
        let http = FileServer::start();
        http.set("/db/1m-v16-gzip.zip", Answer::File(our_zip(&env, 2_000, 7)));
        env.config_set(
            "passwords/localdb/source",
            &http.url("/db/1m-v:version-:format.zip"),
        );

        let out = env.cli_ok(&["pwned-list", "update"]);
        assert!(
            out.starts_with(&format!("Downloaded {}", http.url("/db/1m-v16-gzip.zip"))),
            "{out}"
        );
        assert!(out.contains("Installed 2000 hashes"), "{out}");
        assert!(out.ends_with("Password database updated to v16\n"), "{out}");
        let installed = db(&env);
        assert_eq!(installed.len(), 2_000);
        assert!(installed.contains(&sha1("password")));
        assert_eq!(installed.header().source, "1m-v16-gzip.zip");
        assert_eq!(env.config_get("passwords/localdb/version"), "16");
        assert_eq!(env.config_get("passwords/localdb/type"), "bigdb");
        assert_eq!(breach_files(&breach_dir(&env)), ["pwned.db"]);

        // Current: nothing is downloaded without --force.
        let hits = http.hits();
        let out = env.cli_ok(&["pwned-list:update"]);
        assert!(out.contains("up to date (v16)"), "{out}");
        assert_eq!(http.hits(), hits);

        // The reference's variants replace it (--force, or version 0 as in the reference).
        for (i, style) in [Style::ZlibList, Style::GzipObject, Style::PlainObject]
            .into_iter()
            .enumerate()
        {
            http.set(
                "/db/1m-v16-gzip.zip",
                Answer::File(reference_zip(REFERENCE, style, |_| {})),
            );
            if i == 0 {
                env.config_set("service.security", "bigdb+hibp");
                env.cli_ok(&["pwned-list", "update", "--force"]);
            } else {
                env.config_set("passwords/localdb/version", "0");
                env.cli_ok(&["passwords:pwned-list:update"]);
            }
            let installed = db(&env);
            assert_eq!(installed.len(), REFERENCE.len() as u64, "{style:?}");
            for p in REFERENCE {
                assert!(installed.contains(&sha1(p)), "{style:?}: {p}");
            }
            assert!(!installed.contains(&sha1("password")), "{style:?}");
            assert_eq!(env.config_get("passwords/localdb/version"), "16");
            assert_eq!(env.config_get("passwords/localdb/type"), "bigdb+hibp");
        }

        let r = report(&env);
        let local = &r["services"]["localDatabase"];
        assert_eq!(local["installed"], true);
        assert_eq!(local["type"], "bigdb+hibp");
        assert_eq!(local["version"], "16");
        assert_eq!(local["hashes"], REFERENCE.len() as u64);
        assert!(local["size"].as_u64().unwrap() > 500_000, "{local}");
        assert!((local["created"].as_i64().unwrap() - unix_now()).abs() < 120);
        assert_eq!(local["source"], true);
        let update = &r["status"]["localDatabaseUpdate"];
        assert_eq!(update["state"], "ok", "{update}");
        assert_eq!(update["failures"], 0);
        assert!((update["lastSuccess"].as_i64().unwrap() - unix_now()).abs() < 120);
    }
);

backend_tests!(failures_keep_the_old_database, |backend| async move {
    let env = TestEnv::new(backend).await;
    let http = FileServer::start();
    let good = reference_zip(REFERENCE, Style::ZlibList, |_| {});
    http.set("/v16.zip", Answer::File(good.clone()));
    env.config_set("service.security.local.url", &http.url("/v:version.zip"));
    env.cli_ok(&["pwned-list", "update"]);
    let before = std::fs::read(breach_dir(&env).join("pwned.db")).unwrap();

    let h = hex(&sha1("hunter2"));
    let cases: Vec<(&str, Answer, &str)> = vec![
        ("HTTP 500", Answer::Status(500), "HTTP 500"),
        ("HTTP 404", Answer::Status(404), "HTTP 404"),
        (
            "truncated",
            Answer::Truncated(good.clone(), good.len() / 2),
            "Failed to download",
        ),
        ("closed", Answer::Close, "Failed to download"),
        (
            "not a zip",
            Answer::File(b"<html>moved</html>".to_vec()),
            "Unable to read breached passwords zip file",
        ),
        (
            "bad entry name",
            Answer::File(reference_zip(REFERENCE, Style::ZlibList, |e| {
                e.push(("../evil.json".into(), b"[]".to_vec()))
            })),
            "Invalid entry \"../evil.json\"",
        ),
        (
            "bad hash",
            Answer::File(reference_zip(REFERENCE, Style::PlainObject, |e| {
                // Plain JSON under a `.json.gz` name: the payload's first bytes decide.
                e.push((
                    format!("{}.json.gz", &h[..3]),
                    format!("[\"{}zz\"]", &h[..38]).into_bytes(),
                ))
            })),
            "invalid hash",
        ),
        (
            "hash of another prefix",
            Answer::File(reference_zip(REFERENCE, Style::PlainObject, |e| {
                e.push(("fff.json".into(), format!("[\"{h}\"]").into_bytes()))
            })),
            "does not start with fff",
        ),
        (
            "empty entry",
            Answer::File(reference_zip(REFERENCE, Style::ZlibList, |e| {
                e.push(("abc.json.gz".into(), Vec::new()))
            })),
            "Unable to extract abc.json.gz",
        ),
        (
            "empty archive",
            Answer::File(reference_zip(&[], Style::ZlibList, |_| {})),
            "contains no hashes",
        ),
    ];
    for (what, answer, needle) in cases {
        http.set("/v16.zip", answer);
        let out = env.cli(&["pwned-list", "update", "--force"]);
        assert_fails_with(&out, needle);
        assert_eq!(
            std::fs::read(breach_dir(&env).join("pwned.db")).unwrap(),
            before,
            "{what}: the old database stays"
        );
        assert_eq!(
            breach_files(&breach_dir(&env)),
            ["pwned.db"],
            "{what}: no staging left"
        );
        assert_eq!(env.config_get("passwords/localdb/version"), "16", "{what}");
        assert_eq!(env.config_get("passwords/localdb/type"), "bigdb", "{what}");
    }
    let r = report(&env);
    let update = &r["status"]["localDatabaseUpdate"];
    assert_eq!(update["state"], "failed", "{update}");
    assert_eq!(update["failures"], 10);
    assert!(update["lastError"]
        .as_str()
        .unwrap()
        .contains("contains no hashes"));

    // No source: a clear error; a success clears the failures.
    env.cli_ok(&["config", "delete", "passwords/localdb/source"]);
    assert_fails_with(
        &env.cli(&["pwned-list", "update", "-f"]),
        "No update source is configured",
    );
    env.config_set("service.security.local.url", &http.url("/v:version.zip"));
    http.set("/v16.zip", Answer::File(good));
    env.cli_ok(&["pwned-list", "update", "-f"]);
    let update = &report(&env)["status"]["localDatabaseUpdate"];
    assert_eq!(update["state"], "ok", "{update}");
    assert_eq!(update["failures"], 0);
});

backend_tests!(import_records_type_and_version, |backend| async move {
    let env = TestEnv::new(backend).await;
    let list = env.data_dir().join("list.txt");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&list).unwrap());
    generate(&Spec::new(100, 1, Order::Count), &mut f).unwrap();
    drop(f);
    env.config_set("service.security", "bigdb");
    env.cli_ok(&["pwned-list", "process", list.to_str().unwrap(), "-s", "1"]);
    assert_eq!(env.config_get("passwords/localdb/version"), "16");
    assert_eq!(env.config_get("passwords/localdb/type"), "bigdb");
    let local = &report(&env)["services"]["localDatabase"];
    assert_eq!(local["installed"], true);
    assert_eq!(local["hashes"], 100);
    // Read-only for admins.
    assert_eq!(
        env.cli(&["config", "set", "passwords/localdb/type", "x"])
            .status
            .code(),
        Some(1)
    );
});

backend_tests!(serve_installs_in_the_background, |backend| async move {
    let env = TestEnv::new(backend).await;
    let http = FileServer::start();
    http.set("/db.zip", Answer::Status(503));
    env.config_set("service.security.local.url", &http.url("/db.zip"));
    env.config_set("service.security", "bigdb");
    // A failing source: recorded once, then the job waits (5 minutes) before it retries.
    let server = TestServer::start_with(env, Launch::default());
    let env = &server.env;
    assert!(
        eventually(Duration::from_secs(30), || async {
            report(env)["status"]["localDatabaseUpdate"]["state"] == "failed"
        })
        .await,
        "the failure is recorded"
    );
    let update = report(env)["status"]["localDatabaseUpdate"].clone();
    assert!(
        update["lastError"].as_str().unwrap().contains("HTTP 503"),
        "{update}"
    );
    assert_eq!(update["failures"], 1);
    assert!(LocalDb::open_dir(&breach_dir(env)).is_err());
    let env = server.stop();

    // A server started after the source is fixed and the wait is over installs at once.
    http.set(
        "/db.zip",
        Answer::File(reference_zip(REFERENCE, Style::GzipObject, |_| {})),
    );
    env.sql("UPDATE app_settings SET setting_value = '1' WHERE setting_key = 'service.security.local.update.last.attempt'")
        .await;
    let server = TestServer::start_with(env, Launch::default());
    let env = &server.env;
    assert!(
        eventually(Duration::from_secs(30), || async {
            LocalDb::open_dir(&breach_dir(env)).is_ok()
        })
        .await,
        "installed in the background"
    );
    assert!(db(env).contains(&sha1("sunshine")));
    assert!(
        eventually(Duration::from_secs(10), || async {
            report(env)["status"]["localDatabaseUpdate"]["state"] == "ok"
        })
        .await
    );
    assert_eq!(env.config_get("passwords/localdb/version"), "16");
    drop(server);
});
