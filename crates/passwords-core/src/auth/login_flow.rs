//! Nextcloud's Login Flows, the way the mobile apps get an app password: the user signs in
//! with the login password on a page of this server, which mints an app password named after
//! the client and hands it to the app (v1: in an `nc://login/…` redirect; v2: to the app's
//! poll of a random token).
//!
//! Pending v2 flows live in memory, per server process, for [`FLOW_LIFETIME`] (Nextcloud's
//! 20 minutes); a granted flow is handed out once and forgotten. At most [`MAX_FLOWS`] wait at
//! a time, so unauthenticated starts cannot fill the memory.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use passwords_store::Store;
use passwords_types::UserId;
use rand::Rng;
use zeroize::Zeroizing;

use super::{Authenticator, LoginKind};
use crate::admin::tokens::{add_token, AddTokenOptions, NewToken};
use crate::crypto::InstanceKey;
use crate::error::{CoreError, CoreResult};

/// How long a started v2 flow can be granted and polled.
pub const FLOW_LIFETIME: Duration = Duration::from_secs(20 * 60);
/// Pending flows kept at most.
pub const MAX_FLOWS: usize = 10_000;
/// Characters of the poll and login tokens (Nextcloud's length), about 760 bits.
const TOKEN_LEN: usize = 128;
/// Names tried for a client's app password: `name`, `name (2)`, … `name (100)`.
const MAX_NAME_TRIES: usize = 100;
/// Bytes of the client's name kept in an app password's name.
const MAX_BASE_LEN: usize = 240;

/// The two secrets of a started v2 flow.
pub struct StartedFlow {
    /// What the app polls with; never shown to the browser.
    pub poll_token: String,
    /// The part of the page address the user opens.
    pub login_token: String,
}

/// The credentials a granted flow hands to the app.
pub struct GrantedLogin {
    pub uid: UserId,
    pub app_password: Zeroizing<String>,
}

struct Flow {
    login_token: String,
    client: String,
    started: Instant,
    granted: Option<GrantedLogin>,
}

impl Flow {
    fn expired(&self, now: Instant) -> bool {
        now.duration_since(self.started) >= FLOW_LIFETIME
    }
}

/// The flows, by poll token, and the login tokens of those that can still be granted.
#[derive(Default)]
struct Pending {
    flows: HashMap<String, Flow>,
    logins: HashMap<String, String>,
}

impl Pending {
    /// The flow of `login_token` if it waits for a sign-in.
    fn waiting(&mut self, login_token: &str, now: Instant) -> Option<&mut Flow> {
        let poll_token = self.logins.get(login_token)?;
        self.flows
            .get_mut(poll_token)
            .filter(|f| f.granted.is_none() && !f.expired(now))
    }
}

/// The pending v2 flows of this process. Cheap to clone; clones share the flows.
#[derive(Clone, Default)]
pub struct LoginFlows {
    pending: Arc<Mutex<Pending>>,
}

impl LoginFlows {
    /// Starts a flow for `client` (the name the app password will get).
    /// [`CoreError::RateLimited`] when [`MAX_FLOWS`] are pending.
    pub fn start(&self, client: &str) -> CoreResult<StartedFlow> {
        self.start_at(client, Instant::now())
    }

    fn start_at(&self, client: &str, now: Instant) -> CoreResult<StartedFlow> {
        let mut p = self.lock();
        // Expired flows go here (a granted one holds an app password until then).
        p.flows.retain(|_, f| !f.expired(now));
        let Pending { flows, logins } = &mut *p;
        logins.retain(|_, poll| flows.contains_key(poll));
        if flows.len() >= MAX_FLOWS {
            return Err(CoreError::RateLimited { retry_after: 60 });
        }
        let started = StartedFlow {
            poll_token: random_token(),
            login_token: random_token(),
        };
        logins.insert(started.login_token.clone(), started.poll_token.clone());
        flows.insert(
            started.poll_token.clone(),
            Flow {
                login_token: started.login_token.clone(),
                client: client.to_owned(),
                started: now,
                granted: None,
            },
        );
        Ok(started)
    }

    /// The client of a flow that can still be granted, by its login token.
    pub fn client(&self, login_token: &str) -> Option<String> {
        let mut p = self.lock();
        p.waiting(login_token, Instant::now())
            .map(|f| f.client.clone())
    }

    /// Records the app password of a flow; false when the flow is unknown, expired or granted.
    fn grant(&self, login_token: &str, login: GrantedLogin) -> bool {
        let mut p = self.lock();
        let Some(flow) = p.waiting(login_token, Instant::now()) else {
            return false;
        };
        flow.granted = Some(login);
        p.logins.remove(login_token);
        true
    }

    /// The credentials of a granted flow, once; `None` while it waits, or when it is unknown
    /// or expired.
    pub fn poll(&self, poll_token: &str) -> Option<GrantedLogin> {
        self.poll_at(poll_token, Instant::now())
    }

