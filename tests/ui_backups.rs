//! UI tests of backups and restores: the backup button in 设置 → 数据, the list of backups, the
//! rotation counts, an admin's restore, automatic backups on a driven clock, and the
//! damaged-file window. Backup work runs on worker threads, so the tests step the harness until
//! it has finished (a bounded loop with short waits).
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use common::{click, has_label, has_label_containing};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use frontdesk::app::App;
use frontdesk::app::backups::{Recovery, Replaced};
use frontdesk::clock::{Clock, FakeClock};
use frontdesk::config::{Config, Scope, Source, Sourced};
use frontdesk::i18n::{self, Lang};
use frontdesk::store::backup::{self as store_backup, Kind, Rotation};
use frontdesk::store::{Store, visits};
use frontdesk::ui::damaged::DamagedFile;

/// A short wait while a worker thread finishes. Only these tests wait like this; the app never
/// sleeps.
#[expect(
    clippy::disallowed_methods,
    reason = "tests wait for the app's worker threads"
)]
fn pause() {
    std::thread::sleep(std::time::Duration::from_millis(10));
}

/// Runs frames until no backup work is left (and none was started by the last frame) and the
/// screen has settled. Taking in a worker's result may lay out a few new parts of the screen at
/// once, so a single `run` may need more than its usual number of frames here.
fn settle(h: &mut Harness<'_, App>) {
    for _ in 0..1000 {
        let settled = h.run_ok().is_some();
        if settled && !h.state().backup_work_pending() {
            h.run();
            if !h.state().backup_work_pending() {
                return;
            }
        }
        pause();
    }
    panic!("the backup work did not finish");
}

/// The backup files in `folder` whose names end with `suffix` (e.g. "-manual.sqlite3").
fn backups_ending(folder: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("frontdesk-") && name.ends_with(suffix)
        })
        .collect();
    found.sort();
    found
}

fn visit_count(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
        .unwrap()
}

fn arrive(store: &mut Store, clock: &FakeClock) {
    store
        .write(|tx| visits::arrive(tx, clock.now(), None))
        .unwrap();
}

fn open_data_tab(h: &mut Harness<'_, App>) {
    h.get_by_label("设置").click();
    h.run();
    h.get_by_label("数据").click();
    settle(h);
}

#[test]
fn the_backup_button_makes_a_checked_backup_and_the_list_shows_it() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    arrive(&mut store, &clock);
    let mut h = common::harness(common::app_with_scheduled_work(store, &clock));
    h.run();
    open_data_tab(&mut h);
    assert!(has_label(&h, "备份文件夹中还没有备份。"));

    clock.advance_secs(5 * 60);
    click(&mut h, "立即备份");
    settle(&mut h);

    // The top bar's clock moves on, so the time shown below is the backup's.
    clock.advance_secs(60);
    h.run();
    let made = backups_ending(dir.path(), "-manual.sqlite3");
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(made[0].ends_with("frontdesk-20261123-090500-manual.sqlite3"));
    // The backup is whole and holds the data.
    let copy = store_backup::open_backup(&made[0]).unwrap();
    assert_eq!(visit_count(&copy), 1);
    let message = h.state().message().unwrap();
    assert!(!message.is_error);
    assert!(
        message
            .text
            .contains("备份完成:frontdesk-20261123-090500-manual.sqlite3"),
        "{message:?}"
    );
    // The list was read again and shows it: time, kind, size.
    assert!(has_label(&h, "2026-11-23 09:05"));
    assert!(has_label(&h, "手动"));
    assert!(has_label(&h, "frontdesk-20261123-090500-manual.sqlite3"));
    assert!(has_label_containing(&h, " MB"));
    assert!(has_label(&h, "共 1 份"));
}

