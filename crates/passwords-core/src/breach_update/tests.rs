use std::sync::Arc;

use passwords_breach::export::{self, Format};
use passwords_breach::testgen::{generate, sha1, Order, Spec};
use passwords_store::Store;
use passwords_testkit::{for_each_backend, TestDb};

use super::*;

#[test]
fn retries_back_off_up_to_six_hours() {
    assert_eq!(retry_delay(0), 0);
    assert_eq!(retry_delay(1), 300);
    assert_eq!(retry_delay(2), 600);
    assert_eq!(retry_delay(3), 1200);
    assert_eq!(retry_delay(7), 19_200);
    assert_eq!(retry_delay(8), 6 * 3600);
    assert_eq!(retry_delay(u32::MAX), 6 * 3600);
}

#[test]
fn types_follow_the_provider() {
    assert_eq!(local_type("bigdb+hibp"), "bigdb+hibp");
    assert_eq!(local_type("bigdb"), "bigdb");
    assert_eq!(local_type("hibp"), "bigdb");
    assert!(is_local_provider("bigdb") && is_local_provider("bigdb+hibp"));
    assert!(!is_local_provider("hibp") && !is_local_provider("none"));
}

#[test]
fn the_old_directory_is_adopted_once_and_never_over_a_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path();
    assert!(!adopt_old_breach_dir(data).unwrap(), "nothing to move");
    std::fs::create_dir(data.join("breach")).unwrap();
    std::fs::write(data.join("breach/pwned.db"), b"old").unwrap();
    assert!(adopt_old_breach_dir(data).unwrap());
    assert_eq!(
        std::fs::read(breach_dir(data).join("pwned.db")).unwrap(),
        b"old"
    );
    assert!(!data.join("breach").exists());
    // Both exist: the new one is kept as it is, the old one is left alone.
    std::fs::create_dir(data.join("breach")).unwrap();
    std::fs::write(data.join("breach/pwned.db"), b"older").unwrap();
    assert!(!adopt_old_breach_dir(data).unwrap());
    assert_eq!(
        std::fs::read(breach_dir(data).join("pwned.db")).unwrap(),
        b"old"
    );
}

/// Writes the reference's gzip zip of a small generated list to `path`.
fn update_file(path: &std::path::Path) {
    let dir = path.parent().unwrap();
    let list = dir.join("list.txt");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&list).unwrap());
    generate(&Spec::new(500, 3, Order::Hash), &mut f).unwrap();
    drop(f);
    let name = path.file_name().unwrap().to_str().unwrap();
    export::export(&list, 1_000_000, dir, name, Format::Gzip, &Silent).unwrap();
}

async fn get(store: &dyn Store, key: &str) -> Option<String> {
    store
        .conn()
        .await
        .unwrap()
        .get_app_setting(key)
        .await
        .unwrap()
}

