//! Findings as LSP diagnostics: the rule id as `code`, its page as `codeDescription`, the
//! `$ref` chain as `relatedInformation`, `Unnecessary` on unused suppressions.

use std::path::Path;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString, Url,
};

use super::position::{Encoding, Positions};
use crate::checks::adopt::UNUSED_SUPPRESSION;
use crate::finding::{Finding, Severity, rule_doc_url};

/// What diagnostics name as their source.
pub const SOURCE: &str = "oaslint";

/// The diagnostic of one finding, located in its own file's text (the text that was linted).
pub fn diagnostic(finding: &Finding, encoding: Encoding) -> Diagnostic {
    let positions = Positions::of_file(&finding.primary.file, encoding);
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .filter_map(|related| {
            let uri = file_uri(&related.location.file.path)?;
            let range = Positions::of_file(&related.location.file, encoding).range(related.location.span);
            Some(DiagnosticRelatedInformation { location: Location { uri, range }, message: related.label.clone() })
        })
        .collect();
    let message = match &finding.help {
        Some(help) => format!("{}\nhelp: {help}", finding.message),
        None => finding.message.clone(),
    };
    Diagnostic {
        range: positions.range(finding.primary.span),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.clone())),
        code_description: Url::parse(&rule_doc_url(&finding.rule)).ok().map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: (finding.rule == UNUSED_SUPPRESSION).then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// The `file:` URI of an absolute path (`None` for a relative one, which names no file
/// an editor has).
pub fn file_uri(path: &Path) -> Option<Url> {
    Url::from_file_path(path).ok()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use lsp_types::{DiagnosticTag, NumberOrString, Position};

    use super::{Encoding, diagnostic};
    use crate::finding::{Category, Finding, Location, Related, Severity};
    use crate::source::{SourceFile, Span};

    #[test]
    fn a_finding_becomes_a_located_diagnostic_with_its_rule_and_chain() {
        let text = "paths:\n  /ä:\n    $ref: 'x.yaml'\n";
        let (mut file, _) = SourceFile::from_text("api.yaml", text);
        file.path = "/project/api.yaml".into();
        let file = Arc::new(file);
        let at = text.find("$ref").unwrap() as u32;
        let location = Location::new(Arc::clone(&file), Span::new(at, at + 4));
        let mut finding = Finding::new("no-body", Category::Rule, Severity::Warning, "m", location.clone(), "/".into())
            .with_help("remove it");
        finding.related = vec![Related { location, label: "referenced here".into() }];
        let diagnostic = diagnostic(&finding, Encoding::Utf16);
        assert_eq!(diagnostic.range.start, Position { line: 2, character: 4 });
        assert_eq!(diagnostic.code, Some(NumberOrString::String("no-body".into())));
        assert!(diagnostic.code_description.unwrap().href.as_str().ends_with("/docs/rules/no-body.md"));
        assert_eq!(diagnostic.message, "m\nhelp: remove it");
        let related = diagnostic.related_information.unwrap();
        assert_eq!(related[0].location.uri.as_str(), "file:///project/api.yaml");
        assert_eq!(diagnostic.tags, None);

        finding.rule = "unused-suppression".into();
        assert_eq!(super::diagnostic(&finding, Encoding::Utf8).tags, Some(vec![DiagnosticTag::UNNECESSARY]));
    }
}
