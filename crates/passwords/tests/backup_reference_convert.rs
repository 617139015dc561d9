//! Converting Nextcloud Passwords backups (versions 106, 105, 100) in process: every SSEv1
//! field of every revision (old ones too, which no API shows) comes out sealed under the new
//! user key with the vectors' plaintext; metadata, migrations, skipped client-side encrypted
//! data, settings and the refusals (wrong secret, damaged field, missing secret, bad user
//! ids, duplicate uuids, truncated files) — nothing stored when refused.

mod reference_fixture;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use passwords_core::backup::format::Keys;
use passwords_core::backup::read::{read_gzip, Part};
use passwords_core::backup::reference::{import_reference, ReferenceOptions, ReferenceSummary};
use passwords_core::backup::{BackupDir, BackupError, NoProgress};
use passwords_core::crypto::{open_field, FieldKey, InstanceKey, SecretKey};
use passwords_core::keys::KeyRing;
use passwords_types::UserId;
use reference_fixture::*;
use serde_json::{json, Value};
use zeroize::Zeroizing;

struct Env {
    _dir: tempfile::TempDir,
    data: BackupDir,
    root: std::path::PathBuf,
    keys: KeyRing,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_owned();
    Env {
        data: BackupDir::new(&root),
        root,
        _dir: dir,
        keys: KeyRing::new(Arc::new(InstanceKey::from_key(&SecretKey::random()))),
    }
}

impl Env {
    fn write(&self, name: &str, value: &Value) -> std::path::PathBuf {
        let path = self.root.join(name);
        let text = value.to_string();
        if name.ends_with(".gz") {
            let file = std::fs::File::create(&path).unwrap();
            let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
            gz.write_all(text.as_bytes()).unwrap();
            gz.finish().unwrap();
        } else {
            std::fs::write(&path, text).unwrap();
        }
        path
    }

    fn import(
        &self,
        path: &Path,
        options: &ReferenceOptions,
    ) -> Result<ReferenceSummary, BackupError> {
        import_reference(&self.data, &self.keys, path, options, &NoProgress)
    }

    fn stored(&self) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(self.root.join("backups")) else {
            return Vec::new();
        };
        let mut names: Vec<String> = dir
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn options() -> ReferenceOptions {
    ReferenceOptions {
        now: 1_700_000_000,
        ..ReferenceOptions::default()
    }
}

/// Every part of a stored backup of ours.
fn parts(path: &Path) -> Vec<Part> {
    let mut out = Vec::new();
    read_gzip(std::fs::File::open(path).unwrap(), &mut |p| {
        out.push(p);
        Ok(())
    })
    .unwrap();
    out
}

/// Opens every sealed field of every revision: revision uuid → field → plaintext; plus the
/// entries as JSON for the metadata checks.
fn open_all(
    keys: &KeyRing,
    parts: &[Part],
) -> (BTreeMap<String, BTreeMap<String, String>>, Vec<Value>) {
    let key_part: &Keys = parts
        .iter()
        .find_map(|p| match p {
            Part::Keys(k) => Some(k),
            _ => None,
        })
        .expect("keys");
    let field_key = |uid: &UserId| {
        FieldKey::new(
            keys.unwrap_key(uid, &key_part.users[uid].wrapped_key)
                .unwrap(),
        )
    };
    let mut plain = BTreeMap::new();
    let mut entries = Vec::new();
    let mut open = |uid: &UserId, rev: &uuid::Uuid, fields: &[(&str, &Vec<u8>)]| {
        let k = field_key(uid);
        let m: &mut BTreeMap<String, String> = plain.entry(rev.to_string()).or_default();
        for (name, sealed) in fields {
            m.insert((*name).into(), open_field(&k, rev, name, sealed).unwrap());
        }
    };
    for p in parts {
        match p {
            Part::Password(e) => {
                for r in &e.revisions {
                    open(
                        &e.user_id,
                        r.uuid.as_uuid(),
                        &[
                            ("label", &r.label),
                            ("username", &r.username),
                            ("password", &r.password),
                            ("url", &r.url),
                            ("notes", &r.notes),
                            ("customFields", &r.custom_fields),
                        ],
                    );
                }
                entries.push(serde_json::to_value(e).unwrap());
            }
            Part::Folder(e) => {
                for r in &e.revisions {
                    open(&e.user_id, r.uuid.as_uuid(), &[("label", &r.label)]);
                }
                entries.push(serde_json::to_value(e).unwrap());
            }
            Part::Tag(e) => {
                for r in &e.revisions {
                    open(
                        &e.user_id,
                        r.uuid.as_uuid(),
                        &[("label", &r.label), ("color", &r.color)],
                    );
                }
                entries.push(serde_json::to_value(e).unwrap());
            }
            Part::Share(e) => entries.push(serde_json::to_value(e).unwrap()),
            Part::Relation(e) => entries.push(serde_json::to_value(e).unwrap()),
            _ => {}
        }
    }
    (plain, entries)
}

/// Every expected field came back (customFields compared as JSON), and nothing else.
fn assert_fields(
    got: &BTreeMap<String, BTreeMap<String, String>>,
    expected: &BTreeMap<String, BTreeMap<String, String>>,
) {
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "the revisions"
    );
    for (rev, fields) in expected {
        for (name, want) in fields {
            let have = &got[rev][name];
            if name == "customFields" {
                // An empty text means no fields, as in the reference.
                let parse = |t: &str| -> Value {
                    if t.is_empty() {
                        json!([])
                    } else {
                        serde_json::from_str(t).unwrap()
                    }
                };
                assert_eq!(parse(have), parse(want), "{rev} {name}");
            } else {
                assert_eq!(have, want, "{rev} {name}");
            }
        }
    }
}

