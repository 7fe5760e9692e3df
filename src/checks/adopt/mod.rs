//! Adopting oaslint on an existing API: ways to accept findings without fixing them
//! today. Suppressed findings are kept and marked, never dropped, so
//! `--show-suppressed`, SARIF `suppressions` and the summary line still account for them.
//!
//! - [`apply_inline`]: `x-oaslint-ignore` (and vacuum's and Zally's markers) in the
//!   documents; [`crate::checks::lint`] applies them. Marks [`SuppressionKind::InSource`].
//!
//! [`SuppressionKind::InSource`]: crate::finding::SuppressionKind::InSource

mod suppress;

pub use suppress::{
    IGNORE_KEY, UNUSED_SUPPRESSION, VACUUM_IGNORE_KEY, VACUUM_RULES, ZALLY_IGNORE_KEY, ZALLY_RULES, apply_inline,
    reconcile_unused, render_unused_suppression_page, unused_suppression_meta,
};
