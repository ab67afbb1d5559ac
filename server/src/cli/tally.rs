//! What `fdl check` counts: diagnostics by severity and files, for the summary line and
//! the exit status.

use crate::analysis::{Diagnostic, Severity};

/// Counts for the summary line and the exit status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub hints: usize,
    /// Files analysed.
    pub files: usize,
    /// Files that could not be read (missing, binary, too big, ...).
    pub unreadable: usize,
}

impl Tally {
    pub fn add(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Information => self.notes += 1,
                Severity::Hint => self.hints += 1,
            }
        }
    }
}
