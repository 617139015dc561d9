//! API v1 `service/*`, black-box: the password generator (strict answer shape, strength,
//! numbers, symbols, defaults from the user's settings on every backend), breached-hash
//! ranges, letter icons (decoded back from the PNG bytes), the teapot, and the per-user
//! request limits.

#[macro_use]
mod common;
#[path = "api_v1_support/mod.rs"]
mod support;

use common::*;
use support::*;

const SYMBOLS: &[char] = &['!', '$', '%', '&', '?', '#', '=', '@'];

/// Checks the generator's strict answer shape and returns it.
#[track_caller]
fn generated(r: &Raw) -> Value {
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    r.assert_json_conventions();
    let v = r.json();
    assert_eq!(
        keys_of(&v),
        ["numbers", "password", "special", "strength", "words"]
    );
    assert!(v["password"].is_string() && v["numbers"].is_boolean() && v["special"].is_boolean());
    assert!(v["strength"].is_u64());
    let words = v["words"].as_array().expect("words");
    assert!(words.iter().all(|w| w
        .as_str()
        .is_some_and(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))));
    v
}

fn digits(s: &str) -> usize {
    s.chars().filter(char::is_ascii_digit).count()
}

fn symbols(s: &str) -> usize {
    s.chars().filter(|c| SYMBOLS.contains(c)).count()
}

backend_tests!(password_generator, |backend| async move {
    let (s, alice, bob) = server_with_users(backend).await;

    // Defaults (no settings): strength 1 → three words, no digits, no symbols.
    let v = generated(&v1_post(&s, &alice, "/service/password", json!({})).await);
    assert_eq!(
        (
            v["strength"].as_u64(),
            v["numbers"].as_bool(),
            v["special"].as_bool()
        ),
        (Some(1), Some(false), Some(false))
    );
    assert_eq!(v["words"].as_array().unwrap().len(), 3);
    let password = v["password"].as_str().unwrap();
    assert!(password.len() >= 12 && password.chars().all(|c| c.is_ascii_alphabetic()));
    let joined: String = v["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let w = w.as_str().unwrap();
            format!("{}{}", w[..1].to_ascii_uppercase(), &w[1..])
        })
        .collect();
    assert_eq!(password, joined);

    // Android and iOS send all three.
    for strength in 0..=4u64 {
        let v = generated(
            &v1_post(
                &s,
                &alice,
                "/service/password",
                json!({"strength": strength, "numbers": true, "special": true}),
            )
            .await,
        );
        assert_eq!(v["strength"], strength);
        assert_eq!(
            v["words"].as_array().unwrap().len() as u64,
            strength.max(1) + 2
        );
        let p = v["password"].as_str().unwrap();
        let want = strength.max(1) as usize + 1;
        assert!(digits(p) >= want && symbols(p) >= want, "{p}");
    }
    // GET with a query string; text and number forms of the parameters.
    let v = generated(
        &v1_get(
            &s,
            &alice,
            "/service/password?strength=4&numbers=1&special=false",
        )
        .await,
    );
    assert_eq!(
        (
            v["strength"].as_u64(),
            v["numbers"].as_bool(),
            v["special"].as_bool()
        ),
        (Some(4), Some(true), Some(false))
    );
    let p = v["password"].as_str().unwrap();
    assert!(digits(p) >= 5 && symbols(p) == 0, "{p}");
    // Strength beyond 4 is 4; below 0 is 0.
    let v = generated(&v1_post(&s, &alice, "/service/password", json!({"strength": 17})).await);
    assert_eq!(v["strength"], 4);
    let v = generated(&v1_post(&s, &alice, "/service/password", json!({"strength": -3})).await);
    assert_eq!(v["strength"], 0);
    // Bad parameters.
    v1_post(
        &s,
        &alice,
        "/service/password",
        json!({"strength": "strong"}),
    )
    .await
    .expect_error(400, "8394e44d", "Invalid value for \"strength\"");
    v1_post(&s, &alice, "/service/password", json!({"numbers": "lots"}))
        .await
        .expect_error(400, "8c262646", "Invalid value for \"numbers\"");

    // Missing parameters come from the user's generator settings, per user.
    v1_post(
        &s,
        &alice,
        "/settings/set",
        json!({
            "user.password.generator.strength": 3,
            "user.password.generator.numbers": true,
            "user.password.generator.special": true,
        }),
    )
    .await
    .expect(
        200,
        json!({
            "user.password.generator.strength": 3,
            "user.password.generator.numbers": true,
            "user.password.generator.special": true,
        }),
    );
    let v = generated(&v1_get(&s, &alice, "/service/password").await);
    assert_eq!(
        (
            v["strength"].as_u64(),
            v["numbers"].as_bool(),
            v["special"].as_bool()
        ),
        (Some(3), Some(true), Some(true))
    );
    assert_eq!(v["words"].as_array().unwrap().len(), 5);
    let v = generated(&v1_post(&s, &alice, "/service/password", json!({"special": false})).await);
    assert_eq!(
        (
            v["strength"].as_u64(),
            v["numbers"].as_bool(),
            v["special"].as_bool()
        ),
        (Some(3), Some(true), Some(false))
    );
    let v = generated(&v1_get(&s, &bob, "/service/password").await);
    assert_eq!(
        (
            v["strength"].as_u64(),
            v["numbers"].as_bool(),
            v["special"].as_bool()
        ),
        (Some(1), Some(false), Some(false))
    );

    // Two passwords are never the same.
    let a = generated(&v1_get(&s, &bob, "/service/password?strength=4").await);
    let b = generated(&v1_get(&s, &bob, "/service/password?strength=4").await);
    assert_ne!(a["password"], b["password"]);
});

