//! Adopting oaslint on an existing API: the three ways to accept findings without fixing
//! them today. Suppressed findings are kept and marked, never dropped, so
//! `--show-suppressed`, SARIF `suppressions` and the summary line still account for them.
//!
//! - [`apply_inline`]: `x-oaslint-ignore` (and vacuum's and Zally's markers) in the
//!   documents; [`crate::checks::lint`] applies them. Marks [`SuppressionKind::InSource`].
//! - [`Overrides`]: the `.oaslint.yaml` `overrides:` section, by file, path or operation:
//!   severities, or `off` ([`SuppressionKind::External`]).
//! - [`Baseline`]: a file of accepted findings ([`SuppressionKind::External`], `baseline`).
//!
//! The order a run applies them in: inline (inside `lint`), then overrides (per root),
//! then, over the whole run's sorted findings, the baseline.
//!
//! [`SuppressionKind::InSource`]: crate::finding::SuppressionKind::InSource
//! [`SuppressionKind::External`]: crate::finding::SuppressionKind::External

mod baseline;
mod overrides;
mod suppress;

pub use baseline::{
    BASELINE_JUSTIFICATION, BASELINE_VERSION, Baseline, BaselineEntry, BaselineError, BaselineMatcher, BaselineOutcome,
    DEFAULT_BASELINE_FILE, is_baseline_suppression,
};
pub use overrides::{FilePattern, OperationPattern, Override, Overrides, PathPattern, RuleName};
pub use suppress::{
    IGNORE_KEY, UNUSED_SUPPRESSION, VACUUM_IGNORE_KEY, VACUUM_RULES, ZALLY_IGNORE_KEY, ZALLY_RULES, apply_inline,
    reconcile_unused, render_unused_suppression_page, unused_suppression_meta,
};
