use rustc_hash::FxHashMap;

use crate::finding::{Fix, Related, Severity};
use crate::model::{Api, CodeKind, Method, Operation, Response, Responses};
use crate::resolve::{NodeRef, Workspace};

use super::creation::CreationVerdict;
use super::ruleset::{MethodSuccess, Ruleset, SuccessCase, SuccessCodes};
use super::{Check, CheckContext, CheckMeta, declare_check, fixes};

declare_check! {
    /// ## What it does
    /// Checks that an operation declares the success code its ruleset expects for its
    /// method: GET 200, DELETE 204, a POST that creates a resource 201 and any other POST
    /// 200 or 204, PUT and PATCH as the table says. Any code the table names as expected
    /// or acceptable for the method will do; a `2XX` range does where the ruleset lets
    /// ranges satisfy required codes. An operation with no success response at all is left
    /// to `success-response`.
    ///
    /// Whether a POST creates is judged, in this order (the first sign that applies wins):
    /// - it declares 201 Created: it creates;
    /// - its path names an action: a custom method (`/v1/{name}:cancel`), a segment under
    ///   `actions`, a last segment whose first word is a verb (`/search`, `/auth/register`,
    ///   `/resetAuthorizationStrategies`), or a verb segment before a last parameter
    ///   (`/orders/CreateDeliveryNote/{id}`): it does not;
    /// - it posts to a word under an item (`/tasks/{id}/notify`) with no item path beneath
    ///   that word (`/tasks/{id}/notify/{x}`): an action on the item, it does not (Google's
    ///   `/v1/{parent}/instances` is a collection: `parent` names the collection's owner);
    /// - its path also takes PUT or PATCH (a resource replaced whole, such as a set of
    ///   labels, which POST adds to), or takes DELETE and has no item path (a setting of a
    ///   singleton resource, which POST switches on: GitHub's
    ///   `.../protection/required_signatures`): it does not;
    /// - it takes a list (its request body is an array): a batch, it does not;
    /// - its operation verb, the first word of its `operationId`'s action part, is an action
    ///   (`updatePet`, `Configurations_List`, `batchReadTags`): it does not; a creation verb
    ///   (`settings.creation.operation_id_verbs`: `createPet`, `pets.insert`,
    ///   `newOrganization`), or a summary that says "creates a new ..." (or "create a ..."),
    ///   where the operation returns content or posts beside its item path: it creates. Only
    ///   the verb in front counts: Django REST framework names every POST
    ///   `<resource>_<action>_create`, and `tasks_notify_create` is no creation;
    /// - it posts to a collection beside its item path (`POST /pets` beside `/pets/{petId}`,
    ///   where `settings.creation.sibling_item_path` is on): it creates, unless the API
    ///   answers other POSTs with 201. Where an API answers its creations with 201, a POST
    ///   answering only 200 with nothing else saying it creates is taken for an action;
    /// - otherwise it does not.
    ///
    /// PUT creates only when it declares 201 or its `operationId` says so; webhooks and other
    /// methods never do. The help of each finding says which sign decided.
    ///
    /// Platform idioms:
    /// - an API's own convention is reported once, not per operation: where three or more
    ///   operations miss the same code and no operation of that method in the API declares
    ///   it (Stripe, Adyen and AWS answer every creation with 200), one finding names them
    ///   all and says how to accept the convention in a ruleset;
    /// - a creating POST that answers 200 with a long-running operation (Google's AIP-151:
    ///   an `Operation` with `name`, `done` and a `response`, `error` or `metadata`) has
    ///   accepted the work, as 202 would say: it is not reported.
    ///
    /// ## Why is this bad?
    /// APInf and Platform of Trust: 200 is the "successful response for GET, PUT and POST",
    /// 201 means "a new resource instance was successfully created with POST method", and
    /// for 204 "DELETE can be a good example of this". Ed-Fi: 201 is "Returned after a
    /// successful POST". RFC 9110 §9.3.3: when a POST creates resources, "the origin server
    /// SHOULD send a 201 (Created) response". A client that branches on the status code
    /// (to read a body, to follow `Location`) breaks when the documented code is not the
    /// one the guideline makes it expect.
    ///
    /// ## Example
    /// With the `ed-fi` ruleset:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     post:
    ///       operationId: createPet
    ///       responses:
    ///         "200":
    ///           description: The new pet.
    ///           content:
    ///             application/json:
    ///               schema: {type: object}
    ///   /pets/{petId}:
    ///     get:
    ///       parameters:
    ///         - {name: petId, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "200":
    ///           description: The pet.
    ///           content:
    ///             application/json:
    ///               schema: {type: object}
    /// ```
    /// Use instead:
    /// ```yaml
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets:
    ///     post:
    ///       operationId: createPet
    ///       responses:
    ///         "201":
    ///           description: Created.
    ///           headers:
    ///             Location: {schema: {type: string}}
    ///   /pets/{petId}:
    ///     get:
    ///       parameters:
    ///         - {name: petId, in: path, required: true, schema: {type: string}}
    ///       responses:
    ///         "200":
    ///           description: The pet.
    ///           content:
    ///             application/json:
    ///               schema: {type: object}
    /// ```
    pub MethodSuccessCode, id: "method-success-code", severity: Warning, summary: "Each operation declares the success code the table expects for its method (201 for a POST that creates)",
    reads: "`method_success`, `settings.creation`",
    fix: Unsafe "renames 200 to 201 on a POST that creates (one operation, not an API's convention)"
}

