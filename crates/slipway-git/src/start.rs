//! Starting libgit2 without paying for TLS a command does not use.
//!
//! libgit2 (built with OpenSSL) sets up its TLS context when it starts, and OpenSSL's default
//! trust reads the whole certificate bundle (`/etc/ssl/certs/ca-certificates.crt`, ~140
//! certificates) there and then: measured on this machine, 30 ms of a 68 ms
//! `slipway queue` that makes no network call. The same certificates are also in the
//! system's hashed certificate folder, which OpenSSL reads lazily — one certificate, found by
//! its subject's hash, when a connection is verified. So when the bundle in use is the
//! system's own (none chosen, or `SSL_CERT_FILE` naming a bundle that sits in that folder,
//! as Debian's `update-ca-certificates` writes it from the same certificates), libgit2
//! starts with an empty bundle and the folder: verification stays on and trusts the same
//! certificates, read only by a command that connects. A bundle of one's own elsewhere
//! (`SSL_CERT_FILE=/path/to/corp-ca.pem`) is read as configured. The environment is put
//! back right after, so deploy commands and every other TLS client see what they would have.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

const CERT_FILE: &str = "SSL_CERT_FILE";
const CERT_DIR: &str = "SSL_CERT_DIR";

/// How libgit2's TLS trust is read at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// OpenSSL's defaults or the bundle the user chose, read at start.
    AsConfigured,
    /// No bundle; the hashed certificate folder, read when a connection is verified.
    LazyFolder(PathBuf),
}

/// The trust to start with: the first of `folders` that holds hashed certificates
/// (`<8 hex digits>.<n>`), read lazily — unless the bundle the user chose (`user_file`) is
/// not one that sits in that folder.
pub fn trust(user_file: Option<&OsString>, folders: &[PathBuf]) -> Trust {
    let Some(folder) = folders.iter().find(|dir| holds_hashed_certificates(dir)) else {
        return Trust::AsConfigured;
    };
    let system_bundle = |file: &OsString| {
        let (Ok(file), Ok(folder)) = (Path::new(file).canonicalize(), folder.canonicalize()) else {
            return false;
        };
        file.parent() == Some(folder.as_path())
    };
    match user_file {
        Some(file) if !system_bundle(file) => Trust::AsConfigured,
        _ => Trust::LazyFolder(folder.clone()),
    }
}

fn holds_hashed_certificates(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        e.file_name().to_str().is_some_and(|name| {
            name.split_once('.').is_some_and(|(hash, n)| {
                hash.len() == 8
                    && hash.bytes().all(|b| b.is_ascii_hexdigit())
                    && !n.is_empty()
                    && n.bytes().all(|b| b.is_ascii_digit())
            })
        })
    })
}

/// Starts libgit2. Call it first in `main`, before any other thread exists: it changes the
/// process environment for the moment libgit2 starts, and puts it back.
pub fn start() {
    let user_file = std::env::var_os(CERT_FILE);
    let user_dir = std::env::var_os(CERT_DIR);
    let folders: Vec<PathBuf> = match &user_dir {
        Some(dir) => std::env::split_paths(dir).collect(),
        None => openssl_probe::probe().cert_dir,
    };
    let Trust::LazyFolder(folder) = trust(user_file.as_ref(), &folders) else {
        start_libgit2();
        return;
    };
    let put_back = |name: &str, value: &Option<OsString>| {
        // SAFETY: as below.
        #[allow(unsafe_code)]
        unsafe {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    };
    // SAFETY: `start` runs before the process has other threads (its contract), so nothing
    // reads the environment while it changes.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var(CERT_FILE, "/dev/null");
        std::env::set_var(CERT_DIR, &folder);
    }
    start_libgit2();
    put_back(CERT_FILE, &user_file);
    put_back(CERT_DIR, &user_dir);
}

/// Any git2 call starts libgit2 (`git_libgit2_init`, once); this one sets what is already
/// libgit2's default (its object cache on).
fn start_libgit2() {
    git2::opts::enable_caching(true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lazy_only_for_the_systems_own_certificates() {
        let tmp = tempfile::tempdir().unwrap();
        let hashed = tmp.path().join("hashed");
        let bundles = tmp.path().join("bundles");
        let empty = tmp.path().join("empty");
        for dir in [&hashed, &bundles, &empty] {
            std::fs::create_dir(dir).unwrap();
        }
        std::fs::write(hashed.join("5ad8a5d6.0"), "").unwrap();
        std::fs::write(bundles.join("ca-bundle.crt"), "").unwrap();
        std::fs::write(bundles.join("1234567.0"), "").unwrap(); // 7 digits: no hash
        std::fs::write(bundles.join("5ad8a5d6.x"), "").unwrap();
        std::fs::write(hashed.join("ca-certificates.crt"), "").unwrap();
        let system = hashed.join("ca-certificates.crt").into_os_string();
        std::fs::write(tmp.path().join("corp-ca.pem"), "").unwrap();
        let chosen = tmp.path().join("corp-ca.pem").into_os_string();
        let gone = tmp.path().join("gone.pem").into_os_string();
        let missing = tmp.path().join("missing");
        let cases: &[(&str, Option<&OsString>, Vec<PathBuf>, Trust)] = &[
            (
                "hashed folder, no bundle chosen",
                None,
                vec![hashed.clone()],
                Trust::LazyFolder(hashed.clone()),
            ),
            (
                "a bundle of one's own",
                Some(&chosen),
                vec![hashed.clone()],
                Trust::AsConfigured,
            ),
            (
                "the system's bundle, in the hashed folder",
                Some(&system),
                vec![hashed.clone()],
                Trust::LazyFolder(hashed.clone()),
            ),
            (
                "a bundle that is not there",
                Some(&gone),
                vec![hashed.clone()],
                Trust::AsConfigured,
            ),
            (
                "folders without hashed certificates",
                None,
                vec![bundles.clone(), empty.clone(), missing.clone()],
                Trust::AsConfigured,
            ),
            (
                "the first hashed folder of several",
                None,
                vec![missing.clone(), bundles.clone(), hashed.clone()],
                Trust::LazyFolder(hashed.clone()),
            ),
            ("no folder at all", None, vec![], Trust::AsConfigured),
        ];
        for (case, file, folders, want) in cases {
            assert_eq!(&trust(*file, folders), want, "{case}");
        }
    }
}
