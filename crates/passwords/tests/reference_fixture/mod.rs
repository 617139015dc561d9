//! Server backups of the Nextcloud Passwords app (the reference), built for the tests from the
//! SSEv1 known-answer vectors (`passwords-core/tests/data/ssev1-vectors.json`): their instance
//! secret, server key, user key, per-group sseKeys and ciphertexts. [`v106`], [`v105`] and
//! [`v100`] each return the file's JSON and the plaintext every field must come back as.

#![allow(dead_code)]

use std::collections::BTreeMap;

use passwords_core::crypto::ssev1::Ssev1Key;
use serde_json::{json, Map, Value};

/// The vectors file (a copy of the shared one inside the repository).
pub struct Vectors(Value);

impl Vectors {
    pub fn load() -> Self {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../passwords-core/tests/data/ssev1-vectors.json"
        );
        let text = std::fs::read_to_string(path).expect("the vectors file");
        Self(serde_json::from_str(&text).expect("vectors JSON"))
    }

    /// `instanceSecret`, `serverKey` or `userKey`.
    pub fn key(&self, name: &str) -> String {
        self.0["keys"][name].as_str().unwrap().to_owned()
    }

    pub fn sse_key(&self, group: &str) -> String {
        self.group(group)["sseKey"].as_str().unwrap().to_owned()
    }

    fn group(&self, id: &str) -> &Value {
        self.0["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id)
            .unwrap_or_else(|| panic!("group {id}"))
    }

    fn vector(&self, id: &str) -> &Value {
        let group = id.split('/').next().unwrap();
        self.group(group)["vectors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == id)
            .unwrap_or_else(|| panic!("vector {id}"))
    }

    /// The ciphertext of a vector (`r2-main/ascii-short`).
    pub fn token(&self, id: &str) -> String {
        self.vector(id)["ciphertext"].as_str().unwrap().to_owned()
    }

    pub fn plain(&self, id: &str) -> String {
        self.vector(id)["plaintext"].as_str().unwrap().to_owned()
    }
}

/// A field's value in the file.
pub enum F {
    /// A vector's ciphertext (the plaintext is expected back).
    V(&'static str),
    /// A token made here under a group's key (old customFields), and the text expected back.
    Made(String, String),
    /// `null` (comes back empty).
    Null,
    /// Stored as is (client-side encrypted objects).
    Raw(&'static str),
}

/// A backup and what must come out of it: revision uuid → field → plaintext.
pub struct Built {
    pub json: Value,
    pub expected: BTreeMap<String, BTreeMap<String, String>>,
}

/// A valid UUID made from a number.
pub fn u(n: u32) -> String {
    format!("{n:08x}-0000-4000-8000-{n:012x}")
}

struct Builder<'v> {
    v: &'v Vectors,
    expected: BTreeMap<String, BTreeMap<String, String>>,
}

impl Builder<'_> {
    /// A revision of `model` with the given encrypted fields, plus `extra` fields.
    #[allow(clippy::too_many_arguments)]
    fn revision(
        &mut self,
        uuid: &str,
        user: &str,
        model: &str,
        group: &str,
        sse_type: &str,
        fields: Vec<(&str, F)>,
        extra: Value,
    ) -> Value {
        let mut r = Map::new();
        for (k, v) in [
            ("id", json!(1)),
            ("uuid", json!(uuid)),
            ("userId", json!(user)),
            ("deleted", json!(false)),
            ("created", json!(1_600_000_000)),
            ("updated", json!(1_600_000_100)),
            ("model", json!(model)),
            ("sseType", json!(sse_type)),
            ("sseKey", json!(self.v.sse_key(group))),
            ("cseType", json!("none")),
            ("cseKey", json!("")),
            ("client", json!("CLIENT::UNKNOWN")),
            ("edited", json!(1_600_000_050)),
            ("hidden", json!(false)),
            ("trashed", json!(false)),
            ("favorite", json!(false)),
        ] {
            r.insert(k.into(), v);
        }
        let expected = self.expected.entry(uuid.to_owned()).or_default();
        for (name, value) in fields {
            let stored = match value {
                F::V(id) => {
                    expected.insert(name.into(), self.v.plain(id));
                    json!(self.v.token(id))
                }
                F::Made(token, plain) => {
                    expected.insert(name.into(), plain);
                    json!(token)
                }
                F::Null => {
                    expected.insert(name.into(), String::new());
                    Value::Null
                }
                F::Raw(text) => json!(text),
            };
            r.insert(name.into(), stored);
        }
        for (k, v) in extra.as_object().unwrap() {
            r.insert(k.clone(), v.clone());
        }
        Value::Object(r)
    }
}

fn model(
    id: i64,
    uuid: &str,
    user: &str,
    current: &str,
    revisions: Vec<Value>,
    extra: Value,
) -> Value {
    let mut m = json!({
        "id": id, "uuid": uuid, "userId": user, "deleted": false,
        "created": 1_500_000_000, "updated": 1_600_000_200, "revision": current,
    });
    for (k, v) in extra.as_object().unwrap() {
        m[k] = v.clone();
    }
    m["revisions"] = Value::Array(revisions);
    m
}

fn password_fields(fields: Vec<(&'static str, F)>) -> Vec<(&'static str, F)> {
    let mut all: Vec<(&'static str, F)> = Vec::new();
    for name in [
        "label",
        "username",
        "password",
        "url",
        "notes",
        "customFields",
    ] {
        all.push((name, F::Null));
    }
    for (name, f) in fields {
        let slot = all
            .iter_mut()
            .find(|(n, _)| *n == name)
            .expect("a password field");
        slot.1 = f;
    }
    all
}

const PW_EXTRA: &str = r#"{"hash": "", "folder": "00000000-0000-0000-0000-000000000000", "status": 0, "statusCode": "GOOD"}"#;

fn extra(more: Value) -> Value {
    let mut base: Value = serde_json::from_str(PW_EXTRA).unwrap();
    for (k, v) in more.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

/// Version 106 (the current app): alice and bob, every token format, SSEv1r1 and r2, a
/// folder, a tag, a relation, a share with its receiver's copy, a hidden and a trashed
/// password, a client-side encrypted password (left out) with a relation, a keychain,
/// settings of every kind.
pub fn v106(v: &Vectors) -> Built {
    let mut b = Builder {
        v,
        expected: BTreeMap::new(),
    };
    let (f1, t1, p1, p2, p3, p4, p5, p6, s1) = (
        u(0x101),
        u(0x201),
        u(0x301),
        u(0x401),
        u(0x501),
        u(0x601),
        u(0x801),
        u(0x901),
        u(0xa01),
    );
    let folder = model(
        5,
        &f1,
        "alice",
        &u(0x102),
        vec![b.revision(
            &u(0x102),
            "alice",
            &f1,
            "r2-main",
            "SSEv1r2",
            vec![("label", F::V("r2-main/ascii-sentence"))],
            json!({"parent": "00000000-0000-0000-0000-000000000000", "favorite": true}),
        )],
        json!({"suspended": false}),
    );
    let tag = model(
        7,
        &t1,
        "alice",
        &u(0x202),
        vec![b.revision(
            &u(0x202),
            "alice",
            &t1,
            "r2-main",
            "SSEv1r2",
            vec![
                ("label", F::V("r2-main/utf8-only-emoji")),
                ("color", F::V("r2-main/ascii-short")),
            ],
            json!({}),
        )],
        json!({}),
    );
    let old = b.revision(
        &u(0x302),
        "alice",
        &p1,
        "r1-legacy-key",
        "SSEv1r1",
        password_fields(vec![
            ("label", F::V("r1-legacy-key/ascii-sentence")),
            ("username", F::V("r1-legacy-key/ascii-short")),
            ("password", F::V("r1-legacy-key/utf8-emoji")),
        ]),
        extra(json!({"created": 1_550_000_000, "updated": 1_550_000_000, "edited": 1_550_000_000})),
    );
    let current = b.revision(
        &u(0x303),
        "alice",
        &p1,
        "r2-main",
        "SSEv1r2",
        password_fields(vec![
            ("label", F::V("r2-main/ascii-sentence")),
            ("username", F::V("r2-main/ascii-16-bytes")),
            ("password", F::V("r2-main/utf8-emoji")),
            ("url", F::V("r2-main/url")),
            ("notes", F::V("r2-main/notes-1k")),
            ("customFields", F::V("r2-main/custom-fields-json")),
        ]),
        extra(
            json!({"folder": f1, "favorite": true, "status": 1, "statusCode": "DUPLICATE",
                     "hash": "6b3a55e0261b0304143f805a24924d0c1c44524d", "client": "Firefox",
                     "edited": 1_650_000_000}),
        ),
    );
    let pw1 = model(
        12,
        &p1,
        "alice",
        &u(0x303),
        vec![old, current],
        json!({"hasShares": true, "editable": true, "suspended": false}),
    );
    let pw2 = model(
        13,
        &p2,
        "alice",
        &u(0x402),
        vec![b.revision(
            &u(0x402),
            "alice",
            &p2,
            "r2-format-v2",
            "SSEv1r2",
            password_fields(vec![
                ("label", F::V("r2-format-v2/ascii-short")),
                ("password", F::V("r2-format-v2/utf8-emoji")),
                ("notes", F::V("r2-format-v2/empty")),
                ("customFields", F::V("r2-format-v2/custom-fields-json")),
            ]),
            extra(json!({"trashed": true})),
        )],
        json!({}),
    );
    let pw3 = model(
        14,
        &p3,
        "alice",
        &u(0x502),
        vec![b.revision(
            &u(0x502),
            "alice",
            &p3,
            "r2-format-v1",
            "SSEv1r2",
            password_fields(vec![
                ("label", F::V("r2-format-v1/ascii-short")),
                ("password", F::V("r2-format-v1/utf8-emoji")),
                ("notes", F::V("r2-format-v1/empty")),
                ("customFields", F::V("r2-format-v1/custom-fields-json")),
            ]),
            extra(json!({"hidden": true})),
        )],
        json!({}),
    );
    let mut cse = b.revision(
        &u(0x602),
        "alice",
        &p4,
        "r2-main",
        "none",
        vec![
            ("label", F::Raw("{\"ciphertext\":\"opaque\"}")),
            ("password", F::Raw("{\"ciphertext\":\"opaque\"}")),
        ],
        extra(json!({"cseType": "CSEv1r1", "cseKey": u(0x6ff)})),
    );
    cse["sseKey"] = json!("");
    b.expected.remove(&u(0x602));
    let pw4 = model(15, &p4, "alice", &u(0x602), vec![cse], json!({}));
    let pw5 = model(
        20,
        &p5,
        "bob",
        &u(0x802),
        vec![b.revision(
            &u(0x802),
            "bob",
            &p5,
            "r2-passwords",
            "SSEv1r2",
            password_fields(vec![
                ("label", F::V("r2-passwords/password-len-05")),
                ("username", F::V("r2-passwords/password-len-10")),
                ("password", F::V("r2-passwords/password-len-64")),
            ]),
            extra(json!({})),
        )],
        json!({}),
    );
    let pw6 = model(
        21,
        &p6,
        "bob",
        &u(0x902),
        vec![b.revision(
            &u(0x902),
            "bob",
            &p6,
            "r2-main",
            "SSEv1r2",
            password_fields(vec![
                ("label", F::V("r2-main/ascii-sentence")),
                ("password", F::V("r2-main/pipe-and-hex-like")),
                ("notes", F::V("r2-main/whitespace-controls")),
            ]),
            extra(json!({"client": "CLIENT::SHARE"})),
        )],
        json!({"shareId": s1, "editable": false}),
    );
    let base = |uuid: &str, user: &str| {
        json!({"id": 3, "uuid": uuid, "userId": user, "deleted": false,
               "created": 1_600_000_300, "updated": 1_600_000_400})
    };
    let mut share = base(&s1, "alice");
    for (k, val) in [
        ("type", json!("user")),
        ("client", json!("CLIENT::UNKNOWN")),
        ("receiver", json!("bob")),
        ("sourcePassword", json!(p1)),
        ("targetPassword", json!(p6)),
        ("expires", Value::Null),
        ("editable", json!(false)),
        ("shareable", json!(true)),
        ("sourceUpdated", json!(false)),
        ("targetUpdated", json!(false)),
    ] {
        share[k] = val;
    }
    let relation = |uuid: &str, password: &str, revision: &str| {
        let mut r = base(uuid, "alice");
        for (k, val) in [
            ("tag", json!(t1)),
            ("password", json!(password)),
            ("tagRevision", json!(u(0x202))),
            ("passwordRevision", json!(revision)),
            ("hidden", json!(false)),
            ("client", json!("CLIENT::UNKNOWN")),
        ] {
            r[k] = val;
        }
        r
    };
    let mut keychain = base(&u(0xb01), "alice");
    keychain["type"] = json!("CSEv1r1");
    keychain["scope"] = json!("client");
    keychain["data"] = json!("opaque");
    let json = json!({
        "version": 106,
        "passwords": [pw1, pw2, pw3, pw4, pw5, pw6],
        "folders": [folder],
        "tags": [tag],
        "shares": [share],
        "keychains": [keychain],
        "challenges": [],
        "passwordTagRelations": [relation(&u(0x701), &p1, &u(0x303)), relation(&u(0x702), &p4, &u(0x602))],
        "keys": {
            "server": {"secret": v.key("instanceSecret"), "SSEv1ServerKey": v.key("serverKey")},
            "users": {
                "alice": {"SSEv1UserKey": v.key("userKey"), "ChallengeId": u(0xc01)},
                "bob": {"SSEv1UserKey": v.key("userKey"), "ChallengeId": null}
            }
        },
        "settings": {
            "application": {
                "entity.purge.timeout": null, "backup.interval": "3600", "backup.files.max": "14",
                "backup.update.autorestore": true, "service.security": "smalldb",
                "service.words": "random", "survey.server": null
            },
            "users": {
                "alice": {"password.security.hash": "40", "password.security.age": "90", "mail.security": null},
                "bob": {"password.security.duplicates": "0"}
            },
            "clients": {
                "alice": "{\"client.ext.password.autosubmit\":true,\"client.ext.folder.private\":\"x\"}",
                "bob": "{}"
            }
        }
    });
    Built {
        json,
        expected: b.expected,
    }
}

/// Version 105: no SSEv1ServerKey (`null`), so the `r2-empty-server-key` vectors; one user.
pub fn v105(v: &Vectors) -> Built {
    let mut b = Builder {
        v,
        expected: BTreeMap::new(),
    };
    let (f, t, p) = (u(0x1101), u(0x1201), u(0x1301));
    let g = "r2-empty-server-key";
    let folder = model(
        2,
        &f,
        "alice",
        &u(0x1102),
        vec![b.revision(
            &u(0x1102),
            "alice",
            &f,
            g,
            "SSEv1r2",
            vec![("label", F::V("r2-empty-server-key/folder-label"))],
            json!({"parent": "00000000-0000-0000-0000-000000000000"}),
        )],
        json!({}),
    );
    let tag = model(
        4,
        &t,
        "alice",
        &u(0x1202),
        vec![b.revision(
            &u(0x1202),
            "alice",
            &t,
            g,
            "SSEv1r2",
            vec![
                ("label", F::V("r2-empty-server-key/tag-label")),
                ("color", F::V("r2-empty-server-key/tag-color")),
            ],
            json!({"suspended": false}),
        )],
        json!({}),
    );
    let password = model(
        3,
        &p,
        "alice",
        &u(0x1302),
        vec![b.revision(
            &u(0x1302),
            "alice",
            &p,
            g,
            "SSEv1r2",
            password_fields(vec![
                ("label", F::V("r2-empty-server-key/utf8-emoji")),
                ("password", F::V("r2-empty-server-key/ascii-short")),
                ("notes", F::V("r2-empty-server-key/empty")),
            ]),
            extra(json!({"folder": f})),
        )],
        json!({}),
    );
    let json = json!({
        "version": 105,
        "passwords": [password],
        "folders": [folder],
        "tags": [tag],
        "shares": [],
        "keychains": [],
        "challenges": [],
        "passwordTagRelations": [{
            "id": 1, "uuid": u(0x1401), "userId": "alice", "deleted": false, "created": 1_600_000_000,
            "updated": 1_600_000_000, "tag": t, "password": p, "tagRevision": u(0x1202),
            "passwordRevision": u(0x1302), "hidden": false, "client": "CLIENT::UNKNOWN"
        }],
        "keys": {
            "server": {"secret": v.key("instanceSecret"), "SSEv1ServerKey": null},
            "users": {"alice": {"SSEv1UserKey": v.key("userKey"), "ChallengeId": null}}
        },
        "settings": {
            "application": {"backup.files.max": "5"},
            "users": {"alice": {"password.security.hash": "20"}},
            "clients": {"alice": "{}"}
        }
    });
    Built {
        json,
        expected: b.expected,
    }
}

/// Version 100 (app versions of 2018): keys after the entities, no instance secret in the
/// file, `password_tag_relations` without uuids, revisions with `favourite` and no `cseKey`,
/// customFields in the old map form, app settings under their config names.
pub fn v100(v: &Vectors) -> Built {
    let mut b = Builder {
        v,
        expected: BTreeMap::new(),
    };
    let (t, p) = (u(0x2201), u(0x2301));
    let key = Ssev1Key::r2(
        &v.key("instanceSecret"),
        &v.key("serverKey"),
        &v.key("userKey"),
        &v.sse_key("r2-main"),
    );
    let old_fields =
        r#"{"PIN":{"type":"secret","value":"0815"},"_otp":{"type":"text","value":"otpauth://x"}}"#;
    let migrated = r#"[{"label":"PIN","type":"secret","value":"0815"},{"label":"_otp","type":"data","value":"otpauth://x"}]"#;
    let token = key.encrypt_with_iv(old_fields.as_bytes(), &[9; 16]);
    let mut revision = b.revision(
        &u(0x2302),
        "alice",
        &p,
        "r2-main",
        "SSEv1r2",
        password_fields(vec![
            ("label", F::V("r2-main/ascii-sentence")),
            ("password", F::V("r2-main/ascii-short")),
            ("customFields", F::Made(token, migrated.into())),
        ]),
        extra(json!({"favourite": true, "favorite": true, "client": "legacy"})),
    );
    revision.as_object_mut().unwrap().remove("cseKey");
    let mut tag_revision = b.revision(
        &u(0x2202),
        "alice",
        &t,
        "r2-main",
        "SSEv1r2",
        vec![
            ("label", F::V("r2-main/ascii-short")),
            ("color", F::V("r2-main/ascii-16-bytes")),
        ],
        json!({}),
    );
    tag_revision.as_object_mut().unwrap().remove("cseKey");
    let json = json!({
        "version": 100,
        "passwords": [model(7, &p, "alice", &u(0x2302), vec![revision], json!({}))],
        "folders": [],
        "tags": [model(2, &t, "alice", &u(0x2202), vec![tag_revision], json!({}))],
        "shares": [],
        "password_tag_relations": [{
            "id": 1, "userId": "alice", "deleted": false, "created": 1_600_000_000,
            "updated": 1_600_000_000, "tag": t, "password": p, "tagRevision": u(0x2202),
            "passwordRevision": u(0x2302), "hidden": false
        }],
        "keys": {
            "server": {"SSEv1ServerKey": v.key("serverKey")},
            "users": {"alice": {"SSEv1UserKey": v.key("userKey")}}
        },
        "settings": {
            "application": {"backup/files/maximum": "9", "service/words": "local", "debug/https": null},
            "users": {"alice": {"password.security.hash": "40"}},
            "clients": {"alice": "{}"}
        }
    });
    Built {
        json,
        expected: b.expected,
    }
}
