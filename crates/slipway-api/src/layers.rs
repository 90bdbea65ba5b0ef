//! The crate's modules point one way: [`ORDER`] lists them bottom-up, and a module may use
//! only those listed before it. This test reads `src/` and fails on an arrow that points up
//! (or around, through the crate root's re-exports), and on a module missing from the list.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The crate's modules, bottom-up. Shared modules first (they use only `error` and each
/// other, downwards), then one per domain noun, then the views that combine domains, then the
/// front ends' session.
pub(crate) const ORDER: &[&str] = &[
    // Shared.
    "error",
    "time",
    "clock",
    "preferences",
    "identity",
    "secrets",
    "workspace",
    "logging",
    "repos",
    "dto",
    // Domains.
    "projects",
    "detect",
    "fetch",
    "guard",
    "preview",
    "notifications",
    "gates",
    "follow_ups",
    "audit",
    "promotion",
    "policies",
    "clocks",
    "requests",
    // Views over several domains.
    "board",
    "inbox",
    "sla",
    "escalations",
    "aging",
    "dora",
    "postmortem",
    "watch",
    // Front-end helpers.
    "demo",
    "settings",
    "session",
];

/// Modules that only tests compile.
const TEST_ONLY: &[&str] = &["bindings", "layers"];

/// The modules `lib.rs` declares.
fn declared(src: &Path) -> Vec<String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    lib.lines()
        .filter_map(|l| l.trim().strip_prefix("mod "))
        .filter_map(|l| l.strip_suffix(';'))
        .map(str::to_string)
        .filter(|m| !TEST_ONLY.contains(&m.as_str()))
        .collect()
}

/// Every `.rs` file of a top-level module (a file, or a folder with `mod.rs`).
fn files_of(src: &Path, module: &str) -> Vec<PathBuf> {
    let file = src.join(format!("{module}.rs"));
    if file.is_file() {
        return vec![file];
    }
    let mut out = Vec::new();
    let mut stack = vec![src.join(module)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// The first path segment after each `crate::` in `text` (`use crate::{a::x, b}` counts a, b).
fn crate_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

/// Arrows that point up or around: (module, what it uses, why).
fn violations(src: &Path, order: &[&str]) -> Vec<String> {
    let order: Vec<String> = order.iter().map(|m| m.to_string()).collect();
    let rank: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for (i, module) in order.iter().enumerate() {
        for file in files_of(src, module) {
            let text = std::fs::read_to_string(&file).unwrap();
            // Test modules may reach anything; only the code proper is layered.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for used in crate_paths(code) {
                match rank.get(used.as_str()) {
                    Some(&j) if j > i => out.push(format!(
                        "{}: uses crate::{used}, which comes after {module} in the order",
                        file.display()
                    )),
                    Some(_) => {}
                    None => out.push(format!(
                        "{}: uses crate::{used} through the crate root; name its module",
                        file.display()
                    )),
                }
            }
        }
    }
    out
}

#[test]
fn modules_only_use_modules_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = violations(&src, ORDER);
    for module in declared(&src) {
        if !ORDER.contains(&module.as_str()) {
            found.push(format!(
                "{module} is declared in lib.rs but missing from ORDER"
            ));
        }
    }
    assert!(
        found.is_empty(),
        "arrows that point up:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checker_sees_an_arrow_up_and_a_path_through_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();

    std::fs::write(src.join("high.rs"), "use crate::low::X;\n").unwrap();
    std::fs::write(
        src.join("low.rs"),
        "use crate::{high::Y, Z};\n#[cfg(test)]\nuse crate::high::T;\n",
    )
    .unwrap();
    let found = violations(src, &["low", "high"]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("uses crate::high, which comes after low in the order"));
    assert!(found[1].contains("uses crate::Z through the crate root"));
}
