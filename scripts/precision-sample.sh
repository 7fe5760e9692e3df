#!/usr/bin/env bash
# Lint a seeded random sample of ../shared/corpus/directory (the APIs.guru specs the rules
# were never tuned on) and print, per rule, how many findings it gives and a sample of them
# with the source excerpt of the operation each is about, for a person to judge.
#
# Usage: scripts/precision-sample.sh [options]
#   --seed N           the sample's seed (default 10); the same seed gives the same sample
#   --specs N          how many specs to sample (default 100; 0: every spec)
#   --rules A,B        show only these rules (counts are given for every rule)
#   --per-rule N       how many findings to show per rule (default 12)
#   --ruleset NAME     the ruleset to lint with (default recommended)
#   --min-severity S   show findings of this severity or higher: error, warning, info, hint
#                      (default warning; counts are given for every severity)
#   --tsv FILE         also write the shown findings as rows to judge, in the columns of
#                      tests/precision/judged.tsv, with the verdict left as `?`
#   --judged FILE      compare with a judged file (tests/precision/judged.tsv): per rule,
#                      the judged findings still produced (true, false, noise), the judged
#                      ones gone, and the findings not judged yet
#   --corpus DIR       the corpus (default ../shared/corpus beside the repository)
#   --tally FILE       instead of sampling: lint every spec a judged file names, each under
#                      its ruleset, and print per rule the judged findings this build
#                      produces (judged, true, false, noise): the numbers of issue 10
#
# Reads the JSON report of the release binary (built first when stale).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$root/../shared/corpus"
seed=10
specs=100
per_rule=12
ruleset=recommended
min_severity=warning
tsv=""
judged=""
rules=""
tally=""
while [ $# -gt 0 ]; do
    case "$1" in
        --seed) seed="$2"; shift 2 ;;
        --specs) specs="$2"; shift 2 ;;
        --per-rule) per_rule="$2"; shift 2 ;;
        --ruleset) ruleset="$2"; shift 2 ;;
        --min-severity) min_severity="$2"; shift 2 ;;
        --rules) rules="$2"; shift 2 ;;
        --tsv) tsv="$2"; shift 2 ;;
        --judged) judged="$2"; shift 2 ;;
        --tally) tally="$2"; shift 2 ;;
        --corpus) corpus="$2"; shift 2 ;;
        -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ ! -d "$corpus/directory" ]; then
    echo "no corpus at $corpus/directory (use --corpus)" >&2
    exit 2
