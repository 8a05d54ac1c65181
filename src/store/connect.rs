//! How FrontDesk reaches a PostgreSQL server: the URL's TLS settings and where the password
//! comes from.
//!
//! * `sslmode` as libpq spells it: `disable`; `prefer` (the default: TLS when the server offers
//!   it, the certificate not checked); `require` (TLS or no connection; the certificate is checked
//!   against `sslrootcert` when one is given, as libpq does, else not checked); `verify-ca` (the
//!   certificate must chain to a trusted root); `verify-full` (and be issued for the host). The
//!   trusted roots are `sslrootcert` (a PEM file) when given, else the system's store. TLS is
//!   rustls with the ring provider, so nothing needs the system's OpenSSL.
//! * The password, in this order: the URL's own; `PGPASSWORD`; the password file (`passfile` in
//!   the URL, else `PGPASSFILE`, else `~/.pgpass`, on Windows `%APPDATA%\postgresql\pgpass.conf`),
//!   whose lines `host:port:database:user:password` are matched as libpq matches them (`*`
//!   matches anything, `\:` and `\\` are escapes). The window and the command line add the
//!   config file's `database_password` or what the user typed at a prompt to the URL before it
//!   gets here ([`with_password`]). The database itself never holds it.

use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::sync::Arc;

use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::verify_server_cert_signed_by_trust_anchor;
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::db::PgConn;
use super::{Result, StoreError, redacted_url};

/// How long connecting may take when the URL does not say (`connect_timeout`).
pub const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// How much TLS a connection must have (libpq's `sslmode`; `allow` is taken as `prefer`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// TLS when the server offers it; the certificate is not checked.
    Prefer,
    /// TLS or no connection; the certificate is checked only against a given `sslrootcert`.
    Require,
    /// TLS, and the certificate chains to a trusted root.
    VerifyCa,
    /// TLS, the certificate chains to a trusted root and names the host.
    VerifyFull,
}

/// A parsed server URL: what `postgres` connects with, and what FrontDesk handles itself.
pub struct Target {
    config: postgres::Config,
    mode: SslMode,
    root_cert: Option<PathBuf>,
    shown: String,
}

impl Target {
    /// The TLS mode.
    pub fn mode(&self) -> SslMode {
        self.mode
    }

    /// Whether a password was found (URL, `PGPASSWORD`, password file).
    pub fn has_password(&self) -> bool {
        self.config.get_password().is_some()
    }
}

/// Parses `url`, takes out what the `postgres` crate does not know (`sslmode` beyond
/// `require`, `sslrootcert`, `passfile`) and finds the password.
pub fn parse(url: &str) -> Result<Target> {
    let shown = redacted_url(url);
    let bad = |detail: String| StoreError::ServerUrl {
        url: shown.clone(),
        detail,
    };
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut mode = SslMode::Prefer;
    let mut root_cert = None;
    let mut passfile = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decoded = percent_decode_str(value).decode_utf8_lossy().into_owned();
        match key {
            "sslmode" => {
                mode = match decoded.as_str() {
                    "disable" => SslMode::Disable,
                    "allow" | "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" => SslMode::VerifyCa,
                    "verify-full" => SslMode::VerifyFull,
                    other => return Err(bad(format!("sslmode={other} is not a known mode"))),
                };
            }
            "sslrootcert" => root_cert = Some(PathBuf::from(decoded)),
            "passfile" => passfile = Some(PathBuf::from(decoded)),
            _ => kept.push(pair),
        }
    }
    let rest = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let mut config = postgres::Config::from_str(&rest).map_err(|e| bad(e.to_string()))?;
    config.ssl_mode(match mode {
        SslMode::Disable => postgres::config::SslMode::Disable,
        SslMode::Prefer => postgres::config::SslMode::Prefer,
        _ => postgres::config::SslMode::Require,
    });
    if config.get_application_name().is_none() {
        config.application_name(&desk_name(&crate::platform::pc_name(), None));
    }
    // A server that does not answer is reported within seconds, not after the system's TCP
    // timeout of minutes (the URL's `connect_timeout` wins).
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_password().is_none() {
        let from_env = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty());
        let found = from_env.or_else(|| {
            let file = passfile
                .or_else(|| std::env::var_os("PGPASSFILE").map(PathBuf::from))
                .or_else(default_passfile)?;
            lookup_passfile(&file, &config)
        });
        if let Some(password) = found {
            config.password(password);
        }
    }
    Ok(Target {
        config,
        mode,
        root_cert,
        shown,
    })
}

