//! Black-box test harness: the real `passwords` binary on a fresh database of each backend,
//! spoken to over real HTTP on loopback.
//!
//! * [`TestEnv`]: a fresh database ([`TestDb`]) and a fresh data directory, plus the CLI
//!   (`passwords --data-dir … --database-url … <args>`).
//! * [`TestServer`]: `passwords serve --listen 127.0.0.1:0` on a [`TestEnv`], with a reqwest
//!   client; SIGTERM and wait on drop. Its log is printed when the test panics.
//! * [`backend_tests!`]: one `#[tokio::test]` per backend (`sqlite`, `postgres`, `mysql`).
//!
//! The child processes never inherit `RUST_LOG` or any `PASSWORDS_*` variable of the test
//! environment: only what a test sets explicitly.

#![allow(dead_code)]

pub mod vault;

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub use passwords_testkit::{TestBackend, TestDb};
pub use reqwest::{Method, StatusCode};
pub use serde_json::{json, Value};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_passwords");
/// The prefix every known client uses.
pub const API: &str = "/index.php/apps/passwords/api/0.1";
/// The "pretty URL" prefix.
pub const API_PRETTY: &str = "/apps/passwords/api/0.1";
/// How long a server may take to print its address.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a server may take to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(15);

/// One test per backend: `backend_tests!(name, |backend| async move { … });` expands to
/// `mod name { async fn sqlite(), postgres(), mysql() }`, each a multi-threaded tokio test
/// with `backend` bound to the [`TestBackend`]. Test files declare `#[macro_use] mod common;`.
macro_rules! backend_tests {
    ($name:ident, |$backend:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $backend = $crate::common::TestBackend::Sqlite;
                $body.await
            }

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $backend = $crate::common::TestBackend::Postgres;
                $body.await
            }

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                let $backend = $crate::common::TestBackend::Mysql;
                $body.await
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Database + data directory + CLI
// ---------------------------------------------------------------------------------------------

/// A fresh database and data directory: what the CLI and a server share.
pub struct TestEnv {
    pub backend: TestBackend,
    pub db: TestDb,
    pub data_dir: tempfile::TempDir,
}

/// A command of the binary with a clean environment (no `RUST_LOG`, no `PASSWORDS_*`).
pub fn clean_command() -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("RUST_LOG");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PASSWORDS_") {
            cmd.env_remove(&key);
        }
    }
    cmd
}

impl TestEnv {
    pub async fn new(backend: TestBackend) -> TestEnv {
        let db = TestDb::create(backend).await;
        let data_dir = tempfile::Builder::new()
            .prefix("pwdata-")
            .tempdir()
            .expect("cannot create a temporary data directory");
        TestEnv {
            backend,
            db,
            data_dir,
        }
    }

    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// `passwords --data-dir D --database-url U <args>`, not yet run.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = clean_command();
        cmd.arg("--data-dir")
            .arg(self.data_dir())
            .arg("--database-url")
            .arg(&self.db.url);
        cmd.args(args);
        cmd
    }

    /// Runs the CLI with stdin closed (not a terminal).
    pub fn cli(&self, args: &[&str]) -> Output {
        self.command(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"))
    }

    /// Runs the CLI with `input` on stdin.
    pub fn cli_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("wait for the CLI")
    }

    /// Runs the CLI on a pseudo-terminal (util-linux `script`), typing `input`: how the
    /// confirmation prompts are tested. The output is the terminal's (stdout and stderr
    /// mixed, `\r\n` line ends, the typed input echoed).
    pub fn cli_tty(&self, args: &[&str], input: &str) -> Output {
        let mut line = shell_quote(BIN.as_ref());
        for part in [
            "--data-dir".as_ref(),
            self.data_dir().as_os_str(),
            "--database-url".as_ref(),
            self.db.url.as_ref(),
        ] {
            line.push(' ');
            line.push_str(&shell_quote(part));
        }
        for a in args {
            line.push(' ');
            line.push_str(&shell_quote(a.as_ref()));
        }
        // The same clean environment as `clean_command`, for `script` and so for the binary.
        let clean = clean_command();
        let mut script = Command::new("script");
        script.args(["-qec", &line, "/dev/null"]);
        for (key, value) in clean.get_envs() {
            match value {
                Some(v) => script.env(key, v),
                None => script.env_remove(key),
            };
        }
        let mut child = script
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run script(1): {e}"));
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("wait for script(1)")
    }

    /// Runs the CLI and returns its stdout; panics (with stderr) unless it exits with 0.
    #[track_caller]
    pub fn cli_ok(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        assert_success(&out, args);
        stdout(&out)
    }

    /// Creates an account with a login password and an app password named `test`; returns
    /// the app password.
    #[track_caller]
    pub fn add_user(&self, uid: &str, password: &str) -> String {
        let args = ["account", "add", uid, "--password-stdin"];
        let out = self.cli_stdin(&args, &format!("{password}\n"));
        assert_success(&out, &args);
        self.add_token(uid, "test")
    }

    /// Creates an app password and returns it.
    #[track_caller]
    pub fn add_token(&self, uid: &str, name: &str) -> String {
        let token = self.cli_ok(&["account", "token", "add", uid, "--name", name]);
        let token = token.trim().to_owned();
        assert!(is_token(&token), "not an app password: {token:?}");
        token
    }

    /// `config get KEY`, trimmed.
    #[track_caller]
    pub fn config_get(&self, key: &str) -> String {
        self.cli_ok(&["config", "get", key]).trim().to_owned()
    }

    /// `config set KEY VALUE`.
    #[track_caller]
    pub fn config_set(&self, key: &str, value: &str) {
        self.cli_ok(&["config", "set", key, value]);
    }

    /// Runs one SQL statement on the test database (to set up states the API cannot make,
    /// like an old `edited` time).
    pub async fn sql(&self, statement: &str) {
        use sqlx::{Connection, Executor};
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&self.db.url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to the test database: {e}"));
        conn.execute(statement)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
        let _ = conn.close().await;
    }
}