fi
corpus="$(cd "$corpus" && pwd)"
# The report is read from inside the corpus: make the files given absolute first.
absolute() { case "$1" in /*|"") printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
tsv="$(absolute "$tsv")"
judged="$(absolute "$judged")"
tally="$(absolute "$tally")"

(cd "$root" && cargo build --release --quiet --bin oaslint)

if [ -n "$tally" ]; then
    cd "$corpus"
    exec python3 - "$root/target/release/oaslint" "$tally" <<'EOF'
import collections, json, subprocess, sys
binary, judged_path = sys.argv[1:3]
rows = []
with open(judged_path) as handle:
    for line in handle:
        if line.startswith(("#", "spec\t")) or not line.strip():
            continue
        columns = line.rstrip("\n").split("\t") + ["", ""]
        spec, pointer, rule, verdict = columns[:4]
        rows.append((spec, pointer, rule, verdict, columns[5] or "recommended"))
produced = set()
for spec, ruleset in sorted({(row[0], row[4]) for row in rows}):
    run = subprocess.run([binary, "lint", "--no-config", "--ruleset", ruleset, "-f", "json", spec],
                         capture_output=True, text=True)
    for finding in json.loads(run.stdout)["findings"]:
        produced.add((spec, ruleset, finding["pointer"], finding["rule"]))
counts = collections.defaultdict(collections.Counter)
for spec, pointer, rule, verdict, ruleset in rows:
    if (spec, ruleset, pointer, rule) in produced:
        counts[rule][verdict] += 1
print("| rule | judged | true | false | noise |")
print("|---|---|---|---|---|")
total = collections.Counter()
for rule in sorted(counts):
    row = counts[rule]
    total.update(row)
    print(f"| {rule} | {sum(row.values())} | {row['true']} | {row['false']} | {row['noise']} |")
print(f"| all | {sum(total.values())} | {total['true']} | {total['false']} | {total['noise']} |")
EOF
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The sample: every document under directory/, sorted, then drawn with Python's seeded
# generator (the same on every machine and Python 3 version).
python3 - "$corpus" "$seed" "$specs" > "$work/sample" <<'EOF'
import os, random, sys
corpus, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
files = []
for base, dirs, names in os.walk(os.path.join(corpus, "directory")):
    dirs.sort()
    for name in names:
        if name.endswith((".yaml", ".yml", ".json")):
            files.append(os.path.relpath(os.path.join(base, name), corpus))
files.sort()
chosen = files if count == 0 else random.Random(seed).sample(files, min(count, len(files)))
for path in sorted(chosen):
    print(path)
EOF

cd "$corpus"
mapfile -t sample < "$work/sample"
# Exit 1 (findings) and 2 (input problems) are expected: the report is what matters.
"$root/target/release/oaslint" lint --no-config --ruleset "$ruleset" -f json "${sample[@]}" > "$work/report.json" || true

python3 - "$work/report.json" "$corpus" "$seed" "${#sample[@]}" "$per_rule" "$ruleset" "$min_severity" "$tsv" "$judged" "$rules" <<'EOF'
import json, random, re, sys
from collections import Counter, defaultdict

report_path, corpus, seed, spec_count, per_rule, ruleset, min_severity, tsv, judged_path, rules = sys.argv[1:11]
wanted_rules = set(filter(None, rules.split(",")))
seed, per_rule = int(seed), int(per_rule)
ranks = {"error": 0, "warning": 1, "info": 2, "hint": 3}
threshold = ranks[min_severity]
with open(report_path) as handle:
    report = json.load(handle)
findings = [f for f in report["findings"] if f["category"] == "rule" and not f["suppression"]]
sampled_specs = set(report["files"])

METHOD = re.compile(r'^(\s*)"?(get|put|post|delete|patch|head|options|trace|query)"?\s*:')

def indent(line):
    return len(line) - len(line.lstrip())

def excerpt(finding):
    """The operation the finding is about (from its method key), else the lines around it."""
    try:
        with open(f"{corpus}/{finding['file']}", encoding="utf-8", errors="replace") as handle:
            lines = handle.read().split("\n")
    except OSError:
        return ["    (file not readable)"]
    at = finding["start"]["line"] - 1
    start = None
    if finding.get("operation") and finding["pointer"].startswith(("/paths/", "/webhooks/")):
        for number in range(min(at, len(lines) - 1), max(-1, at - 400), -1):
            match = METHOD.match(lines[number])
            if match and match.group(2).upper() == finding["operation"]["method"] and indent(lines[number]) <= indent(lines[at]):
                start = number
                break
    if start is None:
        start = max(0, at - 6)
        chosen = list(range(start, min(len(lines), at + 8)))
    else:
        # The operation's own lines: those indented deeper than its method key.
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or indent(lines[end]) > indent(lines[start])):
            end += 1
        body = list(range(start, end))
        if len(body) > 45:
            head = body[:18]
            near = [n for n in body if at - 6 <= n <= at + 12 and n not in head]
            chosen = head + ([-1] if near and near[0] > head[-1] + 1 else []) + near
        else:
            chosen = body
        # The path key above the method, so the excerpt says which path.
        for number in range(start - 1, max(-1, start - 60), -1):
            if lines[number].strip() and indent(lines[number]) < indent(lines[start]):
                chosen = [number] + ([-1] if number + 1 < start else []) + chosen
                break
    out = []
    for number in chosen:
        if number < 0:
            out.append("         ...")
            continue
        marker = ">" if number == at else " "
        out.append(f"  {marker}{number + 1:5} {lines[number][:150]}")
    return out

counts = defaultdict(Counter)
for finding in findings:
    counts[finding["rule"]][finding["severity"]] += 1
shown = [f for f in findings if ranks[f["severity"]] <= threshold and (not wanted_rules or f["rule"] in wanted_rules)]
by_rule = defaultdict(list)
for finding in shown:
    by_rule[finding["rule"]].append(finding)

print(f"# precision sample: seed {seed}, {spec_count} specs of directory/, ruleset {ruleset}")
print()
print("| rule | error | warning | info | hint |")
print("|---|---|---|---|---|")
for rule in sorted(counts):
    row = counts[rule]
    print(f"| {rule} | {row['error']} | {row['warning']} | {row['info']} | {row['hint']} |")
print()

rows = []
for rule in sorted(by_rule):
    group = by_rule[rule]
    # At most a few per spec, so one spec's hundred copies do not fill the sample.
    per_spec = Counter()
    spread = []
    for finding in random.Random(f"{seed}:{rule}").sample(group, len(group)):
        if per_spec[finding["file"]] < 3:
            per_spec[finding["file"]] += 1
            spread.append(finding)
    picked = spread[:per_rule]
    print(f"## {rule}: {len(group)} at {min_severity} or above, {len(picked)} shown")
    for finding in sorted(picked, key=lambda f: (f["file"], f["start"]["offset"])):
        print()
        print(f"- {finding['file']} {finding['pointer']} ({finding['severity']})")
        print(f"  {finding['message']}")
        if finding.get("help"):
            print(f"  help: {finding['help']}")
        print("\n".join(excerpt(finding)))
        rows.append((finding["file"], finding["pointer"], rule))
    print()

if tsv:
    with open(tsv, "w") as handle:
        for spec, pointer, rule in rows:
            handle.write(f"{spec}\t{pointer}\t{rule}\t?\t\t{ruleset}\n")
    print(f"wrote {len(rows)} rows to judge to {tsv}")

if judged_path:
    produced = {(f["file"], f["pointer"], f["rule"]) for f in findings}
    tally = defaultdict(Counter)
    known = set()
    with open(judged_path) as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            columns = line.rstrip("\n").split("\t")
            spec, pointer, rule, verdict = columns[:4]
            row_ruleset = columns[5] if len(columns) > 5 and columns[5] else "recommended"
            if row_ruleset != ruleset or spec not in sampled_specs:
                continue
            known.add((spec, pointer, rule))
            state = "produced" if (spec, pointer, rule) in produced else "gone"
            tally[rule][f"{state} {verdict}"] += 1
    unjudged = Counter(f["rule"] for f in shown if (f["file"], f["pointer"], f["rule"]) not in known)
    print()
    print(f"## compared with {judged_path} (ruleset {ruleset})")
    print()
    print("| rule | produced: true | false | noise | gone: true | false | noise | not judged |")
    print("|---|---|---|---|---|---|---|---|")
    for rule in sorted(set(tally) | set(unjudged)):
        t = tally[rule]
        print(f"| {rule} | {t['produced true']} | {t['produced false']} | {t['produced noise']} "
              f"| {t['gone true']} | {t['gone false']} | {t['gone noise']} | {unjudged[rule]} |")
EOF