/// Connects to the server of `url` (see the module documentation).
pub fn connect(url: &str) -> Result<PgConn> {
    if let Some(spare) = take_spare(url) {
        return Ok(spare);
    }
    connect_client(url).map(PgConn::new)
}

/// A connection a job made to reach the server before it starts (password, clock), kept for the
/// job's store so that a job connects once: each new server session costs a process on the
/// server and its catalog loads, several times what a small report takes.
static SPARE: std::sync::Mutex<Option<(String, PgConn)>> = std::sync::Mutex::new(None);

/// Keeps `pg`, connected to `url` and otherwise untouched, for the next [`connect`] to `url`.
pub fn keep_spare(url: &str, pg: PgConn) {
    if let Ok(mut spare) = SPARE.lock() {
        *spare = Some((url.to_owned(), pg));
    }
}

/// The kept connection to `url`, if there is one and it is still open.
fn take_spare(url: &str) -> Option<PgConn> {
    let mut spare = SPARE.lock().ok()?;
    match spare.take() {
        Some((kept, pg)) if kept == url && !pg.is_closed() => Some(pg),
        other => {
            *spare = other.filter(|(kept, _)| kept != url);
            None
        }
    }
}

/// [`connect`], the bare client (the change watch's own connection).
pub fn connect_client(url: &str) -> Result<postgres::Client> {
    let target = parse(url)?;
    let client = match target.mode {
        SslMode::Disable => target.config.connect(postgres::NoTls),
        _ => target.config.connect(connector(&target)?),
    };
    client.map_err(|e| classify(e, &target))
}

/// Asks the server of `url` to cancel the statement of the connection behind `token` (a new,
/// short connection with the same TLS mode; blocking).
pub fn cancel(url: &str, token: &postgres::CancelToken) -> Result<()> {
    let target = parse(url)?;
    match target.mode {
        SslMode::Disable => token.cancel_query(postgres::NoTls)?,
        _ => token.cancel_query(connector(&target)?)?,
    }
    Ok(())
}

/// What a desk's connection calls itself on the server (`application_name`: printable ASCII, at
/// most 63 bytes): `FrontDesk|<signed-in account's id>|<PC name, percent-encoded>`; supervisors
/// see it in the list of connected desks ([`parse_desk_name`]).
pub fn desk_name(pc: &str, account: Option<i64>) -> String {
    let account = account.map(|id| id.to_string()).unwrap_or_default();
    let mut name = format!("{DESK_PREFIX}{account}|");
    // Whole characters only, as many as fit.
    let mut buf = [0u8; 4];
    for c in pc.chars() {
        let encoded = utf8_percent_encode(c.encode_utf8(&mut buf), NON_ALPHANUMERIC).to_string();
        if name.len() + encoded.len() > 63 {
            break;
        }
        name.push_str(&encoded);
    }
    name
}

/// The account id and the PC name in a [`desk_name`].
pub fn parse_desk_name(name: &str) -> Option<(Option<i64>, String)> {
    let rest = name.strip_prefix(DESK_PREFIX)?;
    let (account, pc) = rest.split_once('|')?;
    Some((
        account.parse().ok(),
        percent_decode_str(pc).decode_utf8_lossy().into_owned(),
    ))
}

/// How the desks' connections' names begin (the change watch's do not).
pub const DESK_PREFIX: &str = "FrontDesk|";

