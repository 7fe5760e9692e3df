#!/usr/bin/env bash
# Scaffold a new check: its file, its registration, and its fixtures.
#
#   scripts/new-check.sh <check-id> [severity]      e.g. scripts/new-check.sh head-mirrors-get hint
#
# Writes src/checks/<check_id>.rs (the declaration with its doc sections and an empty
# check), registers it in src/checks/mod.rs (its `mod` line and its line in CHECKS, each in
# sorted place), and writes good and bad fixtures for Swagger 2.0, OpenAPI 3.0 and 3.1 and
# a multi-file bad fixture under testdata/rules/<check-id>/. Then prints what is left to
# write. Nothing else needs touching: rule pages, the checks table, the ruleset schema and
# every registry are derived from the declaration. See CONTRIBUTING.md.
set -euo pipefail

usage() {
    echo "usage: scripts/new-check.sh <check-id> [error|warning|info|hint]" >&2
    exit 2
}

[ $# -ge 1 ] && [ $# -le 2 ] || usage
id="$1"
severity="${2:-hint}"
if ! [[ "$id" =~ ^[a-z][a-z0-9]*(-[a-z0-9]+)*$ ]]; then
    echo "new-check: \`$id\` is not a check id: lower-case words joined by hyphens, e.g. head-mirrors-get" >&2
    exit 2
fi
case "$severity" in
    error) variant=Error ;;
    warning) variant=Warning ;;
    info) variant=Info ;;
    hint) variant=Hint ;;
    *)
        echo "new-check: \`$severity\` is not a severity: error, warning, info or hint" >&2
        exit 2
        ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="${id//-/_}"
# head-mirrors-get -> HeadMirrorsGet
type="$(echo "$id" | awk -F- '{ for (i = 1; i <= NF; i++) printf "%s%s", toupper(substr($i, 1, 1)), substr($i, 2) }')"
file="$root/src/checks/$module.rs"
registry="$root/src/checks/mod.rs"
fixtures="$root/testdata/rules/$id"

if [ -e "$file" ] || grep -q "^mod $module;" "$registry" || [ -e "$fixtures" ]; then
    echo "new-check: \`$id\` exists already ($file, its mod line or $fixtures)" >&2
    exit 2
fi
if grep -q "\"$id\"" "$root/src/source/problem.rs"; then
    echo "new-check: \`$id\` is the id of an input problem" >&2
    exit 2
fi

cat >"$file" <<EOF
use crate::model::Operation;

use super::{Check, CheckContext, CheckMeta, declare_check};

declare_check! {
    /// ## What it does
    /// TODO(new-check): what the check looks at and when it reports, in a few sentences;
    /// where the finding is placed, and what is deliberately left alone.
    ///
    /// ## Why is this bad?
    /// TODO(new-check): why a reviewer would want this fixed, quoting the guideline or the
    /// RFC that says so.
    ///
    /// ## Example
    /// \`\`\`yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     get:
    ///       responses:
    ///         "200":
    ///           description: TODO(new-check) a document the check reports
    /// \`\`\`
    /// Use instead:
    /// \`\`\`yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     get:
    ///       responses:
    ///         "200":
    ///           description: TODO(new-check) the same document, fixed
    /// \`\`\`
    pub $type, id: "$id", severity: $variant, summary: "TODO(new-check): what a conforming document does, one line",
    reads: "TODO(new-check): the table rows or settings it reads, or \`nothing in the ruleset\`"
}

impl Check for $type {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn check_operation(&self, cx: &mut CheckContext<'_>, operation: &Operation) {
        // TODO(new-check): find the fault and report it where a person looks, e.g.
        //   cx.report_response(response, format!("{}: ...", operation.label())).help("...");
        // A fault of a definition shared through \`\$ref\` is one cause: report it once with
        // cx.report_definition(..); a pattern across the whole document with
        // cx.report_document(..) from check_api. The table: cx.ruleset.row(&response.code).
        let _ = (cx, operation);
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::lint_text;

    #[test]
    fn reports_the_fault() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200': {description: d}\n";
        // TODO(new-check): a document with the fault, and the \`line:col message\` expected.
        assert_eq!(lint_text("$id", "recommended", text), ["TODO(new-check)"]);
    }
}
EOF

# The registry: the `mod` line among the checks' (the block after `mod test_support;`),
# and the CHECKS line, each in sorted place.
python3 - "$registry" "$module" "$type" <<'PY'
import sys
path, module, type_ = sys.argv[1], sys.argv[2], sys.argv[3]
lines = open(path).read().split("\n")

def insert_sorted(lines, first, last, line):
    """Insert `line` among lines[first:last] (sorted) in its place."""
    block = lines[first:last]
    position = next((i for i, existing in enumerate(block) if existing > line), len(block))
    lines.insert(first + position, line)

start = lines.index("mod test_support;") + 2
end = start
while end < len(lines) and lines[end].startswith("mod "):
    end += 1
insert_sorted(lines, start, end, f"mod {module};")

start = next(i for i, line in enumerate(lines) if line.startswith("pub const CHECKS: &[&dyn Check] = &[")) + 1
end = lines.index("];", start)
insert_sorted(lines, start, end, f"    &{module}::{type_},")
open(path, "w").write("\n".join(lines))
PY

mkdir -p "$fixtures/bad-3.0-multifile"
spec() { # version-line, description
    cat <<EOF
$1
info: {title: $id, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200":
          description: $2
EOF
}
for kind in good bad; do
    spec 'swagger: "2.0"' "TODO(new-check) $kind: a Swagger 2.0 document the check $([ $kind = good ] && echo passes || echo reports)" >"$fixtures/$kind-2.0.yaml"
    spec 'openapi: 3.0.3' "TODO(new-check) $kind: an OpenAPI 3.0 document the check $([ $kind = good ] && echo passes || echo reports)" >"$fixtures/$kind-3.0.yaml"
    spec 'openapi: 3.1.0' "TODO(new-check) $kind: an OpenAPI 3.1 document the check $([ $kind = good ] && echo passes || echo reports)" >"$fixtures/$kind-3.1.yaml"
done
cat >"$fixtures/bad-3.0-multifile/openapi.yaml" <<EOF
openapi: 3.0.3
info: {title: $id across files, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200":
          \$ref: "responses.yaml#/Pets"
EOF
cat >"$fixtures/bad-3.0-multifile/responses.yaml" <<EOF
# TODO(new-check): the fault, in a file the root reaches through \$ref: the finding must be
# located here (or point here).
Pets:
  description: The pets.
EOF

cat <<EOF
new-check: scaffolded \`$id\` ($type, default severity $severity):
  src/checks/$module.rs
  src/checks/mod.rs (its mod line and its line in CHECKS)
  testdata/rules/$id/{good,bad}-{2.0,3.0,3.1}.yaml, bad-3.0-multifile/

Left to write (every TODO(new-check) fails a test until it is done):
  1. src/checks/$module.rs: the doc sections (the bad example must trigger the check, the
     good one must not), the summary and \`reads\`, the check itself, and its unit tests.
  2. testdata/rules/$id/: bad fixtures with the fault (the multi-file one in the \$ref'd
     file), good fixtures without it; JSON is welcome for 2.0 (rename to .json).
  3. Generated files and snapshots:
       OASLINT_BLESS=1 cargo test docs_are_fresh ruleset_docs_are_fresh
       INSTA_UPDATE=always cargo test --test rules     # then read tests/snapshots/${id}__*.snap
  4. Optional: a ruleset whose guideline says otherwise sets the check's severity under
     \`checks:\` in rules/<ruleset>.yaml; without it, the check runs at its default ($severity).
EOF
