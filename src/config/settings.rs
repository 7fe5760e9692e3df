//! From configuration file and a front end's choices (flags, editor settings) to what the
//! pipeline runs with. Choices win over the file.

use std::path::{Path, PathBuf};

use crate::checks::ruleset::{BUILTIN_NAMES, CHECK_IDS, DEFAULT_RULESET, Level, Ruleset};
use crate::pipeline::{Selection, Settings};
use crate::resolve::{LoadOptions, Overlay, RefPolicy, normalize};
use crate::source::Limits;

use super::{Config, RulesetRef, SettingsError, closest, did_you_mean};

/// Where the configuration and the ruleset come from, as a front end chose them
/// (`--config`, `--no-config`, `--ruleset`); all unset: the nearest `.oaslint.yaml`.
#[derive(Clone, Debug, Default)]
pub struct ConfigChoice {
    /// Read this configuration file (relative to the working directory).
    pub config: Option<PathBuf>,
    /// Read no configuration file.
    pub no_config: bool,
    /// A built-in ruleset name or a ruleset file; wins over the configuration's.
    pub ruleset: Option<String>,
}

/// The configuration the flags point to: `--config FILE`, none with `--no-config`, else
/// the nearest `.oaslint.yaml` from the working directory up.
pub fn load_config(args: &ConfigChoice, cwd: &Path) -> Result<Config, SettingsError> {
    let path = match (&args.config, args.no_config) {
        (Some(path), _) => Some(normalize(&cwd.join(path))),
        (None, true) => None,
        (None, false) => super::discover(cwd),
    };
    match path {
        Some(path) => {
            let shown = path.strip_prefix(cwd).unwrap_or(&path).to_string_lossy().into_owned();
            super::load(&path, shown)
        }
        None => Ok(Config { base_dir: cwd.to_owned(), ..Config::default() }),
    }
}

/// The ruleset: `--ruleset`, else the configuration's, else the default; with the
/// configuration's `rules:` severities applied on top.
pub fn ruleset(args: &ConfigChoice, config: &Config, cwd: &Path) -> Result<Ruleset, SettingsError> {
    let choice = match &args.ruleset {
        Some(text) => flag_ruleset(text, cwd)?,
        None => config.ruleset.clone().unwrap_or_else(|| RulesetRef::Builtin(DEFAULT_RULESET.to_owned())),
    };
    let base = match &choice {
        RulesetRef::Builtin(name) => Ruleset::builtin(name)?,
        // Named relative to the working directory where it can be: errors show that name.
        // On the command line it is the user's own choice and may lie anywhere; named by
        // a configuration (which may come with a pull request), it must lie under the
        // configuration's directory or `refs.allowed_roots`.
        RulesetRef::File(path) => {
            let shown = path.strip_prefix(cwd).unwrap_or(path);
            let roots = config.ruleset_roots();
            if args.ruleset.is_some() {
                Ruleset::from_file_with_roots(shown, &roots)?
            } else {
                Ruleset::from_file_within(shown, &roots)?
            }
        }
    };
    with_severities(base, &config.rules)
}

fn flag_ruleset(text: &str, cwd: &Path) -> Result<RulesetRef, SettingsError> {
    let choice = RulesetRef::new(text, cwd);
    match &choice {
        RulesetRef::File(path) if !path.exists() && !RulesetRef::looks_like_path(text) => {
            Err(SettingsError::Usage(format!(
                "`--ruleset {text}`: no built-in ruleset or file of that name{} (the built-ins are: {})",
                did_you_mean(closest(text, BUILTIN_NAMES)),
                BUILTIN_NAMES.join(", ")
            )))
        }
        _ => Ok(choice),
    }
}

/// The ruleset with the configuration's severities: a ruleset that sets only `checks`,
/// applied onto the chosen one as the loader applies a file onto the one it extends.
fn with_severities(base: Ruleset, rules: &[(String, Level)]) -> Result<Ruleset, SettingsError> {
    let checks: serde_json::Map<String, serde_json::Value> = rules
        .iter()
        .filter(|(id, _)| CHECK_IDS.contains(&id.as_str()))
        .map(|(id, level)| (id.clone(), serde_json::Value::from(level.as_str())))
        .collect();
    if checks.is_empty() {
        return Ok(base);
    }
    let patch = serde_json::json!({
        "name": base.name(),
        "title": base.title(),
        "checks": checks,
    });
    Ok(base.patched("<configuration>.json", &patch.to_string())?)
}

/// Everything `lint` needs.
pub fn lint_settings(args: &ConfigChoice, cwd: &Path) -> Result<Settings, SettingsError> {
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
        overlay: Overlay::default(),
    };
    let selection = Selection::new(&config.base_dir, &config.include, &config.exclude)?;
    let mut read = ruleset.files().to_vec();
    if let (Some(file), Some(identity)) = (&config.file, config.file_identity) {
        read.push((file.strip_prefix(cwd).unwrap_or(file).to_string_lossy().into_owned(), identity));
    }
    // What is not a check (`unused-suppression`, the input warnings) is set on the findings.
    let levels = config.rules.iter().filter(|(id, _)| !CHECK_IDS.contains(&id.as_str())).cloned().collect();
    Ok(Settings {
        read,
        levels,
        ruleset,
        load,
        selection,
        cwd: cwd.to_owned(),
        config_file: config.file,
        overrides: config.overrides,
        config_dir: config.base_dir,
        response_map: false,
    })
}

/// The working directory, absolute.
pub fn current_dir() -> Result<PathBuf, SettingsError> {
    std::env::current_dir().map_err(SettingsError::CurrentDir)
}
