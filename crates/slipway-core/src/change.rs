use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use regex::Regex;

/// One first-parent commit on trunk: a merge commit or a squash merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Full hex object id.
    pub sha: String,
    /// What the change does, in one line (the PR title where the message has one).
    pub title: String,
    /// Author name as git records it (lossy UTF-8).
    pub author: String,
    /// Author email.
    pub author_email: String,
    /// When it landed on trunk (committer time).
    pub merged_at: DateTime<Utc>,
    /// Pull/merge request number named by the message.
    pub pr: Option<u64>,
    /// Ticket keys such as `PAY-123`, in order of appearance, without repeats.
    pub tickets: Vec<String>,
    /// The change this one reverts (full sha), from `This reverts commit <sha>.`
    pub reverts: Option<String>,
    /// People named in `Co-authored-by:` trailers, as `Name <email>`.
    pub co_authors: Vec<String>,
    /// A true merge commit (two parents) rather than a squash.
    pub is_merge: bool,
}

/// What a commit message says about its change.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageFacts {
    /// The one-line title, with merge boilerplate and `(#12)` suffixes removed.
    pub title: String,
    /// Pull/merge request number.
    pub pr: Option<u64>,
    /// Ticket keys, in order, without repeats.
    pub tickets: Vec<String>,
    /// Sha of the reverted commit.
    pub reverts: Option<String>,
    /// `Co-authored-by:` trailers, as `Name <email>`, without repeats.
    pub co_authors: Vec<String>,
}

static GITHUB_MERGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Merge pull request #(\d+) from \S+").expect("valid regex"));
static GITLAB_MERGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^See merge request \S+!(\d+)\s*$").expect("valid regex"));
static GITLAB_SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Merge branch '.+' into '.+'$").expect("valid regex"));
static SQUASH_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*\(#(\d+)\)\s*$").expect("valid regex"));
static TICKET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z][A-Z0-9]{1,9}-[1-9][0-9]{0,6}\b").expect("valid regex"));
static CO_AUTHOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?mi)^co-authored-by:[ \t]*(.+?)[ \t]*$").expect("valid regex"));
static REVERTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^This reverts commit ([0-9a-f]{40})\.?\s*$").expect("valid regex")
});

/// Reads title, PR number, ticket keys and revert target out of a commit message.
///
/// Understands GitHub merge commits (`Merge pull request #12 from …` with the PR title
/// as the first body line), squash merges (`Title (#12)`), GitLab merge commits
/// (`See merge request group/proj!12`) and `git revert` messages.
pub fn parse_message(message: &str) -> MessageFacts {
    // Cheap substring checks guard every regex: the queue engine parses thousands of
    // messages on a cold read, and most have no merge boilerplate, trailers or reverts.
    let mut lines = message.lines().map(str::trim).filter(|l| !l.is_empty());
    let subject = lines.next().unwrap_or("");
    let mut first_body_line = || {
        lines
            .find(|l| !(l.starts_with("See merge request") && GITLAB_MERGE.is_match(l)))
            .unwrap_or(subject)
    };

    let mut pr = None;
    let mut title = subject;
    if let Some(c) = subject
        .starts_with("Merge pull request #")
        .then(|| GITHUB_MERGE.captures(subject))
        .flatten()
    {
        pr = c[1].parse().ok();
        title = first_body_line();
    } else if let Some(c) = message
        .contains("See merge request")
        .then(|| GITLAB_MERGE.captures(message))
        .flatten()
    {
        pr = c[1].parse().ok();
        if subject.starts_with("Merge branch '") && GITLAB_SUBJECT.is_match(subject) {
            title = first_body_line();
        }
    }
    let mut title = title.to_string();
    if let Some(c) = title
        .trim_end()
        .ends_with(')')
        .then(|| SQUASH_SUFFIX.captures(&title))
        .flatten()
    {
        pr = pr.or_else(|| c[1].parse().ok());
        let cut = c.get(0).map_or(title.len(), |m| m.start());
        title.truncate(cut);
    }

    let mut tickets: Vec<String> = Vec::new();
    for key in TICKET.find_iter(if message.contains('-') { message } else { "" }) {
        if !tickets.iter().any(|t| t == key.as_str()) {
            tickets.push(key.as_str().to_string());
        }
    }
    let reverts = message
        .contains("This reverts commit")
        .then(|| REVERTS.captures(message).map(|c| c[1].to_string()))
        .flatten();
    let mut co_authors: Vec<String> = Vec::new();
    let has_trailer = message.contains("uthored-by") || message.contains("UTHORED-BY");
    for c in CO_AUTHOR.captures_iter(if has_trailer { message } else { "" }) {
        let who = c[1].to_string();
        if !co_authors.contains(&who) {
            co_authors.push(who);
        }
    }
    MessageFacts {
        title: if title.is_empty() {
            "(no message)".into()
        } else {
            clip(title)
        },
        pr,
        tickets,
        reverts,
        co_authors,
    }
}

/// Titles are one line on a board: a runaway subject is cut at 200 characters.
fn clip(title: String) -> String {
    const MAX: usize = 200;
    match title.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &title[..cut]),
        None => title,
    }
}