for_each_backend!(job_retries_with_backoff, |db: TestDb| async move {
    let store: Arc<dyn Store> = Arc::new(passwords_store_sql::connect(&db.url).await.unwrap());
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("breach");
    let zip = tmp.path().join("src").join("25m-v16-gzip.zip");
    std::fs::create_dir_all(zip.parent().unwrap()).unwrap();
    let template = format!(
        "file://{}/25m-v:version-:format.zip",
        zip.parent().unwrap().display()
    );
    let at = |now: i64| {
        let mut o = UpdateOptions::new(dir.clone(), "node-a");
        o.now = now;
        o
    };

    // Not a local provider: nothing happens.
    assert_eq!(tick(&*store, &at(1000)).await.unwrap(), Tick::Disabled);
    AppSettings::set(&*store, "service.security", "bigdb")
        .await
        .unwrap();
    assert_eq!(tick(&*store, &at(1000)).await.unwrap(), Tick::NoSource);
    AppSettings::set(&*store, "passwords/localdb/source", &template)
        .await
        .unwrap();

    // The file is not there yet: a failure, then waits of 5 and 10 minutes.
    let err = tick(&*store, &at(1000)).await.unwrap_err();
    assert!(err.to_string().contains("Failed to download"), "{err}");
    assert_eq!(get(&*store, FAILURES).await.as_deref(), Some("1"));
    assert_eq!(get(&*store, LAST_ATTEMPT).await.as_deref(), Some("1000"));
    assert!(get(&*store, LAST_ERROR)
        .await
        .unwrap()
        .contains("Failed to download"));
    assert_eq!(
        tick(&*store, &at(1299)).await.unwrap(),
        Tick::Waiting { until: 1300 }
    );
    assert!(tick(&*store, &at(1300)).await.is_err());
    assert_eq!(get(&*store, FAILURES).await.as_deref(), Some("2"));
    assert_eq!(
        tick(&*store, &at(1899)).await.unwrap(),
        Tick::Waiting { until: 1900 }
    );
    assert!(LocalDb::open_dir(&dir).is_err(), "nothing was installed");
    assert_eq!(get(&*store, VERSION).await, None);

    // Another node holds the lease.
    update_file(&zip);
    assert!(store
        .conn()
        .await
        .unwrap()
        .acquire_lease(LEASE, "node-b@1", 1, 5000)
        .await
        .unwrap());
    assert_eq!(tick(&*store, &at(1900)).await.unwrap(), Tick::Busy);
    store
        .conn()
        .await
        .unwrap()
        .release_lease(LEASE, "node-b@1")
        .await
        .unwrap();

    // Now it installs and records.
    let Tick::Installed(summary) = tick(&*store, &at(1900)).await.unwrap() else {
        panic!("installed");
    };
    assert_eq!(summary.version, "16");
    assert_eq!(summary.kind, "bigdb");
    assert_eq!(summary.stored, 500);
    assert!(
        summary.url.ends_with("/25m-v16-gzip.zip"),
        "{}",
        summary.url
    );
    let db = LocalDb::open_dir(&dir).unwrap();
    assert!(db.contains(&sha1("password")));
    assert_eq!(db.header().created, 1900);
    assert_eq!(get(&*store, VERSION).await.as_deref(), Some("16"));
    assert_eq!(get(&*store, TYPE).await.as_deref(), Some("bigdb"));
    assert_eq!(get(&*store, LAST_TIME).await.as_deref(), Some("1900"));
    assert_eq!(get(&*store, FAILURES).await, None);
    assert_eq!(get(&*store, LAST_ERROR).await, None);
    assert_eq!(tick(&*store, &at(2000)).await.unwrap(), Tick::UpToDate);

    // Version 0 forces a new download at the next round; the lease is free again.
    AppSettings::set(&*store, "passwords/localdb/version", "0")
        .await
        .unwrap();
    AppSettings::set(&*store, "service.security", "bigdb+hibp")
        .await
        .unwrap();
    assert!(matches!(
        tick(&*store, &at(2100)).await.unwrap(),
        Tick::Installed(_)
    ));
    assert_eq!(get(&*store, TYPE).await.as_deref(), Some("bigdb+hibp"));
    assert_eq!(LocalDb::open_dir(&dir).unwrap().header().created, 2100);

    // A failed forced update keeps the installed database and its settings.
    std::fs::write(&zip, b"not a zip").unwrap();
    let mut forced = at(2200);
    forced.force = true;
    let err = update_now(&*store, &forced).await.unwrap_err();
    assert!(err.to_string().contains("zip"), "{err}");
    assert_eq!(LocalDb::open_dir(&dir).unwrap().header().created, 2100);
    assert_eq!(get(&*store, VERSION).await.as_deref(), Some("16"));
    assert_eq!(get(&*store, LAST_TIME).await.as_deref(), Some("2100"));
    assert_eq!(get(&*store, FAILURES).await.as_deref(), Some("1"));
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["pwned.db"], "no staging directory is left");
    // Up to date: the job does not retry.
    assert_eq!(tick(&*store, &at(2201)).await.unwrap(), Tick::UpToDate);
});