/// How many operations missing the same code make the API's own convention, reported once.
const CONVENTION_MIN_OPERATIONS: usize = 3;
/// How many of the other operations of a convention are listed as related locations.
const CONVENTION_RELATED: usize = 10;

impl Check for MethodSuccessCode {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn ruleset_notes(&self, ruleset: &Ruleset) -> Vec<String> {
        let mut notes: Vec<String> = ruleset
            .method_successes()
            .map(|success| {
                let method = success.method.as_str().to_ascii_uppercase();
                let mut note = format!("{method} {}", codes_phrase(&success.default));
                if let Some(creating) = &success.creating {
                    note.push_str(&format!(", creating {}", codes_phrase(creating)));
                }
                if let Some(long_running) = &success.long_running {
                    note.push_str(&format!(", long-running {}", codes_phrase(long_running)));
                }
                note
            })
            .collect();
        if notes.is_empty() {
            return notes;
        }
        let creation = &ruleset.settings().creation;
        let mut signs = vec!["declares 201".to_owned()];
        if !creation.operation_id_verbs.is_empty() {
            signs.push(format!(
                "has an operation verb saying {} (or a summary saying \"creates a new\") and returns content",
                creation.operation_id_verbs.join(", ")
            ));
        }
        if creation.sibling_item_path {
            signs.push(
                "posts to a collection beside its item path in an API that does not answer POSTs with 201".to_owned(),
            );
        }
        notes.push(format!("a POST creates when it {} (never when its path names an action)", signs.join(", or ")));
        notes
    }

    fn check_api(&self, cx: &mut CheckContext<'_>) {
        let api = cx.api;
        let misses: Vec<Miss<'_>> = api.operations.iter().filter_map(|operation| miss(cx, operation)).collect();
        // Misses of one method and row, in document order: the API's convention when no
        // operation of the method declares any expected code of the row.
        let mut groups: FxHashMap<(Method, SuccessCase), Vec<&Miss<'_>>> = FxHashMap::default();
        for miss in &misses {
            groups.entry((miss.operation.method, miss.case)).or_default().push(miss);
        }
        for miss in &misses {
            let Some(group) = groups.get(&(miss.operation.method, miss.case)) else { continue };
            let convention = group.len() >= CONVENTION_MIN_OPERATIONS && !declared_anywhere(api, miss);
            if !convention {
                report_one(cx, miss);
            } else if group.first().is_some_and(|first| std::ptr::eq(*first, miss)) {
                report_convention(cx, group);
            }
        }
        let besides: Vec<Beside<'_>> =
            api.operations.iter().filter_map(|operation| beside_exclusive(cx, operation)).collect();
        let mut beside_groups: FxHashMap<(Method, SuccessCase), Vec<&Beside<'_>>> = FxHashMap::default();
        for beside in &besides {
            beside_groups.entry((beside.operation.method, beside.case)).or_default().push(beside);
        }
        let mut groups: Vec<(&(Method, SuccessCase), &Vec<&Beside<'_>>)> = beside_groups.iter().collect();
        groups.sort_by_key(|(key, _)| **key);
        for (&(method, case), group) in groups {
            if group.len() >= CONVENTION_MIN_OPERATIONS && !clean_exclusive(cx, method, case) {
                report_beside_convention(cx, group);
            } else {
                for beside in group {
                    report_beside(cx, beside);
                }
            }
        }
        cx.set_operation(None);
    }
}

/// An operation whose codes are `exclusive` that declares other 2xx beside them (Azure: a
/// long-running operation answers 202 only). An operation declaring none of them is a
/// miss, reported as such.
struct Beside<'a> {
    operation: &'a Operation,
    success: &'a MethodSuccess,
    case: SuccessCase,
    /// The codes it declares that the entry allows, as written.
    allowed: Vec<&'a str>,
    /// The other 2xx it declares.
    extra: Vec<&'a Response>,
}

