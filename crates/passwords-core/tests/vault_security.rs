//! The security status of passwords written through the vault, on every backend: duplicates,
//! breaches, an unreachable provider, the hash length and the age rule.

use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;
use passwords_breach::{BreachError, BreachProvider};
use passwords_core::admin::accounts::{add_account, AddAccountOptions};
use passwords_core::auth::PasswordHasher;
use passwords_core::crypto::{InstanceKey, SecretKey};
use passwords_core::keys::KeyRing;
use passwords_core::legacy::{DeleteOutcome, PasswordInput};
use passwords_core::settings::UserSettings;
use passwords_core::vault::security::{evaluate, password_hash, refresh_duplicates, Candidate};
use passwords_core::vault::{Actor, Vault};
use passwords_store::Store;
use passwords_testkit::{for_each_backend, TestDb};
use passwords_types::{ObjectRef, SecurityStatus, UserId};

/// A provider that knows a fixed set of breached passwords, or is down.
struct ListProvider {
    breached: HashSet<String>,
    down: bool,
}

#[async_trait]
impl BreachProvider for ListProvider {
    fn name(&self) -> &'static str {
        "test"
    }
    async fn is_breached(&self, hash: &str) -> Result<bool, BreachError> {
        if self.down {
            return Err(BreachError::Unavailable("down for the test".into()));
        }
        Ok(self.breached.iter().any(|h| h.starts_with(hash)))
    }
    async fn hashes(&self, prefix: &str) -> Result<Vec<String>, BreachError> {
        let mut found: Vec<String> = self
            .breached
            .iter()
            .filter(|h| h.starts_with(prefix))
            .cloned()
            .collect();
        found.sort();
        Ok(found)
    }
}

async fn vault(db: &TestDb, provider: ListProvider) -> (Vault, Actor) {
    let store: Arc<dyn Store> = Arc::new(passwords_store_sql::connect(&db.url).await.unwrap());
    let keys = KeyRing::new(Arc::new(InstanceKey::from_key(&SecretKey::random())));
    let uid = UserId::parse("alice").unwrap();
    let options = AddAccountOptions {
        uid: uid.clone(),
        display_name: None,
        password: None,
    };
    add_account(&*store, &keys, &PasswordHasher::new(), options)
        .await
        .unwrap();
    let actor = Actor {
        uid,
        client: "test".into(),
    };
    (Vault::new(store, keys, Arc::new(provider)), actor)
}

fn healthy() -> ListProvider {
    ListProvider {
        breached: HashSet::new(),
        down: false,
    }
}

fn input(pass: &str) -> PasswordInput {
    PasswordInput {
        pass: Some(pass.into()),
        ..PasswordInput::default()
    }
}

async fn status_of(v: &Vault, actor: &Actor, id: i64) -> SecurityStatus {
    let mut conn = v.store.conn().await.unwrap();
    let model = conn
        .get_password(&actor.uid, ObjectRef::Numeric(id))
        .await
        .unwrap()
        .unwrap();
    conn.get_password_revision(&actor.uid, model.revision)
        .await
        .unwrap()
        .unwrap()
        .status
}

for_each_backend!(duplicates_come_and_go, |db: TestDb| async move {
    let (v, actor) = vault(&db, healthy()).await;
    let a = v
        .legacy_create_password(&actor, input("same-secret"))
        .await
        .unwrap();
    assert_eq!(status_of(&v, &actor, a.id).await, SecurityStatus::Good);
    let b = v
        .legacy_create_password(&actor, input("same-secret"))
        .await
        .unwrap();
    assert_eq!(b.properties.strength, 10);
    assert_eq!(status_of(&v, &actor, a.id).await, SecurityStatus::Duplicate);
    assert_eq!(status_of(&v, &actor, b.id).await, SecurityStatus::Duplicate);
    // Changing B's password frees A.
    let mut changed = input("another-secret");
    changed.deleted = None;
    v.legacy_update_password(&actor, ObjectRef::Numeric(b.id), changed)
        .await
        .unwrap();
    assert_eq!(status_of(&v, &actor, a.id).await, SecurityStatus::Good);
    assert_eq!(status_of(&v, &actor, b.id).await, SecurityStatus::Good);
    // A third copy, then purging it, goes back to GOOD.
    let c = v
        .legacy_create_password(&actor, input("same-secret"))
        .await
        .unwrap();
    assert_eq!(status_of(&v, &actor, a.id).await, SecurityStatus::Duplicate);
    let first = v
        .legacy_delete_password(&actor, ObjectRef::Numeric(c.id))
        .await
        .unwrap();
    assert!(matches!(first, DeleteOutcome::Trashed(_)));
    let second = v
        .legacy_delete_password(&actor, ObjectRef::Numeric(c.id))
        .await
        .unwrap();
    assert_eq!(second, DeleteOutcome::Purged(c.id));
    assert_eq!(status_of(&v, &actor, a.id).await, SecurityStatus::Good);
    assert_eq!(
        v.legacy_show_password(&actor.uid, ObjectRef::Numeric(a.id))
            .await
            .unwrap()
            .properties
            .strength,
        20
    );
});

