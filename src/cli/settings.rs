//! From configuration file and flags to what a command runs with. Flags win over the file.

use std::path::{Path, PathBuf};

use crate::checks::ruleset::{BUILTIN_NAMES, DEFAULT_RULESET, Level, Ruleset};
use crate::resolve::{LoadOptions, RefPolicy, normalize};
use crate::source::Limits;

use super::args::ConfigArgs;
use super::collect::Settings;
use super::config::{self, Config, RulesetRef, closest};
use super::discover::Selection;
use super::error::{CliError, did_you_mean};

/// The configuration the flags point to: `--config FILE`, none with `--no-config`, else
/// the nearest `.oaslint.yaml` from the working directory up.
pub fn load_config(args: &ConfigArgs, cwd: &Path) -> Result<Config, CliError> {
    let path = match (&args.config, args.no_config) {
        (Some(path), _) => Some(normalize(&cwd.join(path))),
        (None, true) => None,
        (None, false) => config::discover(cwd),
    };
    match path {
        Some(path) => {
            let shown = path.strip_prefix(cwd).unwrap_or(&path).to_string_lossy().into_owned();
            config::load(&path, shown)
        }
        None => Ok(Config { base_dir: cwd.to_owned(), ..Config::default() }),
    }
}

/// The ruleset: `--ruleset`, else the configuration's, else the default; with the
/// configuration's `rules:` severities applied on top.
pub fn ruleset(args: &ConfigArgs, config: &Config, cwd: &Path) -> Result<Ruleset, CliError> {
    let choice = match &args.ruleset {
        Some(text) => flag_ruleset(text, cwd)?,
        None => config.ruleset.clone().unwrap_or_else(|| RulesetRef::Builtin(DEFAULT_RULESET.to_owned())),
    };
    let base = match &choice {
        RulesetRef::Builtin(name) => Ruleset::builtin(name)?,
        // Named relative to the working directory where it can be: errors show that name.
        RulesetRef::File(path) => Ruleset::from_file(path.strip_prefix(cwd).unwrap_or(path))?,
    };
    with_severities(base, &choice, &config.rules)
}

fn flag_ruleset(text: &str, cwd: &Path) -> Result<RulesetRef, CliError> {
    let choice = RulesetRef::new(text, cwd);
    match &choice {
        RulesetRef::File(path) if !path.exists() && !RulesetRef::looks_like_path(text) => {
            Err(CliError::Usage(format!(
                "`--ruleset {text}`: no built-in ruleset or file of that name{} (the built-ins are: {})",
                did_you_mean(closest(text, BUILTIN_NAMES)),
                BUILTIN_NAMES.join(", ")
            )))
        }
        _ => Ok(choice),
    }
}

/// The ruleset with the configuration's severities: a ruleset that `extends` the chosen one
/// and sets only `checks`, so the loader merges it exactly as it merges a user's file.
fn with_severities(base: Ruleset, choice: &RulesetRef, rules: &[(String, Level)]) -> Result<Ruleset, CliError> {
    if rules.is_empty() {
        return Ok(base);
    }
    let extends = match choice {
        RulesetRef::Builtin(name) => name.clone(),
        RulesetRef::File(path) => normalize(path).to_string_lossy().into_owned(),
    };
    let checks: serde_json::Map<String, serde_json::Value> =
        rules.iter().map(|(id, level)| (id.clone(), serde_json::Value::from(level.as_str()))).collect();
    let patch = serde_json::json!({
        "name": base.name(),
        "title": base.title(),
        "extends": extends,
        "checks": checks,
    });
    Ok(Ruleset::from_str("<configuration>.json", &patch.to_string())?)
}

/// Everything `lint` needs.
pub fn lint_settings(args: &ConfigArgs, cwd: &Path) -> Result<Settings, CliError> {
    let config = load_config(args, cwd)?;
    let ruleset = ruleset(args, &config, cwd)?;
    let mut limits = Limits::default();
    if let Some(max) = config.max_file_size {
        limits.max_file_bytes = max;
    }
    limits.strict_yaml = config.strict_yaml;
    let load = LoadOptions {
        limits,
        refs: RefPolicy { allowed_roots: config.allowed_roots.iter().map(|root| normalize(root)).collect() },
        display_base: Some(cwd.to_owned()),
        max_files: 0,
    };
    let selection = Selection::new(&config.base_dir, &config.include, &config.exclude)?;
    Ok(Settings {
        ruleset,
        load,
        selection,
        cwd: cwd.to_owned(),
        config_file: config.file,
        overrides: config.overrides,
        config_dir: config.base_dir,
    })
}

/// The working directory, absolute.
pub fn current_dir() -> Result<PathBuf, CliError> {
    std::env::current_dir().map_err(CliError::CurrentDir)
}