/// A missing or wrong password gets its own error (the window then asks for one); the rest are
/// connection errors.
fn classify(e: postgres::Error, target: &Target) -> StoreError {
    let wrong = e
        .as_db_error()
        .is_some_and(|d| d.code() == &postgres::error::SqlState::INVALID_PASSWORD);
    let detail = with_causes(&e);
    // The crate reports a password the server asked for and was not given as a configuration
    // error caused by this text; it has no code of its own.
    let missing = detail.contains("password missing");
    if wrong || missing {
        StoreError::ServerPassword {
            url: target.shown.clone(),
            wrong: wrong && target.has_password(),
        }
    } else {
        StoreError::ServerConnect {
            url: target.shown.clone(),
            detail,
        }
    }
}

/// An error's message followed by those of its causes (the crate's own message alone is often
/// only "error connecting to server").
pub(crate) fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

/// `url` with `password` as its password (percent-encoded), replacing any there was.
pub fn with_password(url: &str, password: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    let encoded = utf8_percent_encode(password, NON_ALPHANUMERIC).to_string();
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split_once(':').map_or(user_info, |(u, _)| u);
            format!("{scheme}://{user}:{encoded}@{host}{tail}")
        }
        None => format!("{scheme}://:{encoded}@{authority}{tail}"),
    }
}

/// Whether `url` carries a password of its own.
pub fn has_url_password(url: &str) -> bool {
    redacted_url(url) != url
}

/// libpq's default password file.
fn default_passfile() -> Option<PathBuf> {
    if cfg!(windows) {
        std::env::var_os("APPDATA").map(|d| PathBuf::from(d).join("postgresql/pgpass.conf"))
    } else {
        std::env::var_os("HOME").map(|d| PathBuf::from(d).join(".pgpass"))
    }
}

/// The password of the first line of the password file `file` that matches the connection.
fn lookup_passfile(file: &Path, config: &postgres::Config) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(_)) => "localhost".to_owned(),
        None => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default().to_owned();
    let dbname = config.get_dbname().unwrap_or(&user).to_owned();
    let wanted = [host, port, dbname, user];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(passfile_fields)
        .find(|fields| {
            fields[..4]
                .iter()
                .zip(&wanted)
                .all(|(field, want)| field == "*" || field == want)
        })
        .map(|mut fields| fields.swap_remove(4))
}

/// The five fields of a password-file line (`\:` and `\\` unescaped), or `None` for a line
/// that has not got five.
fn passfile_fields(line: &str) -> Option<Vec<String>> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut()?.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            _ => fields.last_mut()?.push(c),
        }
    }
    (fields.len() == 5).then_some(fields)
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The rustls connector for the target's mode.
fn connector(target: &Target) -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    let tls_error = |detail: String| StoreError::ServerTls {
        url: target.shown.clone(),
        detail,
    };
    // Under verify-full rustls's own verifier checks the chain and the name.
    let check_chain = matches!(
        (target.mode, &target.root_cert),
        (SslMode::VerifyCa, _) | (SslMode::Require, Some(_))
    );
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(e.to_string()))?;
    let config = if target.mode == SslMode::VerifyFull {
        let roots = roots(target.root_cert.as_deref()).map_err(tls_error)?;
        builder.with_root_certificates(roots)
    } else {
        let roots = if check_chain {
            Some(Arc::new(
                roots(target.root_cert.as_deref()).map_err(tls_error)?,
            ))
        } else {
            None
        };
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NameUnchecked {
                roots,
                provider: provider(),
            }))
    }
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The trusted roots: the PEM file `file`, else the system's store.
fn roots(file: Option<&Path>) -> std::result::Result<RootCertStore, String> {
    use rustls::pki_types::pem::PemObject as _;
    let mut roots = RootCertStore::empty();
    if let Some(file) = file {
        let certs = CertificateDer::pem_file_iter(file)
            .map_err(|e| format!("sslrootcert {}: {e}", file.display()))?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| format!("sslrootcert {}: {e}", file.display()))?;
        let (added, _) = roots.add_parsable_certificates(certs);
        if added == 0 {
            return Err(format!(
                "sslrootcert {}: no certificate in the file",
                file.display()
            ));
        }
    } else {
        let found = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(found.certs);
        if roots.is_empty() {
            return Err("no trusted root certificate on this system; give sslrootcert".to_owned());
        }
    }
    Ok(roots)
}