#[test]
fn the_desk_backs_up_but_does_not_see_the_restore() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    store
        .backup_into(
            dir.path(),
            clock.now(),
            Kind::Manual,
            Rotation::default(),
            &mut store_backup::keep_going,
        )
        .unwrap();
    let mut h = common::harness(common::app_with_scheduled_work(store, &clock));
    h.run();
    open_data_tab(&mut h);
    assert!(has_label(&h, "立即备份"));
    assert!(has_label(&h, "2026-11-23 09:00"), "the list is shown");
    assert!(!has_label(&h, "恢复数据"));
    assert!(!has_label(&h, "用此备份恢复…"));
    assert!(!has_label(&h, "选择其他备份文件…"));
    assert!(!has_label(&h, "保存保留份数"));
    // A restore asked for anyway is refused by the store's permission check.
    let refused = h.state_mut().apply(&frontdesk::app::Command::Backup(
        frontdesk::app::BackupCommand::Restore(dir.path().join("x.sqlite3")),
    ));
    assert!(refused.is_err());
    // A supervisor is no admin either.
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    assert!(!has_label(&h, "恢复数据"));
}

#[test]
fn an_admin_restores_a_chosen_backup_after_confirming() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    arrive(&mut store, &clock);
    let backup = store
        .backup_into(
            dir.path(),
            clock.now(),
            Kind::Manual,
            Rotation::default(),
            &mut store_backup::keep_going,
        )
        .unwrap();
    // Two more visits after the backup.
    clock.advance_secs(3600);
    arrive(&mut store, &clock);
    arrive(&mut store, &clock);
    let mut h = common::harness(common::app_with_scheduled_work(store, &clock));
    h.state_mut()
        .login("admin", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    assert!(has_label(&h, "今日来访 3"));
    open_data_tab(&mut h);
    assert!(has_label(&h, "恢复数据"));

    // Choose the backup by its time: its kind and record counts are shown.
    click(&mut h, "2026-11-23 09:00");
    settle(&mut h);
    assert!(has_label_containing(&h, "文件完好。来访 1 条"));
    assert!(has_label(&h, "手动"));

    // The confirmation says what happens; cancelling changes nothing.
    click(&mut h, "用此备份恢复…");
    assert!(has_label_containing(
        &h,
        "当前数据库中的全部数据将被此备份替换"
    ));
    assert!(has_label_containing(&h, "“恢复前”备份"));
    click(&mut h, "取消");
    assert!(!has_label(&h, "确认恢复"));
    assert_eq!(visit_count(h.state().store().sqlite().unwrap()), 3);

    click(&mut h, "用此备份恢复…");
    click(&mut h, "确认恢复");
    settle(&mut h);

    // The data is the backup's, in the app and in the file.
    assert_eq!(visit_count(h.state().store().sqlite().unwrap()), 1);
    assert_eq!(
        visit_count(&frontdesk::store::read_connection(&path).unwrap()),
        1
    );
    assert!(!has_label(&h, "确认恢复"), "the dialog closed");
    let pre = backups_ending(dir.path(), "-pre-restore.sqlite3");
    assert_eq!(pre.len(), 1, "{pre:?}");
    let pre_name = pre[0].file_name().unwrap().to_string_lossy().into_owned();
    // The data as it was before is kept in the pre-restore copy.
    assert_eq!(visit_count(&store_backup::open_backup(&pre[0]).unwrap()), 3);
    let message = h.state().message().unwrap();
    assert!(!message.is_error, "{message:?}");
    let name = backup.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        message.text,
        format!("已用备份 {name} 恢复数据。恢复前的数据已另存为 {pre_name}。")
    );
    assert!(has_label_containing(&h, &pre_name));
    // The restore is in the audit trail, by the admin.
    let by: String = h
        .state()
        .store()
        .sqlite()
        .unwrap()
        .query_row(
            "SELECT actor FROM audit WHERE action = 'restore' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(by.contains("管理员") || by.contains("admin"), "{by}");
    // The screens show the restored data.
    h.get_by_label("今日接待").click();
    h.run();
    assert!(has_label(&h, "今日来访 1"));
}

