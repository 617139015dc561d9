//! The final delete of API v1 objects on every backend: a folder (with its subtree), a tag
//! and a password deleted for good keep no revision, so none of their sealed labels, colours
//! or passwords stays in the database. Checked in what a backup holds, which is every row,
//! deleted ones included.

#[macro_use]
mod common;
mod v1;

use common::vault::read_gz_json;
use common::*;
use v1::*;

backend_tests!(final_delete_keeps_no_revisions, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (top, _) = create(&s, &alice, "folder", json!({"label": "top"})).await;
    let (sub, _) = create(&s, &alice, "folder", json!({"label": "sub", "parent": top})).await;
    let (inside, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "inside", "password": "p", "folder": sub}),
    )
    .await;
    let (tag, _) = create(&s, &alice, "tag", json!({"label": "t", "color": "#fff"})).await;
    // Objects that stay, each with a second revision.
    let (kept_folder, _) = create(&s, &alice, "folder", json!({"label": "kept"})).await;
    let (kept_tag, _) = create(&s, &alice, "tag", json!({"label": "kept", "color": "#000"})).await;
    for (what, id, body) in [
        ("folder", &top, json!({"label": "top 2"})),
        ("tag", &tag, json!({"label": "t 2", "color": "#eee"})),
        ("folder", &kept_folder, json!({"label": "kept 2"})),
        (
            "tag",
            &kept_tag,
            json!({"label": "kept 2", "color": "#111"}),
        ),
    ] {
        let mut body = body;
        body["id"] = json!(id);
        ok(
            &patch(&s, &alice, &format!("/{what}/update"), body).await,
            200,
        );
    }
    // Trash, then delete for good.
    for (what, id) in [("folder", &top), ("tag", &tag)] {
        for _ in 0..2 {
            ok(
                &delete(&s, &alice, &format!("/{what}/delete"), json!({"id": id})).await,
                200,
            );
        }
        let r = post(&s, &alice, &format!("/{what}/show"), json!({"id": id})).await;
        assert_eq!(r.status.as_u16(), 404, "{what} is gone");
    }

    s.env.cli_ok(&["backup", "create", "purge"]);
    let backup = read_gz_json(&s.env.backups().join("purge.json.gz"));
    let revisions = |list: &str, id: &str| -> (bool, usize) {
        let entry = backup[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["uuid"] == id)
            .unwrap_or_else(|| panic!("{list} {id} in the backup"));
        (
            entry["deleted"].as_bool().unwrap(),
            entry["revisions"].as_array().unwrap().len(),
        )
    };
    assert_eq!(revisions("folders", &top), (true, 0));
    assert_eq!(revisions("folders", &sub), (true, 0));
    assert_eq!(revisions("passwords", &inside), (true, 0));
    assert_eq!(revisions("tags", &tag), (true, 0));
    assert_eq!(revisions("folders", &kept_folder), (false, 2));
    assert_eq!(revisions("tags", &kept_tag), (false, 2));

    // The backup of a database with such tombstones restores.
    s.env.cli_ok(&["backup", "restore", "purge", "-n"]);
    let folders = list(&s, &alice, "folder", "model").await;
    assert_eq!(ids(&folders), vec![kept_folder.clone()]);
    assert_eq!(folders[0]["label"], "kept 2");
    let tags = list(&s, &alice, "tag", "model").await;
    assert_eq!(ids(&tags), vec![kept_tag.clone()]);
});