fn beside_exclusive<'a>(cx: &CheckContext<'a>, operation: &'a Operation) -> Option<Beside<'a>> {
    let ruleset: &'a Ruleset = cx.ruleset;
    let success = ruleset.method_success(operation.method)?;
    let responses = operation.responses.as_ref()?;
    // Judging a creation costs; most tables have no exclusive entry at all.
    let any_exclusive = [Some(&success.default), success.creating.as_ref(), success.long_running.as_ref()]
        .into_iter()
        .flatten()
        .any(|codes| codes.exclusive);
    if !any_exclusive {
        return None;
    }
    let case = success.case(cx.creation(operation).creates, operation.long_running);
    let codes = success.codes_for(case);
    if !codes.exclusive {
        return None;
    }
    let exact = |response: &&Response| response.code.exact();
    let allowed: Vec<&str> = responses
        .entries
        .iter()
        .filter(|response| exact(response).is_some_and(|code| codes.allows(code)))
        .map(|response| response.code.text.as_str())
        .collect();
    let extra: Vec<&Response> = responses
        .entries
        .iter()
        .filter(|response| exact(response).is_some_and(|code| code / 100 == 2 && !codes.allows(code)))
        .collect();
    (!allowed.is_empty() && !extra.is_empty()).then_some(Beside { operation, success, case, allowed, extra })
}

/// "a long-running DELETE answers with 202 only (azure: ...)".
fn exclusive_rule(beside: &Beside<'_>) -> String {
    let codes = beside.success.codes_for(beside.case);
    let note = beside.success.note_for(beside.case);
    let reason =
        if note.is_empty() { beside.success.origin.clone() } else { format!("{}: {note}", beside.success.origin) };
    format!(
        "{} answers with {} only ({reason})",
        row_subject(beside.success, beside.case),
        codes.expected.iter().chain(&codes.acceptable).map(u16::to_string).collect::<Vec<_>>().join(" or "),
    )
}

/// Each other 2xx of one operation, at its key. The operation does answer as the table
/// expects: a milder fault than a miss, at info at most.
fn report_beside(cx: &mut CheckContext<'_>, beside: &Beside<'_>) {
    let rule = exclusive_rule(beside);
    cx.set_operation(Some(beside.operation));
    for response in &beside.extra {
        let message = format!(
            "{}: {} is declared beside {}, and {rule}",
            beside.operation.label(),
            cx.ruleset.response_label(&response.code),
            beside.allowed.join(", "),
        );
        cx.report_response(response, message)
            .help(format!(
                "remove `{}`: answer {} even when the work is done before the response",
                response.code.text,
                beside.allowed.join(" or ")
            ))
            .at_most(Severity::Info);
    }
}

/// One finding for operations of one method and entry that all declare other 2xx beside
/// their exclusive codes, where none of them declares those codes alone: the API's own
/// convention (ARM's DELETE answers 200, 202 and 204), said once.
fn report_beside_convention(cx: &mut CheckContext<'_>, group: &[&Beside<'_>]) {
    let Some(first) = group.first() else { return };
    let mut extra: Vec<&str> =
        group.iter().flat_map(|beside| beside.extra.iter().map(|response| response.code.text.as_str())).collect();
    extra.sort_unstable();
    extra.dedup();
    let operations: Vec<&Operation> = group.iter().map(|beside| beside.operation).collect();
    let message = format!(
        "{} {} declare {} beside {}, and {}",
        group.len(),
        subject_plural(first.success, first.case),
        extra.join(", "),
        first.allowed.join(", "),
        exclusive_rule(first)
    );
    let help = format!(
        "answer {} only; if answering {} too is this API's convention, add them to `method_success.{}` in a ruleset that extends this one",
        first.allowed.join(" or "),
        extra.join(", "),
        first.operation.method.key(),
    );
    let at = cx.workspace.get(cx.api.root, "paths").unwrap_or(cx.api.root);
    cx.set_operation(None);
    cx.report_document(at, message, &operations).help(help).at_most(Severity::Info);
}

/// "long-running DELETEs", "POSTs that create".
fn subject_plural(success: &MethodSuccess, case: SuccessCase) -> String {
    let method = success.method.as_str().to_ascii_uppercase();
    match (case, success.creating.is_some()) {
        (SuccessCase::LongRunning, _) => format!("long-running {method}s"),
        (SuccessCase::Creating, _) => format!("{method}s that create"),
        (SuccessCase::Plain, true) => format!("{method}s that create nothing"),
        (SuccessCase::Plain, false) => format!("{method}s"),
    }
}

/// Whether an operation of the method and entry declares the exclusive codes alone.
fn clean_exclusive(cx: &CheckContext<'_>, method: Method, case: SuccessCase) -> bool {
    cx.api.operations.iter().filter(|operation| operation.method == method).any(|operation| {
        let Some(success) = cx.ruleset.method_success(method) else { return false };
        let Some(responses) = &operation.responses else { return false };
        let own_case = success.case(cx.creation(operation).creates, operation.long_running);
        let codes = success.codes_for(own_case);
        own_case == case
            && responses.entries.iter().any(|response| response.code.exact().is_some_and(|code| codes.allows(code)))
            && !responses
                .entries
                .iter()
                .any(|response| response.code.exact().is_some_and(|code| code / 100 == 2 && !codes.allows(code)))
    })
}

