//! Whole-database statements of backup and restore: who has data, wiping vault rows, and
//! keeping the model id generators ahead of ids inserted explicitly.

use passwords_store::{Backend, ModelIds, StoreResult};
use passwords_types::UserId;

use crate::query::Query;
use crate::tx::SqlTx;

/// Every uid with an account, a key, a user setting or a vault row, sorted byte-wise.
pub(crate) async fn uids(tx: &mut SqlTx) -> StoreResult<Vec<UserId>> {
    const Q: &str = "SELECT uid FROM accounts UNION SELECT uid FROM user_keys \
                     UNION SELECT uid FROM user_settings UNION SELECT user_id FROM passwords \
                     UNION SELECT user_id FROM folders UNION SELECT user_id FROM tags \
                     UNION SELECT user_id FROM password_tag_relations \
                     UNION SELECT user_id FROM shares";
    let mut uids = tx.fetch_all(Query::new("accounts", Q), |c| c.uid()).await?;
    uids.sort_by(|a, b| a.as_str().as_bytes().cmp(b.as_str().as_bytes()));
    Ok(uids)
}

/// Hard-deletes the vault rows of `uid`, or of everybody.
pub(crate) async fn wipe(tx: &mut SqlTx, uid: Option<&UserId>) -> StoreResult<u64> {
    macro_rules! delete_from {
        ($($table:literal),*) => {
            [$((
                $table,
                concat!("DELETE FROM ", $table),
                concat!("DELETE FROM ", $table, " WHERE user_id = ?"),
            )),*]
        };
    }
    // Children first (there are no foreign keys, but the order reads naturally).
    const STATEMENTS: [(&str, &str, &str); 8] = delete_from!(
        "password_tag_relations",
        "shares",
        "password_revisions",
        "folder_revisions",
        "tag_revisions",
        "passwords",
        "folders",
        "tags"
    );
    let mut deleted = 0;
    for (table, all, of_user) in STATEMENTS {
        let q = match uid {
            None => Query::new(table, all),
            Some(uid) => Query::new(table, of_user).bind(uid.as_str()),
        };
        deleted += tx.exec(q).await?;
    }
    Ok(deleted)
}

/// The model ids that belong to other users than `uid`.
pub(crate) async fn model_ids_of_others(tx: &mut SqlTx, uid: &UserId) -> StoreResult<ModelIds> {
    const PASSWORDS: &str = "SELECT id FROM passwords WHERE user_id <> ?";
    const FOLDERS: &str = "SELECT id FROM folders WHERE user_id <> ?";
    const TAGS: &str = "SELECT id FROM tags WHERE user_id <> ?";
    let mut ids = ModelIds::default();
    for (table, sql, out) in [
        ("passwords", PASSWORDS, &mut ids.passwords),
        ("folders", FOLDERS, &mut ids.folders),
        ("tags", TAGS, &mut ids.tags),
    ] {
        *out = tx
            .fetch_all(Query::new(table, sql).bind(uid.as_str()), |c| c.i64())
            .await?;
    }
    Ok(ids)
}

/// After explicit ids: PostgreSQL identity sequences move to the highest id if they are
/// behind (never backwards). SQLite (`AUTOINCREMENT`) and MySQL (`AUTO_INCREMENT`) advance
/// on their own when an explicit id is larger.
pub(crate) async fn sync_id_generators(tx: &mut SqlTx) -> StoreResult<()> {
    if tx.backend() != Backend::Postgres {
        return Ok(());
    }
    macro_rules! sync {
        ($table:literal) => {
            concat!(
                "SELECT setval(pg_get_serial_sequence('",
                $table,
                "', 'id'), GREATEST((SELECT COALESCE(MAX(id), 1) FROM ",
                $table,
                "), (SELECT last_value FROM ",
                $table,
                "_id_seq)))"
            )
        };
    }
    for (table, sql) in [
        ("passwords", sync!("passwords")),
        ("folders", sync!("folders")),
        ("tags", sync!("tags")),
    ] {
        tx.fetch_optional(Query::new(table, sql), |c| c.i64())
            .await?;
    }
    Ok(())
}
