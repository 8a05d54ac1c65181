//! The real `frontdesk` binary on both backends: the same jobs on a SQLite file and on a
//! throwaway PostgreSQL server give byte-identical reports; every job that works on a server
//! works there, and the ones that only a file has (backup, restore) say so without touching
//! anything; a raw edit on the server is found by `check`; a password never shows.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use common::frontdesk_on as frontdesk;

use std::process::Output;

use common::pg::PgServer;

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The demo's weeks end here on both backends, so both hold the same records.
const UNTIL: &str = "2026-11-20 16:00:00";

const REGISTER: &str = "\u{feff}surname,honorific,arrived_at,greeted_at,water_served_at,departed_at,phone,name,company,purpose,party_size,travel_mode
王,先生,2026-11-16 09:00:00,2026-11-16 09:00:40,2026-11-16 09:03:00,2026-11-16 09:30:00,13812345678,王堃,重庆某运输有限公司,咨询运价,2,打车
李,女士,2026-11-16 10:15:00,2026-11-16 10:17:10,,2026-11-16 10:40:00,13900001111,,,办理托运,,
赵,女士,2026-11-17 14:00:00,2026-11-17 14:00:30,,,138 1234 5678,赵敏,,提货,1,
";

const CUSTOMERS: &str = "surname,honorific,name,phone,company,region,key_account,credit_grade
钱,先生,钱进,13700002222,成都某物流有限公司,成都,是,A
孙,女士,孙丽,13600003333,,西安,否,B
";

#[test]
fn the_same_jobs_give_byte_identical_reports_on_a_file_and_on_a_server() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("frontdesk.sqlite3");
    let file = file.to_str().unwrap();
    let url = server.create_database("parity");
    let register = dir.path().join("register.csv");
    std::fs::write(&register, REGISTER).unwrap();
    let customers = dir.path().join("customers.csv");
    std::fs::write(&customers, CUSTOMERS).unwrap();

    for db in [file, url.as_str()] {
        ok(&frontdesk(dir.path(), db, &["init"]));
        ok(&frontdesk(dir.path(), db, &["demo", "--until", UNTIL]));
        let out = frontdesk(
            dir.path(),
            db,
            &["import", "visits", register.to_str().unwrap()],
        );
        ok(&out);
        assert!(
            stderr(&out).contains("imported 3 visits"),
            "{}",
            stderr(&out)
        );
        let out = frontdesk(
            dir.path(),
            db,
            &["import", "customers", customers.to_str().unwrap()],
        );
        ok(&out);
        assert!(stderr(&out).contains("2 added"), "{}", stderr(&out));
    }

    let reports: [&[&str]; 6] = [
        &[
            "report",
            "reception",
            "--from",
            "2026-10-26",
            "--to",
            "2026-11-20",
        ],
        &[
            "report",
            "complaints",
            "--week",
            "2026-W46",
            "--as-of",
            UNTIL,
        ],
        &[
            "report",
            "complaints",
            "--week",
            "2026-W47",
            "--as-of",
            UNTIL,
        ],
        &["report", "claims", "--month", "2026-11"],
        &["report", "claims", "--month", "2026-10"],
        &["report", "inspections", "--month", "2026-11"],
    ];
    for args in reports {
        let on_file = ok(&frontdesk(dir.path(), file, args));
        let on_server = ok(&frontdesk(dir.path(), &url, args));
        assert!(
            on_file.lines().count() > 2,
            "{args:?} has figures to compare:\n{on_file}"
        );
        assert_eq!(on_file, on_server, "{args:?}");
    }
    // XLSX files carry their creation time; their sheets are compared cell by cell elsewhere
    // (the report tests); here they are written on the server too.
    let xlsx = dir.path().join("claims.xlsx");
    ok(&frontdesk(
        dir.path(),
        &url,
        &[
            "report",
            "claims",
            "--month",
            "2026-11",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    ));
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 1000);

    // The daily purge runs on the server as on the file (nothing is old enough yet).
    for db in [file, url.as_str()] {
        let out = ok(&frontdesk(dir.path(), db, &["purge"]));
        assert!(out.contains("anonymised: 0 visits"), "{out}");
    }
    let check = ok(&frontdesk(dir.path(), &url, &["check"]));
    assert!(check.starts_with("ok"), "{check}");
    let check = ok(&frontdesk(dir.path(), file, &["check"]));
    assert!(check.starts_with("ok"), "{check}");
}

