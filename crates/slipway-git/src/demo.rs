//! The demo repository: about a month of realistic, reproducible trunk history.
//!
//! Everything is derived from a seeded generator and the `anchor` instant (the end of the
//! history): the same anchor always gives the same commits, byte for byte.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc, Weekday};
use git2::{build::TreeUpdateBuilder, FileMode, Oid, Repository, RepositoryInitOptions, Signature};
use rand::{seq::IndexedRandom, Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::GitError;

/// The demo pipeline: each environment's name, and how many hours behind trunk's newest
/// change it stands (it never stands fewer than two changes behind its upstream).
pub const DEMO_ENVIRONMENTS: [(&str, i64); 3] = [("qa", 3), ("staging", 26), ("production", 100)];

/// What [`write_demo`] made.
#[derive(Debug, Clone)]
pub struct DemoRepo {
    /// The working clone Slipway reads.
    pub clone: PathBuf,
    /// Its bare `origin`.
    pub origin: PathBuf,
    /// The trunk branch.
    pub trunk: String,
    /// How many first-parent changes trunk has (the initial commit included).
    pub changes: usize,
}

const AUTHORS: [(&str, &str, &str); 7] = [
    ("Amara Okafor", "amara@payments.example", "amara"),
    ("Zoë Müller", "zoe@payments.example", "zoe"),
    ("Ravi Raman", "ravi@payments.example", "ravi"),
    ("Søren Kjær", "soren@payments.example", "soren"),
    ("Hana Sato", "hana@payments.example", "hana"),
    ("Lucas Ferreira", "lucas@payments.example", "lucas"),
    ("Grace Liu", "grace@payments.example", "grace"),
];

const AREAS: [(&str, &[&str]); 7] = [
    ("checkout", &["cart", "session", "pricing", "tax"]),
    ("refunds", &["partial", "ledger_sync", "notify"]),
    ("ledger", &["entries", "reconcile", "export"]),
    ("fraud", &["rules", "scoring", "velocity"]),
    ("webhooks", &["delivery", "retry", "signature"]),
    ("api", &["routes", "auth", "rate_limit", "errors"]),
    ("payouts", &["schedule", "bank_files", "fx"]),
];

const VERBS: [&str; 12] = [
    "Fix", "Add", "Handle", "Retry", "Validate", "Speed up", "Log", "Refactor", "Guard", "Cache",
    "Document", "Clean up",
];

const OBJECTS: [&str; 16] = [
    "rounding in partial refunds",
    "duplicate webhook deliveries",
    "currency conversion for JPY",
    "idempotency keys on capture",
    "timeouts talking to the acquirer",
    "ledger export for month end",
    "3-D Secure challenge flow",
    "velocity limits per card",
    "retry backoff for payouts",
    "tax lines on mixed carts",
    "error codes in the public API",
    "signature checks on callbacks",
    "bank file generation for SEPA",
    "stale sessions at checkout",
    "reconciliation mismatches",
    "rate limiting per merchant",
];

/// Each environment's configuration, and the shared one, as the initial commit has them.
const CONFIG_FILES: [(&str, &str); 5] = [
    (
        "config/app.toml",
        "# Shared by every environment.\n[http]\ntimeout_secs = 30\nretries = 3\n",
    ),
    (
        "config/qa.toml",
        "# Payments in qa\n[orders]\nsource = \"https://orders.qa.payments.example/v1\"\nbatch_size = 50\n\n[database]\nname = \"payments_qa\"\nhost = \"db-qa-1.payments.example\"\n",
    ),
    (
        "config/staging.toml",
        "# Payments in staging\n[orders]\nsource = \"https://orders.staging.payments.example/v1\"\nbatch_size = 200\n\n[database]\nname = \"payments_staging\"\nhost = \"db-staging-1.payments.example\"\n",
    ),
    (
        "config/production.toml",
        "# Payments in production\n[orders]\nsource = \"https://orders.internal.payments.example/v1\"\nbatch_size = 200\n\n[database]\nname = \"payments_prod\"\nhost = \"db-prod-1.payments.example\"\n",
    ),
    (
        "config/perf.toml",
        "# The performance-test environment: synthetic orders, at load.\n[orders]\nsource = \"https://orders.perf.payments.example:8443/v1\"\nbatch_size = 5000\nsynthetic = true\n\n[database]\nname = \"payments_perf\"\nhost = \"db-perf-1.payments.example\"\n",
    ),
];

/// The title of the demo change that carries the perf host into production's config.
pub const LEAK_TITLE: &str = "PAY-512: Point order intake at the new orders source";

/// The line it writes into `config/production.toml` (line 3).
const LEAKED_LINE: &str = "source = \"https://orders.perf.payments.example:8443/v1\"";

/// What a demo change carries besides its generated edits.
#[derive(Clone, Copy)]
enum Extra<'a> {
    /// A feature flag file, with the change's title.
    Flag(&'a str, &'a str),
    /// The config leak.
    Leak,
}