/// `verify-ca` (with `roots`): the certificate must chain to a trusted root, its name is not
/// compared. `prefer` and `require` without a root file (no `roots`): encrypted, the certificate
/// not checked, libpq's meaning of these modes. Either way the handshake's signatures are verified.
#[derive(Debug)]
struct NameUnchecked {
    roots: Option<Arc<RootCertStore>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for NameUnchecked {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        if let Some(roots) = &self.roots {
            let cert = ParsedCertificate::try_from(end_entity)?;
            verify_server_cert_signed_by_trust_anchor(
                &cert,
                roots,
                intermediates,
                now,
                self.provider.signature_verification_algorithms.all,
            )?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_file_lines_match_like_libpq() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\n\
             otherhost:5432:*:desk:nope\n\
             db.example:5432:frontdesk:desk:se\\:cret\\\\1\n\
             *:*:*:*:fallback\n",
        )
        .unwrap();
        let config = |url: &str| postgres::Config::from_str(url).unwrap();
        assert_eq!(
            lookup_passfile(&file, &config("postgres://desk@db.example/frontdesk")).as_deref(),
            Some("se:cret\\1")
        );
        assert_eq!(
            lookup_passfile(&file, &config("postgres://desk@db.example:6543/frontdesk")).as_deref(),
            Some("fallback")
        );
        assert_eq!(
            lookup_passfile(&dir.path().join("none"), &config("postgres://a@b/c")),
            None
        );
    }

    #[test]
    fn url_options_of_frontdesk_are_taken_out() {
        let t = parse("postgres://desk:pw@db.example/frontdesk?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=5").unwrap();
        assert_eq!(t.mode(), SslMode::VerifyFull);
        assert_eq!(t.root_cert.as_deref(), Some(Path::new("/etc/ca.pem")));
        assert!(t.has_password());
        assert_eq!(
            t.shown,
            "postgres://desk:***@db.example/frontdesk?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=5"
        );
        assert!(matches!(
            parse("postgres://db.example/x?sslmode=sometimes"),
            Err(StoreError::ServerUrl { .. })
        ));
    }

    #[test]
    fn desk_names_are_short_ascii_and_read_back() {
        let name = desk_name("前台-一号机", Some(12));
        assert!(name.is_ascii() && name.len() <= 63, "{name}");
        assert_eq!(
            parse_desk_name(&name),
            Some((Some(12), "前台-一号机".to_owned()))
        );
        let long = desk_name(&"客服中心前台电脑".repeat(4), None);
        assert!(long.len() <= 63 && !long.ends_with('%'), "{long}");
        let (account, pc) = parse_desk_name(&long).unwrap();
        assert_eq!(account, None);
        assert!("客服中心前台电脑".repeat(4).starts_with(&pc), "{pc}");
        assert_eq!(parse_desk_name("psql"), None);
    }

    #[test]
    fn a_password_goes_into_the_url_encoded() {
        assert_eq!(
            with_password("postgres://desk@db:5432/fd?sslmode=require", "p@ss:w/rd"),
            "postgres://desk:p%40ss%3Aw%2Frd@db:5432/fd?sslmode=require"
        );
        assert_eq!(
            with_password("postgres://desk:old@db/fd", "new"),
            "postgres://desk:new@db/fd"
        );
        let t = parse(&with_password("postgres://desk@db/fd", "p@ss:w/rd")).unwrap();
        assert_eq!(t.config.get_password(), Some(&b"p@ss:w/rd"[..]));
        assert!(has_url_password("postgres://desk:x@db/fd"));
        assert!(!has_url_password("postgres://desk@db/fd"));
    }
}
