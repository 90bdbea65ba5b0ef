//! A throwaway PostgreSQL cluster for tests: `initdb` + `pg_ctl` in a temporary folder on a
//! free loopback port, stopped and deleted when dropped. Never a server started by hand.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct PgCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

/// The server's options: its port, its socket folder, loopback only, no syncing.
fn options(port: u16, dir: &Path) -> String {
    format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off",
        dir.display()
    )
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Debian keeps the server binaries off PATH, under /usr/lib/postgresql/<version>/bin.
fn find_bin() -> PathBuf {
    if let Some(dir) = std::env::var_os("SLIPWAY_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .filter(|p| p.join("initdb").exists())
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions.pop().expect("PostgreSQL server binaries not found: install Debian's postgresql (make test does) or set SLIPWAY_PG_BIN")
}

impl PgCluster {
    pub fn start() -> PgCluster {
        let bin = find_bin();
        let dir = tempfile::Builder::new()
            .prefix("slipway-pg-")
            .tempdir()
            .expect("temp dir");
        if is_root() {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            run(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(dir.path()),
                "chown",
            );
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let cluster = PgCluster { dir, bin, port };
        let data = cluster.data();
        cluster.pg(&[
            "initdb",
            "-D",
            &data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]);
        cluster.start_again();
        cluster
    }

    /// Starts the server (again, after [`PgCluster::stop`]), on the same port.
    pub fn start_again(&self) {
        let data = self.data();
        let opts = options(self.port, self.dir.path());
        let log = self
            .dir
            .path()
            .join("server.log")
            .to_string_lossy()
            .into_owned();
        self.pg(&[
            "pg_ctl", "-D", &data, "-o", &opts, "-l", &log, "-w", "-t", "60", "start",
        ]);
    }

    /// Stops the server (its clients' connections drop); the data stays.
    #[allow(dead_code)] // not every test crate that includes this stops a server
    pub fn stop(&self) {
        let data = self.data();
        self.pg(&["pg_ctl", "-D", &data, "-m", "fast", "-w", "stop"]);
    }

    fn data(&self) -> String {
        self.dir.path().join("data").to_string_lossy().into_owned()
    }

    fn pg(&self, args: &[&str]) -> Output {
        let program = self.bin.join(args[0]);
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        cmd.args(&args[1..]).current_dir(Path::new("/"));
        run(&mut cmd, args[0])
    }

    /// A URL for a fresh database named `name` in this cluster.
    pub fn database(&self, name: &str) -> String {
        self.pg(&[
            "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
            name,
        ]);
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self.pg(&["pg_ctl", "-D", &data, "-m", "immediate", "-w", "stop"]);
    }
}

fn run(cmd: &mut Command, what: &str) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
