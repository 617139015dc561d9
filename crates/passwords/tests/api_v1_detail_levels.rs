//! API v1 detail levels over real HTTP on every backend, beyond the per-kind files: the exact
//! keys of folder and tag revisions, the trashed tags of a trashed password, and the
//! suspended passwords of a tag.

#[macro_use]
mod common;
mod v1;

use common::*;
use v1::*;

// Reference §1.2/§2.3: a revision object has the object's keys without `revision`, in the
// same order; one per create, update, trash and restore, oldest first.
backend_tests!(folder_and_tag_revision_keys, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (parent, _) = create(&s, &alice, "folder", json!({"label": "P"})).await;
    for (what, keys, body) in [
        (
            "folder",
            &FOLDER_REVISION_KEYS,
            json!({"label": "A", "parent": parent, "edited": 1_500_000_000}),
        ),
        (
            "tag",
            &TAG_REVISION_KEYS,
            json!({"label": "A", "color": "#ff0000", "edited": 1_500_000_000}),
        ),
    ] {
        let (id, r1) = create(&s, &alice, what, body.clone()).await;
        let mut update = body.clone();
        update["id"] = json!(id);
        update["label"] = json!("B");
        update["favorite"] = json!(true);
        let r2 = ok(
            &patch(&s, &alice, &format!("/{what}/update"), update).await,
            200,
        )["revision"]
            .as_str()
            .unwrap()
            .to_owned();
        let r3 = ok(
            &delete(&s, &alice, &format!("/{what}/delete"), json!({"id": id})).await,
            200,
        )["revision"]
            .as_str()
            .unwrap()
            .to_owned();
        let r4 = ok(
            &patch(&s, &alice, &format!("/{what}/restore"), json!({"id": id})).await,
            200,
        )["revision"]
            .as_str()
            .unwrap()
            .to_owned();

        let v = show(&s, &alice, what, &id, "model+revisions").await;
        let revisions = v["revisions"].as_array().unwrap();
        for r in revisions {
            assert_keys(r, keys.as_slice());
        }
        let got: Vec<(&str, &str, bool, bool)> = revisions
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap(),
                    r["label"].as_str().unwrap(),
                    r["favorite"].as_bool().unwrap(),
                    r["trashed"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (r1.as_str(), "A", false, false),
                (r2.as_str(), "B", true, false),
                (r3.as_str(), "B", true, true),
                (r4.as_str(), "B", true, false),
            ],
            "{what}"
        );
        assert_eq!(revisions[0]["edited"], 1_500_000_000);
        assert_eq!(revisions[0]["client"], "test");
        assert_eq!(
            (
                revisions[0]["cseType"].as_str(),
                revisions[0]["sseType"].as_str()
            ),
            (Some("none"), Some("SSEv1r2"))
        );
        if what == "folder" {
            assert_eq!(revisions[0]["parent"], parent.as_str());
        } else {
            assert_eq!(revisions[0]["color"], "#ff0000");
        }
        // Without `model`: {id, revisions}.
        let v = show(&s, &alice, what, &id, "revisions").await;
        assert_keys(&v, &["id", "revisions"]);
        assert_keys(&v["revisions"][0], keys.as_slice());
    }
});