fn entry<'a>(entries: &'a [Value], uuid: &str) -> &'a Value {
    entries
        .iter()
        .find(|e| e["uuid"] == uuid)
        .unwrap_or_else(|| panic!("entry {uuid}"))
}

#[test]
fn version_106_converts_every_field() {
    let v = Vectors::load();
    let built = v106(&v);
    let env = env();
    let file = env.write("nextcloud 106!.json.gz", &built.json);
    let s = env.import(&file, &options()).unwrap();
    assert_eq!((s.label.as_str(), s.version), ("nextcloud106", 106));
    assert_eq!(env.stored(), ["nextcloud106.json.gz"]);

    let parts = parts(&s.path);
    let (plain, entries) = open_all(&env.keys, &parts);
    assert_fields(&plain, &built.expected);

    // Metadata as the reference had it; the CSE password and its relation are left out.
    let p1 = entry(&entries, &u(0x301));
    assert_eq!(
        (p1["id"].as_i64(), p1["hasShares"].as_bool()),
        (Some(12), Some(true))
    );
    assert_eq!(
        (p1["created"].as_i64(), p1["updated"].as_i64()),
        (Some(1_500_000_000), Some(1_600_000_200))
    );
    let current = &p1["revisions"][1];
    assert_eq!(current["uuid"], u(0x303));
    assert_eq!(current["folder"], u(0x101));
    assert_eq!(
        (current["status"].as_i64(), current["statusCode"].as_str()),
        (Some(1), Some("DUPLICATE"))
    );
    assert_eq!(
        (current["client"].as_str(), current["edited"].as_i64()),
        (Some("Firefox"), Some(1_650_000_000))
    );
    assert_eq!(current["favorite"], true);
    assert_eq!(current["hash"], "6b3a55e0261b0304143f805a24924d0c1c44524d");
    assert_eq!(p1["revisions"][0]["sseType"], "SSEv1r1");
    assert_eq!(entry(&entries, &u(0x401))["revisions"][0]["trashed"], true);
    assert_eq!(entry(&entries, &u(0x501))["revisions"][0]["hidden"], true);
    let p6 = entry(&entries, &u(0x901));
    assert_eq!(
        (p6["shareId"].as_str(), p6["editable"].as_bool()),
        (Some(u(0xa01).as_str()), Some(false))
    );
    let share = entry(&entries, &u(0xa01));
    assert_eq!(
        (share["userId"].as_str(), share["receiver"].as_str()),
        (Some("alice"), Some("bob"))
    );
    assert_eq!(share["targetPassword"], u(0x901));
    assert_eq!(entry(&entries, &u(0x701))["password"], u(0x301));
    assert!(!entries
        .iter()
        .any(|e| e["uuid"] == u(0x601) || e["uuid"] == u(0x702)));
    assert_eq!(entry(&entries, &u(0x101))["revisions"][0]["favorite"], true);

    // Counts per user, and the warnings name what is left out.
    let alice = &s.users[&UserId::parse("alice").unwrap()];
    assert_eq!((alice.passwords, alice.password_revisions), (3, 4));
    assert_eq!(
        (alice.folders, alice.tags, alice.shares, alice.relations),
        (1, 1, 1, 1)
    );
    assert_eq!((alice.skipped_passwords, alice.skipped_relations), (1, 1));
    let bob = &s.users[&UserId::parse("bob").unwrap()];
    assert_eq!(
        (bob.passwords, bob.shares, bob.skipped_passwords),
        (2, 0, 0)
    );
    let warnings = s.warnings.join("\n");
    assert!(warnings.contains("'alice': 1 passwords"), "{warnings}");
    assert!(warnings.contains("CSEv1r1"), "{warnings}");
    assert!(
        warnings.contains("1 keychains and 0 challenges"),
        "{warnings}"
    );
    assert!(
        warnings.contains("service.security has the value \"smalldb\""),
        "{warnings}"
    );
    assert!(warnings.contains("backup.update.autorestore"), "{warnings}");
    assert_eq!(
        (s.counts.passwords, s.counts.shares, s.counts.relations),
        (5, 1, 1)
    );

    // Settings: the app settings this server has, user settings, client settings.
    let settings = parts
        .iter()
        .find_map(|p| match p {
            Part::Settings(s) => Some(serde_json::to_value(s).unwrap()),
            _ => None,
        })
        .unwrap();
    assert_eq!(settings["application"]["backup.interval"], "3600");
    assert_eq!(settings["application"]["backup.files.max"], "14");
    assert_eq!(settings["application"]["service.security"], Value::Null);
    assert_eq!(
        settings["users"]["alice"],
        json!({"password.security.hash": "40", "password.security.age": "90",
               "client.ext.password.autosubmit": "true", "client.ext.folder.private": "\"x\""})
    );
    assert_eq!(
        settings["users"]["bob"],
        json!({"password.security.duplicates": "0"})
    );
    // Accounts come disabled.
    let accounts = parts
        .iter()
        .find_map(|p| match p {
            Part::Accounts(a) => Some(serde_json::to_value(a).unwrap()),
            _ => None,
        })
        .unwrap();
    assert_eq!(accounts.as_array().unwrap().len(), 2);
    assert!(accounts
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["enabled"] == false));
}