/// Writes the demo repository under `dir` (`dir/payments` and `dir/payments.git`), with
/// history ending at `anchor`, `deploy/<env>` branches for [`DEMO_ENVIRONMENTS`], and pushes
/// everything to the bare origin.
pub fn write_demo(dir: &Path, anchor: DateTime<Utc>) -> Result<DemoRepo, GitError> {
    let clone_path = dir.join("payments");
    let origin_path = dir.join("payments.git");
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main").no_reinit(true);
    let repo = Repository::init_opts(&clone_path, &opts)?;
    let mut bare_opts = RepositoryInitOptions::new();
    bare_opts.bare(true).initial_head("main").no_reinit(true);
    Repository::init_opts(&origin_path, &bare_opts)?;

    let mut rng = ChaCha8Rng::seed_from_u64(0x5119_3a7e);
    let times = merge_times(&mut rng, anchor);
    let mut writer = Writer {
        repo: &repo,
        rng,
        files: Vec::new(),
    };

    let start = times[0] - Duration::hours(20);
    let newest = times.last().copied().unwrap_or(anchor);
    let deployments = environment_moves(&times, start, newest);
    // The config leak: the newest change staging runs and production does not yet carries
    // the perf-test environment's orders host into production's config, so production's
    // Promote shows the config guard's block on first run.
    let leak = deployments
        .iter()
        .find(|(env, _)| *env == "staging")
        .and_then(|(_, moves)| moves.last())
        .and_then(|&(_, at)| at.checked_sub(1));
    let mut head = writer.initial_commit(start)?;
    let mut first_parents = vec![head];
    let mut pr = 1180u64;
    let mut pending_revert: Option<(Oid, String, usize)> = None;
    for (i, at) in times.iter().enumerate() {
        pr += writer.rng.random_range(1..=3);
        let author = *AUTHORS.choose(&mut writer.rng).expect("authors");
        head = match pending_revert.take() {
            p if leak == Some(i) => {
                pending_revert = p;
                writer.change(head, *at, author, pr, Some(Extra::Leak))?
            }
            Some((sha, file, due)) if due <= i => writer.revert(head, *at, author, sha, &file)?,
            Some(p) => {
                pending_revert = Some(p);
                writer.change(head, *at, author, pr, None)?
            }
            None if i % 53 == 17 => {
                let file = format!("src/flags/experiment_{i}.rs");
                let title = format!("Roll out {} behind a flag", OBJECTS[i % OBJECTS.len()]);
                let oid = writer.change(head, *at, author, pr, Some(Extra::Flag(&file, &title)))?;
                pending_revert = Some((oid, file, i + writer.rng.random_range(2..6)));
                oid
            }
            None => writer.change(head, *at, author, pr, None)?,
        };
        first_parents.push(head);
    }

    repo.reference("refs/heads/main", head, true, "demo: trunk")?;
    write_reflog(
        &repo,
        "refs/heads/main",
        &[(newest, head)],
        "merged into main",
    )?;
    repo.set_head("refs/heads/main")?;
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;

    // Each environment takes its upstream's position at its deploy slots, computed before the
    // history is written (it depends on the merge times only).
    for (env, moves) in &deployments {
        let env = *env;
        let ceiling = moves.last().map_or(0, |m| m.1);
        let refname = format!("refs/heads/deploy/{env}");
        repo.reference(&refname, first_parents[ceiling], true, "demo: environment")?;
        let mut entries: Vec<(DateTime<Utc>, Oid)> =
            moves.iter().map(|&(t, i)| (t, first_parents[i])).collect();
        let moves = moves.as_slice();
        if env == "production" && moves.len() >= 6 {
            // A month of production has its bad days: the third deployment is rolled back
            // three hours later, and five hours after the fifth a hotfix goes straight out.
            let hotfix =
                writer.hotfix(first_parents[moves[4].1], moves[4].0 + Duration::hours(5))?;
            entries.insert(5, (moves[4].0 + Duration::hours(5), hotfix));
            repo.reference(
                "refs/heads/hotfix/callback-timeouts",
                hotfix,
                true,
                "demo: hotfix",
            )?;
            entries.insert(
                3,
                (moves[2].0 + Duration::hours(3), first_parents[moves[1].1]),
            );
        }
        write_reflog(&repo, &refname, &entries, &format!("deployed to {env}"))?;
    }

    let mut remote = repo.remote("origin", &origin_path.to_string_lossy())?;
    let mut specs = vec!["refs/heads/main:refs/heads/main".to_string()];
    specs.extend(
        DEMO_ENVIRONMENTS
            .iter()
            .map(|(e, _)| format!("refs/heads/deploy/{e}:refs/heads/deploy/{e}")),
    );
    remote.push(&specs, None)?;
    remote.fetch::<&str>(&[], None, None)?;
    let mut config = repo.config()?;
    config.set_str("branch.main.remote", "origin")?;
    config.set_str("branch.main.merge", "refs/heads/main")?;

    Ok(DemoRepo {
        clone: clone_path,
        origin: origin_path,
        trunk: "main".into(),
        changes: first_parents.len(),
    })
}