// Reference §2.3: a password shows no trashed tags unless it is trashed itself (and no hidden
// tags unless it is hidden, whether trashed or not).
backend_tests!(
    a_trashed_password_shows_its_trashed_tags,
    |backend| async move {
        let s = TestServer::start(backend).await;
        let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
        let (live, _) = create(&s, &alice, "tag", json!({"label": "L", "color": "#fff"})).await;
        let (gone, _) = create(&s, &alice, "tag", json!({"label": "G", "color": "#000"})).await;
        let (hidden, _) = create(
            &s,
            &alice,
            "tag",
            json!({"label": "H", "color": "#111", "hidden": true}),
        )
        .await;
        let (p, _) = create(
            &s,
            &alice,
            "password",
            json!({"label": "P", "password": "x", "tags": [live, gone, hidden]}),
        )
        .await;
        ok(
            &delete(&s, &alice, "/tag/delete", json!({"id": gone})).await,
            200,
        );
        let tag_ids = |level: &'static str| {
            let s = &s;
            let alice = &alice;
            let p = p.clone();
            async move {
                let v = show(s, alice, "password", &p, level).await;
                v["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| {
                        if level.contains("tag-ids") {
                            t.as_str().unwrap().to_owned()
                        } else {
                            assert_keys(t, &TAG_KEYS);
                            t["id"].as_str().unwrap().to_owned()
                        }
                    })
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(tag_ids("model+tags").await, std::slice::from_ref(&live));
        assert_eq!(tag_ids("tag-ids").await, std::slice::from_ref(&live));

        ok(
            &delete(&s, &alice, "/password/delete", json!({"id": p})).await,
            200,
        );
        assert_eq!(tag_ids("model+tags").await, [live.clone(), gone.clone()]);
        assert_eq!(tag_ids("tag-ids").await, [live.clone(), gone.clone()]);
        let v = show(&s, &alice, "password", &p, "tags").await;
        assert_eq!(v["tags"][1]["trashed"], true);
        // Listed in the trash view the same way.
        let r = post(
            &s,
            &alice,
            "/password/find",
            json!({"criteria": {"trashed": true}, "details": "model+tag-ids"}),
        )
        .await;
        assert_eq!(ok(&r, 200)[0]["tags"], json!([live, gone]));
    }
);

// view/tag.rs: a tag's `passwords` leave out passwords suspended by a trashed folder, unless
// the tag is trashed itself.
backend_tests!(
    tag_passwords_leave_out_suspended_ones_unless_trashed,
    |backend| async move {
        let s = TestServer::start(backend).await;
        let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
        let (t, _) = create(&s, &alice, "tag", json!({"label": "T", "color": "#fff"})).await;
        let (f, _) = create(&s, &alice, "folder", json!({"label": "F"})).await;
        let (inside, _) = create(
            &s,
            &alice,
            "password",
            json!({"label": "in", "password": "1", "folder": f, "tags": [t]}),
        )
        .await;
        let (outside, _) = create(
            &s,
            &alice,
            "password",
            json!({"label": "out", "password": "2", "tags": [t]}),
        )
        .await;
        let passwords_of_tag = |level: &'static str| {
            let s = &s;
            let alice = &alice;
            let t = t.clone();
            async move {
                let v = show(s, alice, "tag", &t, level).await;
                let mut found: Vec<String> = v["passwords"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| match p.as_str() {
                        Some(id) => id.to_owned(),
                        None => p["id"].as_str().unwrap().to_owned(),
                    })
                    .collect();
                found.sort();
                found
            }
        };
        let mut both = vec![inside.clone(), outside.clone()];
        both.sort();
        assert_eq!(passwords_of_tag("password-ids").await, both);

        ok(
            &delete(&s, &alice, "/folder/delete", json!({"id": f})).await,
            200,
        );
        assert_eq!(
            passwords_of_tag("password-ids").await,
            std::slice::from_ref(&outside),
            "the suspended password is left out"
        );
        assert_eq!(
            passwords_of_tag("model+passwords").await,
            std::slice::from_ref(&outside)
        );

        ok(
            &delete(&s, &alice, "/tag/delete", json!({"id": t})).await,
            200,
        );
        assert_eq!(
            passwords_of_tag("password-ids").await,
            both,
            "a trashed tag shows suspended passwords"
        );
        assert_eq!(passwords_of_tag("model+passwords").await, both);

        // Restored tag, restored folder: both again for a live tag.
        ok(
            &patch(&s, &alice, "/tag/restore", json!({"id": t})).await,
            200,
        );
        assert_eq!(passwords_of_tag("password-ids").await, [outside]);
        ok(
            &patch(&s, &alice, "/folder/restore", json!({"id": f})).await,
            200,
        );
        assert_eq!(passwords_of_tag("password-ids").await, both);
    }
);
