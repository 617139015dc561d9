//! Progress of long admin work: a bar on a terminal (indicatif), nothing otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use passwords_core::backup::Progress;

/// A bar on stderr when stdout is a terminal; silent otherwise.
pub struct Bar(Option<ProgressBar>);

impl Bar {
    pub fn new() -> Self {
        Self::with_message("")
    }

    /// A bar that shows `message` before it.
    pub fn with_message(message: &'static str) -> Self {
        Self(std::io::stdout().is_terminal().then(|| {
            let bar = ProgressBar::hidden();
            bar.set_message(message);
            bar
        }))
    }

    /// Whether a bar is shown (stdout is a terminal).
    pub fn visible(&self) -> bool {
        self.0.is_some()
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        if let Some(bar) = &self.0 {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_length(total);
            bar.set_position(0);
            if let Ok(style) =
                ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} ({eta} left)")
            {
                bar.set_style(style);
            }
        }
    }

    fn advance(&self, steps: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(steps);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
