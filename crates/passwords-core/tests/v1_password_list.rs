//! The direct JSON path of password/list and password/find (`model`, `model+tag-ids`) against
//! the object path ([`Passwords::find`] serialised by serde_json), on every backend: the same
//! bytes for hidden, trashed, favorite and tagged passwords, hidden and trashed tags,
//! suspended passwords in a trashed folder, text that needs escaping, and criteria.

use std::sync::Arc;

use async_trait::async_trait;
use passwords_breach::{BreachError, BreachProvider};
use passwords_core::admin::accounts::{add_account, AddAccountOptions};
use passwords_core::auth::PasswordHasher;
use passwords_core::crypto::{InstanceKey, SecretKey};
use passwords_core::keys::KeyRing;
use passwords_core::v1::{
    Criteria, Details, FolderInput, Folders, Kind, Listing, Ops, PasswordInput, Passwords,
    Resource, RevisionParam, TagInput, Tags,
};
use passwords_core::vault::{Actor, Vault};
use passwords_store::Store;
use passwords_testkit::{for_each_backend, TestDb};
use passwords_types::{FolderId, PasswordId, TagId, UserId};
use serde_json::{json, Value};

/// Knows one breached password.
struct OneBreached;

#[async_trait]
impl BreachProvider for OneBreached {
    fn name(&self) -> &'static str {
        "test"
    }
    async fn is_breached(&self, hash: &str) -> Result<bool, BreachError> {
        Ok("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8".starts_with(hash))
    }
    async fn hashes(&self, _prefix: &str) -> Result<Vec<String>, BreachError> {
        Ok(Vec::new())
    }
}

async fn actor(store: &dyn Store, keys: &KeyRing, uid: &str) -> Actor {
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
        client: "Client \"quoted\" ü".into(),
    }
}

fn password(label: &str, pass: &str) -> PasswordInput {
    PasswordInput {
        label: Some(label.into()),
        password: Some(pass.into()),
        username: Some("user\tname".into()),
        url: Some("https://example.com/?a=1&b=\"2\"".into()),
        notes: Some("line 1\nline 2 \\ \u{1} ✓".into()),
        custom_fields: Some(r#"[{"label":"pin","type":"secret","value":"1234"}]"#.into()),
        ..PasswordInput::default()
    }
}

fn criteria(value: Value) -> Criteria {
    Criteria::parse(Resource::Password, value.as_object()).unwrap()
}

/// Both paths give the same bytes; returns the parsed answer.
async fn same(v: &Vault, uid: &UserId, criteria: &Criteria, details: Details) -> Vec<Value> {
    let direct = v.v1_find_passwords(uid, criteria, details).await.unwrap();
    let objects = Passwords::find(v, uid, criteria, details).await.unwrap();
    let expected = serde_json::to_vec(&objects).unwrap();
    assert_eq!(
        String::from_utf8(direct.clone()).unwrap(),
        String::from_utf8(expected).unwrap()
    );
    serde_json::from_slice(&direct).unwrap()
}

for_each_backend!(direct_list_matches_objects, |db: TestDb| async move {
    let store: Arc<dyn Store> = Arc::new(passwords_store_sql::connect(&db.url).await.unwrap());
    let keys = KeyRing::new(Arc::new(InstanceKey::from_key(&SecretKey::random())));
    let alice = actor(&*store, &keys, "alice").await;
    let bob = actor(&*store, &keys, "bob").await;
    let v = Vault::new(store.clone(), keys, Arc::new(OneBreached));

    let tag = |label: &str, hidden: bool| TagInput {
        label: Some(label.into()),
        color: Some("#00ff00".into()),
        hidden: Some(hidden),
        ..TagInput::default()
    };
    let visible = Tags::create(&v, &alice, tag("visible", false))
        .await
        .unwrap()
        .id;
    let hidden = Tags::create(&v, &alice, tag("hidden", true))
        .await
        .unwrap()
        .id;
    let trashed = Tags::create(&v, &alice, tag("trashed", false))
        .await
        .unwrap()
        .id;
    let tags = vec![visible.to_string(), hidden.to_string(), trashed.to_string()];

    // Tagged (favorite), breached, hidden, trashed, and inside a folder that goes to the trash.
    let mut tagged = password("tagged", "a-fine-Secret-1");
    tagged.tags = Some(tags.clone());
    tagged.favorite = Some(true);
    let tagged = Passwords::create(&v, &alice, tagged).await.unwrap().id;
    Passwords::create(&v, &alice, password("breached", "password"))
        .await
        .unwrap();
    let mut secret = password("hidden", "another-Secret-2");
    secret.hidden = Some(true);
    secret.tags = Some(tags.clone());
    Passwords::create(&v, &alice, secret).await.unwrap();
    let mut bin = password("in the trash", "third-Secret-3");
    bin.tags = Some(tags);
    let bin = Passwords::create(&v, &alice, bin).await.unwrap().id;
    Passwords::delete(&v, &alice, PasswordId(bin), RevisionParam::None)
        .await
        .unwrap();
    let folder = FolderInput {
        label: Some("folder".into()),
        ..FolderInput::default()
    };
    let folder = Folders::create(&v, &alice, folder).await.unwrap().id;
    let mut inside = password("inside", "fourth-Secret-4");
    inside.folder = Some(folder.to_string());
    Passwords::create(&v, &alice, inside).await.unwrap();
    Folders::delete(&v, &alice, FolderId(folder), RevisionParam::None)
        .await
        .unwrap();
    Tags::delete(&v, &alice, TagId(trashed), RevisionParam::None)
        .await
        .unwrap();
    Passwords::create(&v, &bob, password("bob's", "bobs-Secret-5"))
        .await
        .unwrap();

    let model = Details::MODEL;
    let with_tags = Details::parse("model+tag-ids");
    for details in [model, with_tags] {
        let all = same(&v, &alice.uid, &Criteria::default(), details).await;
        let labels: Vec<&str> = all.iter().map(|p| p["label"].as_str().unwrap()).collect();
        // Not hidden, not trashed, not suspended, not bob's.
        assert_eq!(labels, ["tagged", "breached"], "{details:?}");
        same(&v, &alice.uid, &criteria(json!({"trashed": true})), details).await;
        same(
            &v,
            &alice.uid,
            &criteria(json!({"favorite": true})),
            details,
        )
        .await;
        same(
            &v,
            &alice.uid,
            &criteria(json!({"status": ["ne", 0]})),
            details,
        )
        .await;
        same(&v, &bob.uid, &Criteria::default(), details).await;
    }
    let all = same(&v, &alice.uid, &Criteria::default(), with_tags).await;
    assert_eq!(all[0]["id"], json!(tagged.to_string()));
    // The hidden tag stays hidden, the trashed one is gone: the visible tag only.
    assert_eq!(all[0]["tags"], json!([visible.to_string()]));
    assert_eq!(all[1]["statusCode"], json!("BREACHED"));
    let trashed_ones = same(
        &v,
        &alice.uid,
        &criteria(json!({"trashed": true})),
        with_tags,
    )
    .await;
    assert!(trashed_ones
        .iter()
        .any(|p| p["label"] == json!("in the trash")));
});
