//! The audit log's hash chain: each entry's hash covers its fields and the previous entry's
//! hash, so changing or removing a row breaks every hash after it.

use sha2::{Digest, Sha256};

/// One audit entry as written (its hash is computed, never chosen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log, from 1 with no gaps.
    pub seq: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// Who (an email, or `slipway` for the app itself).
    pub actor: String,
    /// What kind of act: `promote`, `rollback`, `hold`, `unhold`, `override`, `signoff`, …
    pub action: String,
    /// What it was done to: `project/environment`, a change's sha, …
    pub subject: String,
    /// The details, as a sentence.
    pub detail: String,
}

/// The hash of the empty log (the first entry's `prev`).
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl AuditEntry {
    /// SHA-256 over the previous hash and every field, each length-prefixed so no two
    /// different entries share an encoding; lower-case hex.
    pub fn hash(&self, prev: &str) -> String {
        let mut hasher = Sha256::new();
        let seq = self.seq.to_string();
        let at = self.at.to_string();
        for field in [
            prev,
            &seq,
            &at,
            &self.actor,
            &self.action,
            &self.subject,
            &self.detail,
        ] {
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field.as_bytes());
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// An entry as stored, with the hashes it was written with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    /// The entry.
    pub entry: AuditEntry,
    /// The previous entry's hash, as stored.
    pub prev: String,
    /// Its hash, as stored.
    pub hash: String,
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// An entry whose fields no longer match its hash.
    #[error("audit entry {0} was changed after it was written")]
    Changed(i64),
    /// A gap or a link to the wrong predecessor: an entry was removed or reordered.
    #[error("the audit entry before {0} was removed or replaced")]
    Removed(i64),
    /// The log ends before the count its head records: entries were removed from the end.
    #[error("the last {0} audit entries were removed")]
    Truncated(i64),
}

/// Checks a whole log, oldest first; `head` is the (count, last hash) recorded beside it.
/// Returns the number of entries checked.
pub fn verify_chain(entries: &[StoredEntry], head: Option<(i64, &str)>) -> Result<i64, ChainBreak> {
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    for stored in entries {
        if stored.entry.seq != expected_seq || stored.prev != prev {
            return Err(ChainBreak::Removed(stored.entry.seq));
        }
        if stored.entry.hash(&prev) != stored.hash {
            return Err(ChainBreak::Changed(stored.entry.seq));
        }
        prev = stored.hash.clone();
        expected_seq += 1;
    }
    let count = expected_seq - 1;
    if let Some((recorded, last)) = head {
        if recorded > count {
            return Err(ChainBreak::Truncated(recorded - count));
        }
        if recorded == count && last != prev {
            return Err(ChainBreak::Changed(count));
        }
    }
    Ok(count)
}

/// A signed checkpoint of the chain: the hash of entry `seq`, with a keyed signature made by a
/// key the database does not hold (the OS keychain's). Rewriting entries and recomputing
/// every hash cannot produce a matching signature without the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The entry it covers, with every entry before it.
    pub seq: i64,
    /// That entry's hash when the checkpoint was made.
    pub hash: String,
    /// HMAC-SHA256 of `seq` and `hash` (see [`checkpoint_mac`]), lower-case hex.
    pub mac: String,
}

