//! Login Flows on every backend, as the mobile apps run them against the real binary: v2 (iOS:
//! start, page, grant, poll), v1 (Android: page, sign-in, `nc://login/…` redirect), and
//! `DELETE ocs/v2.php/core/apppassword`. Each minted app password then works on API v1.

#[macro_use]
mod common;

use common::*;
use reqwest::redirect::Policy;

const IOS_AGENT: &str = "Passwords (iOS)";
const ANDROID_AGENT: &str = "Nextcloud Passwords";

/// A client that shows redirects instead of following them (the `nc:` one has nowhere to go).
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

async fn text(r: reqwest::Response) -> (u16, String) {
    (r.status().as_u16(), r.text().await.unwrap())
}

/// API v1 `password/list` with these credentials: its status.
async fn list_status(s: &TestServer, uid: &str, secret: &str) -> u16 {
    client()
        .get(s.raw_url("/index.php/apps/passwords/api/1.0/password/list"))
        .basic_auth(uid, Some(secret))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn token_names(s: &TestServer, uid: &str) -> Vec<String> {
    let out = s.env.cli_ok(&["account", "token", "list", uid]);
    let mut names: Vec<String> = out
        .lines()
        .skip(1)
        // NAME CREATED LAST-USED: the name is what is left of the two last columns.
        .map(|l| {
            let (rest, _last_used) = l.trim_end().rsplit_once(' ').unwrap();
            let (name, _created) = rest.trim_end().rsplit_once(' ').unwrap();
            name.trim().to_owned()
        })
        .collect();
    names.sort();
    names
}

backend_tests!(login_flow_v2, |backend| async move {
    let s = TestServer::start(backend).await;
    s.env.add_user("alice", "alice login password");
    let c = client();

    // iOS: POST <server>/index.php/login/v2, no body.
    let r = c
        .post(s.raw_url("/index.php/login/v2"))
        .header("user-agent", IOS_AGENT)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let start: Value = r.json().await.unwrap();
    let mut keys: Vec<_> = start.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["login", "poll"]);
    let poll_token = start["poll"]["token"].as_str().unwrap().to_owned();
    let endpoint = start["poll"]["endpoint"].as_str().unwrap().to_owned();
    let login = start["login"].as_str().unwrap().to_owned();
    assert_eq!(poll_token.len(), 128);
    assert_eq!(endpoint, s.raw_url("/index.php/login/v2/poll"));
    let prefix = s.raw_url("/index.php/login/v2/flow/");
    let login_token = login.strip_prefix(&prefix).expect(&login).to_owned();
    assert_ne!(login_token, poll_token);

    // The app polls as iOS does (`token=…` as the body) while nobody has signed in: 404 [].
    let poll = || c.post(&endpoint).body(format!("token={poll_token}")).send();
    assert_eq!(text(poll().await.unwrap()).await, (404, "[]".into()));

    // The page names the app and posts to …/login/v2/grant (iOS watches for that address).
    let (status, page) = text(c.get(&login).send().await.unwrap()).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<h1>Connect Passwords (iOS)</h1>"), "{page}");
    assert!(
        page.contains(r#"action="/index.php/login/v2/grant""#),
        "{page}"
    );
    assert!(page.contains(&format!(r#"name="token" value="{login_token}""#)));
    // The poll token is not a login link.
    let r = c.get(format!("{prefix}{poll_token}")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);

    let grant = |user: &str, password: &str, token: &str| {
        c.post(s.raw_url("/index.php/login/v2/grant"))
            .form(&[("token", token), ("user", user), ("password", password)])
            .send()
    };
    // A wrong password shows the form again; an app password is not a way in either.
    let (status, page) = text(grant("alice", "wrong", &login_token).await.unwrap()).await;
    assert_eq!(status, 403);
    assert!(page.contains("Wrong username or password."), "{page}");
    assert!(page.contains(
        r#"name="user" autocomplete="username" autocapitalize="none" required value="alice""#
    ));
    let app_password = s.env.add_token("alice", "existing");
    let (status, page) = text(grant("alice", &app_password, &login_token).await.unwrap()).await;
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("login password"), "{page}");
    assert_eq!(text(poll().await.unwrap()).await.0, 404, "still waiting");
    // An unknown flow: nothing is minted.
    let (status, _) = text(
        grant("alice", "alice login password", "nope")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(token_names(&s, "alice"), ["existing", "test"]);

    // The right login password grants; the page says so.
    let (status, page) = text(
        grant("alice", "alice login password", &login_token)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("Account connected"), "{page}");
    // The link is used up.
    assert_eq!(c.get(&login).send().await.unwrap().status().as_u16(), 404);

    let (status, body) = text(poll().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    let got: Value = serde_json::from_str(&body).unwrap();
    let mut keys: Vec<_> = got.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["appPassword", "loginName", "server"]);
    assert_eq!(got["server"], s.base.as_str());
    assert_eq!(got["loginName"], "alice");
    let minted = got["appPassword"].as_str().unwrap().to_owned();
    assert!(is_token(&minted), "{minted}");
    // Handed out once.
    assert_eq!(text(poll().await.unwrap()).await.0, 404);
    assert_eq!(
        token_names(&s, "alice"),
        ["Passwords (iOS)", "existing", "test"]
    );
    assert_eq!(list_status(&s, "alice", &minted).await, 200);

    // The same app again gets a second, differently named app password; without
    // `/index.php` the addresses have none either.
    let start: Value = c
        .post(s.raw_url("/login/v2"))
        .header("user-agent", IOS_AGENT)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(start["poll"]["endpoint"], s.raw_url("/login/v2/poll"));
    let login = start["login"].as_str().unwrap();
    let token = login.rsplit('/').next().unwrap();
    assert!(login.starts_with(&s.raw_url("/login/v2/flow/")));
    let r = c
        .post(s.raw_url("/login/v2/grant"))
        .form(&[
            ("token", token),
            ("user", "alice"),
            ("password", "alice login password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        token_names(&s, "alice"),
        ["Passwords (iOS)", "Passwords (iOS) (2)", "existing", "test"]
    );
});

backend_tests!(login_flow_v1, |backend| async move {
    let s = TestServer::start(backend).await;
    s.env.add_user("alice", "alice login password");
    let c = client();

    // Android's web view: GET with OCS-APIREQUEST, its app name as User-Agent.
    let r = c
        .get(s.raw_url("/index.php/login/flow"))
        .header("OCS-APIREQUEST", "true")
        .header("user-agent", ANDROID_AGENT)
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let (status, page) = text(r).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<h1>Connect Nextcloud Passwords</h1>"),
        "{page}"
    );
    assert!(page.contains(r#"action="/index.php/login/flow""#), "{page}");

    let sign_in = |password: &str| {
        c.post(s.raw_url("/index.php/login/flow"))
            .header("user-agent", ANDROID_AGENT)
            .form(&[("user", "alice"), ("password", password)])
            .send()
    };
    let (status, page) = text(sign_in("wrong").await.unwrap()).await;
    assert_eq!(status, 403);
    assert!(page.contains("Wrong username or password."), "{page}");
    assert_eq!(token_names(&s, "alice"), ["test"]);

    let r = sign_in("alice login password").await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    // What the app's regex takes apart: nc:.*server:(.*)&user:(.*)&password:(.*)
    let rest = location
        .strip_prefix(&format!(
            "nc://login/server:{}&user:alice&password:",
            s.base
        ))
        .unwrap_or_else(|| panic!("{location}"));
    assert!(is_token(rest), "{location}");
    assert_eq!(list_status(&s, "alice", rest).await, 200);
    assert_eq!(token_names(&s, "alice"), ["Nextcloud Passwords", "test"]);

    // A very long User-Agent, twice: the names are cut so that the number still fits.
    let long = "x".repeat(300);
    for _ in 0..2 {
        let r = c
            .post(s.raw_url("/login/flow"))
            .header("user-agent", &long)
            .form(&[("user", "alice"), ("password", "alice login password")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
    }
    let cut = "x".repeat(240);
    assert_eq!(
        token_names(&s, "alice"),
        [
            "Nextcloud Passwords".to_owned(),
            "test".to_owned(),
            cut.clone(),
            format!("{cut} (2)")
        ]
    );
});

backend_tests!(app_password_revoked_over_ocs, |backend| async move {
    let s = TestServer::start(backend).await;
    let token = s.env.add_user("alice", "alice login password");
    let bob_token = s.env.add_user("bob", "bob login password");
    let c = client();
    let revoke = |uid: &str, secret: &str| {
        c.delete(s.raw_url("/ocs/v2.php/core/apppassword"))
            .header("OCS-APIREQUEST", "true")
            .basic_auth(uid, Some(secret))
            .send()
    };
    // With the login password there is no app password to revoke.
    let (status, body) = text(revoke("alice", "alice login password").await.unwrap()).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["ocs"]["meta"]["statuscode"],
        403
    );
    assert_eq!(list_status(&s, "alice", &token).await, 200);

    let (status, body) = text(revoke("alice", &token).await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"ocs": {"meta": {"status": "ok", "statuscode": 200, "message": "OK"}, "data": []}})
    );
    // Gone at once (not kept alive by the server's cache of good checks), and only that one.
    assert_eq!(list_status(&s, "alice", &token).await, 401);
    assert_eq!(token_names(&s, "alice"), Vec::<String>::new());
    assert_eq!(list_status(&s, "bob", &bob_token).await, 200);
    assert_eq!(text(revoke("alice", &token).await.unwrap()).await.0, 401);
});

backend_tests!(app_password_page, |backend| async move {
    let s = TestServer::start(backend).await;
    s.env.add_user("alice", "alice login password");
    let c = client();
    let (status, page) = text(c.get(s.raw_url("/app-password")).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"action="/app-password""#), "{page}");
    assert!(page.contains(r#"name="name" required maxlength="256" value="Browser""#));

    let mint = |password: &str, name: &str| {
        c.post(s.raw_url("/app-password"))
            .form(&[("user", "alice"), ("password", password), ("name", name)])
            .send()
    };
    let (status, page) = text(mint("wrong", "Firefox").await.unwrap()).await;
    assert_eq!(status, 403);
    assert!(page.contains("Wrong username or password."), "{page}");
    assert!(
        page.contains(r#"value="Firefox""#),
        "the name is kept: {page}"
    );
    let (status, _) = text(mint("alice login password", "  ").await.unwrap()).await;
    assert_eq!(status, 400);
    assert_eq!(token_names(&s, "alice"), ["test"]);

    let (status, page) = text(
        mint("alice login password", "Firefox <laptop>")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("App password for Firefox &lt;laptop&gt;"),
        "{page}"
    );
    assert!(page.contains(&format!("<code>{}</code>", s.base)), "{page}");
    let token = page
        .split(r#"<code class="secret">"#)
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .unwrap_or_else(|| panic!("{page}"));
    assert!(is_token(token), "{token}");
    assert_eq!(list_status(&s, "alice", token).await, 200);
    // A taken name gets a number.
    let (status, page) = text(mint("alice login password", "test").await.unwrap()).await;
    assert_eq!(status, 200);
    assert!(page.contains("App password for test (2)"), "{page}");
    assert_eq!(
        token_names(&s, "alice"),
        ["Firefox <laptop>", "test", "test (2)"]
    );
});
