//! What the desktop window may call, checked: the capability grants exactly the app commands
//! of `app_commands.rs` (each by name), which are exactly the ones the UI calls, and the three core and plugin permissions the UI uses;
//! `main.rs` registers exactly those commands; every command the UI calls is among them; and
//! the content security policy forbids what the page never needs.

use std::collections::BTreeSet;
use std::path::Path;

include!("../app_commands.rs");

fn read(path: &str) -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// Every `"name"` string after `marker` up to `end`.
fn quoted_between(text: &str, marker: &str, end: &str) -> Vec<String> {
    let start = text.find(marker).expect("marker") + marker.len();
    let rest = &text[start..];
    let rest = &rest[..rest.find(end).expect("end")];
    rest.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_window_may_call_only_what_the_ui_uses() {
    let capability = read("capabilities/default.json");
    let granted: BTreeSet<String> = quoted_between(&capability, "\"permissions\": [", "]")
        .into_iter()
        .collect();
    let mut want: BTreeSet<String> = APP_COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    want.extend(
        [
            "core:event:allow-listen",
            "core:event:allow-unlisten",
            "dialog:allow-open",
        ]
        .map(String::from),
    );
    assert_eq!(granted, want, "the capability grants exactly these");
    assert!(
        !granted.iter().any(|p| p.ends_with(":default")),
        "no default sets (core:default grants tray, menu, path, image, resources, emit): {granted:?}"
    );
    assert!(
        capability.contains("\"windows\": [\n    \"main\"\n  ]"),
        "{capability}"
    );

    // main.rs registers exactly the listed commands.
    let main = read("src/main.rs");
    let handler = &main[main.find("generate_handler![").expect("a handler list")..];
    let handler = &handler[..handler.find(']').unwrap()];
    let registered: BTreeSet<&str> = handler
        .split("commands::")
        .skip(1)
        .map(|s| {
            s.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .next()
                .unwrap()
        })
        .collect();
    let listed: BTreeSet<&str> = APP_COMMANDS.iter().copied().collect();
    assert_eq!(
        registered, listed,
        "main.rs and app_commands.rs list the same commands"
    );

    // Every command the UI calls is granted.
    let mut called = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = path.to_string_lossy().to_string();
            if path.is_dir() {
                stack.push(path);
            } else if (name.ends_with(".ts") || name.ends_with(".tsx")) && !name.contains(".test.")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("call") {
                    let rest = &text[at + 4..];
                    // call("x", …), call<T>("x", …), callStreaming<T>("x", …)
                    let rest = rest.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                    let rest = if let Some(r) = rest.strip_prefix('<') {
                        match r.find(">(") {
                            Some(end) => &r[end + 1..],
                            None => continue,
                        }
                    } else {
                        rest
                    };
                    if let Some(r) = rest.strip_prefix("(\"") {
                        let command: String = r
                            .chars()
                            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                            .collect();
                        if r[command.len()..].starts_with('"') && !command.is_empty() {
                            called.insert(command);
                        }
                    }
                }
            }
        }
    }
    assert!(called.len() > 30, "the UI's calls were found: {called:?}");
    let ungranted: Vec<&String> = called
        .iter()
        .filter(|c| !listed.contains(c.as_str()))
        .collect();
    assert!(
        ungranted.is_empty(),
        "the UI calls commands the window may not: {ungranted:?}"
    );

    // The page may not be framed, post forms or rebase its URLs.
    let config = read("tauri.conf.json");
    for directive in [
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "default-src 'self'",
    ] {
        assert!(config.contains(directive), "the CSP lacks {directive}");
    }
}
