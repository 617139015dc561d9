//! What the in-process router tests share: a server state on a fresh SQLite database with
//! one account (`alice`, login password `pw`, one app password), and requests from a chosen
//! peer address.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use axum::Router;
use passwords_breach::NoneProvider;
use passwords_core::admin::accounts::{add_account, AddAccountOptions};
use passwords_core::admin::tokens::{add_token, AddTokenOptions};
use passwords_core::auth::{AuthOptions, Authenticator, PasswordHasher, ThrottleLimits};
use passwords_core::crypto::{InstanceKey, SecretKey};
use passwords_core::keys::KeyRing;
use passwords_core::settings::SettingsCache;
use passwords_core::vault::Vault;
use passwords_server::{AppState, ServerOptions};
use passwords_store::Store;
use passwords_types::UserId;
use tower::ServiceExt;

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub state: AppState,
    pub token: String,
}

pub async fn fixture(options: ServerOptions, limits: ThrottleLimits) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let store: Arc<dyn Store> = Arc::new(passwords_store_sql::connect(&url).await.unwrap());
    let instance = Arc::new(InstanceKey::from_key(&SecretKey::random()));
    let keys = KeyRing::new(instance.clone());
    let hasher = PasswordHasher::new();
    let uid = UserId::parse("alice").unwrap();
    let opts = AddAccountOptions {
        uid: uid.clone(),
        display_name: None,
        password: Some(zeroize::Zeroizing::new("pw".into())),
    };
    add_account(&*store, &keys, &hasher, opts).await.unwrap();
    let token = add_token(
        &*store,
        &instance,
        AddTokenOptions {
            uid,
            name: "test".into(),
        },
    )
    .await
    .unwrap()
    .token
    .to_string();
    let auth = Authenticator::new(
        instance,
        hasher,
        AuthOptions {
            limits,
            cache_ttl: std::time::Duration::ZERO,
        },
    );
    let vault = Vault::new(store, keys, Arc::new(NoneProvider));
    let state = AppState::new(
        vault,
        auth,
        SettingsCache::new(std::time::Duration::from_millis(0)),
        options,
    );
    Fixture {
        _dir: dir,
        state,
        token,
    }
}

pub fn from(app: Router, peer: [u8; 4]) -> Router {
    app.layer(MockConnectInfo(SocketAddr::from((peer, 40000))))
}

pub async fn call(app: Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}