/// An operation that declares success responses, none of them the ones its row expects.
struct Miss<'a> {
    operation: &'a Operation,
    responses: &'a Responses,
    success: &'a MethodSuccess,
    /// Which of the method's entries applies.
    case: SuccessCase,
    verdict: CreationVerdict,
    /// The success codes it declares instead, as written.
    declared: Vec<&'a str>,
}

impl Miss<'_> {
    fn codes(&self) -> &SuccessCodes {
        self.success.codes_for(self.case)
    }
}

/// The operation's miss, if it declares success responses but none the row expects.
fn miss<'a>(cx: &CheckContext<'a>, operation: &'a Operation) -> Option<Miss<'a>> {
    let ruleset: &'a Ruleset = cx.ruleset;
    let success = ruleset.method_success(operation.method)?;
    let responses = operation.responses.as_ref()?;
    // No success response at all is `success-response`'s finding.
    let declared: Vec<&str> = responses
        .entries
        .iter()
        .filter(|response| ruleset.counts_as_success(&response.code))
        .map(|response| response.code.text.as_str())
        .collect();
    if declared.is_empty() {
        return None;
    }
    let verdict = cx.creation(operation);
    let case = success.case(verdict.creates, operation.long_running);
    let codes = success.codes_for(case);
    let ranges_count = ruleset.settings().ranges_satisfy_required;
    let satisfied = responses.entries.iter().any(|response| match response.code.kind {
        CodeKind::Exact(code) => codes.allows(code),
        CodeKind::Range(class) => {
            ranges_count && codes.expected.iter().chain(&codes.acceptable).any(|code| code / 100 == u16::from(class))
        }
        CodeKind::Default | CodeKind::Invalid => false,
    });
    // AIP-151: the creation is under way, as a 202 would say.
    if satisfied || (case == SuccessCase::Creating && answers_with_long_running_operation(cx.workspace, responses)) {
        return None;
    }
    Some(Miss { operation, responses, success, case, verdict, declared })
}

/// Whether any operation of the miss's method declares one of the codes the miss lacks.
fn declared_anywhere(api: &Api, miss: &Miss<'_>) -> bool {
    let expected = &miss.codes().expected;
    api.operations.iter().filter(|other| other.method == miss.operation.method).any(|other| {
        other.responses.as_ref().is_some_and(|responses| expected.iter().any(|&code| responses.exact(code).is_some()))
    })
}

fn report_one(cx: &mut CheckContext<'_>, miss: &Miss<'_>) {
    let operation = miss.operation;
    let codes = miss.codes();
    let expected: Vec<String> = codes.expected.iter().map(u16::to_string).collect();
    let message = format!(
        "{} declares no {}, only {} ({}: {} is required for {})",
        operation.label(),
        expected.join(" or "),
        miss.declared.join(", "),
        miss.success.origin,
        labels(cx.ruleset, &codes.expected).join(" or "),
        row_subject(miss.success, miss.case),
    );
    let also: Vec<String> = codes.acceptable.iter().map(u16::to_string).collect();
    let quoted: Vec<String> = expected.iter().map(|code| format!("`{code}`")).collect();
    let mut help = format!("declare {}", quoted.join(" or "));
    if !also.is_empty() {
        help.push_str(&format!(" (also accepted: {})", also.join(", ")));
    }
    if miss.case == SuccessCase::LongRunning {
        help.push_str(&format!("; this {} is marked `x-ms-long-running-operation`", operation.method));
    } else if miss.success.creating.is_some() {
        if miss.verdict.creates {
            help.push_str(&format!("; this {} creates a resource: {}", operation.method, miss.verdict.reason));
        } else {
            help.push_str(&format!(
                "; this {} is judged not to create a resource ({}): declare 201 if it does",
                operation.method, miss.verdict.reason
            ));
        }
    }
    let fix = rename_to_created(cx, miss);
    cx.set_operation(Some(operation));
    let report = cx.report(miss.responses.node, message).help(help).codes(&codes.expected);
    if let Some(fix) = fix {
        report.fix(fix);
    }
}

/// 200 renamed 201, for a POST that creates where 201 is what the row expects: the
/// contract changes (clients checking for 200 break), so the fix is unsafe.
fn rename_to_created(cx: &CheckContext<'_>, miss: &Miss<'_>) -> Option<Fix> {
    let creates = miss.operation.method == Method::Post && miss.case == SuccessCase::Creating && miss.verdict.creates;
    if !creates || !miss.codes().expected.contains(&201) || miss.responses.exact(201).is_some() {
        return None;
    }
    let ok = miss.responses.exact(200)?;
    fixes::rename_code(cx.workspace, ok, "201", "Answer 201 Created instead of 200".to_owned())
}