#[test]
fn version_105_without_server_key_and_a_renamed_user() {
    let v = Vectors::load();
    let built = v105(&v);
    let env = env();
    let file = env.write("nc105.json", &built.json);
    let s = env
        .import(
            &file,
            &ReferenceOptions {
                map_users: vec![("alice".into(), "alicia".into())],
                ..options()
            },
        )
        .unwrap();
    let parts = parts(&s.path);
    let (plain, entries) = open_all(&env.keys, &parts);
    assert_fields(&plain, &built.expected);
    assert!(
        entries.iter().all(|e| e["userId"] == "alicia"),
        "{entries:?}"
    );
    assert_eq!(
        entry(&entries, &u(0x1301))["revisions"][0]["folder"],
        u(0x1101)
    );
    assert_eq!(entry(&entries, &u(0x1401))["tag"], u(0x1201));
    assert_eq!(
        s.users.keys().map(UserId::as_str).collect::<Vec<_>>(),
        ["alicia"]
    );
}

#[test]
fn version_100_runs_the_migrations() {
    let v = Vectors::load();
    let built = v100(&v);
    let env = env();
    let file = env.write("old.json.gz", &built.json);
    // The file has no instance secret: it must be given.
    let err = env.import(&file, &options()).unwrap_err().to_string();
    assert!(err.contains("--instance-secret-file"), "{err}");
    assert!(env.stored().is_empty());
    let wrong = ReferenceOptions {
        instance_secret: Some(Zeroizing::new("not-the-secret".into())),
        ..options()
    };
    let err = env.import(&file, &wrong).unwrap_err().to_string();
    assert!(err.starts_with("Wrong instance secret"), "{err}");
    assert!(err.contains("HMAC does not match"), "{err}");
    assert!(!err.contains(&v.key("instanceSecret")));
    assert!(env.stored().is_empty());

    let right = ReferenceOptions {
        instance_secret: Some(Zeroizing::new(v.key("instanceSecret"))),
        ..options()
    };
    let s = env.import(&file, &right).unwrap();
    assert_eq!(s.version, 100);
    let parts = parts(&s.path);
    let (plain, entries) = open_all(&env.keys, &parts);
    assert_fields(&plain, &built.expected);
    let revision = &entry(&entries, &u(0x2301))["revisions"][0];
    assert_eq!(
        (revision["client"].as_str(), revision["cseKey"].as_str()),
        (Some("CLIENT::UNKNOWN"), Some(""))
    );
    assert_eq!(revision["favorite"], true);
    let relation = entries
        .iter()
        .find(|e| e["tag"] == u(0x2201))
        .expect("the relation");
    assert_eq!(relation["password"], u(0x2301));
    assert!(uuid::Uuid::parse_str(relation["uuid"].as_str().unwrap()).is_ok());
    let settings = parts
        .iter()
        .find_map(|p| match p {
            Part::Settings(s) => Some(serde_json::to_value(s).unwrap()),
            _ => None,
        })
        .unwrap();
    assert_eq!(settings["application"]["backup.files.max"], "9");
}