    fn poll_at(&self, poll_token: &str, now: Instant) -> Option<GrantedLogin> {
        let mut p = self.lock();
        let flow = p.flows.get(poll_token)?;
        if flow.granted.is_none() && !flow.expired(now) {
            return None;
        }
        let flow = p.flows.remove(poll_token)?;
        p.logins.remove(&flow.login_token);
        let expired = flow.expired(now);
        flow.granted.filter(|_| !expired)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What a sign-in on a login page gets.
pub struct SignIn<'a> {
    pub login: &'a str,
    pub password: &'a str,
    pub ip: IpAddr,
    /// The name of the app password to mint (made unique among the user's).
    pub client: &'a str,
}

/// Checks the login password (throttled like every login; an app password is refused) and
/// mints an app password for `sign_in.client`.
pub async fn sign_in(
    store: &dyn Store,
    instance: &InstanceKey,
    auth: &Authenticator,
    sign_in: SignIn<'_>,
) -> CoreResult<NewToken> {
    let principal = auth
        .authenticate(store, sign_in.login, sign_in.password, sign_in.ip)
        .await?;
    if principal.kind != LoginKind::Password {
        return Err(CoreError::InvalidInput(
            "Sign in with your login password, not an app password".into(),
        ));
    }
    mint(store, instance, &principal.uid, sign_in.client).await
}

/// [`sign_in`] for the v2 flow of `login_token`: the app's next poll gets the app password.
/// [`CoreError::NotFound`] when the flow is unknown or expired (checked before and after the
/// password, so a flow that expires meanwhile leaves no app password behind).
pub async fn grant(
    store: &dyn Store,
    instance: &InstanceKey,
    auth: &Authenticator,
    flows: &LoginFlows,
    login_token: &str,
    sign_in_with: SignIn<'_>,
) -> CoreResult<UserId> {
    if flows.client(login_token).is_none() {
        return Err(CoreError::NotFound);
    }
    let token = sign_in(store, instance, auth, sign_in_with).await?;
    let uid = token.record.uid.clone();
    let granted = GrantedLogin {
        uid: uid.clone(),
        app_password: token.token,
    };
    if !flows.grant(login_token, granted) {
        // Revoke what nobody can collect any more.
        let _ = crate::admin::tokens::revoke_token(store, &uid, &token.record.name).await;
        return Err(CoreError::NotFound);
    }
    Ok(uid)
}

/// A new app password named `client`, or `client (2)`, `client (3)` … if taken.
async fn mint(
    store: &dyn Store,
    instance: &InstanceKey,
    uid: &UserId,
    client: &str,
) -> CoreResult<NewToken> {
    let base = client.trim();
    let base = if base.is_empty() { "Login flow" } else { base };
    // Room for " (100)" within the 256 bytes a name may have.
    let mut end = base.len().min(MAX_BASE_LEN);
    while !base.is_char_boundary(end) {
        end -= 1;
    }
    let base = &base[..end];
    for n in 1..=MAX_NAME_TRIES {
        let name = if n == 1 {
            base.to_owned()
        } else {
            format!("{base} ({n})")
        };
        let options = AddTokenOptions {
            uid: uid.clone(),
            name,
        };
        match add_token(store, instance, options).await {
            Err(CoreError::Conflict(_)) => continue,
            other => return other,
        }
    }
    Err(CoreError::Conflict(format!(
        "The user \"{uid}\" has too many app passwords named \"{base}\""
    )))
}

fn random_token() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rngs::OsRng;
    (0..TOKEN_LEN)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn granted(uid: &str) -> GrantedLogin {
        GrantedLogin {
            uid: UserId::parse(uid).unwrap(),
            app_password: Zeroizing::new("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE".into()),
        }
    }

    #[test]
    fn a_flow_is_granted_once_and_polled_once() {
        let flows = LoginFlows::default();
        let f = flows.start("Phone").unwrap();
        assert_eq!(f.poll_token.len(), TOKEN_LEN);
        assert_ne!(f.poll_token, f.login_token);
        assert_eq!(flows.client(&f.login_token).as_deref(), Some("Phone"));
        assert!(
            flows.client(&f.poll_token).is_none(),
            "the poll token is no login token"
        );
        assert!(flows.poll(&f.poll_token).is_none(), "waiting");
        assert!(flows.grant(&f.login_token, granted("alice")));
        assert!(
            !flows.grant(&f.login_token, granted("bob")),
            "granted already"
        );
        assert!(flows.client(&f.login_token).is_none());
        let got = flows.poll(&f.poll_token).unwrap();
        assert_eq!(got.uid.as_str(), "alice");
        assert!(flows.poll(&f.poll_token).is_none(), "handed out once");
    }

    #[test]
    fn flows_expire() {
        let flows = LoginFlows::default();
        let start = Instant::now();
        let f = flows.start_at("Phone", start).unwrap();
        assert!(flows.grant(&f.login_token, granted("alice")));
        assert!(flows
            .poll_at(&f.poll_token, start + FLOW_LIFETIME)
            .is_none());
        assert!(flows.poll_at(&f.poll_token, start).is_none(), "removed");
    }

    #[test]
    fn pending_flows_are_bounded() {
        let flows = LoginFlows::default();
        let start = Instant::now();
        for _ in 0..MAX_FLOWS {
            flows.start_at("x", start).unwrap();
        }
        assert!(matches!(
            flows.start_at("x", start + Duration::from_secs(1)),
            Err(CoreError::RateLimited { .. })
        ));
        // Once the old ones expired, they make room.
        flows.start_at("x", start + FLOW_LIFETIME).unwrap();
        assert_eq!(flows.lock().flows.len(), 1);
    }
}
