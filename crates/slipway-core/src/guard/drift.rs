//! Which files the drift view compares: the files that configure an environment.

use super::FileOwners;

/// Extensions of configuration files.
const CONFIG_EXTENSIONS: &[&str] = &[
    "toml",
    "yaml",
    "yml",
    "json",
    "ini",
    "env",
    "properties",
    "conf",
    "cfg",
    "hcl",
    "tfvars",
    "xml",
    "config",
];

/// Folders whose files configure a deployment.
const CONFIG_FOLDERS: &[&str] = &[
    "config",
    "configs",
    "conf",
    "deploy",
    "deployment",
    "deployments",
    "helm",
    "k8s",
    "kubernetes",
    "environments",
    "overlays",
    "charts",
    "terraform",
    "infra",
];

/// Whether the drift view shows `path`: an environment's own file (the guard's `<env>`
/// patterns), a `.env` file, or a configuration file (by extension) — lock files aside.
pub fn is_config_path(owners: &FileOwners, path: &str) -> bool {
    if owners.owner(path).is_some() {
        return true;
    }
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if name.contains("lock") {
        return false;
    }
    if name == ".env" || name.starts_with(".env.") || name.ends_with(".env") {
        return true;
    }
    let in_config_folder = path
        .split('/')
        .rev()
        .skip(1)
        .any(|dir| CONFIG_FOLDERS.contains(&dir.to_ascii_lowercase().as_str()));
    let extension = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    CONFIG_EXTENSIONS.contains(&extension) || (in_config_folder && !name.ends_with(".md"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_files_are_told_from_the_rest() {
        let owners = FileOwners::new(
            &["qa".into(), "production".into()],
            &["config/<env>.*".into(), "values-<env>.yaml".into()],
        )
        .unwrap();
        let cases = [
            ("config/production.toml", true),
            ("values-qa.yaml", true),
            ("config/app.toml", true),
            (".env", true),
            (".env.production", true),
            ("deploy/payments.service", true),
            ("helm/templates/deployment.tpl", true),
            ("src/orders.rs", false),
            ("README.md", false),
            ("deploy/README.md", false),
            ("package-lock.json", false),
            ("Cargo.lock", false),
            ("settings.json", true),
        ];
        for (path, want) in cases {
            assert_eq!(is_config_path(&owners, path), want, "{path}");
        }
    }
}
