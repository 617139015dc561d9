//! The security re-check as an admin operation and as the server's job, on every backend,
//! with the real providers: the local database (installed while passwords exist) and HIBP
//! pointed at a dead port.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use passwords_breach::bigdb::BigDb;
use passwords_breach::localdb::{install, Builder};
use passwords_breach::testgen::sha1;
use passwords_breach::BreachProvider;
use passwords_core::admin::accounts::{add_account, AddAccountOptions};
use passwords_core::auth::PasswordHasher;
use passwords_core::crypto::{InstanceKey, SecretKey};
use passwords_core::keys::KeyRing;
use passwords_core::legacy::PasswordInput;
use passwords_core::recheck::job::{self, JobState, Tick};
use passwords_core::recheck::{recheck, RecheckOptions, Scope};
use passwords_core::settings::{AppSettings, SettingsCache};
use passwords_core::vault::provider::ConfiguredProvider;
use passwords_core::vault::{Actor, Vault};
use passwords_store::Store;
use passwords_testkit::{for_each_backend, TestDb};
use passwords_types::{ObjectRef, SecurityStatus, UserId};

fn install_db(dir: &Path, passwords: &[&str], source: &str) {
    let staging = tempfile::tempdir_in(dir).unwrap();
    let mut b = Builder::new(staging.path()).unwrap();
    for p in passwords {
        b.push(&sha1(p)).unwrap();
    }
    let out = staging.path().join("built.db");
    b.finish(&out, source, 1_700_000_000).unwrap();
    install(&out, dir).unwrap();
}

async fn store(db: &TestDb) -> Arc<dyn Store> {
    Arc::new(passwords_store_sql::connect(&db.url).await.unwrap())
}

async fn account(store: &dyn Store, keys: &KeyRing, uid: &str) -> Actor {
    let uid = UserId::parse(uid).unwrap();
    let options = AddAccountOptions {
        uid: uid.clone(),
        display_name: None,
        password: None,
    };
    add_account(store, keys, &PasswordHasher::new(), options)
        .await
        .unwrap();
    Actor {
        uid,
        client: "test".into(),
    }
}

async fn create(v: &Vault, actor: &Actor, pass: &str) -> i64 {
    let input = PasswordInput {
        pass: Some(pass.into()),
        ..PasswordInput::default()
    };
    v.legacy_create_password(actor, input).await.unwrap().id
}

