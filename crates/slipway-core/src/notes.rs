use crate::Change;

/// Totals of a promotion's file changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DiffTotals {
    /// Files touched.
    pub files: usize,
    /// Lines added.
    pub additions: usize,
    /// Lines removed.
    pub deletions: usize,
}

/// Release notes for a promotion, as Markdown: what ships (each change with its PR, tickets
/// and author), the tickets, and what stays behind.
pub fn release_notes(
    project: &str,
    environment: &str,
    shipping: &[Change],
    left_behind: &[Change],
    totals: DiffTotals,
) -> String {
    let mut md = format!("## {project} → {environment}\n\n");
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    md.push_str(&format!(
        "{} · {} · +{} −{}\n",
        plural(shipping.len(), "change", "changes"),
        plural(totals.files, "file", "files"),
        totals.additions,
        totals.deletions
    ));
    if shipping.is_empty() {
        md.push_str("\nNothing to ship: the environment has everything its upstream has.\n");
    } else {
        md.push_str("\n### Changes\n\n");
        for c in shipping {
            md.push_str(&format!(
                "- {}{}",
                escape(&c.title),
                c.pr.map(|n| format!(" (#{n})")).unwrap_or_default()
            ));
            md.push_str(&format!(" — {}", escape(&c.author)));
            if c.reverts.is_some() {
                md.push_str(" *(revert)*");
            }
            md.push('\n');
        }
        let mut tickets: Vec<&str> = shipping
            .iter()
            .flat_map(|c| c.tickets.iter().map(String::as_str))
            .collect();
        tickets.sort_unstable();
        tickets.dedup();
        if !tickets.is_empty() {
            md.push_str(&format!("\n### Tickets\n\n{}\n", tickets.join(", ")));
        }
    }
    if !left_behind.is_empty() {
        md.push_str(&format!("\n### Staying behind ({})\n\n", left_behind.len()));
        for c in left_behind {
            md.push_str(&format!(
                "- {}{}\n",
                escape(&c.title),
                c.pr.map(|n| format!(" (#{n})")).unwrap_or_default()
            ));
        }
    }
    md
}

/// Commit text is not Markdown: keep `*`, `_`, `` ` `` and friends literal.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if "\\`*_[]<>#|".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn change(title: &str, pr: Option<u64>, tickets: &[&str]) -> Change {
        Change {
            sha: "0".repeat(40),
            title: title.into(),
            author: "Zoë".into(),
            author_email: "z@x".into(),
            merged_at: Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap(),
            pr,
            tickets: tickets.iter().map(|t| t.to_string()).collect(),
            reverts: None,
            co_authors: vec![],
            is_merge: true,
        }
    }

    #[test]
    fn notes_list_what_ships_and_what_stays() {
        let md = release_notes(
            "payments",
            "production",
            &[
                change("PAY-2: Fix *rounding*", Some(12), &["PAY-2"]),
                change("Tidy", None, &["OPS-1", "PAY-2"]),
            ],
            &[change("Later", Some(14), &[])],
            DiffTotals {
                files: 3,
                additions: 20,
                deletions: 4,
            },
        );
        let want = "## payments → production\n\n2 changes · 3 files · +20 −4\n\n### Changes\n\n\
                    - PAY-2: Fix \\*rounding\\* (#12) — Zoë\n- Tidy — Zoë\n\n### Tickets\n\nOPS-1, PAY-2\n\n\
                    ### Staying behind (1)\n\n- Later (#14)\n";
        assert_eq!(md, want);
        let empty = release_notes("p", "qa", &[], &[], DiffTotals::default());
        assert!(
            empty.contains("0 changes · 0 files") && empty.contains("Nothing to ship"),
            "{empty}"
        );
    }
}
