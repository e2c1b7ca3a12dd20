//! A progress bar for long runs, on a terminal only: nothing on a pipe, in a file or in CI.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Rows after which a run counts as long enough to show progress.
const SHOW_AFTER_ROWS: u64 = 10_000;

/// Progress through a file (by bytes, when its size is known) or through rows.
pub(crate) struct Progress {
    label: &'static str,
    total: Option<u64>,
    bar: Option<ProgressBar>,
    enabled: bool,
}

impl Progress {
    pub(crate) fn new(label: &'static str, total: Option<u64>) -> Progress {
        let enabled = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Progress {
            label,
            total,
            bar: None,
            enabled,
        }
    }

    /// Reports that `rows` rows are done and `position` (bytes or rows) reached.
    pub(crate) fn update(&mut self, rows: u64, position: u64) {
        if !self.enabled || !rows.is_multiple_of(1024) || rows < SHOW_AFTER_ROWS {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = match self.total {
                Some(total) => ProgressBar::new(total),
                None => ProgressBar::no_length(),
            };
            let template = if self.total.is_some() {
                "{msg} [{bar:30}] {percent}% ({eta} left)"
            } else {
                "{msg} {spinner} {pos} rows"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(self.label);
            bar
        });
        bar.set_position(position);
    }

    pub(crate) fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl crate::ops::import::Progress for Progress {
    fn update(&mut self, rows: u64, position: u64) {
        Progress::update(self, rows, position);
    }

    fn finish(&mut self) {
        Progress::finish(self);
    }
}

/// A spinner for a long step that cannot count its progress (a backup, rebuilding the file),
/// on a terminal only; it goes when dropped.
pub(crate) struct Spinner(Option<ProgressBar>);

impl Spinner {
    pub(crate) fn new(label: &'static str) -> Spinner {
        if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
            return Spinner(None);
        }
        let bar = ProgressBar::new_spinner();
        bar.set_message(label);
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Spinner(Some(bar))
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