/// One finding for operations that all miss the same code in an API where no operation of
/// their method declares it: the API's own convention, said once at the first of them.
fn report_convention(cx: &mut CheckContext<'_>, group: &[&Miss<'_>]) {
    let Some(first) = group.first() else { return };
    let method = first.operation.method;
    let codes = first.codes();
    let expected: Vec<String> = codes.expected.iter().map(u16::to_string).collect();
    let mut declared: Vec<&str> = group.iter().flat_map(|miss| miss.declared.iter().copied()).collect();
    declared.sort_unstable();
    declared.dedup();
    let subject = match (first.case, first.success.creating.is_some()) {
        (SuccessCase::LongRunning, _) => format!("long-running {method}s"),
        (SuccessCase::Creating, _) => format!("{method}s that create"),
        (SuccessCase::Plain, true) => format!("{method}s that create nothing"),
        (SuccessCase::Plain, false) => format!("{method}s"),
    };
    let message = format!(
        "{} and {} other {subject} declare no {}, only {}, and no {method} in this API declares {} ({}: {} is required for {})",
        first.operation.label(),
        group.len() - 1,
        expected.join(" or "),
        declared.join(", "),
        expected.join(" or "),
        first.success.origin,
        labels(cx.ruleset, &codes.expected).join(" or "),
        row_subject(first.success, first.case),
    );
    let key = match first.case {
        SuccessCase::Plain => "acceptable",
        SuccessCase::Creating => "creating.acceptable",
        SuccessCase::LongRunning => "long_running.acceptable",
    };
    let help = format!(
        "if answering {} is this API's convention, add it to `method_success.{}.{key}` in a ruleset that extends this one; otherwise declare {} on each",
        declared.join(" or "),
        method.key(),
        expected.iter().map(|code| format!("`{code}`")).collect::<Vec<_>>().join(" or "),
    );
    let mut related: Vec<Related> = group
        .iter()
        .skip(1)
        .take(CONVENTION_RELATED)
        .filter_map(|miss| {
            let location = cx.workspace.key_location(miss.responses.node)?;
            Some(Related { location, label: format!("also {}", miss.operation.label()) })
        })
        .collect();
    let more = group.len().saturating_sub(1 + CONVENTION_RELATED);
    if more > 0 {
        if let Some(last) = related.last_mut() {
            last.label.push_str(&format!(" (and {more} more)"));
        }
    }
    cx.set_operation(Some(first.operation));
    cx.report(first.responses.node, message).help(help).related(related).codes(&codes.expected);
}

/// What a method-success row is about: "POST", "a POST that creates".
fn row_subject(success: &MethodSuccess, case: SuccessCase) -> String {
    let method = success.method.as_str().to_ascii_uppercase();
    match (case, success.creating.is_some()) {
        (SuccessCase::LongRunning, _) => format!("a long-running {method}"),
        (SuccessCase::Creating, _) => format!("a {method} that creates"),
        (SuccessCase::Plain, true) => format!("a {method} that creates nothing"),
        (SuccessCase::Plain, false) => method,
    }
}

/// `201 Created`, with the ruleset's name for the code (else the registry's).
fn labels(ruleset: &Ruleset, codes: &[u16]) -> Vec<String> {
    codes
        .iter()
        .map(|&code| match ruleset.exact_row(code) {
            Some(row) => row.label(),
            None => format!("{code} {}", crate::model::reason_phrase(code).unwrap_or("")).trim_end().to_owned(),
        })
        .collect()
}

/// "200 or 204 (or 201, 202)".
fn codes_phrase(codes: &SuccessCodes) -> String {
    let expected: Vec<String> = codes.expected.iter().map(u16::to_string).collect();
    let acceptable: Vec<String> = codes.acceptable.iter().map(u16::to_string).collect();
    if acceptable.is_empty() {
        expected.join(" or ")
    } else {
        format!("{} (or {})", expected.join(" or "), acceptable.join(", "))
    }
}

/// Whether a 200 (or `2XX`) response's body is a long-running operation (Google's AIP-151):
/// a schema with `name`, `done`, and a `response`, `error` or `metadata`.
fn answers_with_long_running_operation(workspace: &Workspace, responses: &Responses) -> bool {
    responses.exact(200).into_iter().chain(responses.range_for(200)).any(|response| {
        response.content.iter().filter_map(|media| media.schema).any(|schema| is_long_running(workspace, schema))
    })
}