#[test]
fn a_failed_restore_keeps_the_dialog_and_says_why() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    let backup = store
        .backup_into(
            dir.path(),
            clock.now(),
            Kind::Manual,
            Rotation::default(),
            &mut store_backup::keep_going,
        )
        .unwrap();
    clock.advance_secs(3600);
    let mut h = common::harness(common::app_with_scheduled_work(store, &clock));
    h.state_mut()
        .login("admin", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    open_data_tab(&mut h);
    click(&mut h, "2026-11-23 09:00");
    settle(&mut h);
    click(&mut h, "用此备份恢复…");
    // The backup disappears before the restore starts.
    std::fs::remove_file(&backup).unwrap();
    click(&mut h, "确认恢复");
    settle(&mut h);
    assert!(has_label(&h, "确认恢复"), "the dialog stays open");
    assert!(has_label_containing(&h, "恢复失败,当前数据未被替换"));
    assert!(h.state().message().unwrap().is_error);
}

#[test]
fn an_automatic_backup_is_made_after_the_interval_only_when_data_changed() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app_with_scheduled_work(store, &clock));
    h.run();
    let automatic = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| matches!(store_backup::parse_file_name(n), Some((_, Kind::Automatic))))
            .collect()
    };

    clock.advance_secs(29 * 60);
    settle(&mut h);
    assert!(automatic(dir.path()).is_empty(), "not before the interval");

    clock.advance_secs(60);
    settle(&mut h);
    assert_eq!(automatic(dir.path()), ["frontdesk-20261123-093000.sqlite3"]);
    let first = dir.path().join("frontdesk-20261123-093000.sqlite3");
    store_backup::open_backup(&first).unwrap();
    assert!(
        h.state().message().is_none(),
        "a successful automatic backup does not interrupt"
    );

    // Nothing changed: no new backup.
    clock.advance_secs(30 * 60);
    settle(&mut h);
    assert_eq!(automatic(dir.path()).len(), 1);

    // A visitor arrives: the next check makes one.
    h.get_by_label("客户到达").click();
    h.run();
    clock.advance_secs(10 * 60);
    settle(&mut h);
    assert_eq!(automatic(dir.path()).len(), 1, "at most every 30 minutes");
    clock.advance_secs(20 * 60);
    settle(&mut h);
    let mut names = automatic(dir.path());
    names.sort();
    assert_eq!(
        names,
        [
            "frontdesk-20261123-093000.sqlite3",
            "frontdesk-20261123-103000.sqlite3"
        ]
    );
    let second = store_backup::open_backup(&dir.path().join(&names[1])).unwrap();
    assert_eq!(visit_count(&second), 1);

    // It shows in the data tab.
    open_data_tab(&mut h);
    assert!(has_label(&h, "2026-11-23 10:30"));
    assert!(has_label_containing(
        &h,
        "本次最近一次自动备份:2026-11-23 10:30"
    ));
}

#[test]
fn an_automatic_backup_that_fails_says_so_without_stopping_the_app() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    // The backup folder is a file: nothing can be written there.
    let blocked = dir.path().join("blocked");
    std::fs::write(&blocked, "not a folder").unwrap();
    let mut config = Config::for_database(&path);
    config.backup_folder.value = blocked.join("backups");
    let mut h = common::harness(common::app_with_scheduled_work(store, &clock).with_config(config));
    h.run();
    clock.advance_secs(30 * 60);
    settle(&mut h);
    let message = h.state().message().unwrap();
    assert!(message.is_error);
    assert!(message.text.starts_with("自动备份失败:"), "{message:?}");
    // The desk keeps working.
    h.get_by_label("客户到达").click();
    h.run();
    assert_eq!(visit_count(h.state().store().sqlite().unwrap()), 1);
}

