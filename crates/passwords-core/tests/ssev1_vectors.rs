//! SSEv1 decryption against the known-answer vectors made with the real phpseclib
//! (`tests/data/ssev1-vectors.json`, a copy of the shared vectors): every vector decrypts to
//! its plaintext, every format-3 ciphertext is reproduced from its IV, every failure vector
//! and every edge case is judged as PHP judged it.

use passwords_core::crypto::ssev1::{Ssev1Error, Ssev1Key};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn vectors() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/ssev1-vectors.json"
    ))
    .expect("the vectors file");
    serde_json::from_str(&text).expect("vectors JSON")
}

/// The key string of a group, from its `keyStringParts`.
fn key_string(all: &Value, group: &Value) -> Vec<u8> {
    let keys = &all["keys"];
    let mut k = Vec::new();
    for part in group["keyStringParts"].as_array().unwrap() {
        match part.as_str().unwrap() {
            "instanceSecret" => {
                k.extend_from_slice(keys["instanceSecret"].as_str().unwrap().as_bytes())
            }
            "serverKey" => k.extend_from_slice(keys["serverKey"].as_str().unwrap().as_bytes()),
            "(empty serverKey)" => {}
            "userKey" => k.extend_from_slice(keys["userKey"].as_str().unwrap().as_bytes()),
            "sseKey" => k.extend_from_slice(group["sseKey"].as_str().unwrap().as_bytes()),
            other => panic!("unknown key part {other}"),
        }
    }
    let i = &group["intermediates"];
    assert_eq!(k.len() as u64, i["keyStringLength"].as_u64().unwrap());
    assert_eq!(
        hex::encode(Sha256::digest(&k)),
        i["keyStringSha256"].as_str().unwrap()
    );
    k
}

fn group<'a>(all: &'a Value, id: &str) -> &'a Value {
    all["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == id)
        .unwrap_or_else(|| panic!("group {id}"))
}

#[test]
fn every_vector_decrypts_and_reencrypts() {
    let all = vectors();
    let mut checked = 0;
    for g in all["groups"].as_array().unwrap() {
        let k = key_string(&all, g);
        let key = Ssev1Key::from_bytes(&k);
        // The constructors build the same key string.
        let keys = &all["keys"];
        let s = |n: &str| keys[n].as_str().unwrap();
        let server = if g["keyStringParts"][1] == "(empty serverKey)" {
            ""
        } else {
            s("serverKey")
        };
        let built = match g["sseType"].as_str().unwrap() {
            "SSEv1r2" => Ssev1Key::r2(
                s("instanceSecret"),
                server,
                s("userKey"),
                g["sseKey"].as_str().unwrap(),
            ),
            "SSEv1r1" => Ssev1Key::r1(s("serverKey"), s("userKey"), g["sseKey"].as_str().unwrap()),
            other => panic!("unknown sseType {other}"),
        };
        let format = match &g["ciphertextFormat"] {
            serde_json::Value::String(s) => s.parse::<u64>().unwrap(),
            other => other.as_u64().unwrap(),
        };
        for v in g["vectors"].as_array().unwrap() {
            let token = v["ciphertext"].as_str().unwrap();
            let plain = v["plaintext"].as_str().unwrap();
            let id = v["id"].as_str().unwrap();
            let got = key.decrypt(token).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(&*got, plain.as_bytes(), "{id}");
            assert_eq!(
                got.len() as u64,
                v["plaintextBytes"].as_u64().unwrap(),
                "{id}"
            );
            assert_eq!(&*built.decrypt(token).unwrap(), plain.as_bytes(), "{id}");
            if format == 3 {
                let iv: [u8; 16] = hex::decode(token.split('|').nth(1).unwrap())
                    .unwrap()
                    .try_into()
                    .unwrap();
                assert_eq!(key.encrypt_with_iv(plain.as_bytes(), &iv), token, "{id}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 93);
}

#[test]
fn every_failure_vector_is_refused() {
    let all = vectors();
    let failures = all["decryptFailures"].as_array().unwrap();
    assert_eq!(failures.len(), 6);
    for f in failures {
        let key =
            Ssev1Key::from_bytes(&key_string(&all, group(&all, f["group"].as_str().unwrap())));
        let id = f["id"].as_str().unwrap();
        assert_eq!(f["phpError"], "HMAC does not match.", "{id}");
        assert_eq!(
            key.decrypt(f["ciphertext"].as_str().unwrap()),
            Err(Ssev1Error::Hmac),
            "{id}"
        );
    }
}

#[test]
fn edge_cases_match_php() {
    let all = vectors();
    for e in all["edgeCases"].as_array().unwrap() {
        let key =
            Ssev1Key::from_bytes(&key_string(&all, group(&all, e["group"].as_str().unwrap())));
        let id = e["id"].as_str().unwrap();
        let got = key.decrypt(e["ciphertext"].as_str().unwrap());
        match e["expect"].as_str().unwrap() {
            "ok" => assert_eq!(
                &*got.unwrap_or_else(|err| panic!("{id}: {err}")),
                e["plaintext"].as_str().unwrap().as_bytes(),
                "{id}"
            ),
            "error" => {
                let err = got.expect_err(id);
                let php = e["phpError"].as_str().unwrap();
                if php == "HMAC does not match." {
                    assert_eq!(err, Ssev1Error::Hmac, "{id}");
                } else {
                    assert!(matches!(err, Ssev1Error::Malformed(_)), "{id}: {err}");
                }
            }
            other => panic!("{id}: unknown expectation {other}"),
        }
    }
}

/// Ciphertexts a phpseclib 3 port with its default salt would make (no released Nextcloud
/// did): the HMAC passes, but they must not decrypt to their plaintext silently.
#[test]
fn hypothetical_phpseclib3_salt_is_not_taken_for_data() {
    let all = vectors();
    for h in all["hypotheticalPhpseclib3DefaultSalt"]["vectors"]
        .as_array()
        .unwrap()
    {
        let key =
            Ssev1Key::from_bytes(&key_string(&all, group(&all, h["group"].as_str().unwrap())));
        match key.decrypt(h["ciphertext"].as_str().unwrap()) {
            Err(e) => assert_eq!(e, Ssev1Error::Padding),
            Ok(p) => assert_ne!(&*p, h["plaintext"].as_str().unwrap().as_bytes()),
        }
    }
}

#[test]
fn malformed_tokens() {
    let key = Ssev1Key::r2("s", "", "u", "k");
    for bad in [
        "",
        "abc",
        "a|b",
        "|00|00|3",
        "zz|00000000000000000000000000000000|00|3",
        "00|short|00",
    ] {
        assert!(
            matches!(key.decrypt(bad), Err(Ssev1Error::Malformed(_))),
            "{bad:?}"
        );
    }
}