#[test]
fn a_restore_is_refused_on_a_server_and_nothing_is_created() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = server.create_database("jobs");
    let out = ok(&frontdesk(dir.path(), &url, &["init"]));
    assert!(out.is_empty());
    let fake = dir.path().join("some.sqlite3");
    std::fs::write(&fake, b"").unwrap();
    let restore = frontdesk(dir.path(), &url, &["restore", fake.to_str().unwrap()]);
    assert!(!restore.status.success());
    assert!(stderr(&restore).contains("pg_dump"), "{}", stderr(&restore));
    // No file or folder named after the URL appeared anywhere near.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with("postgres")),
        "{names:?}"
    );
}

#[test]
fn a_complaint_edited_on_the_server_behind_frontdesks_back_is_found_by_check() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = server.create_database("tamper");
    ok(&frontdesk(dir.path(), &url, &["demo", "--until", UNTIL]));
    ok(&frontdesk(dir.path(), &url, &["check"]));
    // What someone with psql and the owner's rights could do.
    let mut psql = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let changed = psql
        .execute(
            "UPDATE complaints SET content = content || '(已删改)' WHERE id = (SELECT min(id) FROM complaints)",
            &[],
        )
        .unwrap();
    assert_eq!(changed, 1);
    let check = frontdesk(dir.path(), &url, &["check"]);
    assert!(!check.status.success());
    let report = String::from_utf8_lossy(&check.stdout).into_owned() + &stderr(&check);
    assert!(report.contains("complaints"), "{report}");
}

#[test]
fn a_password_in_the_url_or_the_config_file_never_shows() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = server.create_database("secret");
    // Trust authentication: the server ignores the password, FrontDesk must still hide it.
    let with_password = url.replacen("frontdesk@", "frontdesk:s3cr3t-pw@", 1);
    let out = frontdesk(dir.path(), &with_password, &["init"]);
    let text = ok(&out) + &stderr(&out);
    assert!(!text.contains("s3cr3t-pw"), "{text}");
    assert!(text.contains("frontdesk:***@"), "{text}");
    let out = frontdesk(dir.path(), &with_password, &["config"]);
    let text = ok(&out) + &stderr(&out);
    assert!(!text.contains("s3cr3t-pw"), "{text}");
    assert!(text.contains("frontdesk:***@"), "{text}");
    let out = frontdesk(dir.path(), &with_password, &["check"]);
    let text = ok(&out) + &stderr(&out);
    assert!(!text.contains("s3cr3t-pw"), "{text}");
    // From the config file.
    let set = common::frontdesk_command(dir.path())
        .args(["config", "set", "database_password", "an0ther-pw"])
        .output()
        .unwrap();
    let text = ok(&set) + &stderr(&set);
    assert!(!text.contains("an0ther-pw"), "{text}");
    let out = frontdesk(dir.path(), &url, &["config"]);
    let text = ok(&out) + &stderr(&out);
    assert!(!text.contains("an0ther-pw"), "{text}");
    assert!(text.contains("database_password = ***"), "{text}");
}