#[test]
fn an_admin_changes_the_rotation_and_a_count_from_the_config_file_is_read_only() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    let machine = dir.path().join("machine.toml");
    let mut config = Config::for_database(&path);
    config.backup_keep[3] = Some(Sourced {
        value: 2,
        source: Source::File {
            scope: Scope::Machine,
            path: machine.clone(),
            line: 4,
        },
    });
    let mut h = common::harness(common::app_with_scheduled_work(store, &clock).with_config(config));
    h.state_mut()
        .login("admin", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    open_data_tab(&mut h);
    assert!(has_label_containing(
        &h,
        &format!("来自全机配置文件 {} 第 4 行", machine.display())
    ));
    assert!(has_label_containing(&h, "以配置文件为准"));

    // A count out of range is refused with a message, nothing saved.
    h.get_by_label("最近保留份数").scroll_to_me();
    h.run();
    h.get_by_label("最近保留份数").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("最近保留份数").type_text("1001");
    h.run();
    click(&mut h, "保存保留份数");
    assert!(has_label(&h, "最近保留份数:请填写 0 到 1000 之间的整数"));
    let saved = store_backup::rotation_setting(h.state().store().db()).unwrap();
    assert_eq!(saved, Rotation::default());

    h.get_by_label("最近保留份数").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("最近保留份数").type_text("3");
    h.run();
    click(&mut h, "保存保留份数");
    let saved = store_backup::rotation_setting(h.state().store().db()).unwrap();
    assert_eq!(saved.recent, 3);
    assert_eq!(saved.monthly, Rotation::default().monthly);
    assert!(has_label(&h, "来自本程序的设置"));
}

/// Overwrites part of a database file, so SQLite finds it damaged.
fn damage(path: &Path) {
    use std::io::{Seek as _, SeekFrom, Write as _};
    let len = std::fs::metadata(path).unwrap().len();
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.seek(SeekFrom::Start(4096 * 2)).unwrap();
    let garbage = vec![0xA5u8; usize::try_from(len - 4096 * 2).unwrap().min(4096 * 6)];
    f.write_all(&garbage).unwrap();
    f.sync_all().unwrap();
}

fn damaged_harness(window: DamagedFile) -> Harness<'static, DamagedFile> {
    Harness::builder()
        .with_size([900.0, 640.0])
        .with_context_setup(frontdesk::ui::theme::install)
        .build_ui_state(|ui, w: &mut DamagedFile| w.ui(ui), window)
}

fn settle_damaged(h: &mut Harness<'_, DamagedFile>, done: impl Fn(&DamagedFile) -> bool) {
    for _ in 0..1000 {
        let settled = h.run_ok().is_some();
        if settled && done(h.state()) {
            h.run();
            return;
        }
        pause();
    }
    panic!("the damaged-file window did not finish");
}