backend_tests!(breached_hash_ranges, |backend| async move {
    let (s, alice, _bob) = server_with_users(backend).await;
    // The default provider (`none`) knows no hashes: 404 with an empty array.
    for path in [
        "/service/hashes/5baa6",
        "/service/hashes/5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8",
    ] {
        v1_get(&s, &alice, path).await.expect(404, json!([]));
    }
    v1_post(&s, &alice, "/service/hashes", json!({"range": "5baa61"}))
        .await
        .expect(404, json!([]));
    for bad in [
        "5baa",
        "5baa6x",
        "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8a",
    ] {
        v1_get(&s, &alice, &format!("/service/hashes/{bad}"))
            .await
            .expect_error(400, "49f5c936", "Invalid range");
    }
    v1_post(&s, &alice, "/service/hashes", json!({}))
        .await
        .expect_error(400, "49f5c936", "Invalid range");
    v1_post(&s, &alice, "/service/hashes", json!({"range": 12345}))
        .await
        .expect_error(400, "49f5c936", "Invalid range");
});

// With the local database as provider, `service/hashes` lists what the database lists: every
// hash of a 5-hex range (the same set `LocalDb::range` gives), one full hash if it is listed,
// and 404 `[]` for a full hash that is not.
backend_tests!(
    breached_hash_ranges_come_from_the_provider,
    |backend| async move {
        use passwords_breach::localdb::LocalDb;
        use passwords_breach::testgen::{generate, Order, Spec};

        let (s, alice, _bob) = server_with_users(backend).await;
        let list = s.env.data_dir().join("list.txt");
        let mut spec = Spec::new(20_000, 11, Order::Hash);
        spec.known = vec!["password".into()];
        let mut out = std::io::BufWriter::new(std::fs::File::create(&list).unwrap());
        generate(&spec, &mut out).unwrap();
        drop(out);
        s.env
            .cli_ok(&["pwned-list", "process", list.to_str().unwrap(), "-s", "1"]);
        s.env
            .cli_ok(&["config", "set", "service.security", "bigdb"]);

        let db = LocalDb::open_dir(&s.env.data_dir().join("breached")).unwrap();
        let expected: Vec<Value> = db
            .range("5baa6")
            .unwrap()
            .iter()
            .map(|h| Value::String(h.iter().map(|b| format!("{b:02x}")).collect()))
            .collect();
        let password = "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8";
        assert!(expected.contains(&json!(password)));
        // The provider setting reaches the running server within a second.
        let listed = eventually(std::time::Duration::from_secs(10), || async {
            v1_get(&s, &alice, "/service/hashes/5baa6").await.status == StatusCode::OK
        })
        .await;
        assert!(listed, "the provider change never reached the server");
        v1_get(&s, &alice, "/service/hashes/5BAA6")
            .await
            .expect(200, Value::Array(expected));
        v1_post(&s, &alice, "/service/hashes", json!({ "range": password }))
            .await
            .expect(200, json!([password]));
        v1_get(&s, &alice, &format!("/service/hashes/{}", "0".repeat(40)))
            .await
            .expect(404, json!([]));
    }
);

/// Decodes an icon answer: checks the headers, returns (width, height, RGB pixels).
#[track_caller]
fn icon(r: &Raw) -> (u32, u32, Vec<u8>) {
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(
        r.header("cache-control"),
        Some("public, immutable, max-age=604800")
    );
    assert!(r.header("expires").is_some_and(|e| e.ends_with(" GMT")));
    assert!(r.session().is_none(), "no session header on images");
    let decoder = png::Decoder::new(std::io::Cursor::new(r.body.clone()));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    buf.truncate(info.buffer_size());
    assert_eq!(info.color_type, png::ColorType::Rgb);
    (info.width, info.height, buf)
}

