//! App settings (admin, `passwords config`), the user settings the server reads, and API
//! v1's scoped settings ([`scoped`]: `server.*`, `user.*`, `client.*`).
//!
//! Every app setting is declared once in [`registry`]: its dotted name, the reference's occ
//! names as aliases, its type, default and whether it can be written. Values are stored as
//! text in the `app_settings` table under the dotted name, normalised by the type.

mod app;
mod registry;
pub mod scoped;
mod user;

pub use app::{AppSettings, SettingValue, SettingsCache};
pub use registry::{lookup, registry, SettingDef, SettingType};
pub use user::UserSettings;
