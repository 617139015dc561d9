//! The system report (`passwords system report`): what this server is and how it is set up,
//! as JSON for bug reports (product spec §8, the reference's `passwords:system:report`).
//!
//! Sections, their order, the `debug` shortcut and `--basic` are the reference's
//! ([`select_sections`]). The values ([`model`]) describe this server and are read from it
//! (`sections.rs`): the build, the host, the database, the app settings, the data directory.
//! The report holds no secret (no key, no password, no URL with credentials) and is sent
//! nowhere. The backup and re-check jobs report their runs through the internal app settings
//! named here ([`AUTO_BACKUP_LAST_TIME`], [`AUTO_BACKUP_LAST_ERROR`],
//! [`SECURITY_CHECK_LAST_TIME`]).

mod json;
pub mod model;
mod sections;

use std::path::PathBuf;

use passwords_store::Store;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::error::{CoreError, CoreResult};
pub use model::Section;
pub use sections::{AUTO_BACKUP_LAST_ERROR, AUTO_BACKUP_LAST_TIME, SECURITY_CHECK_LAST_TIME};

/// Every section, in the order of the full report.
pub const SECTIONS: [&str; 8] = [
    "version",
    "environment",
    "services",
    "settings",
    "status",
    "apps",
    "sharing",
    "encryption",
];

/// What `debug` stands for (the report a bug report asks for).
pub const DEBUG_SECTIONS: [&str; 6] = [
    "version",
    "environment",
    "services",
    "status",
    "settings",
    "encryption",
];

/// What `--basic` limits the report to.
pub const BASIC_SECTIONS: [&str; 2] = ["version", "environment"];

/// Facts the binary knows and the library cannot see: its build and its configuration.
#[derive(Clone, Debug, Default)]
pub struct HostFacts {
    /// The version of this server, e.g. `0.1.0`.
    pub app_version: String,
    /// The build: program, version, target and compiler.
    pub build: String,
    /// `serve` has its own certificate (HTTPS without a proxy).
    pub tls: bool,
    /// Trusted reverse proxies are configured.
    pub trusted_proxies: bool,
    /// The data directory (backups live under it).
    pub data_dir: Option<PathBuf>,
}

/// Options of `system report`.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// Section names as given; unknown ones are ignored, `debug` stands for
    /// [`DEBUG_SECTIONS`]. Empty means every section (or [`BASIC_SECTIONS`] with `basic`).
    pub sections: Vec<String>,
    /// Only `version` and `environment`, unless sections are named.
    pub basic: bool,
    pub host: HostFacts,
}

/// The report: named sections in order.
#[derive(Debug)]
pub struct SystemReport {
    pub sections: Vec<(&'static str, Section)>,
}

impl SystemReport {
    /// Pretty JSON as the reference prints it (4 spaces, `\/`, `\uXXXX`), without a final
    /// newline. No section at all is `[]`, as PHP prints an empty array.
    pub fn to_json(&self) -> CoreResult<String> {
        json::to_php_json(self)
            .map_err(|e| CoreError::Internal(format!("cannot write the report: {e}")))
    }
}

impl Serialize for SystemReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.sections.is_empty() {
            return serializer.serialize_seq(Some(0))?.end();
        }
        let mut map = serializer.serialize_map(Some(self.sections.len()))?;
        for (name, section) in &self.sections {
            map.serialize_entry(name, section)?;
        }
        map.end()
    }
}

/// The sections to print, in order, for the given names and `--basic`: named sections win
/// over `--basic`; `debug` anywhere replaces the list with [`DEBUG_SECTIONS`]; unknown names
/// are dropped and repeated ones kept once.
pub fn select_sections(requested: &[String], basic: bool) -> Vec<&'static str> {
    if requested.is_empty() {
        return if basic {
            BASIC_SECTIONS.to_vec()
        } else {
            SECTIONS.to_vec()
        };
    }
    if requested.iter().any(|s| s == "debug") {
        return DEBUG_SECTIONS.to_vec();
    }
    let mut out: Vec<&'static str> = Vec::new();
    for name in requested {
        if let Some(known) = SECTIONS.iter().find(|s| **s == name.as_str()) {
            if !out.contains(known) {
                out.push(known);
            }
        }
    }
    out
}

/// Builds the report. Reads only; the database is asked only for what the chosen sections
/// need.
pub async fn system_report(store: &dyn Store, options: ReportOptions) -> CoreResult<SystemReport> {
    let names = select_sections(&options.sections, options.basic);
    let mut facts = sections::Facts::new(store, &options.host);
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        out.push((name, facts.section(name).await?));
    }
    Ok(SystemReport { sections: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn sections_are_chosen_as_the_reference_does() {
        assert_eq!(select_sections(&[], false), SECTIONS.to_vec());
        assert_eq!(select_sections(&[], true), BASIC_SECTIONS.to_vec());
        assert_eq!(
            select_sections(&names(&["sharing", "nope", "version", "sharing"]), true),
            vec!["sharing", "version"]
        );
        assert_eq!(
            select_sections(&names(&["apps", "debug"]), false),
            DEBUG_SECTIONS.to_vec()
        );
        assert!(select_sections(&names(&["nope", "Version"]), false).is_empty());
    }

    #[test]
    fn no_section_is_an_empty_array() {
        let report = SystemReport { sections: vec![] };
        assert_eq!(report.to_json().unwrap(), "[]");
    }
}
