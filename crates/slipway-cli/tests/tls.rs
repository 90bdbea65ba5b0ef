//! HTTPS remotes after libgit2's lazy start (`slipway_git::start`): the system's own bundle
//! (the one in the hashed certificate folder) is not read, verification still trusts exactly
//! the folder's certificates, and a bundle of one's own elsewhere is read as configured.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A self-signed certificate for `localhost` (`cert.pem`, `key.pem`) in `dir`.
fn certificate(dir: &Path, name: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args(["-subj", &format!("/CN=localhost/O={name}")])
        .args(["-addext", "subjectAltName=DNS:localhost"])
        .arg("-keyout")
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", text(&made.stderr));
    dir.join("cert.pem")
}

/// A certificate folder as a system keeps one: the certificate under its subject hash
/// (`openssl rehash`) beside a bundle file holding `bundle`.
fn hashed_folder(dir: &Path, cert: &Path, bundle: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(cert, dir.join("server.pem")).unwrap();
    let rehashed = Command::new("openssl")
        .arg("rehash")
        .arg(dir)
        .output()
        .unwrap();
    assert!(rehashed.status.success(), "{}", text(&rehashed.stderr));
    let file = dir.join("ca-certificates.crt");
    std::fs::write(&file, bundle).unwrap();
    file
}

/// An HTTPS server on localhost (python3's ssl) that answers every request 401 and appends
/// its path to `seen`: a line there means the TLS handshake was verified and passed.
struct TlsServer {
    child: Child,
    port: u16,
}

impl TlsServer {
    fn start(dir: &Path, seen: &Path) -> TlsServer {
        let script = r#"
import http.server, ssl, sys
cert, key, seen = sys.argv[1:4]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(seen, "a") as f:
            f.write(self.path + "\n")
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="git"')
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("localhost", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;
        let mut child = Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(dir.join("cert.pem"))
            .arg(dir.join("key.pem"))
            .arg(seen)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().expect("the server prints its port");
        TlsServer { child, port }
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn slipway(data: &Path, args: &[&str], trust: &[(&str, &Path)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_slipway"));
    c.args(args)
        .env("SLIPWAY_DATA_DIR", data)
        .env_remove("SLIPWAY_CONFIG_DIR")
        .env_remove("SLIPWAY_WORKSPACE")
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR");
    for (name, value) in trust {
        c.env(name, value);
    }
    c.output().expect("slipway runs")
}

#[test]
fn https_remotes_are_verified_after_the_lazy_start() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let run = |args: &[&str]| {
        let out = slipway(&data, args, &[]);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    };
    run(&["demo", "--anchor", "2026-11-23T10:00:00Z"]);

    let server_dir = tmp.path().join("server");
    let server_cert = certificate(&server_dir, "the server");
    let stranger = certificate(&tmp.path().join("stranger"), "someone else");
    let trusting = hashed_folder(&tmp.path().join("trusting"), &server_cert, "");
    let strange = hashed_folder(&tmp.path().join("strange"), &stranger, "");
    // A bundle in the folder that trusts the server while the folder's certificates do not.
    let server_pem = std::fs::read_to_string(&server_cert).unwrap();
    let unread = hashed_folder(&tmp.path().join("unread"), &stranger, &server_pem);
    let seen = tmp.path().join("seen");
    let server = TlsServer::start(&server_dir, &seen);

    let clone = tmp.path().join("ledger");
    let git = |args: &[&str]| {
        let out = Command::new("git").args(args).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    };
    git(&[
        "clone",
        "-q",
        data.join("repos/payments.git").to_str().unwrap(),
        clone.to_str().unwrap(),
    ]);
    git(&[
        "-C",
        clone.to_str().unwrap(),
        "branch",
        "deploy/qa",
        "origin/deploy/qa",
    ]);
    let url = format!("https://localhost:{}/ledger.git", server.port);
    git(&[
        "-C",
        clone.to_str().unwrap(),
        "remote",
        "set-url",
        "origin",
        &url,
    ]);
    run(&[
        "project",
        "add",
        "ledger",
        "--repo",
        clone.to_str().unwrap(),
        "--env",
        "qa=branch:deploy/qa",
    ]);

    let requests = || {
        std::fs::read_to_string(&seen)
            .unwrap_or_default()
            .lines()
            .count()
    };
    let fetch = |file: &Path, dir: &Path| {
        let out = slipway(
            &data,
            &["fetch", "--project", "ledger"],
            &[("SSL_CERT_FILE", file), ("SSL_CERT_DIR", dir)],
        );
        // The server refuses every request (401): a fetch never succeeds; how far it got counts.
        assert!(!out.status.success());
        text(&out.stderr).to_lowercase()
    };

    // The folder's certificates are what is trusted: its bundle is empty, its hashed
    // certificate is the server's, and the request reaches the server.
    let said = fetch(&trusting, trusting.parent().unwrap());
    assert!(!said.contains("certificate"), "{said}");
    assert!(requests() >= 1, "the handshake passed: {said}");

    // A folder that trusts someone else: refused at the handshake, nothing reaches the server.
    let before = requests();
    let said = fetch(&strange, strange.parent().unwrap());
    assert!(said.contains("certificate"), "{said}");
    assert_eq!(requests(), before, "a refused handshake sends no request");

    // The system's bundle (the one in the folder) is not read at start: trusting the server
    // there while the folder does not is refused (read eagerly, it would have passed).
    let said = fetch(&unread, unread.parent().unwrap());
    assert!(said.contains("certificate"), "{said}");
    assert_eq!(requests(), before, "the folder's bundle was not read");

    // A bundle of one's own (outside the folder) is read as configured and trusted.
    let said = fetch(&server_cert, strange.parent().unwrap());
    assert!(!said.contains("certificate"), "{said}");
    assert!(requests() > before, "the own bundle was trusted: {said}");
}