async fn status(v: &Vault, actor: &Actor, id: i64) -> SecurityStatus {
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

for_each_backend!(
    unchecked_passwords_are_checked_once_a_database_is_there,
    |db: TestDb| async move {
        let store = store(&db).await;
        let keys = KeyRing::new(Arc::new(InstanceKey::from_key(&SecretKey::random())));
        let dir = tempfile::tempdir().unwrap();
        let local = Arc::new(BigDb::with_check_interval(dir.path(), Duration::ZERO));
        let v = Vault::new(store.clone(), keys.clone(), local.clone());
        let alice = account(&*store, &keys, "alice").await;
        let bob = account(&*store, &keys, "bob").await;

        // No database yet: saved, but NOT_CHECKED.
        let breached = create(&v, &alice, "password").await;
        let fine = create(&v, &alice, "a-fine-Secret-1").await;
        let dup1 = create(&v, &alice, "twice-used-Secret").await;
        let dup2 = create(&v, &alice, "twice-used-Secret").await;
        let bobs = create(&v, &bob, "123456").await;
        for id in [breached, fine, dup1, dup2] {
            assert_eq!(status(&v, &alice, id).await, SecurityStatus::NotChecked);
        }
        let s = recheck(&*store, &*local, &RecheckOptions::new(Scope::NotChecked, 1))
            .await
            .unwrap();
        assert_eq!(s.changed, 0);
        assert!(s.unavailable > 0 && s.provider_down, "{s:?}");
        assert_eq!(
            status(&v, &alice, breached).await,
            SecurityStatus::NotChecked
        );

        install_db(dir.path(), &["password", "123456"], "first");
        let now = passwords_core::clock::now();
        let s = recheck(
            &*store,
            &*local,
            &RecheckOptions::new(Scope::NotChecked, now),
        )
        .await
        .unwrap();
        assert_eq!((s.users, s.changed, s.breached), (2, 5, 2), "{s:?}");
        assert_eq!(status(&v, &alice, breached).await, SecurityStatus::Breached);
        assert_eq!(status(&v, &alice, fine).await, SecurityStatus::Good);
        assert_eq!(status(&v, &alice, dup1).await, SecurityStatus::Duplicate);
        assert_eq!(status(&v, &alice, dup2).await, SecurityStatus::Duplicate);
        assert_eq!(status(&v, &bob, bobs).await, SecurityStatus::Breached);
        // Nothing NOT_CHECKED is left: a retry pass has no one to look at.
        let s = recheck(
            &*store,
            &*local,
            &RecheckOptions::new(Scope::NotChecked, now),
        )
        .await
        .unwrap();
        assert_eq!((s.users, s.asked, s.changed), (0, 0, 0));

        // A new database lists the fine one: only a full pass asks about checked passwords.
        install_db(
            dir.path(),
            &["password", "123456", "a-fine-Secret-1"],
            "second",
        );
        let s = recheck(
            &*store,
            &*local,
            &RecheckOptions::new(Scope::NotChecked, now),
        )
        .await
        .unwrap();
        assert_eq!(s.changed, 0);
        let s = recheck(&*store, &*local, &RecheckOptions::new(Scope::All, now))
            .await
            .unwrap();
        assert_eq!((s.changed, s.breached), (1, 1), "{s:?}");
        assert_eq!(status(&v, &alice, fine).await, SecurityStatus::Breached);
        // BREACHED stays even if a later database no longer lists it.
        install_db(dir.path(), &["123456"], "third");
        let s = recheck(&*store, &*local, &RecheckOptions::new(Scope::All, now))
            .await
            .unwrap();
        assert_eq!(s.changed, 0, "{s:?}");
        assert_eq!(status(&v, &alice, breached).await, SecurityStatus::Breached);
        assert_eq!(status(&v, &alice, dup1).await, SecurityStatus::Duplicate);
    }
);

for_each_backend!(
    a_provider_that_is_down_changes_nothing_and_is_given_up_on,
    |db: TestDb| async move {
        let store = store(&db).await;
        let keys = KeyRing::new(Arc::new(InstanceKey::from_key(&SecretKey::random())));
        let dir = tempfile::tempdir().unwrap();
        install_db(dir.path(), &["123456"], "first");
        let local = Arc::new(BigDb::with_check_interval(dir.path(), Duration::ZERO));
        let v = Vault::new(store.clone(), keys.clone(), local.clone());
        let alice = account(&*store, &keys, "alice").await;
        let ids = [
            create(&v, &alice, "first-Secret-1").await,
            create(&v, &alice, "second-Secret-2").await,
            create(&v, &alice, "third-Secret-3").await,
            create(&v, &alice, "fourth-Secret-4").await,
            create(&v, &alice, "fifth-Secret-5").await,
        ];
        std::fs::remove_file(local.path()).unwrap();
        let s = recheck(&*store, &*local, &RecheckOptions::new(Scope::All, 2))
            .await
            .unwrap();
        // Three failures in a row, then the provider is not asked any more.
        assert_eq!((s.asked, s.unavailable, s.changed), (3, 5, 0), "{s:?}");
        assert!(s.provider_down);
        for id in ids {
            assert_eq!(status(&v, &alice, id).await, SecurityStatus::Good);
        }
    }
);

for_each_backend!(
    the_job_runs_a_full_pass_once_and_again_after_a_new_database,
    |db: TestDb| async move {
        let store = store(&db).await;
        let keys = KeyRing::new(Arc::new(InstanceKey::from_key(&SecretKey::random())));
        let dir = tempfile::tempdir().unwrap();
        install_db(dir.path(), &["123456"], "first");
        let local = Arc::new(BigDb::with_check_interval(dir.path(), Duration::ZERO));
        let settings = SettingsCache::new(Duration::ZERO);
        let provider =
            Arc::new(ConfiguredProvider::new(store.clone(), settings, local.clone()).unwrap());
        AppSettings::set(&*store, "service.security", "bigdb")
            .await
            .unwrap();
        let v = Vault::new(store.clone(), keys.clone(), provider.clone());
        let alice = account(&*store, &keys, "alice").await;
        let id = create(&v, &alice, "password").await;
        assert_eq!(status(&v, &alice, id).await, SecurityStatus::Good);
        assert_eq!(provider.name(), "bigdb");

        let stop = Arc::new(AtomicBool::new(false));
        let (mut a, mut b) = (JobState::default(), JobState::default());
        let first = job::tick(&*store, &provider, "node-a", &mut a, &stop)
            .await
            .unwrap();
        assert!(
            matches!(first, Tick::Full(ref s) if s.revisions == 1 && s.changed == 0),
            "{first:?}"
        );
        // Done for today: the other node has nothing to do.
        let second = job::tick(&*store, &provider, "node-b", &mut b, &stop)
            .await
            .unwrap();
        assert!(matches!(second, Tick::Idle | Tick::Retry(_)), "{second:?}");

        // A new database is a new basis: one full pass, on whichever node looks first.
        install_db(dir.path(), &["123456", "password"], "second");
        let third = job::tick(&*store, &provider, "node-b", &mut b, &stop)
            .await
            .unwrap();
        assert!(
            matches!(third, Tick::Full(ref s) if s.breached == 1),
            "{third:?}"
        );
        assert_eq!(status(&v, &alice, id).await, SecurityStatus::Breached);
        let fourth = job::tick(&*store, &provider, "node-a", &mut a, &stop)
            .await
            .unwrap();
        assert!(!matches!(fourth, Tick::Full(_)), "{fourth:?}");
        let basis = store
            .conn()
            .await
            .unwrap()
            .get_app_setting(job::BASIS)
            .await
            .unwrap()
            .unwrap();
        assert!(basis.starts_with("bigdb|2:1700000000:second"), "{basis}");

        // Another node holding the lease keeps this one from starting the pass.
        AppSettings::set(&*store, "service.security", "none")
            .await
            .unwrap();
        let now = passwords_core::clock::now();
        assert!(store
            .conn()
            .await
            .unwrap()
            .acquire_lease(job::LEASE, "node-c", now, now + 600)
            .await
            .unwrap());
        let fifth = job::tick(&*store, &provider, "node-a", &mut a, &stop)
            .await
            .unwrap();
        assert!(matches!(fifth, Tick::Idle), "{fifth:?}");
    }
);
