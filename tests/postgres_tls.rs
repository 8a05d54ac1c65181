//! Reaching a server as offices do: over TLS (libpq's `sslmode`, rustls underneath) and with a
//! password from the URL, a password file, the config file or the window's prompt. Each test
//! starts its own throwaway server with a certificate made here, or with password logins.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use common::frontdesk_on as frontdesk;

use std::path::Path;
use std::sync::Arc;

use common::pg::{Options, PgServer};
use egui_kittest::kittest::Queryable as _;
use frontdesk::clock::Clock;
use frontdesk::db_params;
use frontdesk::i18n::{self, Lang};
use frontdesk::store::db::Db;
use frontdesk::store::{Store, StoreError, connect, staff};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};

/// A CA and a server certificate it signed for `names`: (CA PEM, certificate PEM, key PEM).
fn pki(names: &[&str]) -> (String, String, String) {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "FrontDesk test CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "db.frontdesk.test");
    let cert = params.signed_by(&key, &ca).unwrap();
    (ca.pem(), cert.pem(), key.serialize_pem())
}

fn uses_tls(db: Db<'_>) -> bool {
    db.query_value(
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        db_params![],
    )
    .unwrap()
}

fn with_query(url: &str, query: &str) -> String {
    format!("{url}?{query}")
}

fn encoded(path: &Path) -> String {
    path.to_string_lossy().replace('/', "%2F")
}

#[test]
fn tls_modes_connect_verify_and_refuse_as_libpq_does() {
    // The certificate names "localhost" only, not the address 127.0.0.1.
    let (ca, cert, key) = pki(&["localhost"]);
    let Some(server) = PgServer::start_with(Options {
        tls: Some((cert, key)),
        ..Options::default()
    }) else {
        return;
    };
    let url = server.create_database("tls");
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("root.crt");
    std::fs::write(&ca_file, ca).unwrap();
    let (other_ca, _, _) = pki(&["localhost"]);
    let other_file = dir.path().join("other.crt");
    std::fs::write(&other_file, other_ca).unwrap();
    let root = format!("sslrootcert={}", encoded(&ca_file));
    let by_name = url.replace("127.0.0.1", "localhost");

    // Encrypted, certificate not checked.
    for query in ["sslmode=require", "sslmode=prefer", ""] {
        let pg = connect::connect(&with_query(&url, query)).unwrap();
        assert!(uses_tls(Db::Postgres(&pg)), "{query}");
    }
    let plain = connect::connect(&with_query(&url, "sslmode=disable")).unwrap();
    assert!(!uses_tls(Db::Postgres(&plain)));
    // The chain is checked; the name is not (the certificate does not name 127.0.0.1).
    let pg = connect::connect(&with_query(&url, &format!("sslmode=verify-ca&{root}"))).unwrap();
    assert!(uses_tls(Db::Postgres(&pg)));
    // The name is checked too: refused by address, accepted by the name on the certificate.
    assert!(connect::connect(&with_query(&url, &format!("sslmode=verify-full&{root}"))).is_err());
    let pg = connect::connect(&with_query(
        &by_name,
        &format!("sslmode=verify-full&{root}"),
    ))
    .unwrap();
    assert!(uses_tls(Db::Postgres(&pg)));
    // Another CA's root: refused, also by `require` given a root file (libpq's rule).
    let other = format!("sslrootcert={}", encoded(&other_file));
    for mode in ["verify-full", "verify-ca", "require"] {
        assert!(
            connect::connect(&with_query(&by_name, &format!("sslmode={mode}&{other}"))).is_err(),
            "{mode}"
        );
    }
    // A root file that is not there: a clear TLS error before connecting.
    let missing = format!("sslrootcert={}", encoded(&dir.path().join("none.crt")));
    assert!(matches!(
        connect::connect(&with_query(
            &by_name,
            &format!("sslmode=verify-full&{missing}")
        )),
        Err(StoreError::ServerTls { .. })
    ));

    // The whole store over verified TLS: open (schema created), write, read.
    let clock = common::clock();
    let mut store =
        Store::open(with_query(&by_name, &format!("sslmode=verify-full&{root}"))).unwrap();
    store
        .write(|tx| {
            staff::add(
                tx,
                "李娜",
                frontdesk::domain::staff::Role::ServiceRep,
                clock.now(),
            )
        })
        .unwrap();
    assert_eq!(staff::all(store.db()).unwrap().len(), 1);
    assert!(uses_tls(store.db()));
}