#[test]
fn refusals_store_nothing() {
    let v = Vectors::load();
    let env = env();
    let base = v106(&v).json;
    let refused = |json: &Value, name: &str, options: &ReferenceOptions| -> String {
        let file = env.write(name, json);
        let err = env.import(&file, options).unwrap_err().to_string();
        assert!(env.stored().is_empty(), "{name}: {err}");
        err
    };

    // A wrong secret in the file: every SSEv1r2 field fails its HMAC.
    let mut wrong = base.clone();
    wrong["keys"]["server"]["secret"] = json!("x".repeat(48));
    assert!(refused(&wrong, "a.json", &options()).starts_with("Wrong instance secret"));

    // One ciphertext changed: damaged data, named, not a wrong secret.
    let mut tampered = base.clone();
    let token = tampered["passwords"][0]["revisions"][1]["notes"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = if token.starts_with('0') { "1" } else { "0" };
    let flipped = format!("{first}{}", &token[1..]);
    tampered["passwords"][0]["revisions"][1]["notes"] = json!(flipped);
    let err = refused(&tampered, "b.json", &options());
    assert!(
        err.starts_with("The backup is damaged: the field notes of password revision"),
        "{err}"
    );
    assert!(
        err.contains(&u(0x303)) && err.contains("HMAC does not match"),
        "{err}"
    );

    // A wrong user key for bob: his data, named.
    let mut user_key = base.clone();
    user_key["keys"]["users"]["bob"]["SSEv1UserKey"] = json!("y".repeat(1024));
    let err = refused(&user_key, "c.json", &options());
    assert!(err.contains("The SSEv1 keys of user 'bob'"), "{err}");

    // Malformed keys: refused without quoting them.
    let mut malformed = base.clone();
    malformed["keys"]["users"]["bob"] = json!(v.key("userKey"));
    let err = refused(&malformed, "m.json", &options());
    assert!(err.contains("keys do not have the structure"), "{err}");
    assert!(!err.contains(&v.key("userKey")[..40]), "{err}");

    // Duplicate uuids.
    let mut duplicate = base.clone();
    let copy = duplicate["tags"][0].clone();
    duplicate["tags"].as_array_mut().unwrap().push(copy);
    let err = refused(&duplicate, "d.json", &options());
    assert!(err.contains("appears twice"), "{err}");

    // A relation to a password that is not in the backup.
    let mut broken = base.clone();
    broken["passwordTagRelations"][0]["password"] = json!(u(0xeee));
    let err = refused(&broken, "e.json", &options());
    assert!(err.contains(&u(0xeee)), "{err}");

    // Versions.
    let mut newer = base.clone();
    newer["version"] = json!(107);
    assert_eq!(
        refused(&newer, "f.json", &options()),
        "Unsupported backup version: 107"
    );
    let mut client = base.clone();
    client["version"] = json!(99);
    assert!(refused(&client, "g.json", &options()).starts_with("This seems to be a client backup"));

    // A user id this server cannot take, unless renamed; two users onto one.
    let mut spaced = base.clone();
    let keys = spaced["keys"]["users"].as_object_mut().unwrap();
    let k = keys.remove("bob").unwrap();
    keys.insert("bob smith".into(), k);
    let err = refused(&spaced, "h.json", &options());
    assert!(
        err.contains("rename it with --map-user 'bob smith=NEW'"),
        "{err}"
    );
    let merged = ReferenceOptions {
        map_users: vec![("bob".into(), "alice".into())],
        ..options()
    };
    let err = refused(&base, "i.json", &merged);
    assert!(err.contains("would both become 'alice'"), "{err}");
    let unknown = ReferenceOptions {
        map_users: vec![("carol".into(), "c".into())],
        ..options()
    };
    assert!(refused(&base, "j.json", &unknown).contains("'carol', who is not in the backup"));

    // Truncated: the compressed file cut short.
    let file = env.write("k.json.gz", &base);
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let err = env.import(&file, &options()).unwrap_err().to_string();
    assert!(err.contains("truncated"), "{err}");
    assert!(env.stored().is_empty());
}