fn is_long_running(workspace: &Workspace, schema: NodeRef) -> bool {
    let Some(properties) = workspace.deref(schema).and_then(|schema| workspace.get(schema, "properties")) else {
        return false;
    };
    let has = |name: &str| workspace.get(properties, name).is_some();
    has("name") && has("done") && (has("response") || has("error") || has("metadata"))
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{lint_findings, lint_text};

    fn long_running(method: &str, codes: &[&str]) -> String {
        let mut text = format!(
            "swagger: '2.0'\ninfo: {{title: t, version: '1'}}\npaths:\n  /vaults/{{name}}:\n    parameters:\n      - {{name: name, in: path, required: true, type: string}}\n    {method}:\n      x-ms-long-running-operation: true\n      responses:\n"
        );
        for code in codes {
            text.push_str(&format!("        '{code}': {{description: d}}\n"));
        }
        text
    }

    #[test]
    fn long_running_operations_that_all_add_codes_are_the_apis_convention() {
        let mut text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n".to_owned();
        for path in ["a", "b", "c"] {
            text.push_str(&format!(
                "  /{path}:\n    delete:\n      x-ms-long-running-operation: true\n      responses:\n        '200': {{description: d}}\n        '202': {{description: d}}\n"
            ));
        }
        let findings = lint_text("method-success-code", "azure", &text);
        assert_eq!(
            findings,
            ["3:1 3 long-running DELETEs declare 200 beside 202, and a long-running DELETE answers with 202 only"]
        );
        // One that answers 202 alone shows the convention is not the API's: each is reported.
        text.push_str("  /d:\n    delete:\n      x-ms-long-running-operation: true\n      responses:\n        '202': {description: d}\n");
        assert_eq!(lint_text("method-success-code", "azure", &text).len(), 3);
    }

    #[test]
    fn a_long_running_operation_answers_with_its_own_codes_only() {
        let beside = lint_findings("method-success-code", "azure", &long_running("delete", &["200", "202", "204"]));
        let lines: Vec<String> = beside.iter().map(|f| f.message.split(" (").next().unwrap_or("").to_owned()).collect();
        assert_eq!(
            lines,
            [
                "DELETE /vaults/{name}: 200 OK is declared beside 202, and a long-running DELETE answers with 202 only",
                "DELETE /vaults/{name}: 204 No Content is declared beside 202, and a long-running DELETE answers with 202 only",
            ]
        );
        assert!(beside.iter().all(|finding| finding.severity == crate::finding::Severity::Info));
        let missed = lint_text("method-success-code", "azure", &long_running("delete", &["204"]));
        assert_eq!(missed, ["9:7 DELETE /vaults/{name} declares no 202, only 204"]);
        assert!(lint_text("method-success-code", "azure", &long_running("delete", &["202"])).is_empty());
        // Not marked long-running: DELETE's own 204.
        let plain = long_running("delete", &["204"]).replace("      x-ms-long-running-operation: true\n", "");
        assert!(lint_text("method-success-code", "azure", &plain).is_empty());
        // A long-running PUT answers 200 or 201 (202 tolerated), with no exclusivity.
        assert!(lint_text("method-success-code", "azure", &long_running("put", &["200", "201", "202"])).is_empty());
        // recommended has no long-running entries: 200 beside 202 is fine there.
        assert!(lint_text("method-success-code", "recommended", &long_running("delete", &["200", "202"])).is_empty());
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n";
    const BODY: &str =
        "      responses:\n        '200':\n          description: d\n          content: {application/json: {}}\n";

    /// A path with one operation declaring `codes`, and `extra` paths (no operations).
    fn doc(path: &str, method: &str, operation_id: Option<&str>, codes: &[&str], extra: &[&str]) -> String {
        let mut text = format!("{HEAD}  {path}:\n    {method}:\n");
        if let Some(id) = operation_id {
            text.push_str(&format!("      operationId: {id}\n"));
        }
        text.push_str("      responses:\n");
        for code in codes {
            text.push_str(&format!("        '{code}': {{description: d}}\n"));
        }
        for path in extra {
            text.push_str(&format!("  {path}: {{}}\n"));
        }
        text
    }

    /// A POST at `path` answering 200 with content, with its own operation lines.
    fn post(path: &str, lines: &str) -> String {
        format!("  {path}:\n    post:\n{lines}{BODY}")
    }

    fn creates(ruleset: &str, text: &str) -> bool {
        !lint_text("method-success-code", ruleset, text).is_empty()
    }

    #[test]
    fn a_post_beside_its_item_path_creates() {
        let text = doc("/pets", "post", None, &["200"], &["/pets/{petId}"]);
        assert_eq!(lint_text("method-success-code", "ed-fi", &text), ["6:7 POST /pets declares no 201, only 200"]);
        assert!(lint_text("method-success-code", "ed-fi", &doc("/pets", "post", None, &["201"], &[])).is_empty());
    }

    #[test]
    fn where_the_api_answers_creations_with_201_a_bare_post_beside_an_item_path_is_an_action() {
        let toys = "  /toys:\n    post:\n      responses: {'201': {description: d}}\n";
        let text = doc("/pets", "post", None, &["200"], &["/pets/{petId}"]) + toys;
        assert!(!creates("ed-fi", &text));
        // A verb that says it creates still does: the API's own convention is 201.
        let text = doc("/pets", "post", Some("createPet"), &["200"], &["/pets/{petId}"]) + toys;
        assert!(creates("ed-fi", &text));
    }

    #[test]
    fn a_post_that_declares_200_without_an_item_path_does_not_create() {
        let text = doc("/connect/token", "post", None, &["200", "400"], &["/connect/token/x"]);
        for ruleset in ["recommended", "apinf", "ed-fi", "codemify", "platform-of-trust", "rest-api-guide"] {
            assert!(lint_text("method-success-code", ruleset, &text).is_empty(), "{ruleset}");
        }
    }

    #[test]
    fn an_action_path_does_not_create_even_beside_an_item_path() {
        for path in [
            "/pets/{id}/actions/cancel",
            "/search",
            "/v1/{name}:cancel",
            "/claims/{id}/resetStrategies",
            "/auth/register",
            "/v1/data-store/read",
            "/orders/CreateDeliveryNote/{id}",
        ] {
            let text = doc(path, "post", Some("createThing"), &["200"], &[&format!("{path}/{{id}}")]);
            let findings = lint_text("method-success-code", "ed-fi", &text);
            assert!(findings.is_empty(), "{path}: {findings:?}");
        }
    }

    #[test]
    fn only_the_verb_in_front_of_an_operation_id_counts() {
        // Django REST framework: every POST is `<resource>_<action>_create`.
        let notify = post("/tasks/{id}/notify/", "      operationId: tasks_notify_create\n");
        assert!(!creates("ed-fi", &format!("{HEAD}{notify}  /tasks/{{id}}/: {{}}\n")));
        let tasks = post("/tasks/", "      operationId: tasks_create\n");
        assert!(creates("ed-fi", &format!("{HEAD}{tasks}  /tasks/{{id}}/: {{}}\n")));
        let read = post("/v1/data-store/tags", "      operationId: batchReadTags\n");
        assert!(!creates("ed-fi", &format!("{HEAD}{read}")));
        // Azure's and .NET's `Controller_Action`: the action is after the underscore.
        let list = post("/clusters/{c}/configurations", "      operationId: Configurations_List\n");
        assert!(!creates("ed-fi", &format!("{HEAD}{list}  /clusters/{{c}}/configurations/{{n}}: {{}}\n")));
        let create = post("/products", "      operationId: Article_CreateArticle\n");
        assert!(creates("ed-fi", &format!("{HEAD}{create}")));
    }

    #[test]
    fn a_word_under_an_item_without_items_of_its_own_is_an_action() {
        let text = format!("{HEAD}{}", post("/tasks/{id}/reorder", "      operationId: createReorder\n"));
        assert!(!creates("ed-fi", &text));
        // With an item path beneath it, it is a collection of the item's.
        let text = format!(
            "{HEAD}{}  /tasks/{{id}}/notes/{{noteId}}: {{}}\n",
            post("/tasks/{id}/notes", "      operationId: createNote\n")
        );
        assert!(creates("ed-fi", &text));
        // Google's `{parent}` names the collection's owner (AIP-133).
        let text = format!("{HEAD}{}", post("/v1/{parent}/instances", "      operationId: x.instances.create\n"));
        assert!(creates("ed-fi", &text));
    }

    #[test]
    fn a_summary_that_says_it_creates_is_evidence() {
        // APInf's own kind of spec: no 201 anywhere, no item path, `newOrganization`.
        let text = format!(
            "{HEAD}{}",
            post("/organizations", "      operationId: newOrganization\n      summary: Creates a new organization\n")
        );
        assert_eq!(
            lint_text("method-success-code", "apinf", &text),
            ["8:7 POST /organizations declares no 201, only 200"]
        );
        let text = format!("{HEAD}{}", post("/organizations", "      summary: Creates a new organization\n"));
        assert!(creates("apinf", &text));
        let text = format!("{HEAD}{}", post("/organizations", "      summary: Lists the organizations\n"));
        assert!(!creates("apinf", &text));
    }

    #[test]
    fn a_setting_of_a_singleton_resource_is_switched_on_not_created() {
        // GitHub: GET, POST and DELETE on `.../protection/required_signatures`, no item path.
        let path = "/repos/{o}/{r}/branches/{b}/protection/required_signatures";
        let text = format!(
            "{HEAD}{}    delete:\n      responses: {{'204': {{description: d}}}}\n",
            post(path, "      operationId: repos/create-commit-signature-protection\n")
        );
        assert!(!creates("recommended", &text));
    }

    #[test]
    fn a_post_that_takes_a_list_is_a_batch() {
        let lines = "      requestBody:\n        content:\n          application/json:\n            schema: {type: array, items: {type: object}}\n";
        let text = format!("{HEAD}{}  /scrobble/episodes/{{id}}: {{}}\n", post("/scrobble/episodes", lines));
        assert!(!creates("recommended", &text));
    }

    #[test]
    fn a_long_running_operation_answers_a_creation() {
        let operation = "      content:\n            application/json:\n              schema:\n                properties: {name: {}, done: {}, response: {}}\n";
        let text = format!(
            "{HEAD}  /v1/{{parent}}/instances:\n    post:\n      operationId: x.instances.create\n      responses:\n        '200':\n          description: d\n    {operation}"
        );
        assert!(!creates("recommended", &text), "{text}");
        let text = text.replace("done: {}, ", "");
        assert!(creates("recommended", &text));
    }

    #[test]
    fn an_operation_id_verb_decides_either_way() {
        let creates_pet = format!("{HEAD}  /pets:\n    post:\n      operationId: pets.insert\n{BODY}");
        assert_eq!(
            lint_text("method-success-code", "apinf", &creates_pet),
            ["7:7 POST /pets declares no 201, only 200"]
        );
        let updates = doc("/pets", "post", Some("updatePets"), &["200"], &["/pets/{id}"]);
        assert!(lint_text("method-success-code", "apinf", &updates).is_empty());
    }

    #[test]
    fn a_creation_verb_that_returns_nothing_and_has_no_item_path_does_not_create() {
        // GitHub's `repos/create-dispatch-event` answers 204: an event, not a resource.
        let text = doc("/repos/{repo}/dispatches", "post", Some("repos/create-dispatch-event"), &["204"], &[]);
        assert!(lint_text("method-success-code", "recommended", &text).is_empty());
        // Beside an item path it creates, whatever it returns.
        let text = doc("/pets", "post", Some("createPet"), &["204"], &["/pets/{id}"]);
        assert_eq!(
            lint_text("method-success-code", "recommended", &text),
            ["7:7 POST /pets declares no 201, only 204"]
        );
    }

    #[test]
    fn a_post_to_a_path_that_is_also_put_adds_to_a_set() {
        // GitHub: POST adds labels, PUT replaces them, `/labels/{name}` removes one.
        let text = format!(
            "{HEAD}  /issues/{{n}}/labels:\n    put:\n      responses: {{'200': {{description: d}}}}\n    post:\n      operationId: issues/add-labels\n      responses:\n        '200':\n          description: d\n          content: {{application/json: {{}}}}\n  /issues/{{n}}/labels/{{name}}: {{}}\n"
        );
        assert!(lint_text("method-success-code", "recommended", &text).is_empty());
    }

    #[test]
    fn expected_acceptable_and_ranges() {
        // recommended: DELETE expects 204 and accepts 200 and 202.
        assert!(
            lint_text("method-success-code", "recommended", &doc("/a/{id}", "delete", None, &["202"], &[])).is_empty()
        );
        let only_201 = doc("/a/{id}", "delete", None, &["201"], &[]);
        assert_eq!(
            lint_text("method-success-code", "apinf", &only_201),
            ["6:7 DELETE /a/{id} declares no 204, only 201"]
        );
        // A range satisfies only where the ruleset says so.
        let range = doc("/a", "get", None, &["2XX"], &[]);
        assert!(lint_text("method-success-code", "recommended", &range).is_empty());
        assert_eq!(lint_text("method-success-code", "apinf", &range), ["6:7 GET /a declares no 200, only 2XX"]);
    }

    #[test]
    fn no_success_at_all_and_unlisted_methods_are_left_alone() {
        assert!(lint_text("method-success-code", "ed-fi", &doc("/a", "get", None, &["404"], &[])).is_empty());
        // ed-fi says nothing about PATCH.
        assert!(lint_text("method-success-code", "ed-fi", &doc("/a", "patch", None, &["202"], &[])).is_empty());
    }

    fn findings(ruleset: &str, text: &str) -> Vec<crate::finding::Finding> {
        lint_findings("method-success-code", ruleset, text)
    }

    #[test]
    fn the_message_names_the_row_and_the_help_says_why() {
        let text = doc("/pets", "post", Some("createPet"), &["200"], &["/pets/{petId}"])
            + "  /toys:\n    post:\n      responses: {'201': {description: d}}\n";
        let found = findings("ed-fi", &text);
        assert_eq!(
            found[0].message,
            "POST /pets declares no 201, only 200 (ed-fi: 201 Created is required for a POST that creates)"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("declare `201`; this POST creates a resource: its operationId `createPet` says `create`")
        );
    }

    #[test]
    fn an_apis_own_convention_is_reported_once() {
        // Stripe answers every creation with 200: one finding names them all.
        let mut text = HEAD.to_owned();
        for name in ["customers", "charges", "products", "prices"] {
            text.push_str(&post(&format!("/v1/{name}"), ""));
            text.push_str(&format!("  /v1/{name}/{{id}}: {{}}\n"));
        }
        let found = findings("recommended", &text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].message,
            "POST /v1/customers and 3 other POSTs that create declare no 201, only 200, and no POST in this API declares 201 (recommended: 201 Created is required for a POST that creates)"
        );
        assert_eq!(found[0].related.len(), 3);
        let help = found[0].help.as_deref().unwrap_or_default();
        assert!(
            help.starts_with(
                "if answering 200 is this API's convention, add it to `method_success.post.creating.acceptable`"
            ),
            "{help}"
        );
        // Two are no convention: each is reported.
        let two: String = HEAD.to_owned()
            + &post("/v1/customers", "")
            + "  /v1/customers/{id}: {}\n"
            + &post("/v1/charges", "")
            + "  /v1/charges/{id}: {}\n";
        assert_eq!(findings("recommended", &two).len(), 2);
    }
}