#[test]
fn the_damaged_file_window_restores_the_newest_good_backup_and_keeps_the_damaged_file() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let folder = dir.path().join("backups");
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    for _ in 0..40 {
        arrive(&mut store, &clock);
    }
    let good = store
        .backup_into(
            &folder,
            clock.now(),
            Kind::Automatic,
            Rotation::default(),
            &mut store_backup::keep_going,
        )
        .unwrap();
    // A newer backup that is damaged itself is not offered.
    clock.advance_secs(3600);
    arrive(&mut store, &clock);
    let newer = store
        .backup_into(
            &folder,
            clock.now(),
            Kind::Manual,
            Rotation::default(),
            &mut store_backup::keep_going,
        )
        .unwrap();
    damage(&newer);
    drop(store);
    damage(&path);

    // What the window start finds: SQLite refuses the file, or its quick check fails.
    let detail = match Store::open(&path) {
        Ok(store) => {
            let problems = store_backup::quick_check(store.sqlite().unwrap()).unwrap();
            assert!(!problems.is_empty(), "the damage is found");
            problems.join("\n")
        }
        Err(e) => {
            assert!(e.is_damage(), "{e}");
            e.to_string()
        }
    };
    let damaged_bytes = std::fs::read(&path).unwrap();

    let clock_arc: Arc<dyn Clock> = Arc::new(clock.clone());
    let recovery = Recovery::new(path.clone(), None, folder.clone(), None, clock_arc);
    let mut h = damaged_harness(DamagedFile::new(detail.clone(), recovery));
    settle_damaged(&mut h, |w| !w.recovery().scanning());
    assert!(has_label_containing(&h, "数据库文件已损坏"));
    assert!(has_label_containing(&h, &path.display().to_string()));
    assert!(has_label_containing(&h, &detail));
    assert!(has_label(&h, "完好"));
    let good_time = "2026-11-23 09:00";
    assert_eq!(
        h.get_by_label(good_time).accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True),
        "the newest good backup is chosen"
    );
    assert_eq!(h.state().recovery().newest_good(), Some(1));
    let candidates = h.state().recovery().candidates().unwrap();
    assert_eq!(candidates[0].info.path, newer);
    assert_eq!(candidates[1].info.path, good);
    assert!(
        has_label_containing(&h, "不可用:"),
        "the damaged backup says why"
    );
    // Nothing was written to the damaged file while looking.
    assert_eq!(std::fs::read(&path).unwrap(), damaged_bytes);

    h.get_by_label("用此备份恢复").click();
    h.run();
    settle_damaged(&mut h, |w| w.recovery().outcome().is_some());
    let Some(Replaced::Done { from, aside }) = h.state().recovery().outcome() else {
        panic!("{:?}", h.state().recovery().outcome());
    };
    assert_eq!(from, &good);
    // The damaged file is kept, unchanged.
    assert_eq!(std::fs::read(aside).unwrap(), damaged_bytes);
    assert!(
        aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("frontdesk.sqlite3.damaged-20261123-100000")
    );
    assert!(has_label_containing(&h, "已用备份"));
    assert!(has_label_containing(&h, &aside.display().to_string()));
    assert!(has_label(&h, "打开前台客服台"));
    // The database opens again, whole, with the backup's data.
    let store = Store::open(&path).unwrap();
    assert!(
        store_backup::quick_check(store.sqlite().unwrap())
            .unwrap()
            .is_empty()
    );
    assert_eq!(visit_count(store.sqlite().unwrap()), 40);
}

#[test]
fn the_damaged_file_window_says_when_there_is_no_backup() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    std::fs::write(&path, b"damaged").unwrap();
    let clock: Arc<dyn Clock> = Arc::new(common::clock());
    let recovery = Recovery::new(path.clone(), None, dir.path().join("none"), None, clock);
    let mut h = damaged_harness(DamagedFile::new("file is not a database", recovery));
    settle_damaged(&mut h, |w| !w.recovery().scanning());
    assert!(has_label_containing(&h, "没有这个数据库的备份"));
    assert!(!has_label(&h, "用此备份恢复"));
    assert_eq!(std::fs::read(&path).unwrap(), b"damaged");
}

