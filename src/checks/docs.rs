//! Rule documentation, generated from each check's declaration: `docs/rules/<id>.md`,
//! `oaslint explain`, and the help text of SARIF rule descriptors.

use std::fmt::Write as _;

use super::ruleset::{BUILTIN_NAMES, Ruleset};
use super::{CHECKS, Check, InputProblem, input_problem_details};
use crate::finding::{Applicability, Severity, input_severity};

/// The page `oaslint explain ID` prints (Markdown): a check's, `unused-suppression`'s or
/// an input problem's; `None` for an unknown id.
pub fn page(id: &str) -> Option<String> {
    if let Some(check) = super::check(id) {
        return Some(render(check));
    }
    if id == super::adopt::UNUSED_SUPPRESSION {
        return Some(super::adopt::render_unused_suppression_page());
    }
    InputProblem::from_id(id).map(render_input_problem)
}

/// The Markdown page of a check.
pub fn render(check: &dyn Check) -> String {
    let meta = check.meta();
    let mut page = String::new();
    let _ = writeln!(page, "# `{}`\n\n{}.\n", meta.id, meta.summary);
    let _ = writeln!(page, "- Default severity: **{}**", meta.default_severity);
    let severities: Vec<String> = BUILTIN_NAMES
        .iter()
        .filter_map(|&name| {
            let ruleset = Ruleset::builtin(name).ok()?;
            let level = ruleset.severity(meta.id).map_or("off", |severity| severity.as_str());
            Some(format!("`{name}`: {level}"))
        })
        .collect();
    let _ = writeln!(page, "- In the built-in rulesets: {}", severities.join(", "));
    let fix = match meta.fix {
        Some(fix) if fix.applicability == Applicability::Safe => {
            format!("**safe**: {} (`oaslint lint --fix`)", fix.does)
        }
        Some(fix) => format!(
            "**unsafe**: {}; it changes the API's contract, so it is applied only with `--fix --unsafe-fixes`",
            fix.does
        ),
        None => "none".to_owned(),
    };
    let _ = writeln!(page, "- Fix: {fix}\n");
    page.push_str(&meta.docs_markdown());
    let notes: Vec<(String, Vec<String>)> = BUILTIN_NAMES
        .iter()
        .filter_map(|&name| Ruleset::builtin(name).ok())
        .map(|ruleset| {
            let mut notes = check.ruleset_notes(&ruleset);
            if let Some(citation) = ruleset.citation(meta.id) {
                notes.push(format!("cites {citation}"));
            }
            (ruleset.name().to_owned(), notes)
        })
        .filter(|(_, notes)| !notes.is_empty())
        .collect();
    if !notes.is_empty() {
        page.push_str("\n## What each built-in ruleset asks\n\n");
        for (name, lines) in notes {
            let _ = writeln!(page, "- `{name}`: {}", lines.join("; "));
        }
    }
    let _ = writeln!(page, "\n## Configuration\n");
    let _ = writeln!(
        page,
        "Set the severity in a ruleset (`checks: {{{}: warning}}`, or `off`), or in `.oaslint.yaml`; \
         suppress one finding with `x-oaslint-ignore: [{}]` on the node. See the README.",
        meta.id, meta.id
    );
    page
}

/// The page listing the input problems (they have no check of their own).
pub fn render_input_problems() -> String {
    let mut page = String::from("# Input problems\n\nFindings about the document itself rather than its API design. ");
    page.push_str(&input_severity_sentence());
    page.push_str("\n\n| id | severity | meaning |\n|---|---|---|\n");
    for &problem in InputProblem::ALL {
        let (id, summary) = (problem.id(), problem.summary());
        let _ = writeln!(page, "| [`{id}`]({id}.md) | {} | {summary}. |", input_severity(problem));
    }
    page
}