impl TestEnv {
    /// The first column of every row of `query`, as text (cast it in SQL if needed).
    pub async fn sql_strings(&self, query: &str) -> Vec<String> {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&self.db.url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to the test database: {e}"));
        use sqlx::Row;
        let rows = sqlx::query(query)
            .fetch_all(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{query}: {e}"));
        let _ = conn.close().await;
        // MariaDB reports `utf8mb4_bin` text as a blob.
        rows.iter()
            .map(|r| {
                r.try_get::<String, _>(0).unwrap_or_else(|_| {
                    String::from_utf8(r.try_get::<Vec<u8>, _>(0).expect("text or blob"))
                        .expect("UTF-8")
                })
            })
            .collect()
    }

    /// The backups folder (`<data-dir>/backups`).
    pub fn backups(&self) -> PathBuf {
        self.data_dir().join("backups")
    }
}

/// `pg_dump` (PostgreSQL) or `mysqldump` (MariaDB) of the test database, with extra options.
pub fn dump_server_database(env: &TestEnv, options: &[&str]) -> Vec<u8> {
    let out = match env.backend {
        TestBackend::Sqlite => panic!("SQLite has no dump tool here; read the file"),
        TestBackend::Postgres => Command::new("pg_dump")
            .args(options)
            .arg(&env.db.url)
            .output()
            .expect("pg_dump runs"),
        TestBackend::Mysql => {
            let name = env
                .db
                .database_name()
                .expect("a server test database has a name");
            Command::new("mysqldump")
                .args(["-h", "127.0.0.1", "-u", "root", "--skip-extended-insert"])
                .args(options)
                .arg(name)
                .output()
                .expect("mysqldump runs")
        }
    };
    assert!(
        out.status.success(),
        "dump of the {} database: {}",
        env.backend.name(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Whether `s` has the app-password shape `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`.
pub fn is_token(s: &str) -> bool {
    s.len() == 29
        && s.split('-').count() == 5
        && s.split('-')
            .all(|g| g.len() == 5 && g.bytes().all(|b| b.is_ascii_alphanumeric()))
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
pub fn assert_success(out: &Output, args: &[&str]) {
    assert!(
        out.status.success(),
        "`passwords {}` failed with {}\nstdout: {}\nstderr: {}",
        args.join(" "),
        out.status,
        stdout(out),
        stderr(out)
    );
}

/// Whether a stderr line is a log line (`2026-01-01T00:00:00.000000Z  WARN …`), e.g. a slow
/// statement warning of the database driver, rather than the command's own message.
fn is_log_line(line: &str) -> bool {
    line.split_whitespace().next().is_some_and(|t| {
        t.ends_with('Z') && t.starts_with(|c: char| c.is_ascii_digit()) && t.contains('T')
    })
}

/// Asserts exit code 1 and that the message on stderr is one line, `Error: …`, containing
/// `needle` (log lines of the driver are ignored).
#[track_caller]
pub fn assert_fails_with(out: &Output, needle: &str) {
    let err = stderr(out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit status; stdout: {} stderr: {err}",
        stdout(out)
    );
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| !l.trim().is_empty() && !is_log_line(l))
        .collect();
    assert_eq!(lines.len(), 1, "one sentence on stderr: {err:?}");
    assert!(lines[0].starts_with("Error: "), "stderr: {err:?}");
    assert!(
        lines[0].contains(needle),
        "stderr should contain {needle:?}: {err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

/// How to start a server: extra environment variables, extra `serve` arguments, the listen
/// address.
#[derive(Clone, Debug)]
pub struct Launch {
    pub envs: Vec<(String, String)>,
    pub args: Vec<String>,
    pub listen: String,
}

impl Default for Launch {
    fn default() -> Self {
        Launch {
            envs: Vec::new(),
            args: Vec::new(),
            listen: "127.0.0.1:0".into(),
        }
    }
}

impl Launch {
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.envs.push((key.into(), value.into()));
        self
    }

    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn listen(mut self, addr: &str) -> Self {
        self.listen = addr.into();
        self
    }
}

/// Credentials for Basic auth.
#[derive(Clone, Debug)]
pub struct User {
    pub uid: String,
    pub secret: String,
}

impl User {
    pub fn new(uid: &str, secret: &str) -> User {
        User {
            uid: uid.into(),
            secret: secret.into(),
        }
    }
}

/// A running `passwords serve`.
pub struct TestServer {
    pub env: TestEnv,
    /// The address the server printed.
    pub addr: SocketAddr,
    /// `http://ADDR` or `https://ADDR`.
    pub base: String,
    pub http: reqwest::Client,
    process: ServerProcess,
}

/// The child process of a [`TestServer`]: terminated (and its log printed if the test
/// failed) when dropped.
struct ServerProcess {
    child: Option<Child>,
    log: Arc<Mutex<Vec<String>>>,
    backend: &'static str,
}

impl TestServer {
    /// A server on a fresh database of `backend`.
    pub async fn start(backend: TestBackend) -> TestServer {
        Self::start_with(TestEnv::new(backend).await, Launch::default())
    }

    /// A server on a fresh database with extra settings.
    pub async fn start_launch(backend: TestBackend, launch: Launch) -> TestServer {
        Self::start_with(TestEnv::new(backend).await, launch)
    }

    /// Starts `passwords serve` on `env` and waits until it prints its address.
    pub fn start_with(env: TestEnv, launch: Launch) -> TestServer {
        let mut cmd = env.command(&["serve", "--listen", &launch.listen]);
        cmd.args(&launch.args);
        for (k, v) in &launch.envs {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {BIN}: {e}"));
        let pipe = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel::<String>();
        let sink = log.clone();
        // Reads stderr until the process closes it, so that the pipe never fills up.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if let Some(pos) = line.find("listening on ") {
                    let url = line[pos + "listening on ".len()..]
                        .split_whitespace()
                        .next();
                    if let (Some(url), Some(sender)) = (url, tx.take()) {
                        let _ = sender.send(url.to_owned());
                    }
                }
                sink.lock().unwrap_or_else(|p| p.into_inner()).push(line);
            }
        });
        let url = match rx.recv_timeout(START_TIMEOUT) {
            Ok(url) => url,
            Err(e) => {
                let status = child.try_wait().ok().flatten();
                if status.is_none() {
                    let _ = child.kill();
                    let _ = child.wait();
                }
                std::thread::sleep(Duration::from_millis(100));
                let lines = log.lock().unwrap_or_else(|p| p.into_inner()).join("\n");
                panic!(
                    "the server ({}) did not print `listening on …` ({e}; exit status {status:?}); \
                     its stderr:\n{lines}",
                    env.backend.name()
                );
            }
        };
        let (scheme, host) = url.split_once("://").expect("listening on SCHEME://ADDR");
        let addr: SocketAddr = host
            .parse()
            .unwrap_or_else(|e| panic!("bad address {host}: {e}"));
        let http = reqwest::Client::builder()
            .no_proxy()
            .danger_accept_invalid_certs(true)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("reqwest client");
        let backend = env.backend.name();
        TestServer {
            env,
            addr,
            base: format!("{scheme}://{addr}"),
            http,
            process: ServerProcess {
                child: Some(child),
                log,
                backend,
            },
        }
    }

    /// Stops the server (SIGTERM) and hands back its database and data directory.
    pub fn stop(self) -> TestEnv {
        let TestServer {
            env, mut process, ..
        } = self;
        let (status, _) = process.terminate(STOP_TIMEOUT);
        assert!(
            status.is_some_and(|s| s.success()),
            "the server exited with {status:?}"
        );
        env
    }

    /// The process id of the server.
    pub fn pid(&self) -> u32 {
        self.process
            .child
            .as_ref()
            .expect("the server is running")
            .id()
    }

    /// The server's stderr so far.
    pub fn log(&self) -> Vec<String> {
        self.process.log()
    }

    /// A URL under the client prefix `/index.php/apps/passwords/api/0.1`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{API}{path}", self.base)
    }

    /// Any URL of the server.
    pub fn raw_url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request builder with optional Basic credentials.
    pub fn request(
        &self,
        method: Method,
        url: &str,
        user: Option<&User>,
    ) -> reqwest::RequestBuilder {
        let rb = self.http.request(method, url);
        match user {
            Some(u) => rb.basic_auth(&u.uid, Some(&u.secret)),
            None => rb,
        }
    }

    pub async fn get(&self, user: &User, path: &str) -> Resp {
        Resp::send(self.request(Method::GET, &self.url(path), Some(user))).await
    }

    pub async fn post(&self, user: &User, path: &str, body: Value) -> Resp {
        Resp::send(
            self.request(Method::POST, &self.url(path), Some(user))
                .json(&body),
        )
        .await
    }

    pub async fn put(&self, user: &User, path: &str, body: Value) -> Resp {
        Resp::send(
            self.request(Method::PUT, &self.url(path), Some(user))
                .json(&body),
        )
        .await
    }

    pub async fn delete(&self, user: &User, path: &str) -> Resp {
        Resp::send(self.request(Method::DELETE, &self.url(path), Some(user))).await
    }

    pub async fn post_form(&self, user: &User, path: &str, form: &[(&str, &str)]) -> Resp {
        Resp::send(
            self.request(Method::POST, &self.url(path), Some(user))
                .form(form),
        )
        .await
    }

    pub async fn put_form(&self, user: &User, path: &str, form: &[(&str, &str)]) -> Resp {
        Resp::send(
            self.request(Method::PUT, &self.url(path), Some(user))
                .form(form),
        )
        .await
    }

    /// Creates a password and returns the object (asserting 200).
    pub async fn create_password(&self, user: &User, body: Value) -> Value {
        let r = self.post(user, "/passwords", body).await;
        assert_eq!(r.status, StatusCode::OK, "create password: {}", r.text);
        r.json()
    }

    /// Creates a category and returns the object (asserting 200).
    pub async fn create_category(&self, user: &User, name: &str, colour: &str) -> Value {
        let r = self
            .post(
                user,
                "/categories",
                json!({"categoryName": name, "categoryColour": colour}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "create category: {}", r.text);
        r.json()
    }

    /// Sends SIGTERM and waits for the exit (killing the process after the timeout).
    /// Returns the exit status and how long it took.
    pub fn terminate(&mut self, timeout: Duration) -> (Option<ExitStatus>, Duration) {
        self.process.terminate(timeout)
    }
}

impl ServerProcess {
    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn terminate(&mut self, timeout: Duration) -> (Option<ExitStatus>, Duration) {
        let Some(mut child) = self.child.take() else {
            return (None, Duration::ZERO);
        };
        let start = Instant::now();
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        while start.elapsed() < timeout {
            if let Ok(Some(status)) = child.try_wait() {
                return (Some(status), start.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        (None, start.elapsed())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let (status, _) = self.terminate(STOP_TIMEOUT);
        if std::thread::panicking() || status.is_some_and(|s| !s.success()) {
            let log = self.log();
            let tail = &log[log.len().saturating_sub(200)..];
            eprintln!(
                "---- server log ({}, exit {status:?}) ----\n{}\n---- end of server log ----",
                self.backend,
                tail.join("\n")
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/// A response read completely.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Resp {
    pub async fn send(rb: reqwest::RequestBuilder) -> Resp {
        let r = rb
            .send()
            .await
            .unwrap_or_else(|e| panic!("request failed: {e:?}"));
        let status = r.status();
        let headers = r.headers().clone();
        let text = r
            .text()
            .await
            .unwrap_or_else(|e| panic!("cannot read the body: {e}"));
        Resp {
            status,
            headers,
            text,
        }
    }

    /// The body as JSON (panics with the text if it is not JSON).
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {:?}", self.status, self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("ASCII header"))
    }

    /// Asserts the status and that the body is exactly this JSON value.
    #[track_caller]
    pub fn expect(&self, status: u16, body: Value) -> &Self {
        assert_eq!(self.status.as_u16(), status, "status; body: {}", self.text);
        assert_eq!(self.json(), body, "body of a {status} response");
        self
    }

    /// Asserts the status and that the body is a JSON error object
    /// `{"status":"error","id":…,"message":…}` or `{"message":…}`; returns the message.
    #[track_caller]
    pub fn expect_json_error(&self, status: u16) -> String {
        assert_eq!(self.status.as_u16(), status, "status; body: {}", self.text);
        let v = self.json();
        let message = v["message"]
            .as_str()
            .unwrap_or_else(|| panic!("no message: {v}"));
        if v.get("status").is_some() {
            assert_eq!(v, error_body(message), "error body");
        }
        message.to_owned()
    }

    /// Asserts a JSON content type.
    #[track_caller]
    pub fn assert_json_type(&self) {
        let ct = self.header("content-type").unwrap_or_default();
        assert!(ct.starts_with("application/json"), "content type {ct:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Expected values
// ---------------------------------------------------------------------------------------------

/// The reference's error id: PHP `hash('crc32', message)`, i.e. CRC-32/BZIP2 with the four
/// bytes written low byte first, as 8 lower-case hex digits.
pub fn error_id(message: &str) -> String {
    let mut crc: u32 = 0xFFFF_FFFF;
    for &byte in message.as_bytes() {
        crc ^= u32::from(byte) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04C1_1DB7
            } else {
                crc << 1
            };
        }
    }
    let crc = !crc;
    crc.to_le_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `{"status":"error","id":<crc>,"message":…}`.
pub fn error_body(message: &str) -> Value {
    json!({"status": "error", "id": error_id(message), "message": message})
}

/// The bare string body of unknown or foreign ids.
pub fn entity_not_found() -> Value {
    json!("Entity not found")
}

/// The body of a failed lookup inside an action and of unknown routes.
pub fn resource_not_found() -> Value {
    json!({"status": "error", "id": 404, "message": "Resource not found"})
}

pub fn empty_password() -> Value {
    json!({"status": "error", "id": "2cf30fe7", "message": "Field \"password\" can not be empty"})
}

pub fn empty_label() -> Value {
    json!({"status": "error", "id": "7c31eb4d", "message": "Field \"label\" can not be empty"})
}

pub fn cors_auth() -> Value {
    json!({"message": "CORS requires basic auth"})
}

/// The `properties` string of a password object, parsed.
#[track_caller]
pub fn props(password: &Value) -> Value {
    let text = password["properties"]
        .as_str()
        .unwrap_or_else(|| panic!("properties is not a string: {password}"));
    serde_json::from_str(text).unwrap_or_else(|e| panic!("properties is not JSON ({e}): {text}"))
}

/// Unix time now.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

/// `YYYY-MM-DD` (UTC) of a unix time.
pub fn date_of(ts: i64) -> String {
    // Howard Hinnant's days-to-civil.
    let z = ts.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Today (UTC), as the server writes dates.
pub fn today() -> String {
    date_of(unix_now())
}

/// Asserts that `date` is today (or, just after midnight, yesterday).
#[track_caller]
pub fn assert_today(date: &Value) {
    let now = unix_now();
    let ok = [date_of(now), date_of(now - 120)];
    assert!(
        ok.iter().any(|d| date == d),
        "expected today's date, got {date}"
    );
}

/// Polls `check` every 100 ms until it returns true or `timeout` passes.
pub async fn eventually<F, Fut>(timeout: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if check().await {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Writes a self-signed certificate and key for `localhost` and 127.0.0.1 into `dir`.
pub fn self_signed_cert(dir: &Path) -> (PathBuf, PathBuf) {
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let certified = rcgen::generate_simple_self_signed(names).expect("self-signed certificate");
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    std::fs::write(&cert, certified.cert.pem()).expect("write cert");
    std::fs::write(&key, certified.key_pair.serialize_pem()).expect("write key");
    (cert, key)
}

/// `s` in single quotes for `sh -c`.
fn shell_quote(s: &std::ffi::OsStr) -> String {
    format!("'{}'", s.to_string_lossy().replace('\'', r"'\''"))
}