/// Whether `needle`'s UTF-8 bytes occur anywhere in the file.
fn file_contains(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Every file of the folder (database, WAL, backups).
fn folder_files(folder: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect()
}

/// The app's daily purge runs on the worker: an old visitor is anonymised, a pre-purge backup is
/// made, and the backups in the folder no longer hold the name; then an erase on request made by
/// an admin in the window scrubs the file and every backup as well.
#[test]
fn the_daily_purge_and_an_erase_scrub_the_file_and_every_backup() {
    use frontdesk::app::CustomerCommand;
    use frontdesk::domain::customer::Honorific;
    use frontdesk::domain::visit::RegistrationDraft;
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    let register = |store: &mut Store, name: &str, phone: &str, at| {
        let draft = RegistrationDraft {
            surname: name.chars().next().unwrap().to_string(),
            honorific: Some(Honorific::Mr),
            name: name.into(),
            phone: phone.into(),
            ..Default::default()
        };
        let reg = draft.validate().unwrap();
        let id = store
            .write(|tx| visits::register(tx, None, &reg, at, None))
            .unwrap();
        visits::get(store.db(), id).unwrap().customer_id.unwrap()
    };
    let (old_name, old_phone) = ("鄢淼焱", "13911112222");
    let (erased_name, erased_phone) = ("濮燚骉", "13955556666");
    register(
        &mut store,
        old_name,
        old_phone,
        clock.now() - chrono::Duration::days(600),
    );
    let erased = register(&mut store, erased_name, erased_phone, clock.now());
    store
        .backup_into(
            dir.path(),
            clock.now() - chrono::Duration::hours(1),
            Kind::Automatic,
            Rotation::default(),
            &mut store_backup::keep_going,
        )
        .unwrap();
    let mut h = common::harness(common::app_with_scheduled_work(store, &clock));
    settle(&mut h);

    let pre_purge = backups_ending(dir.path(), "-pre-purge.sqlite3");
    assert_eq!(pre_purge.len(), 1, "{:?}", folder_files(dir.path()));
    for file in folder_files(dir.path()) {
        for needle in [old_name, old_phone] {
            assert!(
                !file_contains(&file, needle),
                "{needle} is still in {}",
                file.display()
            );
        }
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    let last: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'last_purge_on'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(last, "2026-11-23");
    // The recent customer is still everywhere.
    assert!(file_contains(&pre_purge[0], erased_name));

    // An admin erases the recent customer on request.
    h.state_mut()
        .login("admin", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.state_mut()
        .apply(&frontdesk::app::Command::Customer(CustomerCommand::Erase(
            erased,
        )))
        .unwrap();
    settle(&mut h);
    for file in folder_files(dir.path()) {
        for needle in [erased_name, erased_phone] {
            assert!(
                !file_contains(&file, needle),
                "{needle} is still in {}",
                file.display()
            );
        }
    }
    // Each backup still opens and passes its checks.
    for b in store_backup::list(dir.path()) {
        store_backup::open_backup(&b.path).unwrap();
    }
    assert!(h.state().message().is_none_or(|m| !m.is_error));
}

/// A file whose damaged pages are read by nothing at start-up: it opens, the window opens, and
/// only the file's own check (run on a worker after the window opened) finds the damage.
fn damaged_deep_inside(path: &Path) {
    {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch(
            "CREATE TABLE filler (x BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
             INSERT INTO filler SELECT randomblob(3000) FROM n;
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
    }
    use std::io::{Seek as _, SeekFrom, Write as _};
    let len = std::fs::metadata(path).unwrap().len();
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.seek(SeekFrom::Start(len - 4096 * 40)).unwrap();
    f.write_all(&vec![0xA5u8; 4096 * 30]).unwrap();
    f.sync_all().unwrap();
}

#[test]
fn damage_found_after_the_window_opened_stops_saving_and_offers_the_backups() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    drop(common::store_with_staff(&path, &clock));
    damaged_deep_inside(&path);
    let store = Store::open(&path).unwrap();
    let app = common::app(store, &clock).with_file_check();
    let recover = app.recover_request();
    let mut h = common::harness(app);
    common::settle(&mut h);
    assert!(
        has_label_containing(&h, "数据库文件检查发现损坏"),
        "the red bar says what the check found"
    );
    assert!(h.state().store().writes_refused().is_some());

    // Saving is refused with a clear message; nothing is written.
    h.get_by_label("客户到达").click();
    common::settle(&mut h);
    assert!(has_label_containing(
        &h,
        "数据库文件已损坏,为保护数据已停止保存"
    ));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let visits: i64 = conn
        .query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
        .unwrap();
    assert_eq!(visits, 0);

    // The button closes the window and asks for the damaged-file window.
    click(&mut h, "从备份恢复…");
    let wanted = recover.lock().unwrap().clone().expect("restore asked for");
    assert!(!wanted.detail.is_empty());
    assert!(wanted.database_id.is_some());
}

#[test]
fn a_sound_file_passes_the_check_and_the_app_saves() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock).with_file_check());
    common::settle(&mut h);
    assert!(h.state().store().writes_refused().is_none());
    assert!(!has_label_containing(&h, "数据库文件检查发现损坏"));
    h.get_by_label("客户到达").click();
    common::settle(&mut h);
    assert_eq!(visits::present(h.state().store().db()).unwrap().len(), 1);
}