/// The page of one input problem: `docs/rules/<id>.md` and `oaslint explain <id>`.
pub fn render_input_problem(problem: InputProblem) -> String {
    let (id, summary) = (problem.id(), problem.summary());
    let severity_text;
    let severity = if input_severity(problem) == Severity::Warning {
        severity_text = format!(
            "It is reported as a warning: the rest of the document is still checked, and it does not make \
             `oaslint lint` exit with 2. Like a rule, it can be set to another severity or turned off in the \
             configuration (`rules: {{{id}: off}}`, or per file in `overrides`), and suppressed where it \
             occurs (`x-oaslint-ignore: [{id}]`); raised to `error`, it fails the run with exit code 1."
        );
        severity_text.as_str()
    } else {
        "It is reported as an error and makes `oaslint lint` exit with 2, since the document could not be \
         checked fully."
    };
    let mut page = format!(
        "# `{id}`\n\n{summary}.\n\nA problem with the input document itself rather than its API design \
         ([all of them](input-problems.md)). {severity}\n"
    );
    if let Some(details) = input_problem_details(problem) {
        page.push('\n');
        page.push_str(details);
    }
    page
}

/// docs/rulesets.md with its checks table (between its markers) made from the declarations.
pub fn with_checks_table(markdown: &str) -> Option<String> {
    const START: &str = "<!-- generated from each check's declaration: OASLINT_BLESS=1 cargo test docs_are_fresh -->\n";
    const END: &str = "<!-- end of generated checks table -->";
    let start = markdown.find(START)? + START.len();
    let end = start + markdown.get(start..)?.find(END)?;
    let mut table = String::from("| check | default | reads |\n|---|---|---|\n");
    for check in CHECKS {
        let meta = check.meta();
        let _ = writeln!(table, "| `{}` | {} | {} |", meta.id, meta.default_severity, meta.reads);
    }
    Some(format!("{}{table}{}", markdown.get(..start)?, markdown.get(end..)?))
}

/// The ruleset schema with its `checks` properties (one line per check) made from the
/// declarations.
pub fn with_schema_checks(schema: &str) -> Option<String> {
    let checks = schema.find("\"checks\": {")?;
    let open = checks + schema.get(checks..)?.find("\"properties\": {\n")? + "\"properties\": {\n".len();
    let close = open + schema.get(open..)?.find("\n      }")?;
    let indent = "        ";
    let lines: Vec<String> = CHECKS
        .iter()
        .map(|check| format!("{indent}\"{}\": {{ \"$ref\": \"#/$defs/level\" }}", check.meta().id))
        .collect();
    Some(format!("{}{}{}", schema.get(..open)?, lines.join(",\n"), schema.get(close..)?))
}

/// Which input problems are errors and which warnings, and what that means for the exit code.
fn input_severity_sentence() -> String {
    let warnings: Vec<String> = InputProblem::warnings().map(|problem| format!("`{problem}`")).collect();
    format!(
        "Each is an error and makes `oaslint lint` exit with 2, since the document could not be checked \
         fully, except {}, which are warnings: the rest of the document is still checked.",
        warnings.join(" and ")
    )
}

/// The index of all rules.
pub fn render_index() -> String {
    let mut page = String::from("# Rules\n\n| rule | default severity | fix | what it checks |\n|---|---|---|---|\n");
    for check in CHECKS {
        let meta = check.meta();
        let fix = meta.fix.map_or("", |fix| fix.label());
        let _ = writeln!(
            page,
            "| [`{id}`]({id}.md) | {} | {fix} | {}. |",
            meta.default_severity,
            meta.summary,
            id = meta.id
        );
    }
    // Not a check (rulesets do not set it), but a rule findings are reported under.
    let unused = super::adopt::unused_suppression_meta();
    let _ =
        writeln!(page, "| [`{id}`]({id}.md) | {} | | {}. |", unused.default_severity, unused.summary, id = unused.id);
    page.push_str(
        "\nA `safe` fix changes documentation only (`oaslint lint --fix`); an `unsafe` one changes the API's \
         contract and is applied only with `--fix --unsafe-fixes`. See the README's \
         [Fixing findings](../../README.md#fixing-findings---fix---unsafe-fixes---diff).\n",
    );
    page.push_str("\nProblems with the input itself (unparsable files, broken `$ref`s) are listed in [input-problems.md](input-problems.md).\n");
    page
}

