//! Mends what typing leaves open in a flow document: see `RecoveringScanner`.

use super::{Culprit, Failure, FlowScanner, MAX_BLANKS};
use crate::syntax::layout::{Boundary, NeedsWhole, UnitKind};
use crate::syntax::text::SourceText;

/// A `FlowScanner` that mends what typing leaves open: when the unit in progress cannot end
/// (a quote or bracket not closed, a bracket closing nothing), it blanks the first culprit
/// with which the unit ends and scans on; the culprits are the errors of their units.
pub(crate) struct RecoveringScanner<'t> {
    text: &'t SourceText,
    scanner: FlowScanner<'t>,
    culprits: Vec<Culprit>,
    /// A `FlowRest` unit was handed out: nothing follows it.
    rest: bool,
}

impl<'t> RecoveringScanner<'t> {
    pub(crate) fn new(text: &'t SourceText, offset: u32, kind: UnitKind) -> RecoveringScanner<'t> {
        RecoveringScanner {
            text,
            scanner: FlowScanner::new(text, offset, kind),
            culprits: Vec::new(),
            rest: false,
        }
    }

    /// What was blanked so far, in the order of the text.
    pub(crate) fn culprits(&self) -> &[Culprit] {
        &self.culprits
    }

    pub(crate) fn next_boundary(&mut self) -> Result<Option<Boundary>, NeedsWhole> {
        if self.rest {
            return Ok(None);
        }
        match self.scanner.next_boundary() {
            Err(NeedsWhole) => self.mend_or_give_up(),
            done => done,
        }
    }

    /// Mends the unit in progress after the scan failed in it, or gives up on it: the rest
    /// of the document from it is one `FlowRest` unit (parsed only to confirm that the
    /// document is broken; if it is not, the whole document is parsed).
    fn mend_or_give_up(&mut self) -> Result<Option<Boundary>, NeedsWhole> {
        let mended = self.scanner.failure.take().and_then(|failure| self.mend(failure));
        if let Some(unit) = mended {
            return Ok(Some(unit));
        }
        let unit = self.scanner.current.ok_or(NeedsWhole)?;
        let in_list = matches!(unit.kind, UnitKind::FlowItem | UnitKind::FlowListEnd);
        let bracket = matches!(unit.kind, UnitKind::FlowListEnd | UnitKind::FlowEnd);
        if unit.kind == UnitKind::FlowPrelude {
            return Err(NeedsWhole);
        }
        self.rest = true;
        Ok(Some(Boundary { start: unit.start, kind: UnitKind::FlowRest { in_list, bracket } }))
    }

    fn mend(&mut self, failure: Failure) -> Option<Boundary> {
        if self.culprits.len() >= MAX_BLANKS {
            return None;
        }
        // The culprit is the one whose blank lets the unit end soonest: a quote typed and not
        // closed pairs with the next one and the unit runs on, and the scan may only stop far
        // away (often at the end); blanking an earlier quote that was closed pairs the later
        // ones differently and the unit runs on again. A bracket's blank must also let the
        // scan past where it stopped (an outer `{` blanked would end the unit early, at a
        // comma inside it). Each trial stops once it passes the best end so far.
        let mut best: Option<(Culprit, FlowScanner<'t>, Boundary)> = None;
        for (culprit, bracket) in failure.candidates {
            let mut blanks: Vec<u32> = self.culprits.iter().map(|c| c.at).collect();
            blanks.insert(blanks.partition_point(|&b| b < culprit.at), culprit.at);
            let mut trial =
                FlowScanner::with_blanks(self.text, failure.unit.start, failure.unit.kind, blanks);
            if let Some((_, best_trial, _)) = &best {
                trial.limit_to(best_trial.at.saturating_sub(1));
            }
            // The unit ends with this one blanked: the scan goes on from the next unit. It
            // must end before the end of the text, unless that is where the scan stopped:
            // the end stands for any brackets that are missing.
            if let Ok(Some(unit)) = trial.next_boundary()
                && (failure.at_end || trial.current.is_none_or(|c| c.kind != UnitKind::FlowUnclosed))
                && (!bracket || trial.at > failure.at)
            {
                best = Some((culprit, trial, unit));
            }
        }
        let (culprit, mut trial, unit) = best?;
        trial.limit_to(u32::MAX);
        self.culprits.insert(self.culprits.partition_point(|c| c.at < culprit.at), culprit);
        self.scanner = trial;
        Some(unit)
    }
}