backend_tests!(favicons_and_avatars_are_letter_pngs, |backend| async move {
    let (s, alice, bob) = server_with_users(backend).await;
    for (path, edge) in [
        ("/service/favicon/example.com/256", 256),
        ("/service/favicon/example.com/64", 64),
        ("/service/favicon/example.com/20", 24),
        ("/service/favicon/example.com/1", 16),
        ("/service/favicon/example.com/9000", 256),
        ("/service/favicon/example.com/abc", 16),
        ("/service/favicon/example.com", 32),
        ("/service/avatar/alice/256", 256),
        ("/service/avatar/alice", 32),
    ] {
        let (w, h, px) = icon(&v1_get(&s, &alice, path).await);
        assert_eq!((w, h), (edge, edge), "{path}");
        assert_eq!(px.len(), (edge * edge * 3) as usize);
        assert!(
            px.chunks(3).any(|p| p == [255, 255, 255]),
            "{path}: a white letter"
        );
    }
    // One domain, one icon; another domain, another icon; `www.` and case do not matter.
    let a = v1_get(&s, &alice, "/service/favicon/example.com/64")
        .await
        .body;
    assert_eq!(
        v1_get(&s, &bob, "/service/favicon/WWW.Example.com/64")
            .await
            .body,
        a
    );
    assert_ne!(
        v1_get(&s, &alice, "/service/favicon/nextcloud.com/64")
            .await
            .body,
        a
    );
    // The pretty prefix serves icons too.
    let r = send(s.request(
        Method::GET,
        &format!("{}{V1_PRETTY}/service/favicon/example.com/64", s.base),
        Some(&alice),
    ))
    .await;
    assert_eq!(
        icon(&r),
        icon(&v1_get(&s, &alice, "/service/favicon/example.com/64").await)
    );

    // An avatar is drawn from the id alone: it is the same for anyone asking and whether or
    // not the account exists, so it reveals nothing about other users.
    let carol_before = v1_get(&s, &alice, "/service/avatar/carol/64").await.body;
    s.env.add_user("carol", "carol login password");
    let carol_after = v1_get(&s, &alice, "/service/avatar/carol/64").await.body;
    assert_eq!(carol_before, carol_after);
    assert_eq!(
        v1_get(&s, &bob, "/service/avatar/carol/64").await.body,
        carol_after
    );
    assert_ne!(
        v1_get(&s, &alice, "/service/avatar/bob/64").await.body,
        carol_after
    );

    // The teapot.
    v1_get(&s, &alice, "/service/coffee").await.expect_error(
        418,
        "65611064",
        "I’m a password manager",
    );
});

backend_tests!(per_user_limits, |backend| async move {
    let (s, alice, bob) = server_with_users(backend).await;
    let limited = |r: &Raw| {
        r.expect_error(429, "b89bf16c", "Too many requests");
        let wait: u64 = r
            .header("retry-after")
            .expect("Retry-After")
            .parse()
            .unwrap();
        assert!(wait >= 1);
    };
    // Favicons: 15 in 15 s; avatars have their own count.
    for i in 0..15 {
        icon(&v1_get(&s, &alice, &format!("/service/favicon/site{i}.example/32")).await);
    }
    limited(&v1_get(&s, &alice, "/service/favicon/one-more.example/32").await);
    icon(&v1_get(&s, &alice, "/service/avatar/alice/32").await);
    icon(&v1_get(&s, &bob, "/service/favicon/site0.example/32").await);
    for _ in 0..14 {
        icon(&v1_get(&s, &alice, "/service/avatar/alice/32").await);
    }
    limited(&v1_get(&s, &alice, "/service/avatar/alice/32").await);
    // Hashes: 10 in 10 s, refused requests included in neither count nor answer.
    for _ in 0..10 {
        v1_get(&s, &alice, "/service/hashes/5baa6")
            .await
            .expect(404, json!([]));
    }
    limited(&v1_get(&s, &alice, "/service/hashes/5baa6").await);
    limited(&v1_post(&s, &alice, "/service/hashes", json!({"range": "5baa6"})).await);
    v1_get(&s, &bob, "/service/hashes/5baa6")
        .await
        .expect(404, json!([]));
    // The generator: 60 per minute.
    for _ in 0..60 {
        generated(&v1_get(&s, &alice, "/service/password").await);
    }
    limited(&v1_post(&s, &alice, "/service/password", json!({"strength": 2})).await);
    generated(&v1_get(&s, &bob, "/service/password").await);
});