#[test]
fn a_file_migrated_to_a_server_gives_the_same_reports_and_goes_on_from_there() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("frontdesk.sqlite3");
    let file = file.to_str().unwrap();
    let url = server.create_database("moved");
    ok(&frontdesk(dir.path(), file, &["demo", "--until", UNTIL]));
    let out = common::frontdesk_command(dir.path())
        .args(["migrate", "--from", file, "--to", &url])
        .output()
        .unwrap();
    let said = ok(&out);
    assert!(said.starts_with("copied "), "{said}");
    ok(&frontdesk(dir.path(), &url, &["check"]));

    // New records after the move take new ids on the server as they would in the file.
    let register = dir.path().join("register.csv");
    std::fs::write(&register, REGISTER).unwrap();
    for db in [file, url.as_str()] {
        ok(&frontdesk(
            dir.path(),
            db,
            &["import", "visits", register.to_str().unwrap()],
        ));
    }
    for args in [
        &[
            "report",
            "reception",
            "--from",
            "2026-10-26",
            "--to",
            "2026-11-20",
        ][..],
        &[
            "report",
            "complaints",
            "--week",
            "2026-W47",
            "--as-of",
            UNTIL,
        ],
        &["report", "claims", "--month", "2026-11"],
        &["report", "inspections", "--month", "2026-11"],
    ] {
        let on_file = ok(&frontdesk(dir.path(), file, args));
        let on_server = ok(&frontdesk(dir.path(), &url, args));
        assert_eq!(on_file, on_server, "{args:?}");
    }
    let check = ok(&frontdesk(dir.path(), &url, &["check"]));
    assert!(check.starts_with("ok"), "{check}");

    // The server now holds records: a second copy is refused and changes nothing.
    let before = ok(&frontdesk(
        dir.path(),
        &url,
        &["report", "claims", "--month", "2026-11"],
    ));
    let again = common::frontdesk_command(dir.path())
        .args(["migrate", "--from", file, "--to", &url])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(stderr(&again).contains("visits") || stderr(&again).contains("staff"));
    let after = ok(&frontdesk(
        dir.path(),
        &url,
        &["report", "claims", "--month", "2026-11"],
    ));
    assert_eq!(before, after);

    // A file changed behind FrontDesk's back is not copied anywhere.
    let tampered_url = server.create_database("not_moved");
    let conn = rusqlite::Connection::open(file).unwrap();
    conn.execute(
        "UPDATE complaints SET content = content || '!' WHERE id = (SELECT min(id) FROM complaints)",
        [],
    )
    .unwrap();
    drop(conn);
    let refused = common::frontdesk_command(dir.path())
        .args(["migrate", "--from", file, "--to", &tampered_url])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("complaints"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn a_migration_killed_halfway_leaves_the_server_as_it_was() {
    use std::io::{BufRead as _, BufReader};
    use std::process::Stdio;
    let Some(server) = PgServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("frontdesk.sqlite3");
    let file = file.to_str().unwrap();
    let url = server.create_database("halfway");
    ok(&frontdesk(dir.path(), file, &["demo", "--until", UNTIL]));
    let mut child = common::frontdesk_command(dir.path())
        .args(["migrate", "--from", file, "--to", &url])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Killed once the visits are copied, with more tables still to come in the transaction.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    loop {
        let line = lines.next().expect("progress").unwrap();
        if line.trim_start().starts_with("visits:") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let mut psql = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    for table in [
        "staff",
        "customers",
        "visits",
        "complaints",
        "claims",
        "audit",
    ] {
        let n: i64 = psql
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .unwrap()
            .get(0);
        assert_eq!(n, 0, "{table} is as it was");
    }
    drop(psql);
    // The server is fine: the same migration goes through now.
    let out = common::frontdesk_command(dir.path())
        .args(["migrate", "--from", file, "--to", &url])
        .output()
        .unwrap();
    ok(&out);
    let on_file = ok(&frontdesk(
        dir.path(),
        file,
        &["report", "claims", "--month", "2026-11"],
    ));
    let on_server = ok(&frontdesk(
        dir.path(),
        &url,
        &["report", "claims", "--month", "2026-11"],
    ));
    assert_eq!(on_file, on_server);
}

#[test]
fn a_backup_of_a_server_is_a_database_file_that_migrate_reads_back() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = server.create_database("original");
    ok(&frontdesk(dir.path(), &url, &["demo", "--until", UNTIL]));
    let copy = dir.path().join("server-copy.sqlite3");
    let out = frontdesk(
        dir.path(),
        &url,
        &["backup", "--out", copy.to_str().unwrap()],
    );
    ok(&out);
    assert!(stderr(&out).contains("copied "), "{}", stderr(&out));
    // One self-contained file that checks clean.
    for side in ["-wal", "-shm", "-journal"] {
        let mut name = copy.as_os_str().to_owned();
        name.push(side);
        assert!(!std::path::Path::new(&name).exists(), "{side}");
    }
    let copy = copy.to_str().unwrap();
    let check = ok(&frontdesk(dir.path(), copy, &["check"]));
    assert!(check.starts_with("ok"), "{check}");
    // Into a new server database, and every report is the original's.
    let again = server.create_database("restored");
    ok(&common::frontdesk_command(dir.path())
        .args(["migrate", "--from", copy, "--to", &again])
        .output()
        .unwrap());
    for args in [
        &[
            "report",
            "reception",
            "--from",
            "2026-10-26",
            "--to",
            "2026-11-20",
        ][..],
        &[
            "report",
            "complaints",
            "--week",
            "2026-W47",
            "--as-of",
            UNTIL,
        ],
        &["report", "claims", "--month", "2026-11"],
        &["report", "inspections", "--month", "2026-11"],
    ] {
        let original = ok(&frontdesk(dir.path(), &url, args));
        assert_eq!(ok(&frontdesk(dir.path(), copy, args)), original, "{args:?}");
        assert_eq!(
            ok(&frontdesk(dir.path(), &again, args)),
            original,
            "{args:?}"
        );
    }
    // A copy never overwrites a file.
    let refused = frontdesk(dir.path(), &url, &["backup", "--out", copy]);
    assert!(!refused.status.success());
}
