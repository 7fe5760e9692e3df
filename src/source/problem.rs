//! Problems with the input itself: a file that cannot be read, parsed or resolved, or that
//! was read leniently. They are findings like any other, under these ids; they are errors
//! and make the run exit with 2, except the warnings, which are set like rules.
//!
//! One table ([`input_problems!`]) declares each: its id, whether it is a warning, and its
//! summary; `oaslint rules`, the docs and every place that reports one read it from here.

use std::fmt;

/// Declare the input problems: `Variant => "id", warning|error, "summary";`.
macro_rules! input_problems {
    ($($variant:ident => $id:literal, $level:ident, $summary:literal;)*) => {
        /// A problem with the input document itself.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum InputProblem {
            $(#[doc = $summary] $variant,)*
        }

        impl InputProblem {
            /// Every input problem, sorted by id.
            pub const ALL: &'static [InputProblem] = &[$(InputProblem::$variant,)*];

            /// The stable id findings carry (`invalid-syntax`).
            pub const fn id(self) -> &'static str {
                match self {
                    $(InputProblem::$variant => $id,)*
                }
            }

            /// One line: what went wrong.
            pub const fn summary(self) -> &'static str {
                match self {
                    $(InputProblem::$variant => $summary,)*
                }
            }

            /// Whether it is a warning (the rest of the document is checked, and it is set
            /// like a rule) rather than an error (exit code 2).
            pub const fn is_warning(self) -> bool {
                match self {
                    $(InputProblem::$variant => input_problems!(@warning $level),)*
                }
            }
        }
    };
    (@warning warning) => { true };
    (@warning error) => { false };
}

input_problems! {
    AliasBomb => "alias-bomb", error, "YAML aliases would expand the document beyond the limit";
    CircularRef => "circular-ref", error, "`$ref`s lead back to themselves without reaching a definition";
    ControlCharacter => "control-character", warning, "A YAML file holds an unescaped C1 control character (U+0080 to U+009F, NEL aside), which is read as it is";
    DuplicateKey => "duplicate-key", error, "A mapping sets the same key twice";
    EmptyDocument => "empty-document", error, "The file is empty";
    GluedComment => "glued-comment", warning, "A YAML comment is glued to the quoted value before it (no space before `#`), and read as a comment";
    InvalidEncoding => "invalid-encoding", error, "The file is not UTF-8 text (invalid bytes, or a NUL byte)";
    InvalidSyntax => "invalid-syntax", error, "The file is not valid YAML or JSON";
    RefOutsideRoot => "ref-outside-root", error, "A `$ref` points outside the directories references may read";
    RemoteRef => "remote-ref", warning, "A `$ref` points to a remote URL, which is not fetched";
    TooDeep => "too-deep", error, "The document nests deeper than the limit";
    TooLarge => "too-large", error, "The file, a scalar in it, or its number of nodes is over the limit";
    TrailingComma => "trailing-comma", warning, "A JSON file has a comma before a closing bracket, which is read as if it were not there";
    UnreadableFile => "unreadable-file", error, "The file cannot be read";
    UnresolvedRef => "unresolved-ref", error, "A `$ref` names nothing: its value is not a string, or the file or node it points to does not exist";
    UnsupportedVersion => "unsupported-version", error, "The document declares an OpenAPI or Swagger version this tool does not know";
}

impl InputProblem {
    /// The problem with this id.
    pub fn from_id(id: &str) -> Option<InputProblem> {
        InputProblem::ALL.iter().copied().find(|problem| problem.id() == id)
    }

    /// The ids of the problems that are warnings.
    pub fn warnings() -> impl Iterator<Item = InputProblem> {
        InputProblem::ALL.iter().copied().filter(|problem| problem.is_warning())
    }
}

/// Whether `id` names an input problem that is a warning (`remote-ref`, `control-character`, `glued-comment`, `trailing-comma`).
pub fn is_input_warning(id: &str) -> bool {
    InputProblem::from_id(id).is_some_and(InputProblem::is_warning)
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::InputProblem;

    #[test]
    fn ids_are_sorted_unique_and_round_trip() {
        let ids: Vec<&str> = InputProblem::ALL.iter().map(|problem| problem.id()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
        for &problem in InputProblem::ALL {
            assert_eq!(InputProblem::from_id(problem.id()), Some(problem));
            assert!(!problem.summary().ends_with('.'), "{problem}");
        }
        let warnings: Vec<&str> = InputProblem::warnings().map(InputProblem::id).collect();
        assert_eq!(warnings, ["control-character", "glued-comment", "remote-ref", "trailing-comma"]);
    }
}
