//! Fills a database with synthetic users for the backup and user-data benchmarks
//! (docs/benchmarks.md): every user gets an account, a data key, folders, tags and passwords
//! with several revisions, all sealed like real data.
//!
//!     cargo run --release -p passwords-core --example seed_vault -- \
//!         DATABASE_URL DATA_DIR USERS PASSWORDS_PER_USER REVISIONS_PER_PASSWORD
//!
//! DATA_DIR is where `instance.key` lives (created if missing), as for `passwords`.

use std::sync::Arc;

use passwords_core::crypto::{InstanceKey, InstanceKeySource};
use passwords_core::keys::{verify_instance_key, KeyRing};
use passwords_core::vault::content::{PasswordContent, TagContent};
use passwords_store::*;
use passwords_types::{FolderId, RevisionId, SecurityStatus, TagId, UserId};

const FOLDERS: usize = 10;
const TAGS: usize = 10;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, data_dir, users, passwords, revisions] = args.as_slice() else {
        eprintln!("usage: seed_vault DATABASE_URL DATA_DIR USERS PASSWORDS REVISIONS");
        std::process::exit(2);
    };
    let (users, passwords, revisions): (usize, usize, usize) = (
        users.parse().expect("USERS"),
        passwords.parse().expect("PASSWORDS"),
        revisions.parse().expect("REVISIONS"),
    );
    std::fs::create_dir_all(data_dir).expect("data dir");
    let instance = Arc::new(
        InstanceKey::load(&InstanceKeySource::File {
            path: std::path::Path::new(data_dir).join("instance.key"),
            create: true,
        })
        .expect("instance key"),
    );
    let store = passwords_store_sql::connect(url).await.expect("database");
    verify_instance_key(&store, &instance)
        .await
        .expect("instance key matches");
    let keys = KeyRing::new(instance);
    let now = 1_700_000_000;
    for u in 0..users {
        let uid = UserId::parse(&format!("user{u:04}")).unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.insert_account(&AccountRecord {
            uid: uid.clone(),
            display_name: format!("User {u}"),
            password_hash: None,
            enabled: true,
            removed: false,
            created: now,
            updated: now,
        })
        .await
        .unwrap();
        keys.create(&mut *tx, &uid).await.unwrap();
        tx.commit().await.unwrap();
        let key = keys.user_key(&store, &uid).await.unwrap();

        let mut tx = store.begin().await.unwrap();
        let mut folders = Vec::new();
        for f in 0..FOLDERS {
            let rev = RevisionId::new();
            let model = FolderModel {
                id: 0,
                uuid: FolderId::new(),
                user_id: uid.clone(),
                revision: rev,
                suspended: false,
                deleted: false,
                created: now,
                updated: now,
            };
            tx.insert_folder(&model).await.unwrap();
            let label = passwords_core::crypto::seal_field(
                &key,
                rev.as_uuid(),
                "label",
                &format!("Folder {f}"),
            );
            tx.insert_folder_revision(&FolderRevision {
                uuid: rev,
                user_id: uid.clone(),
                model: model.uuid,
                parent: FolderId::BASE,
                label,
                cse_type: "none".into(),
                cse_key: String::new(),
                sse_type: "SSEv1r2".into(),
                hidden: false,
                trashed: false,
                favorite: false,
                edited: now,
                client: "seed".into(),
                created: now,
                updated: now,
            })
            .await
            .unwrap();
            folders.push(model.uuid);
        }
        let mut tags = Vec::new();
        for t in 0..TAGS {
            let rev = RevisionId::new();
            let mut model = TagModel {
                id: 0,
                uuid: TagId::new(),
                user_id: uid.clone(),
                revision: rev,
                deleted: false,
                created: now,
                updated: now,
            };
            model.id = tx.insert_tag(&model).await.unwrap();
            let (label, color) = TagContent {
                label: format!("Tag {t}"),
                color: "#3366ff".into(),
            }
            .seal(&key, rev);
            tx.insert_tag_revision(&TagRevision {
                uuid: rev,
                user_id: uid.clone(),
                model: model.uuid,
                label,
                color,
                cse_type: "none".into(),
                cse_key: String::new(),
                sse_type: "SSEv1r2".into(),
                hidden: false,
                trashed: false,
                favorite: false,
                edited: now,
                client: "seed".into(),
                created: now,
                updated: now,
            })
            .await
            .unwrap();
            tags.push(model);
        }
        for p in 0..passwords {
            let mut model = PasswordModel {
                id: 0,
                uuid: passwords_types::PasswordId::new(),
                user_id: uid.clone(),
                revision: RevisionId::new(),
                share_id: None,
                has_shares: false,
                editable: true,
                suspended: false,
                deleted: false,
                created: now,
                updated: now,
            };
            for r in 0..revisions {
                let rev = if r + 1 == revisions {
                    model.revision
                } else {
                    RevisionId::new()
                };
                let content = PasswordContent {
                    label: format!("site{p}.example"),
                    username: format!("user{u}-{p}"),
                    password: format!("pw-{u}-{p}-{r}-Xy!"),
                    url: format!("https://site{p}.example/login"),
                    notes: "some notes about this login".into(),
                    custom_fields: "[]".into(),
                };
                let sealed = content.seal(&key, rev);
                let t = now + r as i64;
                tx.insert_password_revision(&PasswordRevision {
                    uuid: rev,
                    user_id: uid.clone(),
                    model: model.uuid,
                    folder: folders[p % FOLDERS],
                    label: sealed.label,
                    username: sealed.username,
                    password: sealed.password,
                    url: sealed.url,
                    notes: sealed.notes,
                    custom_fields: sealed.custom_fields,
                    hash: format!("{:040x}", (u * 1_000_000 + p * 10 + r) as u128),
                    cse_type: "none".into(),
                    cse_key: String::new(),
                    sse_type: "SSEv1r2".into(),
                    status: SecurityStatus::Good,
                    hidden: false,
                    trashed: false,
                    favorite: false,
                    edited: t,
                    client: "seed".into(),
                    created: t,
                    updated: t,
                })
                .await
                .unwrap();
            }
            model.id = tx.insert_password(&model).await.unwrap();
            let tag = &tags[p % TAGS];
            tx.insert_relation(&RelationRecord {
                uuid: uuid::Uuid::new_v4(),
                user_id: uid.clone(),
                password: model.uuid,
                password_revision: model.revision,
                tag: tag.uuid,
                tag_revision: tag.revision,
                hidden: false,
                client: "seed".into(),
                deleted: false,
                created: now,
                updated: now,
            })
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        if (u + 1) % 10 == 0 {
            eprintln!("{} users", u + 1);
        }
    }
    store.close().await;
}
