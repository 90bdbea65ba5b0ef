//! Where a secret may be sent: never in clear text over the network.
//!
//! A token (a repository's HTTPS token, a deploy webhook's bearer token) goes only to an
//! `https://` URL, or to a plain `http://` one on this machine's loopback (`localhost`,
//! `127.0.0.0/8`, `[::1]`), where nothing crosses a network — what tests and local tools use.

/// Why a secret may not go to a URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a token is never sent over plain http:// to {host}: use an https:// URL")]
pub struct PlainHttp {
    /// The host it would have gone to.
    pub host: String,
}

/// Checks that a secret may be sent to `url`. URLs that are not `http://` (https, ssh, a
/// local path) pass: the transport encrypts or nothing leaves the machine.
pub fn secret_may_go_to(url: &str) -> Result<(), PlainHttp> {
    let scheme_end = match url.find("://") {
        Some(at) => at,
        None => return Ok(()),
    };
    if !url[..scheme_end].eq_ignore_ascii_case("http") {
        return Ok(());
    }
    let rest = &url[scheme_end + 3..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if is_loopback(host) {
        Ok(())
    } else {
        Err(PlainHttp {
            host: host.to_string(),
        })
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host == "localhost" || host == "::1" {
        return true;
    }
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets[0] == "127"
        && octets
            .iter()
            .all(|o| !o.is_empty() && o.len() <= 3 && o.parse::<u8>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_travels_only_encrypted_or_on_loopback() {
        let cases = [
            ("https://git.example.com/o/r.git", None),
            ("HTTPS://git.example.com/o/r.git", None),
            ("ssh://git@git.example.com/o/r.git", None),
            ("git@git.example.com:o/r.git", None),
            ("/srv/git/r.git", None),
            ("http://127.0.0.1:8080/deploy", None),
            ("http://127.1.2.3/deploy", None),
            ("http://localhost/deploy", None),
            ("http://LOCALHOST:9/deploy", None),
            ("http://api.localhost/deploy", Some("api.localhost")),
            ("http://[::1]:8080/deploy", None),
            ("http://git.example.com/o/r.git", Some("git.example.com")),
            ("HTTP://git.example.com/o/r.git", Some("git.example.com")),
            ("http://10.0.0.5:3000/deploy", Some("10.0.0.5")),
            (
                "http://127.0.0.1.example.com/",
                Some("127.0.0.1.example.com"),
            ),
            (
                "http://localhost.example.com/",
                Some("localhost.example.com"),
            ),
            (
                "http://user@deploy.example.com/",
                Some("deploy.example.com"),
            ),
            ("http://[2001:db8::1]/", Some("2001:db8::1")),
            ("http://256.0.0.1/", Some("256.0.0.1")),
        ];
        for (url, refused_host) in cases {
            assert_eq!(
                secret_may_go_to(url).err().map(|e| e.host),
                refused_host.map(str::to_string),
                "{url}"
            );
        }
    }
}
