//! A throwaway PostgreSQL server for tests: `initdb` into a temporary folder, started on a free
//! loopback port, stopped and deleted when dropped. Uses the system's binaries (Debian's
//! `postgresql` package: `/usr/lib/postgresql/<version>/bin`, or `pg_config --bindir`). The server
//! refuses to run as root, so when the tests run as root the folder is given to the `postgres`
//! user and the server is started with `runuser -u postgres`.
//!
//! Without PostgreSQL on the machine [`PgServer::start`] prints loudly that the PostgreSQL tests
//! did not run and returns `None` — unless `FRONTDESK_REQUIRE_POSTGRES=1` (set by the README's
//! test command and CI), where it panics, so those never skip them.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The environment variable that turns a missing PostgreSQL into a failed test.
pub const REQUIRE_ENV: &str = "FRONTDESK_REQUIRE_POSTGRES";

/// A running throwaway server.
pub struct PgServer {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
    password: Option<String>,
    /// The server's command-line options (`pg_ctl -o`), to start it again.
    options: String,
}

/// How a throwaway server is set up beyond the defaults (trust, no TLS).
#[derive(Default)]
pub struct Options {
    /// Connections over TCP need this password (SCRAM) for the user `frontdesk`.
    pub password: Option<String>,
    /// TLS on, with this certificate chain and key (PEM).
    pub tls: Option<(String, String)>,
    /// Writes reach the disk as on a real server (tests turn fsync off for speed; benchmarks
    /// keep it on).
    pub durable: bool,
}

fn bin_dir() -> Option<PathBuf> {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").exists() {
            return Some(dir);
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Says once, loudly, that the PostgreSQL tests did not run.
fn warn_skipped(why: &str) {
    static SAID: OnceLock<()> = OnceLock::new();
    SAID.get_or_init(|| {
        use std::io::Write as _;
        // Straight to the terminal: the test harness captures `eprintln!` of passing tests.
        let _ = writeln!(
            std::io::stderr(),
            "\n*** PostgreSQL tests DID NOT RUN: {why}.\n*** Install Debian's `postgresql` package \
             (or run the README's test command, which does) to run them.\n"
        );
    });
}

impl PgServer {
    /// Starts a server, or `None` when PostgreSQL is not installed (see the module doc).
    pub fn start() -> Option<Self> {
        Self::start_with(Options::default())
    }

    /// [`PgServer::start`] with a password and/or TLS.
    pub fn start_with(options: Options) -> Option<Self> {
        let required = std::env::var(REQUIRE_ENV).is_ok_and(|v| v == "1");
        let Some(bin) = bin_dir() else {
            assert!(
                !required,
                "{REQUIRE_ENV}=1 but PostgreSQL's initdb was not found"
            );
            warn_skipped("initdb was not found");
            return None;
        };
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("frontdesk-pg")
            .tempdir()
            .expect("temp dir");
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .expect("chown");
            assert!(status.success(), "chown of the server folder failed");
        }
        let server = Self {
            dir,
            bin,
            port: free_port(),
            as_postgres,
            password: options.password.clone(),
            options: String::new(),
        };
        let data = server.data_dir();
        let mut initdb = vec![
            "-D".to_owned(),
            data.to_string_lossy().into_owned(),
            "-U".to_owned(),
            "frontdesk".to_owned(),
            "-E".to_owned(),
            "UTF8".to_owned(),
            "--locale=C.UTF-8".to_owned(),
            "--no-sync".to_owned(),
        ];
        if let Some(password) = &options.password {
            let file = server.private_file("pwfile", password);
            initdb.extend([
                "--auth-local=trust".to_owned(),
                "--auth-host=scram-sha-256".to_owned(),
                format!("--pwfile={}", file.display()),
            ]);
        } else {
            initdb.extend(["-A".to_owned(), "trust".to_owned()]);
        }
        server.run(
            "initdb",
            &initdb.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        let mut options_text = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {}",
            server.port,
            server.dir.path().display()
        );
        if !options.durable {
            options_text
                .push_str(" -c fsync=off -c full_page_writes=off -c synchronous_commit=off");
        }
        if let Some((cert, key)) = &options.tls {
            let cert = server.private_file("server.crt", cert);
            let key = server.private_file("server.key", key);
            options_text.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                cert.display(),
                key.display()
            ));
        }
        let mut server = server;
        server.options = options_text;
        server.start_again();
        Some(server)
    }

    /// Starts the server (again, after [`PgServer::stop`]) on the same port and folder.
    pub fn start_again(&self) {
        let data = self.data_dir();
        let log = self.dir.path().join("server.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-l",
                &log.to_string_lossy(),
                "-o",
                &self.options,
                "-w",
                "start",
            ],
        );
    }

    /// Stops the server at once, as a crash or a pulled cable would (`-m immediate`: open
    /// connections break; what was committed is kept).
    pub fn stop(&self) {
        let data = self.data_dir();
        self.run(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }

    /// Writes a file only its owner (the server's user) may read.
    fn private_file(&self, name: &str, text: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt as _;
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write server file");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        if self.as_postgres {
            let status = Command::new("chown")
                .arg("postgres:postgres")
                .arg(&path)
                .status()
                .expect("chown");
            assert!(status.success(), "chown of {name} failed");
        }
        path
    }

    /// The port the server listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn run(&self, program: &str, args: &[&str]) {
        let out = self
            .command(program)
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        assert!(
            out.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A URL of database `name` on this server (created by [`PgServer::create_database`]).
    pub fn url(&self, name: &str) -> String {
        format!("postgres://frontdesk@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates an empty database and returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        let admin_url = match &self.password {
            Some(p) => self
                .url("postgres")
                .replacen("frontdesk@", &format!("frontdesk:{p}@"), 1),
            None => self.url("postgres"),
        };
        let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls).expect("connect");
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create database");
        self.url(name)
    }

    /// The server's folder (its log is `server.log` there).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let data = self.data_dir();
        let _ = self
            .command("pg_ctl")
            .args([
                "-D",
                &data.to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