/// A deployment of the demo: when, and the index into trunk's first-parent line.
type Move = (DateTime<Utc>, usize);

/// Each demo environment's deployments (instant, index into trunk's first-parent line, 0
/// the initial commit): it takes its upstream's position at its deploy slots and always
/// stays at least two changes behind it. Trunk's change `i + 1` was merged at `times[i]`.
fn environment_moves(
    times: &[DateTime<Utc>],
    start: DateTime<Utc>,
    newest: DateTime<Utc>,
) -> Vec<(&'static str, Vec<Move>)> {
    let mut upstream: Vec<(DateTime<Utc>, usize)> =
        times.iter().enumerate().map(|(i, t)| (*t, i + 1)).collect();
    let mut ceiling = times.len();
    let mut out = Vec::new();
    for (env, hours_behind) in DEMO_ENVIRONMENTS {
        ceiling = ceiling.saturating_sub(2);
        let stop = newest - Duration::hours(hours_behind);
        let mut moves: Vec<(DateTime<Utc>, usize)> = Vec::new();
        for slot in deploy_slots(env, start, stop) {
            let available = upstream
                .iter()
                .rev()
                .find(|(t, _)| *t <= slot)
                .map_or(0, |m| m.1)
                .min(ceiling);
            if moves.last().is_none_or(|&(_, at)| available > at) {
                moves.push((slot, available));
            }
        }
        if moves.is_empty() {
            moves.push((stop, 0));
        }
        ceiling = moves.last().map_or(0, |m| m.1);
        upstream = moves.clone();
        out.push((env, moves));
    }
    out
}