#[test]
fn the_password_comes_from_a_password_file_the_config_file_or_the_url() {
    let Some(server) = PgServer::start_with(Options {
        password: Some("Pw-2026:desk".to_owned()),
        ..Options::default()
    }) else {
        return;
    };
    let url = server.create_database("login");
    let dir = tempfile::tempdir().unwrap();
    // None given: a clear message, in the library and from the binary.
    assert!(matches!(
        connect::connect(&url),
        Err(StoreError::ServerPassword { wrong: false, .. })
    ));
    let out = frontdesk(dir.path(), &url, &["init"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("PGPASSFILE"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A wrong one is told apart.
    assert!(matches!(
        connect::connect(&connect::with_password(&url, "nope")),
        Err(StoreError::ServerPassword { wrong: true, .. })
    ));
    // In the URL (encoded: it has a colon).
    let pg = connect::connect(&connect::with_password(&url, "Pw-2026:desk")).unwrap();
    drop(pg);
    // A password file, named by PGPASSFILE (libpq's escapes: `\:`).
    let passfile = dir.path().join("pgpass");
    std::fs::write(
        &passfile,
        format!("127.0.0.1:{}:*:frontdesk:Pw-2026\\:desk\n", server.port()),
    )
    .unwrap();
    let out = common::frontdesk_command(dir.path())
        .env("PGPASSFILE", &passfile)
        .args(["init", "--db", &url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The configuration file's database_password.
    std::fs::write(
        dir.path().join("user.toml"),
        format!("database = \"{url}\"\ndatabase_password = \"Pw-2026:desk\"\n"),
    )
    .unwrap();
    let out = common::frontdesk_command(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!shown.contains("Pw-2026"), "{shown}");
}

#[test]
fn the_window_asks_for_the_password_and_opens_the_app_with_it() {
    use frontdesk::app::server_login::ServerLogin;
    i18n::set_lang(Lang::ZhCn);
    let Some(server) = PgServer::start_with(Options {
        password: Some("柜台-2026".to_owned()),
        ..Options::default()
    }) else {
        return;
    };
    let url = server.create_database("window");
    let clock = common::clock();
    let shared: Arc<dyn Clock> = Arc::new(clock.clone());
    let make_app = Box::new(move |store: Store| {
        Ok(frontdesk::app::App::new(store, Arc::clone(&shared))?.without_scheduled_work())
    });
    let mut h = egui_kittest::Harness::builder()
        .with_size([1280.0, 860.0])
        .with_context_setup(frontdesk::ui::theme::install)
        .build_ui_state(
            |ui, login: &mut ServerLogin| login.run_frame(ui),
            ServerLogin::new(url.clone(), make_app),
        );
    h.run();
    assert!(
        h.query_all_by_label_contains("要求输入密码")
            .next()
            .is_some()
    );
    let type_password = |h: &mut egui_kittest::Harness<'_, ServerLogin>, text: &str| {
        h.get_by_label("密码:").focus();
        h.run();
        h.get_by_label("密码:").type_text(text);
        h.run();
        h.get_by_label("连接").click();
        h.run();
    };
    type_password(&mut h, "不对");
    assert!(h.state().app().is_none());
    assert!(
        h.query_all_by_label_contains("用户名或密码不正确")
            .next()
            .is_some(),
        "the refusal is shown"
    );
    type_password(&mut h, "柜台-2026");
    assert!(h.state().app().is_some(), "the app opened");
    h.run();
    assert!(
        h.query_all_by_label_contains("目前没有在场访客")
            .next()
            .is_some()
    );
    // The password went nowhere visible.
    assert!(h.query_all_by_label_contains("柜台-2026").next().is_none());
}