/// Runs frames (at most a bounded number) until `done` holds.
fn run_until(h: &mut Harness<'_, App>, done: impl Fn(&Harness<'_, App>) -> bool) {
    for _ in 0..1000 {
        let _ = h.run_ok();
        if done(h) {
            return;
        }
        pause();
    }
    panic!("not reached");
}

/// A long backup (held at its first step, as one of years of records runs for minutes) shows
/// its progress in the top bar on any screen, with a stop button; stopped, it leaves no file
/// and says so, and the backup button works again.
#[test]
fn a_running_backup_is_stopped_from_the_top_bar_and_leaves_no_file() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    arrive(&mut store, &clock);
    let mut h = common::harness(common::app_with_scheduled_work(store, &clock));
    h.run();
    open_data_tab(&mut h);
    h.state().hold_backup_jobs(true);
    click(&mut h, "立即备份");
    run_until(&mut h, |h| has_label_containing(h, "正在备份…"));
    // Another screen: the top bar still shows the backup and its stop button.
    h.get_by_label("今日接待").click();
    h.run();
    assert!(has_label_containing(&h, "备份 ") && has_label_containing(&h, "%"));
    click(&mut h, "停止");
    h.state().hold_backup_jobs(false);
    settle(&mut h);
    assert!(backups_ending(dir.path(), ".sqlite3").is_empty());
    assert!(
        folder_files(dir.path())
            .iter()
            .all(|f| !f.to_string_lossy().contains(".partial")),
        "{:?}",
        folder_files(dir.path())
    );
    let message = h.state().message().unwrap();
    assert!(!message.is_error, "{message:?}");
    assert_eq!(message.text, "备份已停止,未生成备份文件。");
    assert!(!has_label(&h, "停止"));

    open_data_tab(&mut h);
    click(&mut h, "立即备份");
    settle(&mut h);
    assert_eq!(backups_ending(dir.path(), "-manual.sqlite3").len(), 1);
}

/// The daily purge of a big file takes minutes: the top bar shows it with a stop button.
/// Stopped, it purged nothing yet (it was making its pre-purge backup), leaves no backup, is not
/// started again the same day, and says the rest is done by the next purge.
#[test]
fn the_daily_purge_is_stopped_from_the_top_bar() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    // A visitor's details past the retention: the purge is due.
    let draft = frontdesk::domain::visit::RegistrationDraft {
        surname: "鄢".into(),
        honorific: Some(frontdesk::domain::customer::Honorific::Mr),
        name: "鄢淼焱".into(),
        phone: "13911112222".into(),
        ..Default::default()
    };
    let reg = draft.validate().unwrap();
    let old = clock.now() - chrono::Duration::days(600);
    store
        .write(|tx| visits::register(tx, None, &reg, old, None))
        .unwrap();
    let app = common::app_with_scheduled_work(store, &clock);
    app.hold_backup_jobs(true);
    let mut h = common::harness(app);
    run_until(&mut h, |h| has_label_containing(h, "清理个人信息 "));
    click(&mut h, "停止");
    h.state().hold_backup_jobs(false);
    settle(&mut h);
    let message = h.state().message().unwrap();
    assert!(!message.is_error, "{message:?}");
    assert!(
        message.text.starts_with("个人信息清理已停止"),
        "{message:?}"
    );
    assert!(backups_ending(dir.path(), "-pre-purge.sqlite3").is_empty());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let last: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'last_purge_on'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(last, "2026-11-23");
    // Not started again today.
    clock.advance_secs(60);
    h.run();
    assert!(!h.state().backup_work_pending());
}