/// Replaces the ref's reflog with `entries` (oldest first), so "deployed since" and upstream
/// arrival times read realistically.
fn write_reflog(
    repo: &Repository,
    refname: &str,
    entries: &[(DateTime<Utc>, Oid)],
    message: &str,
) -> Result<(), GitError> {
    let mut log = repo.reflog(refname)?;
    while !log.is_empty() {
        log.remove(0, false)?;
    }
    for (at, oid) in entries {
        let sig = Signature::new(
            "Slipway demo",
            "demo@slipway.invalid",
            &git2::Time::new(at.timestamp(), 0),
        )?;
        log.append(*oid, &sig, Some(message))?;
    }
    log.write()?;
    Ok(())
}

/// When each demo environment deploys: qa four times a day, staging every weekday at 17:00,
/// production on Mondays and Wednesdays at 10:00 — from `start` to `stop`.
fn deploy_slots(env: &str, start: DateTime<Utc>, stop: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut slots = Vec::new();
    let mut day = start.date_naive();
    while day <= stop.date_naive() {
        let weekday = day.weekday();
        let hours: &[u32] = match env {
            "qa" => &[9, 12, 15, 18],
            "staging" if !matches!(weekday, Weekday::Sat | Weekday::Sun) => &[17],
            "production" if matches!(weekday, Weekday::Mon | Weekday::Wed) => &[10],
            _ => &[],
        };
        for &h in hours {
            let t = Utc.from_utc_datetime(&day.and_hms_opt(h, 0, 0).expect("valid hour"));
            if t > start && t <= stop {
                slots.push(t);
            }
        }
        day += Duration::days(1);
    }
    slots
}

/// Merge instants over the 30 days before `anchor`: busy weekdays, quiet weekends, at least 320.
fn merge_times(rng: &mut ChaCha8Rng, anchor: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let first_day = (anchor - Duration::days(30)).date_naive();
    let mut times = Vec::new();
    for d in 0..=30 {
        let day = first_day + Duration::days(d);
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let count = if weekend {
            rng.random_range(1..=3)
        } else {
            rng.random_range(12..=16)
        };
        for _ in 0..count {
            let secs = if weekend {
                rng.random_range(10 * 3600..16 * 3600)
            } else {
                rng.random_range(7 * 3600..20 * 3600)
            };
            let t = Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
                + Duration::seconds(secs);
            times.push(t);
        }
    }
    times.retain(|t| *t <= anchor - Duration::minutes(20));
    while times.len() < 320 {
        let back = rng.random_range(1200..30 * 86_400);
        times.push(anchor - Duration::seconds(back));
    }
    times.sort();
    times
}

struct Writer<'r> {
    repo: &'r Repository,
    rng: ChaCha8Rng,
    files: Vec<String>,
}

