//! Rule ids as people write them, in one place: the ruleset's `checks`, the
//! configuration's `rules` and `overrides`, and `x-oaslint-ignore`. Each names what it
//! accepts ([`Accept`]); an id it does not know gets one message, with the nearest id.

use crate::checks::adopt::UNUSED_SUPPRESSION;
use crate::checks::ruleset::CHECK_IDS;
use crate::source::InputProblem;

/// Which ids a place accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accept {
    /// The checks (a ruleset's `checks`).
    Checks,
    /// Anything with a severity to set: the checks, `unused-suppression`, and the input
    /// problems that are warnings (`remote-ref`, `control-character`).
    Rules,
    /// The same, or `all` (overrides, `x-oaslint-ignore`).
    RulesOrAll,
}

/// The word for "every rule", where it is accepted.
pub const ALL: &str = "all";

/// The ids whose severity can be set and that can be suppressed, besides the checks.
pub fn adjustable_non_checks() -> impl Iterator<Item = &'static str> {
    std::iter::once(UNUSED_SUPPRESSION).chain(InputProblem::warnings().map(InputProblem::id))
}

/// Whether an id names a finding that configuration and inline ignores can adjust: a
/// check, `unused-suppression`, or an input warning. Input errors (a file that does not
/// parse, a broken `$ref`) cannot be: the run could not check everything.
pub fn is_adjustable(id: &str) -> bool {
    CHECK_IDS.contains(&id) || adjustable_non_checks().any(|known| known == id)
}

/// Read a rule id as `accept` allows it: the id as the tool spells it, or why not.
pub fn parse_rule_id(text: &str, accept: Accept) -> Result<&'static str, String> {
    let text = text.trim();
    let known: Vec<&'static str> = match accept {
        Accept::Checks => CHECK_IDS.to_vec(),
        Accept::Rules => CHECK_IDS.iter().copied().chain(adjustable_non_checks()).collect(),
        Accept::RulesOrAll => {
            std::iter::once(ALL).chain(CHECK_IDS.iter().copied()).chain(adjustable_non_checks()).collect()
        }
    };
    if let Some(id) = known.iter().copied().find(|id| *id == text) {
        return Ok(id);
    }
    if accept != Accept::Checks && InputProblem::from_id(text).is_some() {
        return Err(format!(
            "`{text}` is a problem with the input document (it could not be read, parsed or resolved), not a rule: \
             it cannot be turned off or suppressed"
        ));
    }
    let what = if accept == Accept::Checks { "check" } else { "rule" };
    let suggestion = closest(text, &known).map(|id| format!(" (did you mean `{id}`?)")).unwrap_or_default();
    Err(format!("unknown {what} `{}`{suggestion}; `oaslint rules` lists them", shorten(text)))
}

/// At most 60 characters of what was written, on one line: a message quotes no more.
fn shorten(text: &str) -> String {
    let line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    match line.char_indices().nth(60) {
        Some((at, _)) => format!("{}...", line.get(..at).unwrap_or("")),
        None => line,
    }
}

/// The candidate nearest to `word` by edit distance, when it is near enough to be a typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .iter()
        .map(|&candidate| (edit_distance(word, candidate), candidate))
        .filter(|&(distance, _)| distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let deletion = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insertion = current.get(j).copied().unwrap_or(0) + 1;
            current.push(substitution.min(deletion).min(insertion));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::{Accept, parse_rule_id};

    #[test]
    fn one_reading_of_rule_ids() {
        assert_eq!(parse_rule_id("no-body", Accept::Checks), Ok("no-body"));
        assert_eq!(parse_rule_id(" no-body ", Accept::Rules), Ok("no-body"));
        assert_eq!(parse_rule_id("remote-ref", Accept::Rules), Ok("remote-ref"));
        assert_eq!(parse_rule_id("unused-suppression", Accept::RulesOrAll), Ok("unused-suppression"));
        assert_eq!(parse_rule_id("all", Accept::RulesOrAll), Ok("all"));
        assert!(parse_rule_id("all", Accept::Rules).is_err());
        assert!(parse_rule_id("remote-ref", Accept::Checks).is_err_and(|err| err.starts_with("unknown check")));
        let typo = parse_rule_id("no-bdy", Accept::Rules);
        assert_eq!(typo, Err("unknown rule `no-bdy` (did you mean `no-body`?); `oaslint rules` lists them".to_owned()));
        assert!(parse_rule_id("invalid-syntax", Accept::RulesOrAll).is_err_and(|err| err.contains("not a rule")));
        let long = "x".repeat(500);
        assert!(parse_rule_id(&long, Accept::Rules).is_err_and(|err| err.len() < 200));
    }
}
