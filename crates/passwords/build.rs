//! Records the build (target, profile, compiler version) for the system report.

use std::process::Command;

fn main() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let compiler = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    println!("cargo:rustc-env=PASSWORDS_BUILD_TARGET={}", var("TARGET"));
    println!("cargo:rustc-env=PASSWORDS_BUILD_PROFILE={}", var("PROFILE"));
    println!("cargo:rustc-env=PASSWORDS_BUILD_RUSTC={compiler}");
    println!("cargo:rerun-if-changed=build.rs");
}
