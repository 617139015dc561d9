//! The reference's occ command names as aliases: `user:delete` → `user delete`,
//! `passwords:backup:create` → `backup create`.
//!
//! Clap aliases name one level of subcommands, and these names span two, so the first
//! command word of the arguments is split at its colons before clap sees it, when it names
//! a command group of this binary. Nothing else changes.

use std::ffi::OsString;

use clap::CommandFactory;

use crate::cli::Cli;

/// The arguments with an occ-style first command word split into subcommand words.
pub fn expand(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let command = Cli::command();
    // Global options that take a value, so that their value is not taken for a command.
    let valued: Vec<String> = command
        .get_arguments()
        .filter(|a| a.get_action().takes_values())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect();
    let groups: Vec<&str> = command
        .get_subcommands()
        .filter(|c| c.has_subcommands())
        .map(|c| c.get_name())
        .collect();

    let mut args: Vec<OsString> = args.into_iter().collect();
    let mut i = 1;
    while i < args.len() {
        let Some(word) = args[i].to_str() else {
            return args;
        };
        if word == "--" {
            return args;
        }
        if word.starts_with('-') {
            i += if valued.iter().any(|v| v == word) {
                2
            } else {
                1
            };
            continue;
        }
        let name = word.strip_prefix("passwords:").unwrap_or(word);
        let parts: Vec<&str> = name.split(':').collect();
        if parts.len() > 1 && groups.contains(&parts[0]) && parts.iter().all(|p| !p.is_empty()) {
            let parts: Vec<OsString> = parts.into_iter().map(OsString::from).collect();
            args.splice(i..=i, parts);
        }
        return args;
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> String {
        let args = line.split(' ').map(OsString::from);
        let out: Vec<String> = expand(args)
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect();
        out.join(" ")
    }

    #[test]
    fn occ_names_become_subcommands() {
        assert_eq!(
            run("passwords user:delete bob -n"),
            "passwords user delete bob -n"
        );
        assert_eq!(
            run("passwords passwords:user:move a b"),
            "passwords user move a b"
        );
        assert_eq!(
            run("passwords --data-dir d:x --database-url=sqlite://x system:report debug"),
            "passwords --data-dir d:x --database-url=sqlite://x system report debug"
        );
        assert_eq!(
            run("passwords --config a:b user:delete x:y"),
            "passwords --config a:b user delete x:y"
        );
    }

    #[test]
    fn other_words_stay() {
        for line in [
            "passwords user delete a:b",
            "passwords nope:delete x",
            "passwords serve",
            "passwords user:",
            "passwords -- user:delete",
        ] {
            assert_eq!(run(line), line);
        }
    }
}
