//! Backups through the command line, on real files: `purge` leaves no trace of purged personal
//! data in the database, its WAL or any backup FrontDesk made (backup folder and `--out` copies);
//! `backup` writes checked, rotated copies and remembers `--out` copies; `restore` replaces the
//! contents after a pre-restore copy and refuses unusable files; writing jobs back up an older
//! database before upgrading it; a full disk refuses backups and purges.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{Duration, NaiveDateTime};
use frontdesk::clock::{Clock as _, SystemClock, whole_seconds};
use frontdesk::domain::account::{Action, Actor};
use frontdesk::domain::call::{Call, Category};
use frontdesk::domain::customer::Honorific;
use frontdesk::domain::staff::Role;
use frontdesk::domain::visit::RegistrationDraft;
use frontdesk::store::backup::{self, Kind, Rotation};
use frontdesk::store::{Store, calls, privacy, staff, visits};
use rusqlite::Connection;

/// A temporary office: the configuration files and per-user folders in `dir`, the database in
/// `dir/data`, the backup folder `dir/backups` (set in the user's configuration file).
struct Office {
    dir: tempfile::TempDir,
    db: PathBuf,
    backups: PathBuf,
}

fn office() -> Office {
    office_with_backup_folder("backups")
}

fn office_with_backup_folder(folder: &str) -> Office {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    // Relative to the configuration file's folder.
    std::fs::write(
        dir.path().join("user.toml"),
        format!("backup_folder = '{folder}'\n"),
    )
    .unwrap();
    let db = dir.path().join("data").join("frontdesk.sqlite3");
    let backups = dir.path().join(folder);
    Office { dir, db, backups }
}

impl Office {
    /// Runs `frontdesk ARGS --db <the office database>`.
    fn run(&self, args: &[&str]) -> Output {
        self.run_on(&self.db, args)
    }

    /// Runs `frontdesk ARGS --db DB` with the office's configuration.
    fn run_on(&self, db: &Path, args: &[&str]) -> Output {
        common::frontdesk_command(self.dir.path())
            .args(args)
            .arg("--db")
            .arg(db)
            .output()
            .expect("run frontdesk")
    }

