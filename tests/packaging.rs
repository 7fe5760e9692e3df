//! The packages built around the binary agree with Cargo.toml, the one source of the version:
//! the wheel (python/pyproject.toml takes its version from Cargo.toml through maturin), the
//! pre-commit shim (the root pyproject.toml, whose backend reads Cargo.toml), the npm
//! packages (npm/oaslint/package.json states it, for npm), the release workflow's targets
//! and the README's snippets. scripts/test-python-package.sh and scripts/test-npm-package.sh
//! build and run the packages themselves.

use std::collections::BTreeSet;
use std::path::Path;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|err| panic!("cannot read {}: {err}", full.display()))
}

fn json(path: &str) -> serde_json::Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|err| panic!("{path} is not JSON: {err}"))
}

/// The lines of a TOML table, `[name]` excluded, comments and blank lines left out.
fn toml_table<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let header = format!("[{name}]");
    text.lines()
        .map(str::trim)
        .skip_while(|line| *line != header)
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

fn has_key(table: &[&str], key: &str) -> bool {
    table.iter().any(|line| line.split('=').next().is_some_and(|name| name.trim() == key))
}

#[test]
fn wheel_takes_the_version_from_cargo() {
    let pyproject = read("python/pyproject.toml");
    let project = toml_table(&pyproject, "project");
    assert!(project.contains(&r#"name = "oaslint""#), "python/pyproject.toml names another project");
    assert!(
        project.contains(&r#"dynamic = ["version"]"#),
        "python/pyproject.toml must leave the version to Cargo.toml"
    );
    assert!(!has_key(&project, "version"), "python/pyproject.toml states a version of its own");
    let maturin = toml_table(&pyproject, "tool.maturin");
    for line in [r#"manifest-path = "../Cargo.toml""#, r#"bindings = "bin""#] {
        assert!(maturin.contains(&line), "python/pyproject.toml's [tool.maturin] lacks {line}");
    }
}

#[test]
fn pre_commit_shim_takes_the_version_from_cargo() {
    let pyproject = read("pyproject.toml");
    let project = toml_table(&pyproject, "project");
    assert!(project.contains(&r#"dynamic = ["version", "dependencies"]"#), "{project:?}");
    assert!(!has_key(&project, "version") && !has_key(&project, "dependencies"), "{project:?}");
    let build = toml_table(&pyproject, "build-system");
    assert!(build.contains(&r#"build-backend = "pre_commit_shim""#), "{build:?}");
    // What the backend pins is checked by building it (scripts/test-python-package.sh).
    assert!(read("python/pre_commit_shim.py").contains(r#""Requires-Dist: oaslint=={version}\n""#));
}

#[test]
fn npm_packages_have_cargos_version() {
    let package = json("npm/oaslint/package.json");
    assert_eq!(package["version"], VERSION, "npm/oaslint/package.json's version is not Cargo.toml's");
    let platforms = json("npm/oaslint/platforms.json");
    let platforms = platforms.as_object().expect("platforms.json is an object");
    let expected: BTreeSet<String> = platforms.keys().map(|name| format!("@oaslint/{name}@{VERSION}")).collect();
    let listed: BTreeSet<String> = package["optionalDependencies"]
        .as_object()
        .expect("npm/oaslint/package.json has optionalDependencies")
        .iter()
        .map(|(name, range)| format!("{name}@{}", range.as_str().unwrap_or("?")))
        .collect();
    assert_eq!(listed, expected, "optionalDependencies must be every platform package, at exactly {VERSION}");
    for (name, platform) in platforms {
        let binary = if platform["os"] == "win32" { "oaslint.exe" } else { "oaslint" };
        assert_eq!(platform["binary"], binary, "{name}");
        assert!(
            name.starts_with(&format!(
                "{}-{}",
                platform["os"].as_str().unwrap_or("?"),
                platform["cpu"].as_str().unwrap_or("?")
            )),
            "{name}"
        );
        assert_eq!(name.ends_with("-musl"), platform["libc"] == "musl", "{name}");
    }
}

#[test]
fn release_workflow_builds_every_npm_platform() {
    let workflow = read(".github/workflows/release.yml");
    let platforms = json("npm/oaslint/platforms.json");
    for (name, platform) in platforms.as_object().expect("platforms.json is an object") {
        let target = platform["target"].as_str().expect("a target");
        let line = format!("- {{ target: {target}, npm: {name},");
        assert!(workflow.contains(&line), "release.yml's matrix has no `{line} ...` entry");
    }
}

#[test]
fn readme_snippets_name_this_version() {
    let readme = read("README.md");
    let revs: Vec<&str> = readme.lines().filter_map(|line| line.trim().strip_prefix("rev: ")).collect();
    assert!(!revs.is_empty(), "the README has no pre-commit snippet");
    for rev in revs {
        assert_eq!(rev, format!("v{VERSION}"), "a README pre-commit snippet pins another version");
    }
    // `pipx install oaslint==0.1.0` in the CI recipes.
    for rest in readme.split("oaslint==").skip(1) {
        let pin: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '.').collect();
        assert_eq!(pin, VERSION, "a README snippet pins oaslint=={pin}");
    }
}

#[test]
fn crate_tarball_has_the_build_script_and_licences() {
    let manifest = read("Cargo.toml");
    let include = manifest.lines().find(|line| line.starts_with("include = ")).expect("Cargo.toml has include");
    for file in ["build.rs", "LICENSE-MIT", "LICENSE-APACHE", "README.md"] {
        assert!(include.contains(&format!("\"{file}\"")), "Cargo.toml's include lacks {file}");
        assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join(file).is_file(), "{file} is missing");
    }
}