/// The `## Example` section's two YAML documents: the bad one, then the one after
/// "Use instead:". Also the ruleset the example names ("With the `ed-fi` ruleset"), if any.
pub fn examples(docs: &str) -> (Option<String>, Option<String>, Option<String>) {
    let section = docs.split("## Example").nth(1).unwrap_or("");
    let ruleset = section.split("With the `").nth(1).and_then(|rest| rest.split('`').next()).map(str::to_owned);
    let mut blocks = section.split("```yaml").skip(1).filter_map(|block| block.split("```").next());
    let bad = blocks.next().map(strip_doc_prefix);
    let good = blocks.next().map(strip_doc_prefix);
    (bad, good, ruleset)
}

fn strip_doc_prefix(block: &str) -> String {
    block.lines().map(|line| line.strip_prefix(' ').unwrap_or(line)).collect::<Vec<_>>().join("\n").trim().to_owned()
        + "\n"
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::checks::test_support::lint_text;

    use super::{CHECKS, InputProblem, examples, render, render_index, render_input_problem, render_input_problems};

    /// `docs/rules/` is generated; set `OASLINT_BLESS=1` to rewrite it.
    #[test]
    fn docs_are_fresh() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
        let mut pages: Vec<(String, String)> =
            CHECKS.iter().map(|check| (format!("{}.md", check.meta().id), render(*check))).collect();
        pages.push(("input-problems.md".to_owned(), render_input_problems()));
        pages.extend(InputProblem::ALL.iter().map(|&problem| (format!("{problem}.md"), render_input_problem(problem))));
        pages.push(("README.md".to_owned(), render_index()));
        let bless = std::env::var_os("OASLINT_BLESS").is_some();
        let mut stale = Vec::new();
        for (name, page) in pages {
            let path = dir.join(&name);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
                if bless {
                    std::fs::create_dir_all(&dir).unwrap_or_else(|err| panic!("{err}"));
                    std::fs::write(&path, page).unwrap_or_else(|err| panic!("{err}"));
                } else {
                    stale.push(name);
                }
            }
        }
        assert!(stale.is_empty(), "stale docs (run `OASLINT_BLESS=1 cargo test docs_are_fresh`): {stale:?}");
    }

    /// The checks table of docs/rulesets.md and the `checks` block of the ruleset schema
    /// are generated from the declarations, like the rule pages.
    #[test]
    fn ruleset_docs_are_fresh() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let bless = std::env::var_os("OASLINT_BLESS").is_some();
        let mut stale = Vec::new();
        for (file, render) in [
            ("docs/rulesets.md", super::with_checks_table as fn(&str) -> Option<String>),
            ("rules/ruleset.schema.json", super::with_schema_checks),
        ] {
            let path = root.join(file);
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let fresh = render(&text).unwrap_or_else(|| panic!("{file}: the generated part's markers are missing"));
            if fresh != text {
                if bless {
                    std::fs::write(&path, fresh).unwrap_or_else(|err| panic!("{err}"));
                } else {
                    stale.push(file);
                }
            }
        }
        assert!(stale.is_empty(), "stale (run `OASLINT_BLESS=1 cargo test docs_are_fresh`): {stale:?}");
    }

    /// Each page's bad example triggers its check and the good one does not.
    #[test]
    fn doc_examples_behave() {
        for check in CHECKS {
            let meta = check.meta();
            let (bad, good, ruleset) = examples(meta.docs);
            let ruleset = ruleset.as_deref().unwrap_or("recommended");
            let bad = bad.unwrap_or_else(|| panic!("{}: no bad example", meta.id));
            let good = good.unwrap_or_else(|| panic!("{}: no good example after `Use instead:`", meta.id));
            assert!(!lint_text(meta.id, ruleset, &bad).is_empty(), "{}: the bad example passes", meta.id);
            let found = lint_text(meta.id, ruleset, &good);
            assert!(found.is_empty(), "{}: the good example fails: {found:?}", meta.id);
        }
    }
}