for_each_backend!(
    breached_and_unreachable_providers,
    |db: TestDb| async move {
        let leaked = password_hash("password", 40);
        let provider = ListProvider {
            breached: [leaked].into_iter().collect(),
            down: false,
        };
        let (v, actor) = vault(&db, provider).await;
        let p = v
            .legacy_create_password(&actor, input("password"))
            .await
            .unwrap();
        assert_eq!(p.properties.strength, 0);
        assert_eq!(status_of(&v, &actor, p.id).await, SecurityStatus::Breached);
        let ok = v
            .legacy_create_password(&actor, input("a much better one"))
            .await
            .unwrap();
        assert_eq!(status_of(&v, &actor, ok.id).await, SecurityStatus::Good);

        let db2 = TestDb::create(db.backend).await;
        let (down, actor2) = vault(
            &db2,
            ListProvider {
                breached: HashSet::new(),
                down: true,
            },
        )
        .await;
        let p = down
            .legacy_create_password(&actor2, input("anything"))
            .await
            .unwrap();
        assert_eq!(
            status_of(&down, &actor2, p.id).await,
            SecurityStatus::NotChecked
        );
        assert_eq!(p.properties.strength, 10);
    }
);

for_each_backend!(
    hash_length_zero_means_not_checked,
    |db: TestDb| async move {
        let (v, actor) = vault(&db, healthy()).await;
        v.store
            .conn()
            .await
            .unwrap()
            .set_user_setting(&actor.uid, "password.security.hash", "0")
            .await
            .unwrap();
        let p = v
            .legacy_create_password(&actor, input("secret"))
            .await
            .unwrap();
        assert_eq!(
            status_of(&v, &actor, p.id).await,
            SecurityStatus::NotChecked
        );
        let mut conn = v.store.conn().await.unwrap();
        let model = conn
            .get_password(&actor.uid, ObjectRef::Numeric(p.id))
            .await
            .unwrap()
            .unwrap();
        let rev = conn
            .get_password_revision(&actor.uid, model.revision)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rev.hash, "");
        drop(conn);

        let db2 = TestDb::create(db.backend).await;
        let (v2, actor2) = vault(&db2, healthy()).await;
        v2.store
            .conn()
            .await
            .unwrap()
            .set_user_setting(&actor2.uid, "password.security.hash", "20")
            .await
            .unwrap();
        let p = v2
            .legacy_create_password(&actor2, input("secret"))
            .await
            .unwrap();
        let mut conn = v2.store.conn().await.unwrap();
        let model = conn
            .get_password(&actor2.uid, ObjectRef::Numeric(p.id))
            .await
            .unwrap()
            .unwrap();
        let rev = conn
            .get_password_revision(&actor2.uid, model.revision)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rev.hash, password_hash("secret", 40)[..20]);
        assert_eq!(rev.status, SecurityStatus::Good);
    }
);

for_each_backend!(
    age_rule_marks_old_revisions_outdated,
    |db: TestDb| async move {
        let (v, actor) = vault(&db, healthy()).await;
        let p = v
            .legacy_create_password(&actor, input("old-secret"))
            .await
            .unwrap();
        let mut tx = v.store.begin().await.unwrap();
        tx.set_user_setting(&actor.uid, "password.security.age", "30")
            .await
            .unwrap();
        let settings = UserSettings::load(&mut *tx, &actor.uid).await.unwrap();
        assert_eq!(settings.max_age_days, 30);
        let model = tx
            .get_password(&actor.uid, ObjectRef::Numeric(p.id))
            .await
            .unwrap()
            .unwrap();
        let hash = password_hash("old-secret", 40);
        let now = 1_800_000_000;
        let old = now - 31 * 86_400;
        let recent = now - 29 * 86_400;
        let s = evaluate(
            &mut *tx,
            &settings,
            &actor.uid,
            Candidate {
                password: model.uuid,
                hash: &hash,
                breached: Some(false),
                edited: old,
            },
            now,
        )
        .await
        .unwrap();
        assert_eq!(s, SecurityStatus::Outdated);
        let s = evaluate(
            &mut *tx,
            &settings,
            &actor.uid,
            Candidate {
                password: model.uuid,
                hash: &hash,
                breached: Some(false),
                edited: recent,
            },
            now,
        )
        .await
        .unwrap();
        assert_eq!(s, SecurityStatus::Good);
        // Breached wins over outdated, an empty hash over everything.
        let s = evaluate(
            &mut *tx,
            &settings,
            &actor.uid,
            Candidate {
                password: model.uuid,
                hash: &hash,
                breached: Some(true),
                edited: old,
            },
            now,
        )
        .await
        .unwrap();
        assert_eq!(s, SecurityStatus::Breached);
        let s = evaluate(
            &mut *tx,
            &settings,
            &actor.uid,
            Candidate {
                password: model.uuid,
                hash: "",
                breached: Some(true),
                edited: old,
            },
            now,
        )
        .await
        .unwrap();
        assert_eq!(s, SecurityStatus::NotChecked);
        // The re-check applies the age rule to stored revisions (the revision was edited "now",
        // which is far in the past of 2100).
        let changed = refresh_duplicates(&mut *tx, &settings, &actor.uid, &hash, 4_102_444_800)
            .await
            .unwrap();
        assert_eq!(changed, 1);
        tx.commit().await.unwrap();
        assert_eq!(status_of(&v, &actor, p.id).await, SecurityStatus::Outdated);
    }
);