    /// The backup files in the backup folder, sorted by name.
    fn backup_files(&self) -> Vec<PathBuf> {
        files_in(&self.backups)
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file());
    files.sort();
    files
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_success(o: &Output) {
    assert!(
        o.status.success(),
        "stdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
}

/// The file a `backup` job says it wrote.
fn written(o: &Output) -> PathBuf {
    assert_success(o);
    let said = stderr(o);
    let path = said
        .lines()
        .find_map(|l| l.strip_prefix("backup written to "))
        .unwrap_or_else(|| panic!("no file named: {said}"));
    PathBuf::from(path.trim())
}

/// The number of outside copies of the head a successful `check` compared.
fn witnesses_of(o: &Output) -> usize {
    assert_success(o);
    let said = stdout(o);
    let before = said
        .split(" outside copies")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .unwrap_or_else(|| panic!("no witness count: {said}"));
    before.parse().unwrap()
}

/// Where `needle` occurs in the file (byte offsets), if anywhere.
fn occurrences(path: &Path, needle: &str) -> usize {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes
        .windows(needle.len())
        .filter(|w| *w == needle.as_bytes())
        .count()
}

/// Each text and each two-character piece of it (the search index stores such pieces).
fn needles(texts: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for text in texts {
        out.push((*text).to_owned());
        let chars: Vec<char> = text.chars().collect();
        if chars.iter().all(|c| !c.is_ascii()) {
            for pair in chars.windows(2) {
                out.push(pair.iter().collect());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn now() -> NaiveDateTime {
    whole_seconds(SystemClock.now())
}

fn registration(surname: &str, name: &str, phone: &str, company: &str) -> RegistrationDraft {
    RegistrationDraft {
        surname: surname.into(),
        honorific: Some(Honorific::Mr),
        name: name.into(),
        phone: phone.into(),
        company: company.into(),
        ..Default::default()
    }
}

/// Registers a visit at `at`; returns the visit and its customer.
fn register(store: &mut Store, draft: &RegistrationDraft, at: NaiveDateTime) -> (i64, i64) {
    let reg = draft.clone().validate().unwrap();
    let id = store
        .write(|tx| visits::register(tx, None, &reg, at, None))
        .unwrap();
    let customer = visits::get(store.db(), id).unwrap().customer_id.unwrap();
    (id, customer)
}

fn user_version(path: &Path) -> i32 {
    let conn = Connection::open(path).unwrap();
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

fn sidecars(path: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| {
            let mut p = path.as_os_str().to_owned();
            p.push(s);
            PathBuf::from(p)
        })
        .filter(|p| p.exists())
        .collect()
}

/// Runs `check` on a copy of `backup` alone in a fresh folder with fresh per-user folders: its own
/// seals, chain and audit trail, with no other file to compare with.
#[track_caller]
fn check_alone(backup: &Path) {
    let alone = tempfile::tempdir().unwrap();
    let copy = alone.path().join("alone.sqlite3");
    std::fs::copy(backup, &copy).unwrap();
    let out = common::frontdesk_command(alone.path())
        .args(["check", "--db"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "check of {}: {}{}",
        backup.display(),
        stdout(&out),
        stderr(&out)
    );
}

/// Old visitors and callers, a recent customer erased on request, backups in the folder and an
/// `--out` copy: after `purge`, none of their names, companies or phones (nor any two-character
/// piece of a name) is left in any byte of the database, its WAL, the backup folder or the copy;
/// the database and each rewritten backup still pass `check`.
/// After a purge: none of the files scanned (`files`) holds any of `gone`; the database, every
/// backup and `copy` still hold all of `kept`, and the backups and `copy` are single files in
/// rollback-journal mode. Prints how much was scanned.
fn assert_purged_everywhere(
    o: &Office,
    files: &[PathBuf],
    copy: &Path,
    gone: &[String],
    kept: &[String],
) {
    let mut bytes = 0;
    for file in files {
        bytes += std::fs::metadata(file).unwrap().len();
        for needle in gone {
            assert_eq!(
                occurrences(file, needle),
                0,
                "{needle} is still in {}",
                file.display()
            );
        }
    }
    // The scan does find what was kept: in the database and in every backup.
    let backups = o.backup_files();
    for file in backups
        .iter()
        .map(PathBuf::as_path)
        .chain([o.db.as_path(), copy])
    {
        assert!(
            kept.iter().all(|k| occurrences(file, k) > 0),
            "{} lost the kept visitor",
            file.display()
        );
        if file != o.db {
            assert!(sidecars(file).is_empty(), "{} is one file", file.display());
            let header = std::fs::read(file).unwrap();
            assert_eq!(
                header[18],
                1,
                "{} is in rollback-journal mode",
                file.display()
            );
        }
    }
    println!(
        "purge scan: {} files, {bytes} bytes, {} needles",
        files.len(),
        gone.len()
    );
}

/// After a purge: the database passes its check with the anchor, the three backups and `copy` as
/// witnesses; each rewritten backup passes alone and where it lies; a second purge scrubs nothing
/// and leaves `copy` as it is.
fn assert_checks_pass_and_purge_again(o: &Office, copy: &Path) {
    // The database passes, with the anchor, the three backups and the copy as witnesses.
    assert_eq!(witnesses_of(&o.run(&["check"])), 5);
    // Each rewritten backup is consistent in itself, alone and where it lies (checked as a
    // backup: the newer heads that the anchor and later backups saw are not a cut for it).
    let backups = o.backup_files();
    for backup in backups.iter().map(PathBuf::as_path).chain([copy]) {
        check_alone(backup);
        let out = o.run_on(backup, &["check"]);
        assert_success(&out);
        assert!(
            stdout(&out).contains("checked as a backup"),
            "{}",
            stdout(&out)
        );
    }
    // A second purge has nothing to scrub in them and leaves them as they are.
    let before: Vec<Vec<u8>> = [copy]
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let out = o.run(&["purge"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("rewrote 0 backups"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read(copy).unwrap(), before[0]);
    assert!(o.run(&["check"]).status.success());
}

#[test]
fn purge_leaves_no_trace_in_the_database_its_backups_and_out_copies() {
    let o = office();
    let now = now();
    let old = now - Duration::days(600);
    let recent = now - Duration::days(10);
    // Purged by retention: an old visitor (and their customer record) and an old caller.
    let (old_name, old_phone, old_company) = ("鄢淼焱", "13911112222", "垚鑫彧");
    let (caller, caller_phone) = ("阚翀翮", "13933334444");
    // Erased on request: a recent customer.
    let (erased_name, erased_phone, erased_company) = ("濮燚骉", "13955556666", "犇骉羴");
    // Kept: a recent visitor, so the scan is shown to find what is there.
    let (kept_name, kept_phone) = ("邰喆昇", "13977778888");

    let mut store = Store::open(&o.db).unwrap();
    let rep = store
        .write(|tx| staff::add(tx, "李娜", Role::ServiceRep, old))
        .unwrap();
    register(
        &mut store,
        &registration("鄢", old_name, old_phone, old_company),
        old,
    );
    store
        .write(|tx| {
            calls::insert(
                tx,
                &Call {
                    at: old + Duration::hours(2),
                    rings: 2,
                    caller_name: caller.into(),
                    phone: caller_phone.into(),
                    category: Some(Category::Tracking),
                    content: "查询运单".into(),
                    answer: "已告知".into(),
                    staff_id: Some(rep),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    let (_, erased) = register(
        &mut store,
        &registration("濮", erased_name, erased_phone, erased_company),
        recent,
    );
    register(
        &mut store,
        &registration("邰", kept_name, kept_phone, ""),
        recent + Duration::hours(1),
    );
    drop(store);

    // A backup in the folder and an `--out` copy hold everyone.
    written(&o.run(&["backup"]));
    let exports = o.dir.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    let copy = exports.join("for-auditors.sqlite3");
    assert_eq!(
        written(&o.run(&["backup", "--out", copy.to_str().unwrap()])),
        copy
    );

    // The recent customer asks to be erased; a later backup no longer has them.
    let mut store = Store::open(&o.db).unwrap();
    store.set_actor(Actor::system());
    store
        .write_as(Action::ManageAccounts, |tx| {
            privacy::erase_customer(tx, erased, now)
        })
        .unwrap();
    drop(store);
    written(&o.run(&["backup"]));
    assert_eq!(o.backup_files().len(), 2);

    let gone = needles(&[
        old_name,
        old_phone,
        old_company,
        caller,
        caller_phone,
        erased_name,
        erased_phone,
        erased_company,
    ]);
    let kept = needles(&[kept_name, kept_phone]);
    let scanned = |o: &Office| -> Vec<PathBuf> {
        let mut files = vec![o.db.clone()];
        files.extend(sidecars(&o.db));
        files.extend(o.backup_files());
        files.push(copy.clone());
        files
    };
    // Before: the old visitor is in the first backup and the copy, the erased one too.
    for needle in [old_name, old_phone, erased_name, erased_phone] {
        assert!(
            occurrences(&copy, needle) > 0,
            "{needle} is in the copy before"
        );
    }

    let out = o.run(&["purge"]);
    assert_success(&out);
    let said = stdout(&out);
    assert!(
        said.contains("anonymised: 1 visits, 1 calls, 1 customers"),
        "{said}"
    );
    // The two backups, the copy and the pre-purge backup.
    assert!(said.contains("rewrote 4 backups"), "{said}");
    let files = scanned(&o);
    assert_eq!(o.backup_files().len(), 3, "{:?}", o.backup_files());
    assert!(
        o.backup_files()
            .iter()
            .any(|p| p.to_string_lossy().ends_with("-pre-purge.sqlite3")),
        "a pre-purge backup was made: {:?}",
        o.backup_files()
    );
    assert_purged_everywhere(&o, &files, &copy, &gone, &kept);
    assert_checks_pass_and_purge_again(&o, &copy);
}

/// `backup` writes a checked single-file copy named `frontdesk-YYYYMMDD-HHMMSS.sqlite3` into the
/// backup folder and applies the rotation; `backup --out` is remembered, so `check` counts it.
#[test]
fn backup_into_the_folder_rotates_and_out_copies_are_remembered() {
    let o = office();
    assert_success(&o.run(&["init"]));
    let first = written(&o.run(&["backup"]));
    assert_eq!(first.parent().unwrap(), o.backups);
    let name = first.file_name().unwrap().to_str().unwrap();
    let (made, kind) = backup::parse_file_name(name).unwrap();
    assert_eq!(kind, Kind::Automatic);
    assert!(
        name.starts_with("frontdesk-") && name.ends_with(".sqlite3"),
        "{name}"
    );
    assert!((now() - made).num_minutes().abs() < 5, "{name}");
    assert!(sidecars(&first).is_empty());
    assert_eq!(std::fs::read(&first).unwrap()[18], 1, "not in WAL mode");
    assert!(
        backup::integrity_problems(&Connection::open(&first).unwrap())
            .unwrap()
            .is_empty()
    );
    assert!(o.run_on(&first, &["check"]).status.success());
    // The database was not changed by the backup (nothing else appeared beside it).
    assert_eq!(files_in(o.db.parent().unwrap()), vec![o.db.clone()]);

    // Two months of backups, two a day, and five pre-purge backups.
    let today = now();
    let mut made: Vec<NaiveDateTime> = Vec::new();
    for day in 1..=60 {
        for hour in [9, 17] {
            let at = (today - Duration::days(day))
                .date()
                .and_hms_opt(hour, 0, 0)
                .unwrap();
            std::fs::copy(
                &first,
                o.backups.join(backup::file_name(at, Kind::Automatic)),
            )
            .unwrap();
            made.push(at);
        }
    }
    for day in 1..=5 {
        let at = (today - Duration::days(day))
            .date()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        std::fs::copy(
            &first,
            o.backups.join(backup::file_name(at, Kind::PrePurge)),
        )
        .unwrap();
    }
    // A file named like a backup but of another program is left alone.
    let stranger = o.backups.join("frontdesk-20200101-000000.sqlite3");
    std::fs::write(&stranger, "not a database").unwrap();

    let second = written(&o.run(&["backup"]));
    made.push(made_at(&first));
    made.push(made_at(&second));
    made.sort_by(|a, b| b.cmp(a));
    let kept = backup::keep(&made, Rotation::default());
    let mut expected: Vec<NaiveDateTime> = made
        .iter()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|(t, _)| *t)
        .collect();
    expected.sort();
    let mut automatic = Vec::new();
    let mut pre_purge = 0;
    for f in o.backup_files() {
        match backup::parse_file_name(f.file_name().unwrap().to_str().unwrap()) {
            Some((at, Kind::Automatic)) if f != stranger => automatic.push(at),
            Some((_, Kind::PrePurge)) => pre_purge += 1,
            _ => {}
        }
    }
    automatic.sort();
    assert_eq!(automatic, expected);
    assert!(automatic.len() < 30, "{} kept of 122", automatic.len());
    assert_eq!(pre_purge, backup::KEEP_SPECIAL);
    assert!(stranger.exists());
    println!(
        "rotation: {} automatic backups kept of {}",
        automatic.len(),
        made.len()
    );

    // An `--out` copy is a witness from then on.
    let before = witnesses_of(&o.run(&["check"]));
    let elsewhere = o.dir.path().join("usb");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let copy = elsewhere.join("copy.sqlite3");
    written(&o.run(&["backup", "--out", copy.to_str().unwrap()]));
    assert_eq!(witnesses_of(&o.run(&["check"])), before + 1);
    // An existing file is never overwritten.
    let again = o.run(&["backup", "--out", copy.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
}

fn made_at(path: &Path) -> NaiveDateTime {
    backup::parse_file_name(path.file_name().unwrap().to_str().unwrap())
        .unwrap()
        .0
}

fn import_visits(o: &Office, rows: &str) {
    let csv = o.dir.path().join("visits.csv");
    std::fs::write(
        &csv,
        format!("arrived_at,surname,honorific,name,phone\n{rows}"),
    )
    .unwrap();
    assert_success(&o.run(&["import", "visits", csv.to_str().unwrap()]));
}

fn visit_names(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT name FROM visits ORDER BY id").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Every file under `dir` with its content.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// `restore` puts a backup's contents back: what was added since is gone from the database and
/// kept in the pre-restore copy, `check` passes, the audit trail shows the restore. A damaged,
/// edited or foreign file, and a missing database, are refused with nothing changed.
#[test]
fn restore_replaces_the_contents_after_a_pre_restore_copy() {
    let o = office();
    import_visits(&o, "2026-11-02 09:00:00,王,先生,王堃,13812345678\n");
    let saved = written(&o.run(&["backup"]));
    import_visits(&o, "2026-11-03 10:00:00,赵,女士,赵后加,13812340000\n");
    assert_eq!(visit_names(&o.db), ["王堃", "赵后加"]);

    let out = o.run(&["restore", saved.to_str().unwrap()]);
    assert_success(&out);
    let said = stdout(&out);
    assert!(said.contains("restored"), "{said}");
    assert!(said.contains("1 visits"), "{said}");
    let made = made_at(&saved).format("%Y-%m-%d %H:%M:%S").to_string();
    assert!(said.contains(&made), "the backup's date: {said}");
    let pre_restore = said
        .lines()
        .find_map(|l| l.strip_prefix("pre-restore copy of the replaced contents: "))
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("no pre-restore copy named: {said}"));
    assert!(
        pre_restore.starts_with(&o.backups),
        "{}",
        pre_restore.display()
    );
    assert!(
        pre_restore
            .to_string_lossy()
            .ends_with("-pre-restore.sqlite3")
    );
    assert_eq!(visit_names(&o.db), ["王堃"]);
    assert_eq!(visit_names(&pre_restore), ["王堃", "赵后加"]);
    // The anchor and the pre-restore copy saw entries the database no longer has: noted as
    // superseded, not reported as a cut.
    let check = o.run(&["check"]);
    assert!(witnesses_of(&check) >= 3, "{}", stdout(&check));
    let conn = Connection::open(&o.db).unwrap();
    let restores: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'restore' AND entity = 'database'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(restores, 1);
    drop(conn);

    // Unusable files: refused before anything is written.
    let elsewhere = o.dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let edited = elsewhere.join("edited.sqlite3");
    // One digit of a phone number changed, the file otherwise whole.
    let mut bytes = std::fs::read(&saved).unwrap();
    let at = bytes.windows(11).position(|w| w == b"13812345678").unwrap();
    bytes[at + 10] = b'9';
    std::fs::write(&edited, &bytes).unwrap();
    let truncated = elsewhere.join("truncated.sqlite3");
    let whole = std::fs::read(&saved).unwrap();
    std::fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
    let text = elsewhere.join("notes.sqlite3");
    std::fs::write(&text, "这不是备份 not a backup\n".repeat(50)).unwrap();
    let foreign = elsewhere.join("other-app.sqlite3");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE things (x); INSERT INTO things VALUES (1);")
        .unwrap();
    let before = snapshot(o.dir.path().join("data").as_path());
    let backups_before = o.backup_files();
    for bad in [&edited, &truncated, &text, &foreign] {
        let out = o.run(&["restore", bad.to_str().unwrap()]);
        assert!(!out.status.success(), "{} was restored", bad.display());
        let message = stderr(&out);
        assert!(
            message.contains("未恢复") && message.contains("数据库未被修改"),
            "{}: {message}",
            bad.display()
        );
        assert!(message.contains(&bad.display().to_string()), "{message}");
        assert_eq!(snapshot(o.dir.path().join("data").as_path()), before);
        assert_eq!(o.backup_files(), backups_before);
    }
    assert_eq!(visit_names(&o.db), ["王堃"]);

    // A database that does not exist is not created by a restore.
    let missing = o.dir.path().join("data").join("typo.sqlite3");
    let out = o.run_on(&missing, &["restore", saved.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("不存在"), "{}", stderr(&out));
    assert!(!missing.exists());
    assert!(o.run(&["check"]).status.success());
}

/// A database of an older schema opened by a job that writes is backed up (kind pre-migration,
/// still at the old version) before it is upgraded.
#[test]
fn a_writing_job_backs_up_an_older_database_before_upgrading_it() {
    let o = office();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let sql = std::fs::read_to_string(format!("{fixtures}/v6.sql")).unwrap();
    Connection::open(&o.db)
        .unwrap()
        .execute_batch(&sql)
        .unwrap();
    assert_eq!(user_version(&o.db), 6);
    import_visits(&o, "2026-11-02 09:00:00,钱,先生,钱多,13800000000\n");
    let backups = o.backup_files();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let (_, kind) =
        backup::parse_file_name(backups[0].file_name().unwrap().to_str().unwrap()).unwrap();
    assert_eq!(kind, Kind::PreMigration);
    assert_eq!(user_version(&backups[0]), 6);
    assert_eq!(user_version(&o.db), frontdesk::store::SCHEMA_VERSION);
    assert!(visit_names(&backups[0]).len() + 1 == visit_names(&o.db).len());
    assert_success(&o.run(&["check"]));
    // Once upgraded, later jobs make no more pre-migration backups.
    import_visits(&o, "2026-11-03 09:00:00,孙,先生,孙少,13800000001\n");
    assert_eq!(o.backup_files().len(), 1);
}

/// Unmounts a file system when dropped.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

/// Mounts a tmpfs of `size` (e.g. "2m") at `dir`; `Err` says why not (not Linux, not allowed, no
/// `mount`).
fn mount_tmpfs(dir: &Path, size: &str) -> Result<Mounted, String> {
    if !cfg!(target_os = "linux") {
        return Err("not Linux".into());
    }
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let out = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("mount: {e}"))?;
    if out.status.success() {
        Ok(Mounted(dir.to_path_buf()))
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

fn remount(dir: &Path, options: &str) {
    let ok = Command::new("mount")
        .args(["-o", &format!("remount,{options}")])
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "remount {options}");
}

/// A backup folder on a nearly full disk: `backup` is refused with the reason and leaves no
/// partial file; `purge` is refused before anything is anonymised (every purge starts with a
/// backup). Runs where the test may mount a small tmpfs (root on Linux); otherwise says so.
#[test]
fn a_full_backup_disk_refuses_backups_and_purges() {
    let o = office_with_backup_folder("small");
    let _mounted = match mount_tmpfs(&o.backups, "2m") {
        Ok(m) => m,
        Err(why) => {
            println!("the low-space test was not run: cannot mount a small tmpfs ({why})");
            return;
        }
    };
    import_visits(&o, "2024-03-02 09:00:00,王,先生,王堃喆,13812345678\n");
    let out = o.run(&["backup"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("剩余空间不足"), "{}", stderr(&out));
    assert!(o.backup_files().is_empty(), "{:?}", o.backup_files());

    let out = o.run(&["purge"]);
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(
        message.contains("未进行清理") && message.contains("剩余空间不足"),
        "{message}"
    );
    assert_eq!(visit_names(&o.db), ["王堃喆"], "nothing was purged");
    assert!(o.backup_files().is_empty());
}

/// A backup that cannot be rewritten (its disk is read-only): `purge` anonymises the database
/// but fails, naming the backup; once the disk is writable again, the next purge scrubs it.
#[test]
fn purge_names_a_backup_it_cannot_scrub_and_fails() {
    let o = office();
    let usb = o.dir.path().join("usb");
    let _mounted = match mount_tmpfs(&usb, "64m") {
        Ok(m) => m,
        Err(why) => {
            println!("the read-only backup test was not run: cannot mount a tmpfs ({why})");
            return;
        }
    };
    import_visits(&o, "2024-03-02 09:00:00,王,先生,王堃喆,13812345678\n");
    let copy = usb.join("copy.sqlite3");
    written(&o.run(&["backup", "--out", copy.to_str().unwrap()]));
    remount(&usb, "ro");
    let out = o.run(&["purge"]);
    let message = stderr(&out);
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(
        message.contains("未能清除") && message.contains(&copy.display().to_string()),
        "{message}"
    );
    // The database itself is purged.
    assert_eq!(visit_names(&o.db), [""]);
    assert!(occurrences(&copy, "王堃喆") > 0);
    remount(&usb, "rw");
    let out = o.run(&["purge"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("rewrote 1 backups"),
        "{}",
        stdout(&out)
    );
    assert_eq!(occurrences(&copy, "王堃喆"), 0);
    assert!(sidecars(&copy).is_empty());
    assert!(o.run(&["check"]).status.success());
}

/// `restore` on a database SQLite finds damaged: the damaged file is moved aside unchanged and the
/// backup takes its place.
#[test]
fn restore_replaces_a_damaged_database_and_keeps_it_aside() {
    let o = office();
    import_visits(&o, "2026-11-02 09:00:00,王,先生,王堃,13812345678\n");
    let saved = written(&o.run(&["backup"]));
    assert!(sidecars(&o.db).is_empty());
    // The schema page is overwritten after the file header.
    let mut bytes = std::fs::read(&o.db).unwrap();
    bytes[100..4096].fill(0xA5);
    std::fs::write(&o.db, &bytes).unwrap();
    let out = o.run(&["restore", saved.to_str().unwrap()]);
    assert_success(&out);
    let said = stdout(&out);
    let aside = said
        .lines()
        .find_map(|l| l.strip_prefix("the damaged file was moved to "))
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{said}"));
    assert_eq!(std::fs::read(&aside).unwrap(), bytes, "kept unchanged");
    assert_eq!(visit_names(&o.db), ["王堃"]);
    assert_success(&o.run(&["check"]));
}
