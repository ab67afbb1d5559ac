//! The expressions of a flow: where they are ([`sites`]), what they can see
//! ([`context_for`]), their diagnostics ([`check`]), and the one under a cursor
//! ([`expression_at`], for the editor).
//!
//! CloudFlow: values of keys ending in `.$` at any depth of InputConstructor,
//! OutputConstructor, GlobalConstructor, ItemConstructor, Parameters and Catch
//! OutputConstructor, state fields such as `Seconds.$`, Choice `Condition` and Map
//! `ItemsPath`. Legacy: mapping `source`s that start with `$` (the others are constants),
//! choice `condition`, `serviceParams` values, foreach `iterationMapping.collection` and
//! wait `duration`/`timestamp` paths.
//!
//! One module per concern, since each is read for a different reason: `sites` finds them,
//! `inputs` infers what they can see, `checks` reports their problems (for `check`), and
//! `cursor` finds the one an editor points at. The public names are re-exported here, so
//! callers name `analysis::expressions::…` only.

mod checks;
mod cursor;
mod inputs;
mod sites;
#[cfg(test)]
mod tests;

pub(crate) use checks::check;
pub use checks::{code_of, looks_like_expression, to_diagnostic};
pub use cursor::{FoundExpression, expression_at, expression_with};
pub use inputs::{Leaders, context_for, context_with};
pub use sites::{Site, SiteKind, sites, sites_where, sites_within};
