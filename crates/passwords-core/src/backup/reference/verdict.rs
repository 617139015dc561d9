//! The verdict on decryption failures, collected over the whole file so that the one sentence
//! says which key is wrong: the instance secret (no SSEv1r2 field decrypts), a user's keys
//! (none of theirs decrypts), or single damaged values.

use std::collections::BTreeMap;

use passwords_types::UserId;
use uuid::Uuid;

use crate::backup::BackupError;
use crate::crypto::ssev1::Ssev1Error;

/// Decryption failures, collected over the whole file so that the verdict can say which
/// key is wrong.
#[derive(Debug, Default)]
pub struct Failures {
    /// Per user: (fields decrypted, fields failed) for SSEv1r2 and SSEv1r1.
    by_user: BTreeMap<UserId, [[u64; 2]; 2]>,
    first: Option<(String, Ssev1Error)>,
    total: u64,
}

impl Failures {
    pub fn ok(&mut self, user: &UserId, r1: bool) {
        self.by_user.entry(user.clone()).or_default()[usize::from(r1)][0] += 1;
    }

    pub fn failed(
        &mut self,
        user: &UserId,
        r1: bool,
        kind: &str,
        revision: &Uuid,
        field: &str,
        e: Ssev1Error,
    ) {
        self.by_user.entry(user.clone()).or_default()[usize::from(r1)][1] += 1;
        self.total += 1;
        self.first.get_or_insert_with(|| {
            (
                format!("the field {field} of {kind} revision {revision}"),
                e,
            )
        });
    }

    /// The end: `Ok` if every field decrypted, else the one sentence that explains it best.
    pub fn verdict(&self) -> Result<(), BackupError> {
        let Some((place, error)) = &self.first else {
            return Ok(());
        };
        let [r2_ok, r2_failed] = self
            .by_user
            .values()
            .fold([0, 0], |[a, b], c| [a + c[0][0], b + c[0][1]]);
        if *error == Ssev1Error::Hmac && r2_failed > 0 && r2_ok == 0 {
            return Err(BackupError::Refused(
                "Wrong instance secret: no SSEv1r2 field of the backup can be decrypted with it \
                 (HMAC does not match); give the value of 'passwords.secret', or else 'secret', \
                 of the Nextcloud config.php with --instance-secret-file FILE"
                    .into(),
            ));
        }
        for (uid, [r2, r1]) in &self.by_user {
            for c in [r2, r1] {
                if c[1] > 0 && c[0] == 0 && *error == Ssev1Error::Hmac {
                    return Err(BackupError::Refused(format!(
                        "The SSEv1 keys of user '{uid}' in the backup do not match their data: \
                         none of their fields can be decrypted (HMAC does not match)"
                    )));
                }
            }
        }
        Err(BackupError::Invalid(format!(
            "The backup is damaged: {place} cannot be decrypted ({error}) although other \
             fields decrypt with the same keys; {} fields fail",
            self.total
        )))
    }
}
