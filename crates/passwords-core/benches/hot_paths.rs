//! Criterion benchmarks of the per-request work that does not touch the database:
//! the app-password hash, sealing and opening a password's fields, and the SHA-1 status hash.
//!
//!     cargo bench -p passwords-core --bench hot_paths

use criterion::{criterion_group, criterion_main, Criterion};
use passwords_core::auth::token;
use passwords_core::crypto::{FieldKey, InstanceKey, SecretKey};
use passwords_core::vault::content::PasswordContent;
use passwords_core::vault::security::password_hash;
use passwords_types::RevisionId;
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let instance = InstanceKey::from_key(&SecretKey::random());
    let tok = token::generate();
    c.bench_function("app password keyed hash (HMAC-SHA-256)", |b| {
        b.iter(|| token::token_hash(instance.token_key(), black_box(&tok)))
    });

    let key = FieldKey::new(SecretKey::random());
    let rev = RevisionId::new();
    let content = PasswordContent {
        label: "github.com \u{2013} alice".into(),
        username: "alice".into(),
        password: "correct horse battery staple".into(),
        url: "https://github.com/login".into(),
        notes: "some notes about this account ".repeat(4),
        custom_fields: "[]".into(),
    };
    c.bench_function("seal the 6 fields of a password", |b| {
        b.iter(|| content.seal(black_box(&key), rev))
    });
    let sealed = content.seal(&key, rev);
    let record = passwords_store::PasswordRevision {
        uuid: rev,
        user_id: passwords_types::UserId::parse("alice").unwrap(),
        model: passwords_types::PasswordId::new(),
        folder: passwords_types::FolderId::BASE,
        label: sealed.label,
        username: sealed.username,
        password: sealed.password,
        url: sealed.url,
        notes: sealed.notes,
        custom_fields: sealed.custom_fields,
        hash: String::new(),
        cse_type: "none".into(),
        cse_key: String::new(),
        sse_type: "SSEv1r2".into(),
        status: passwords_types::SecurityStatus::Good,
        hidden: false,
        trashed: false,
        favorite: false,
        edited: 0,
        client: String::new(),
        created: 0,
        updated: 0,
    };
    c.bench_function("open the 6 fields of a password", |b| {
        b.iter(|| PasswordContent::open(black_box(&key), black_box(&record)).unwrap())
    });
    c.bench_function("SHA-1 status hash", |b| {
        b.iter(|| password_hash(black_box("correct horse"), 40))
    });
}

criterion_group!(hot_paths, benches);
criterion_main!(hot_paths);