type Author = (&'static str, &'static str, &'static str);

impl Writer<'_> {
    fn sig(name: &str, email: &str, at: DateTime<Utc>) -> Result<Signature<'static>, GitError> {
        Ok(Signature::new(
            name,
            email,
            &git2::Time::new(at.timestamp(), 0),
        )?)
    }

    fn initial_commit(&mut self, at: DateTime<Utc>) -> Result<Oid, GitError> {
        let mut update = TreeUpdateBuilder::new();
        let readme = self.repo.blob(b"# payments\n\nThe payments service.\n")?;
        update.upsert("README.md", readme, FileMode::Blob);
        for (path, text) in CONFIG_FILES {
            update.upsert(path, self.repo.blob(text.as_bytes())?, FileMode::Blob);
        }
        for (area, modules) in AREAS {
            for module in modules {
                let path = format!("src/{area}/{module}.rs");
                let blob = self
                    .repo
                    .blob(format!("//! {area}: {module}\n").as_bytes())?;
                update.upsert(&path, blob, FileMode::Blob);
                self.files.push(path);
            }
        }
        let empty = self.repo.find_tree(self.repo.treebuilder(None)?.write()?)?;
        let tree = self
            .repo
            .find_tree(update.create_updated(self.repo, &empty)?)?;
        let sig = Self::sig(AUTHORS[0].0, AUTHORS[0].1, at)?;
        Ok(self
            .repo
            .commit(None, &sig, &sig, "Initial commit", &tree, &[])?)
    }

    /// A tree like `base`'s with some lines appended to a few files (and `extra` created).
    fn edited_tree(&mut self, base: Oid, extra: Option<&str>, note: &str) -> Result<Oid, GitError> {
        let base_tree = self.repo.find_commit(base)?.tree()?;
        let mut update = TreeUpdateBuilder::new();
        let k = self.rng.random_range(1..=3);
        let picks: Vec<String> = self
            .files
            .choose_multiple(&mut self.rng, k)
            .cloned()
            .collect();
        for path in picks.iter().map(String::as_str).chain(extra) {
            let mut content = match base_tree.get_path(Path::new(path)) {
                Ok(entry) => self.repo.find_blob(entry.id())?.content().to_vec(),
                Err(_) => Vec::new(),
            };
            for n in 0..self.rng.random_range(1..=8) {
                content.extend_from_slice(format!("// {note} ({n})\n").as_bytes());
            }
            update.upsert(path, self.repo.blob(&content)?, FileMode::Blob);
        }
        Ok(update.create_updated(self.repo, &base_tree)?)
    }

    /// One change merged into trunk at `at`, as a merge commit or a squash merge.
    fn change(
        &mut self,
        head: Oid,
        at: DateTime<Utc>,
        author: Author,
        pr: u64,
        extra: Option<Extra<'_>>,
    ) -> Result<Oid, GitError> {
        let flag = match extra {
            Some(Extra::Flag(file, title)) => Some((file, title)),
            _ => None,
        };
        let (area, _) = *AREAS.choose(&mut self.rng).expect("areas");
        let generated = format!(
            "{} {}",
            VERBS.choose(&mut self.rng).expect("verbs"),
            OBJECTS.choose(&mut self.rng).expect("objects")
        );
        let mut title = flag.map_or(generated, |(_, t)| t.to_string());
        match self.rng.random_range(0..10) {
            0..=5 => title = format!("PAY-{}: {title}", self.rng.random_range(100..900)),
            6 => title = format!("OPS-{}: {title}", self.rng.random_range(10..99)),
            _ => {}
        }
        if flag.is_none() && self.rng.random_bool(0.3) {
            title = format!("{title} in {area}");
        }
        let mut tree_id = self.edited_tree(head, flag.map(|(f, _)| f), &title)?;
        if matches!(extra, Some(Extra::Leak)) {
            title = LEAK_TITLE.to_string();
            tree_id = self.leaked_tree(tree_id)?;
        }
        let tree = self.repo.find_tree(tree_id)?;
        let (name, email, handle) = author;
        let merger = Self::sig(name, email, at)?;
        let github = Self::sig("GitHub", "noreply@github.com", at)?;
        let head_commit = self.repo.find_commit(head)?;
        if self.rng.random_bool(0.55) {
            // A feature branch of one to three commits, merged with a merge commit.
            let mut tip = head_commit.clone();
            let commits = self.rng.random_range(1..=3);
            for n in 0..commits {
                let when = at - Duration::minutes(self.rng.random_range(30..600) * (commits - n));
                let sig = Self::sig(name, email, when)?;
                let wip_tree = if n + 1 == commits {
                    tree.clone()
                } else {
                    self.repo
                        .find_tree(self.edited_tree(tip.id(), None, "wip")?)?
                };
                let msg = if n + 1 == commits {
                    title.clone()
                } else {
                    format!("WIP {}", title.to_lowercase())
                };
                let oid = self
                    .repo
                    .commit(None, &sig, &sig, &msg, &wip_tree, &[&tip])?;
                tip = self.repo.find_commit(oid)?;
            }
            let slug: String = title
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let message = format!(
                "Merge pull request #{pr} from {handle}/{}\n\n{title}\n",
                slug.trim_matches('-')
            );
            Ok(self.repo.commit(
                None,
                &merger,
                &github,
                &message,
                &tree,
                &[&head_commit, &tip],
            )?)
        } else {
            let message = format!("{title} (#{pr})\n\n* {}\n", title.to_lowercase());
            Ok(self
                .repo
                .commit(None, &merger, &github, &message, &tree, &[&head_commit])?)
        }
    }

    /// `tree` with production's orders source pointed at the perf-test environment's host.
    fn leaked_tree(&self, tree: Oid) -> Result<Oid, GitError> {
        let tree = self.repo.find_tree(tree)?;
        let path = "config/production.toml";
        let text = match tree.get_path(Path::new(path)) {
            Ok(entry) => {
                String::from_utf8_lossy(self.repo.find_blob(entry.id())?.content()).into_owned()
            }
            Err(_) => String::new(),
        };
        let leaked: String = text
            .lines()
            .map(|l| {
                if l.starts_with("source = ") {
                    LEAKED_LINE.to_string()
                } else {
                    l.to_string()
                }
            })
            .map(|l| l + "\n")
            .collect();
        let mut update = TreeUpdateBuilder::new();
        update.upsert(path, self.repo.blob(leaked.as_bytes())?, FileMode::Blob);
        Ok(update.create_updated(self.repo, &tree)?)
    }

    /// A hotfix made on production's line (not on trunk): a shorter timeout on callbacks,
    /// written an hour and a half before it is deployed.
    fn hotfix(&mut self, base: Oid, deployed: DateTime<Utc>) -> Result<Oid, GitError> {
        let base_commit = self.repo.find_commit(base)?;
        let path = "src/webhooks/delivery.rs";
        let tree = base_commit.tree()?;
        let mut content = match tree.get_path(Path::new(path)) {
            Ok(entry) => self.repo.find_blob(entry.id())?.content().to_vec(),
            Err(_) => Vec::new(),
        };
        content.extend_from_slice(b"pub const CALLBACK_TIMEOUT_SECS: u64 = 5;\n");
        let mut update = TreeUpdateBuilder::new();
        update.upsert(path, self.repo.blob(&content)?, FileMode::Blob);
        let tree = self
            .repo
            .find_tree(update.create_updated(self.repo, &tree)?)?;
        let (name, email, _) = AUTHORS[1];
        let author = Self::sig(name, email, deployed - Duration::minutes(90))?;
        let committer = Self::sig(name, email, deployed - Duration::minutes(20))?;
        let message = "Hotfix: time out acquirer callbacks after 5 s\n\nCallbacks hung checkout when the acquirer stalled.\n";
        Ok(self
            .repo
            .commit(None, &author, &committer, message, &tree, &[&base_commit])?)
    }

    /// `git revert` of a flag change: the flag file it created goes away again.
    fn revert(
        &mut self,
        head: Oid,
        at: DateTime<Utc>,
        author: Author,
        sha: Oid,
        file: &str,
    ) -> Result<Oid, GitError> {
        let head_commit = self.repo.find_commit(head)?;
        let reverted = self.repo.find_commit(sha)?;
        let title =
            String::from_utf8_lossy(reverted.summary_bytes().unwrap_or_default()).into_owned();
        let mut update = TreeUpdateBuilder::new();
        update.remove(file);
        let tree = self
            .repo
            .find_tree(update.create_updated(self.repo, &head_commit.tree()?)?)?;
        let sig = Self::sig(author.0, author.1, at)?;
        let message = format!("Revert \"{title}\"\n\nThis reverts commit {sha}.\n");
        Ok(self
            .repo
            .commit(None, &sig, &sig, &message, &tree, &[&head_commit])?)
    }
}
