//! Confirmations of the destructive admin commands (`backup restore`, `user delete`,
//! `user move`), as the reference's occ commands do them: the `--no-interaction` flag, the
//! terminal guard (exit 107) and prompts that accept only `yes`.

use std::fmt;
use std::io::{self, BufRead, IsTerminal, Write};

/// Exit code of a command that needs a terminal or `--no-interaction` and got neither.
pub const EXIT_NOT_INTERACTIVE: u8 = 107;

/// Ends a command with a given exit code. Its message (if any) has been printed already or
/// is printed by `main` as the error line.
#[derive(Debug)]
pub struct Exit {
    pub code: u8,
    pub message: Option<String>,
}

impl Exit {
    /// Exit `code` with `message` printed on stderr by `main`.
    pub fn with_message(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: Some(message.into()),
        }
    }

    /// Exit `code`; everything was printed already.
    pub fn silent(code: u8) -> Self {
        Self {
            code,
            message: None,
        }
    }
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) => f.write_str(m),
            None => write!(f, "exit code {}", self.code),
        }
    }
}

impl std::error::Error for Exit {}

/// Prints `aborting` and ends the command with its "declined" exit code.
pub fn declined(code: u8) -> anyhow::Error {
    println!("aborting");
    Exit::silent(code).into()
}

/// The questions of one command run.
pub struct Prompter {
    assume_yes: bool,
}

impl Prompter {
    /// The guard every confirming command runs first: with `--no-interaction` every question
    /// is answered "yes"; without it, standard input must be a terminal (else exit 107,
    /// before anything happens).
    pub fn start(no_interaction: bool) -> anyhow::Result<Self> {
        if no_interaction {
            println!("\"--no-interaction\" is set, will assume yes for all questions.");
            println!();
            return Ok(Self { assume_yes: true });
        }
        if !io::stdin().is_terminal() {
            return Err(Exit::with_message(
                EXIT_NOT_INTERACTIVE,
                "Interactive command requires \"--no-interaction\" to be set to run in \
                 non-interactive shell",
            )
            .into());
        }
        Ok(Self { assume_yes: false })
    }

    /// Whether answers come from a person (false with `--no-interaction`).
    pub fn interactive(&self) -> bool {
        !self.assume_yes
    }

    /// `❗❗❗ description ❗❗❗`, then `Type "yes" to confirm this: `; true only for `yes`.
    pub fn confirm(&self, description: &str) -> io::Result<bool> {
        println!("❗❗❗ {description} ❗❗❗");
        if self.assume_yes {
            println!();
            return Ok(true);
        }
        let answer = self.ask("Type \"yes\" to confirm this: ")?;
        println!();
        Ok(answer.trim() == "yes")
    }

    /// Prints `question` and reads one line (empty at end of input).
    pub fn ask(&self, question: &str) -> io::Result<String> {
        print!("{question}");
        io::stdout().flush()?;
        let mut line = String::new();
        io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