/// The signature of a checkpoint of entry `seq` with hash `hash` under `key`.
pub fn checkpoint_mac(key: &[u8], seq: i64, hash: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    for field in [seq.to_string().as_str(), hash] {
        mac.update(&(field.len() as u64).to_be_bytes());
        mac.update(field.as_bytes());
    }
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What the checkpoints say of a log whose hash chain is whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchored {
    /// Entries 1 to `through` are covered by a valid checkpoint; `of` entries in all.
    Covered {
        /// The newest entry a valid checkpoint covers (0: none).
        through: i64,
        /// Entries in the log.
        of: i64,
    },
    /// A checkpoint does not match the log or its signature is not the key's: entries up to
    /// `seq` were rewritten (or the checkpoint was forged).
    Broken {
        /// The checkpoint's entry.
        seq: i64,
    },
}

/// Checks `checkpoints` against the log (oldest first) under `key`.
pub fn verify_checkpoints(
    entries: &[StoredEntry],
    checkpoints: &[Checkpoint],
    key: &[u8],
) -> Anchored {
    let mut through = 0;
    for c in checkpoints {
        let entry = usize::try_from(c.seq - 1).ok().and_then(|i| entries.get(i));
        let signed = checkpoint_mac(key, c.seq, &c.hash) == c.mac;
        let matches = entry.is_some_and(|e| e.entry.seq == c.seq && e.hash == c.hash);
        if !signed || !matches {
            return Anchored::Broken { seq: c.seq };
        }
        through = through.max(c.seq);
    }
    Anchored::Covered {
        through,
        of: entries.len() as i64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<StoredEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let entry = AuditEntry {
                    seq,
                    at: 1_700_000_000 + seq,
                    actor: "rm@example.com".into(),
                    action: "promote".into(),
                    subject: "shop/staging".into(),
                    detail: format!("promoted to {seq}"),
                };
                let hash = entry.hash(&prev);
                let stored = StoredEntry {
                    entry,
                    prev: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                stored
            })
            .collect()
    }

    #[test]
    fn tampering_is_found() {
        let good = chain(5);
        let head = |c: &[StoredEntry]| (5, c[4].hash.clone());
        let h = head(&good);
        assert_eq!(verify_chain(&good, Some((h.0, &h.1))), Ok(5));
        assert_eq!(verify_chain(&[], None), Ok(0));

        type Tamper = fn(&mut Vec<StoredEntry>);
        let cases: [(&str, Tamper, ChainBreak); 6] = [
            (
                "detail edited",
                |c| c[2].entry.detail = "promoted to 99".into(),
                ChainBreak::Changed(3),
            ),
            (
                "actor edited",
                |c| c[0].entry.actor = "someone@else".into(),
                ChainBreak::Changed(1),
            ),
            (
                "row removed",
                |c| {
                    c.remove(2);
                },
                ChainBreak::Removed(4),
            ),
            ("rows swapped", |c| c.swap(1, 2), ChainBreak::Removed(3)),
            (
                "tail removed",
                |c| {
                    c.truncate(3);
                },
                ChainBreak::Truncated(2),
            ),
            (
                "last row rewritten with a fresh hash",
                |c| {
                    let prev = c[3].hash.clone();
                    c[4].entry.detail = "forged".into();
                    c[4].hash = c[4].entry.hash(&prev);
                },
                ChainBreak::Changed(5),
            ),
        ];
        for (name, tamper, want) in cases {
            let mut c = good.clone();
            tamper(&mut c);
            assert_eq!(verify_chain(&c, Some((h.0, &h.1))), Err(want), "{name}");
        }
    }

    #[test]
    fn fields_cannot_bleed_into_each_other() {
        let a = AuditEntry {
            seq: 1,
            at: 1,
            actor: "ab".into(),
            action: "c".into(),
            subject: String::new(),
            detail: String::new(),
        };
        let b = AuditEntry {
            actor: "a".into(),
            action: "bc".into(),
            ..a.clone()
        };
        assert_ne!(a.hash(GENESIS), b.hash(GENESIS));
        assert_eq!(a.hash(GENESIS).len(), 64);
    }

    #[test]
    fn a_rewritten_and_rehashed_log_fails_its_checkpoints() {
        let key = b"k".repeat(32);
        let log = chain(5);
        let checkpoints: Vec<Checkpoint> = [2, 4]
            .iter()
            .map(|&seq| {
                let hash = log[seq as usize - 1].hash.clone();
                Checkpoint {
                    seq,
                    mac: checkpoint_mac(&key, seq, &hash),
                    hash,
                }
            })
            .collect();
        assert_eq!(
            verify_checkpoints(&log, &checkpoints, &key),
            Anchored::Covered { through: 4, of: 5 }
        );
        // Entry 3 rewritten and every hash after it recomputed: the chain is whole again,
        // the checkpoint of entry 4 is not.
        let mut rewritten = log.clone();
        rewritten[2].entry.detail = "someone else promoted".into();
        let mut prev = rewritten[1].hash.clone();
        for stored in rewritten.iter_mut().skip(2) {
            stored.prev = prev.clone();
            stored.hash = stored.entry.hash(&prev);
            prev = stored.hash.clone();
        }
        assert!(verify_chain(&rewritten, Some((5, &prev))).is_ok());
        type Case<'a> = (
            &'a str,
            Vec<StoredEntry>,
            Vec<Checkpoint>,
            &'a [u8],
            Anchored,
        );
        let cases: Vec<Case> = vec![
            (
                "rewritten",
                rewritten.clone(),
                checkpoints.clone(),
                &key,
                Anchored::Broken { seq: 4 },
            ),
            (
                "another key",
                log.clone(),
                checkpoints.clone(),
                b"other",
                Anchored::Broken { seq: 2 },
            ),
            (
                "cut below a checkpoint",
                log[..3].to_vec(),
                checkpoints.clone(),
                &key,
                Anchored::Broken { seq: 4 },
            ),
            (
                "none",
                log.clone(),
                vec![],
                &key,
                Anchored::Covered { through: 0, of: 5 },
            ),
        ];
        for (name, entries, cps, k, want) in cases {
            assert_eq!(verify_checkpoints(&entries, &cps, k), want, "{name}");
        }
    }
}
