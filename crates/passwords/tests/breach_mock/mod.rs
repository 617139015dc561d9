//! A stand-in for the HIBP range API for the breach tests (not a test target of its own).

#![allow(dead_code)]
/// A stand-in for the HIBP range API on 127.0.0.1: real HTTP/1.1 over loopback, one answer
/// per request decided by `reply` from the path, every request line and header recorded.
pub struct MockHibp {
    pub addr: std::net::SocketAddr,
    pub requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

/// What the mock answers.
#[derive(Clone, Debug)]
pub enum Reply {
    /// 200 with this body.
    Body(String),
    /// This status with an empty body.
    Status(u16),
    /// Never answers (the client must time out).
    Hang,
}

impl MockHibp {
    pub async fn start(reply: impl Fn(&str) -> Reply + Send + Sync + 'static) -> MockHibp {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = requests.clone();
        let reply = std::sync::Arc::new(reply);
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let seen = seen.clone();
                let reply = reply.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&head).into_owned();
                    let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
                    seen.lock().unwrap().push(head);
                    let (status, body) = match reply(&path) {
                        Reply::Body(b) => (200, b),
                        Reply::Status(s) => (s, String::new()),
                        Reply::Hang => {
                            tokio::time::sleep(std::time::Duration::from_secs(600)).await;
                            return;
                        }
                    };
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        MockHibp {
            addr,
            requests,
            task,
        }
    }

    /// The range URL template of this mock.
    pub fn url(&self) -> String {
        format!("http://{}/range/:range", self.addr)
    }

    /// The recorded request heads.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for MockHibp {
    fn drop(&mut self) {
        self.task.abort();
    }
}
