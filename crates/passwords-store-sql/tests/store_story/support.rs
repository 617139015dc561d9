//! Fixtures shared by the chapters of the store story.

#![allow(dead_code)]

use passwords_store::*;
use passwords_store_sql::SqlStore;
use passwords_testkit::TestDb;
use passwords_types::{FolderId, PasswordId, RevisionId, SecurityStatus, ShareId, TagId, UserId};

pub async fn open(db: &TestDb) -> SqlStore {
    match passwords_store_sql::connect(&db.url).await {
        Ok(store) => store,
        Err(e) => panic!(
            "connect to the {} test database failed: {e}",
            db.backend.name()
        ),
    }
}

/// Runs one statement on the test database behind the store's back (e.g. to corrupt a row).
pub async fn raw_sql(db: &TestDb, statement: &str) {
    use sqlx::{Connection, Executor};
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&db.url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test database: {e}"));
    conn.execute(statement)
        .await
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
    let _ = conn.close().await;
}

pub fn uid(text: &str) -> UserId {
    UserId::parse(text).expect("valid uid")
}

pub fn account(uid_text: &str) -> AccountRecord {
    AccountRecord {
        uid: uid(uid_text),
        display_name: format!("{uid_text} display"),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        enabled: true,
        removed: false,
        created: 1_000,
        updated: 1_000,
    }
}

/// Some sealed bytes that differ per `tag`.
pub fn sealed(tag: &str) -> Sealed {
    let mut bytes = vec![0u8, 0xff, 0x80];
    bytes.extend_from_slice(tag.as_bytes());
    bytes
}

pub fn password_model(user: &UserId, revision: RevisionId) -> PasswordModel {
    PasswordModel {
        id: 0,
        uuid: PasswordId::new(),
        user_id: user.clone(),
        revision,
        share_id: None,
        has_shares: false,
        editable: true,
        suspended: false,
        deleted: false,
        created: 2_000,
        updated: 2_000,
    }
}

pub fn password_revision(
    user: &UserId,
    model: PasswordId,
    hash: &str,
    created: i64,
) -> PasswordRevision {
    PasswordRevision {
        uuid: RevisionId::new(),
        user_id: user.clone(),
        model,
        folder: FolderId::BASE,
        label: sealed("label"),
        username: sealed("username"),
        password: sealed("password"),
        url: sealed("url"),
        notes: sealed("notes"),
        custom_fields: sealed("custom"),
        hash: hash.into(),
        cse_type: "none".into(),
        cse_key: String::new(),
        sse_type: "SSEv1r2".into(),
        status: SecurityStatus::NotChecked,
        hidden: false,
        trashed: false,
        favorite: true,
        edited: created,
        client: "story client".into(),
        created,
        updated: created,
    }
}

/// Inserts a password model with one current revision; returns both (model with its id).
pub async fn add_password(
    tx: &mut dyn Tx,
    user: &UserId,
    hash: &str,
) -> (PasswordModel, PasswordRevision) {
    let mut model = password_model(user, RevisionId::new());
    let rev = password_revision(user, model.uuid, hash, 3_000);
    model.revision = rev.uuid;
    model.id = tx.insert_password(&model).await.expect("insert password");
    tx.insert_password_revision(&rev)
        .await
        .expect("insert revision");
    (model, rev)
}

pub fn folder_model(user: &UserId) -> FolderModel {
    FolderModel {
        id: 0,
        uuid: FolderId::new(),
        user_id: user.clone(),
        revision: RevisionId::new(),
        suspended: false,
        deleted: false,
        created: 4_000,
        updated: 4_000,
    }
}

pub fn folder_revision(user: &UserId, model: FolderId) -> FolderRevision {
    FolderRevision {
        uuid: RevisionId::new(),
        user_id: user.clone(),
        model,
        parent: FolderId::BASE,
        label: sealed("folder"),
        cse_type: "none".into(),
        cse_key: String::new(),
        sse_type: "SSEv1r2".into(),
        hidden: false,
        trashed: true,
        favorite: false,
        edited: 4_000,
        client: "story".into(),
        created: 4_000,
        updated: 4_000,
    }
}

pub fn tag_model(user: &UserId) -> TagModel {
    TagModel {
        id: 0,
        uuid: TagId::new(),
        user_id: user.clone(),
        revision: RevisionId::new(),
        deleted: false,
        created: 5_000,
        updated: 5_000,
    }
}

pub fn tag_revision(user: &UserId, model: TagId) -> TagRevision {
    TagRevision {
        uuid: RevisionId::new(),
        user_id: user.clone(),
        model,
        label: sealed("tag"),
        color: sealed("#ff0000"),
        cse_type: "none".into(),
        cse_key: String::new(),
        sse_type: "SSEv1r2".into(),
        hidden: true,
        trashed: false,
        favorite: true,
        edited: 5_000,
        client: "story".into(),
        created: 5_000,
        updated: 5_000,
    }
}

/// Inserts a tag model with one current revision; returns both (model with its id).
pub async fn add_tag(tx: &mut dyn Tx, user: &UserId) -> (TagModel, TagRevision) {
    let mut model = tag_model(user);
    let rev = tag_revision(user, model.uuid);
    model.revision = rev.uuid;
    model.id = tx.insert_tag(&model).await.expect("insert tag");
    tx.insert_tag_revision(&rev)
        .await
        .expect("insert tag revision");
    (model, rev)
}

pub fn relation(
    user: &UserId,
    password: &PasswordModel,
    tag: &TagModel,
    created: i64,
) -> RelationRecord {
    RelationRecord {
        uuid: uuid::Uuid::new_v4(),
        user_id: user.clone(),
        password: password.uuid,
        password_revision: password.revision,
        tag: tag.uuid,
        tag_revision: tag.revision,
        hidden: false,
        client: "story".into(),
        deleted: false,
        created,
        updated: created,
    }
}

pub fn share(owner: &UserId, receiver: &UserId, source: PasswordId) -> ShareRecord {
    ShareRecord {
        uuid: ShareId::new(),
        user_id: owner.clone(),
        receiver: receiver.clone(),
        share_type: "user".into(),
        source_password: source,
        target_password: None,
        editable: true,
        shareable: false,
        expires: Some(99_999),
        source_updated: true,
        target_updated: false,
        client: "story".into(),
        deleted: false,
        created: 6_000,
        updated: 6_000,
    }
}

/// Asserts that `result` is a `Conflict` naming `rule`.
pub fn assert_conflict<T: std::fmt::Debug>(result: StoreResult<T>, rule: &str) {
    match result {
        Err(StoreError::Conflict(name)) => assert_eq!(name, rule),
        other => panic!("expected Conflict({rule}), got {other:?}"),
    }
}

pub fn assert_not_found<T: std::fmt::Debug>(result: StoreResult<T>) {
    match result {
        Err(StoreError::NotFound) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}