/// The message of a fix cherry-picked onto an environment (the hotfix lane): the change's
/// title with its PR as `(#12)`, the description the original carried (merge boilerplate left
/// out), and a `Refs:` line for ticket keys the title does not name. The git adapter adds the
/// `(cherry picked from commit …)` line.
pub fn cherry_pick_message(original: &str) -> String {
    let facts = parse_message(original);
    let mut title = facts.title.clone();
    if let Some(pr) = facts.pr {
        title.push_str(&format!(" (#{pr})"));
    }
    let mut lines = original.lines();
    let subject = lines.next().unwrap_or("").trim();
    let boilerplate = |l: &str| {
        let l = l.trim();
        (l.starts_with("Merge pull request #") && GITHUB_MERGE.is_match(l))
            || (l.starts_with("See merge request") && GITLAB_MERGE.is_match(l))
            || (l.starts_with("Merge branch '") && GITLAB_SUBJECT.is_match(l))
    };
    // A merge's title came from its first body line: it is not repeated in the body.
    let mut skip_title = boilerplate(subject);
    let mut body: Vec<&str> = Vec::new();
    for line in lines {
        let t = line.trim();
        if boilerplate(t) || t.starts_with("(cherry picked from commit ") {
            continue;
        }
        if skip_title && !t.is_empty() {
            skip_title = false;
            continue;
        }
        body.push(line.trim_end());
    }
    while body.first().is_some_and(|l| l.is_empty()) {
        body.remove(0);
    }
    while body.last().is_some_and(|l| l.is_empty()) {
        body.pop();
    }
    let refs: Vec<&str> = facts
        .tickets
        .iter()
        .map(String::as_str)
        .filter(|t| !title.contains(t))
        .collect();
    let mut message = title;
    if !body.is_empty() {
        message.push_str("\n\n");
        message.push_str(&body.join("\n"));
    }
    if !refs.is_empty() {
        message.push_str(&format!("\n\nRefs: {}", refs.join(", ")));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(message: &str, title: &str, pr: Option<u64>, tickets: &[&str], reverts: Option<&str>) {
        let facts = parse_message(message);
        assert_eq!(facts.title, title, "title of {message:?}");
        assert_eq!(facts.pr, pr, "pr of {message:?}");
        assert_eq!(facts.tickets, tickets, "tickets of {message:?}");
        assert_eq!(facts.reverts.as_deref(), reverts, "reverts of {message:?}");
    }

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn reads_what_messages_say() {
        check(
            "Fix rounding in refunds (#123)",
            "Fix rounding in refunds",
            Some(123),
            &[],
            None,
        );
        check(
            "Merge pull request #12 from alice/fix-refunds\n\nPAY-42: Fix refunds\n",
            "PAY-42: Fix refunds",
            Some(12),
            &["PAY-42"],
            None,
        );
        check(
            "Merge pull request #7 from bob/x",
            "Merge pull request #7 from bob/x",
            Some(7),
            &[],
            None,
        );
        check(
            "Merge branch 'feat' into 'main'\n\nAdd ledger export\n\nSee merge request pay/core!34",
            "Add ledger export",
            Some(34),
            &[],
            None,
        );
        check(
            "Bump deps\n\nSee merge request g/p!9\n",
            "Bump deps",
            Some(9),
            &[],
            None,
        );
        check(
            &format!("Revert \"Add caching (#5)\"\n\nThis reverts commit {SHA}.\n"),
            "Revert \"Add caching (#5)\"",
            None,
            &[],
            Some(SHA),
        );
        check(
            &format!("Revert \"X\" (#9)\n\nThis reverts commit {SHA}.\n"),
            "Revert \"X\"",
            Some(9),
            &[],
            Some(SHA),
        );
        check(
            "PAY-1 OPS-22 and PAY-1 again",
            "PAY-1 OPS-22 and PAY-1 again",
            None,
            &["PAY-1", "OPS-22"],
            None,
        );
        check(
            "utf-8 is not a ticket, nor A-1 or PAY-0",
            "utf-8 is not a ticket, nor A-1 or PAY-0",
            None,
            &[],
            None,
        );
        check("", "(no message)", None, &[], None);
        let long = format!("{} (#5)", "é".repeat(1_000_000));
        let facts = parse_message(&long);
        assert_eq!((facts.title.chars().count(), facts.pr), (201, Some(5)));
        check("\n\n  \n", "(no message)", None, &[], None);
        check(
            "Title (#12) in the middle",
            "Title (#12) in the middle",
            None,
            &[],
            None,
        );
    }

    #[test]
    fn a_cherry_picked_fix_says_what_it_is_without_merge_boilerplate() {
        let cases: &[(&str, &str)] = &[
            (
                "Merge pull request #812 from acme/fix-rounding\n\nPAY-42: Round card totals to cents\n\nTotals were off by a cent for EUR.\n",
                "PAY-42: Round card totals to cents (#812)\n\nTotals were off by a cent for EUR.",
            ),
            (
                "Fix the retry loop (#77)\n\nIt never stopped.\nSee PAY-9 and OPS-3.",
                "Fix the retry loop (#77)\n\nIt never stopped.\nSee PAY-9 and OPS-3.\n\nRefs: PAY-9, OPS-3",
            ),
            (
                "Merge branch 'fix' into 'main'\n\nStop double charges\n\nSee merge request acme/pay!31",
                "Stop double charges (#31)",
            ),
            ("Bump timeout", "Bump timeout"),
        ];
        for (original, want) in cases {
            assert_eq!(cherry_pick_message(original), *want, "{original:?}");
        }
    }
}
