//! Printed documents through the real binary: `frontdesk print complaint` and every `frontdesk
//! report … --format pdf` on the demo, read back with poppler (`pdftotext`, `pdffonts`,
//! `pdftoppm`, as a printer's driver would read them): the Chinese headings and the figures are
//! there as text, the font is embedded and subset, every page renders.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::pdf_text;
use frontdesk::store::{Store, complaints};

/// The demo's records end here.
const UNTIL: &str = "2026-11-20 16:00:00";

/// Runs a poppler tool; a machine without poppler-utils fails here (the README's test command
/// installs it).
fn poppler(tool: &str, args: &[&str]) -> Output {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is needed for the PDF tests (Debian: poppler-utils): {e}")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Whether `text` (as [`pdf_text`] gives it) holds `words`, white space aside.
fn holds(text: &str, words: &str) -> bool {
    text.contains(&words.split_whitespace().collect::<String>())
}

/// Checks that the font is embedded and subset, that every page renders, and returns the
/// number of pages.
fn check_file(pdf: &Path) -> usize {
    let fonts = String::from_utf8(poppler("pdffonts", &[pdf.to_str().unwrap()]).stdout).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no font in {}", pdf.display());
    for row in rows {
        let name = row.split_whitespace().next().unwrap();
        // A subset's name is six capitals, a plus and the font's name.
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+',
            "not a subset: {row}"
        );
        assert!(name.contains("NotoSansSC"), "{row}");
        assert!(
            row.contains(" yes yes yes "),
            "not embedded with a Unicode map: {row}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    poppler(
        "pdftoppm",
        &[
            "-r",
            "20",
            "-png",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let pages = std::fs::read_dir(dir.path()).unwrap().count();
    assert!(pages > 0);
    let info = String::from_utf8(poppler("pdfinfo", &[pdf.to_str().unwrap()]).stdout).unwrap();
    let counted = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse::<usize>().unwrap());
    assert_eq!(counted, Some(pages), "{info}");
    pages
}

/// A demo database in `dir`.
fn demo(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("demo.sqlite3");
    run(dir, &db, &["demo", "--until", UNTIL]);
    db
}

fn run(dir: &Path, db: &Path, args: &[&str]) -> Output {
    let out = common::frontdesk_on(dir, db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn the_complaint_record_prints_every_step_and_the_whole_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let store = Store::open_read_only(&db).unwrap();
    // A complaint worked to the end, with replies and handling entries.
    let until = chrono::NaiveDateTime::parse_from_str(UNTIL, "%Y-%m-%d %H:%M:%S").unwrap();
    let all = complaints::list(store.db(), until, 60, "").unwrap();
    let c = all
        .iter()
        .find(|c| c.replies > 0 && c.handling_entries > 0 && !c.waybill.is_empty())
        .expect("a complaint worked to the end");
    let events = complaints::events(store.db(), c.id).unwrap();
    let pdf = dir.path().join("complaint.pdf");
    run(
        dir.path(),
        &db,
        &[
            "print",
            "complaint",
            &c.id.to_string(),
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    check_file(&pdf);
    let text = pdf_text(&pdf);
    for expected in [
        "顾客投诉记录",
        &format!("编号 #{}", c.id),
        &c.customer_name,
        &c.waybill,
        "六清楚",
        "听清楚(客户原话)",
        "处理经过",
        "受理人签字:",
        "主管审核:",
        "第 1 页 / 共",
        "顺达物流",
    ] {
        assert!(holds(&text, expected), "{expected:?} not in:\n{text}");
    }
    // Every step of the timeline with what was said (wrapped lines joined back).
    for e in &events {
        assert!(holds(&text, &e.detail), "{:?} not in the record", e.detail);
    }
    assert!(events.len() >= 4, "{events:?}");
}

#[test]
fn every_report_prints_as_pdf_with_its_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let pdf = |name: &str| dir.path().join(name);
    let csv = |args: &[&str]| String::from_utf8(run(dir.path(), &db, args).stdout).unwrap();

    // Reception: the period's total row, as in the CSV.
    let reception = [
        "report",
        "reception",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-20",
    ];
    let total = csv(&reception);
    let total: Vec<&str> = total.lines().last().unwrap().split(',').collect();
    let out = pdf("reception.pdf");
    run(
        dir.path(),
        &db,
        &[
            &reception[..],
            &["--format", "pdf", "--out", out.to_str().unwrap()],
        ]
        .concat(),
    );
    check_file(&out);
    let text = pdf_text(&out);
    assert!(
        holds(&text, "接待统计报表 2026-11-01 — 2026-11-20"),
        "{text}"
    );
    assert!(holds(&text, "问候达标率%"), "{text}");
    assert!(
        holds(&text, "问候达标率、倒水率与送客要点齐全率"),
        "the chart: {text}"
    );
    assert!(
        holds(&text, "送客要点齐全率%(占送别)"),
        "the seeing-off series and column: {text}"
    );
    // The total row: its label, then the visits and the greeted.
    assert!(
        holds(&text, &format!("合计{}{}", total[1], total[2])),
        "{total:?} not in:\n{text}"
    );

    // The weekly complaints: summary and every complaint of the week, on landscape pages.
    let week = [
        "report",
        "complaints",
        "--week",
        "2026-W47",
        "--as-of",
        UNTIL,
    ];
    let out = pdf("week.pdf");
    run(
        dir.path(),
        &db,
        &[
            &week[..],
            &["--format", "pdf", "--out", out.to_str().unwrap()],
        ]
        .concat(),
    );
    check_file(&out);
    let text = pdf_text(&out);
    for expected in [
        "投诉周报 2026-W47",
        "汇总",
        "投诉明细",
        "首次响应达标",
        "合计",
        "目标与分析",
        "满意率",
        "≥ 90%",
        "投诉率",
        "< 0.50%",
    ] {
        assert!(holds(&text, expected), "{expected:?} not in:\n{text}");
    }
    let info = String::from_utf8(poppler("pdfinfo", &[out.to_str().unwrap()]).stdout).unwrap();
    assert!(info.contains("841.89 x 595.28 pts"), "landscape: {info}");

    // The claims month: amounts in yuan, as the CSV's fen.
    let month = ["report", "claims", "--month", "2026-11"];
    let summary = csv(&month);
    let claimed: i64 = summary
        .lines()
        .find(|l| l.starts_with("total,"))
        .unwrap()
        .split(',')
        .nth(3)
        .unwrap()
        .parse()
        .unwrap();
    let out = pdf("claims.pdf");
    run(
        dir.path(),
        &db,
        &[
            &month[..],
            &["--format", "pdf", "--out", out.to_str().unwrap()],
        ]
        .concat(),
    );
    check_file(&out);
    let text = pdf_text(&out);
    assert!(holds(&text, "理赔月报 2026-11"), "{text}");
    assert!(holds(&text, "各事故原因索赔金额"), "the chart: {text}");
    let yuan = frontdesk::domain::money::format_fen(claimed);
    assert!(holds(&text, &yuan), "{yuan} not in:\n{text}");

    // The inspections month: every item checked, as in the CSV.
    let inspections = ["report", "inspections", "--month", "2026-11"];
    let rows = csv(&inspections);
    let items: Vec<String> = csv::Reader::from_reader(rows.as_bytes())
        .records()
        .map(|r| r.unwrap()[0].to_owned())
        .collect();
    assert!(!items.is_empty());
    let out = pdf("inspections.pdf");
    run(
        dir.path(),
        &db,
        &[
            &inspections[..],
            &["--format", "pdf", "--out", out.to_str().unwrap()],
        ]
        .concat(),
    );
    check_file(&out);
    let text = pdf_text(&out);
    assert!(holds(&text, "检查月报 2026-11"), "{text}");
    assert!(holds(&text, "各检查项目合格率"), "the chart: {text}");
    for item in items {
        // The total row's label is printed in words.
        let item = if item == "total" {
            "合计".to_owned()
        } else {
            item
        };
        assert!(holds(&text, &item), "{item:?} not in:\n{text}");
    }
}

/// The supervisor's monthly reports, which the workbench's monthly tab exports too: the
/// quality-anomaly analysis with its chart of the most failed items and the month's inspection
/// report, and the rewards and penalties with each person's totals in yuan.
#[test]
fn the_monthly_quality_and_rewards_reports_print() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let month = ["--month", "2026-11"];
    let rows = |what: &str| -> Vec<Vec<String>> {
        let out = run(dir.path(), &db, &[&["report", what][..], &month].concat());
        csv::Reader::from_reader(out.stdout.as_slice())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    };
    let print = |what: &str| -> String {
        let out = dir.path().join(format!("{what}.pdf"));
        run(
            dir.path(),
            &db,
            &[
                &["report", what][..],
                &month,
                &["--format", "pdf", "--out", out.to_str().unwrap()],
            ]
            .concat(),
        );
        check_file(&out);
        pdf_text(&out)
    };

    let quality = rows("quality");
    let failing: Vec<&Vec<String>> = quality.iter().filter(|r| r[0] == "top_failing").collect();
    assert!(
        !failing.is_empty(),
        "the demo fails some items: {quality:?}"
    );
    let text = print("quality");
    for words in [
        "质量异常分析报表 2026-11",
        "不合格次数最多的项目",
        "检查月报(逐项)",
        "问候达标率%",
        "逾期未整改",
    ] {
        assert!(holds(&text, words), "{words} not in:\n{text}");
    }
    for row in failing {
        // The item and its failures, in the table and at the end of its bar.
        assert!(
            holds(&text, &format!("不合格最多{}{}", row[1], row[2])),
            "{row:?} not in:\n{text}"
        );
    }

    let rewards = rows("rewards");
    let nets: Vec<&Vec<String>> = rewards
        .iter()
        .filter(|r| r[0] == "total" && r[2] == "net")
        .collect();
    assert!(
        !nets.is_empty(),
        "the demo has rewards or penalties: {rewards:?}"
    );
    let text = print("rewards");
    assert!(holds(&text, "监察奖罚明细报表 2026-11"), "{text}");
    for row in nets {
        let fen: i64 = row[3].parse().unwrap();
        let yuan = frontdesk::domain::money::format_fen(fen);
        assert!(
            holds(&text, &format!("合计{}净额{yuan}", row[1])),
            "{row:?} as {yuan} not in:\n{text}"
        );
    }
}

#[test]
fn a_pdf_needs_a_file_and_an_unknown_record_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let out = common::frontdesk_on(
        dir.path(),
        &db,
        &["report", "claims", "--month", "2026-11", "--format", "pdf"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format pdf needs --out FILE"));
    let file = dir.path().join("none.pdf");
    let out = common::frontdesk_on(
        dir.path(),
        &db,
        &[
            "print",
            "complaint",
            "9999",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("complaint #9999 does not exist"));
    assert!(!file.exists());
}

#[test]
fn the_claim_file_prints_the_split_the_insurer_and_the_evidence_photos() {
    use frontdesk::domain::money::{format_fen, format_percent};
    use frontdesk::store::claims;
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let store = Store::open_read_only(&db).unwrap();
    // A claim with a liability split, an agreed amount, an insurer and a photo.
    let c = (1..=30)
        .filter_map(|id| claims::get(store.db(), id).ok())
        .find(|c| c.parties.len() > 1 && c.agreed_fen.is_some() && !c.policy_no.is_empty())
        .expect("a claim worked on");
    let files = claims::files(store.db(), c.id).unwrap();
    assert!(!files.is_empty());
    let pdf = dir.path().join("claim.pdf");
    run(
        dir.path(),
        &db,
        &[
            "print",
            "claim",
            &c.id.to_string(),
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    check_file(&pdf);
    let text = pdf_text(&pdf);
    let amounts = c.party_amounts(c.agreed_fen.unwrap());
    for (p, amount) in c.parties.iter().zip(&amounts) {
        for expected in [
            p.name.clone(),
            format_percent(p.share_bp),
            format_fen(*amount),
        ] {
            assert!(holds(&text, &expected), "{expected:?} not in:\n{text}");
        }
    }
    for expected in [
        "理赔档案",
        &format!("编号 #{}", c.id),
        &c.waybill,
        &format_fen(c.claimed_fen),
        &c.policy_no,
        &c.insurer,
        "责任划分",
        "经办人签字:",
        &files[0].name,
    ] {
        assert!(holds(&text, expected), "{expected:?} not in:\n{text}");
    }
    // The photo is in the file as an image.
    let images =
        String::from_utf8(poppler("pdfimages", &["-list", pdf.to_str().unwrap()]).stdout).unwrap();
    assert!(images.lines().count() > 2, "no image:\n{images}");
}

#[test]
fn the_spot_check_sheet_and_the_visitor_pass_print() {
    use frontdesk::domain::account::{Action, Actor};
    use frontdesk::store::{inspections, visits};
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let mut store = Store::open_read_only(&db).unwrap();
    store.set_actor(Actor::system());
    // A spot check with a failed item and its rectification.
    let (i, rectifications) = (1..=20)
        .find_map(|id| {
            let found = store
                .read_as(Action::ReadSupervisorData, |db| {
                    Ok((
                        inspections::get(db, id)?,
                        inspections::rectifications_of(db, id)?,
                    ))
                })
                .ok()?;
            (!found.1.is_empty()).then_some(found)
        })
        .expect("a spot check with a rectification");
    let pdf = dir.path().join("inspection.pdf");
    run(
        dir.path(),
        &db,
        &[
            "print",
            "inspection",
            &i.id.to_string(),
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    check_file(&pdf);
    let text = pdf_text(&pdf);
    for expected in [
        "检查记录表",
        "检查人签字:",
        "被检查人签字:",
        "整改",
        &i.inspector,
    ] {
        assert!(holds(&text, expected), "{expected:?} not in:\n{text}");
    }
    for item in &i.items {
        assert!(holds(&text, &item.text), "{:?} not in:\n{text}", item.text);
    }
    for r in &rectifications {
        assert!(
            holds(&text, &r.requirement),
            "{:?} not in:\n{text}",
            r.requirement
        );
    }

    // A registered visitor's pass, on one small page.
    let id: i64 = store
        .db()
        .query_value(
            "SELECT max(id) FROM visits WHERE name <> '' AND company <> ''",
            &[],
        )
        .unwrap();
    let v = visits::get(store.db(), id).unwrap();
    let pdf = dir.path().join("pass.pdf");
    run(
        dir.path(),
        &db,
        &[
            "print",
            "pass",
            &id.to_string(),
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert_eq!(check_file(&pdf), 1);
    let text = pdf_text(&pdf);
    for expected in ["访客证", &v.name, &v.company, &v.purpose, "接待人签字:"] {
        assert!(holds(&text, expected), "{expected:?} not in:\n{text}");
    }
    let info = String::from_utf8(poppler("pdfinfo", &[pdf.to_str().unwrap()]).stdout).unwrap();
    assert!(info.contains("297.64 x 419.53 pts"), "A6: {info}");
}

/// A spot check is supervisor data: a desk's store refuses to print its sheet.
#[test]
fn a_desk_cannot_print_a_spot_check() {
    use frontdesk::domain::account::Actor;
    use frontdesk::pdf::documents::{Record, print};
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let mut store = Store::open_read_only(&db).unwrap();
    store.set_actor(Actor::desk());
    let refused = print(&store, Record::Inspection(1));
    assert!(
        matches!(refused, Err(frontdesk::store::StoreError::Domain(_))),
        "{refused:?}"
    );
    store.set_actor(Actor::system());
    assert!(
        print(&store, Record::Inspection(1))
            .unwrap()
            .starts_with(b"%PDF-")
    );
    // A desk prints complaints, claims and passes.
    store.set_actor(Actor::desk());
    assert!(
        print(&store, Record::Complaint(1))
            .unwrap()
            .starts_with(b"%PDF-")
    );
}

/// The printed complaint record and claim file carry the steps of the case's transfers in their
/// timelines: handed to whom and why, accepted, the outcome, confirmed.
#[test]
fn the_complaint_record_and_the_claim_file_print_the_steps_of_their_transfers() {
    use frontdesk::clock::Clock as _;
    use frontdesk::domain::transfer::CaseKind;
    use frontdesk::pdf::documents::{Record, print};
    frontdesk::i18n::set_lang(frontdesk::i18n::Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
    let complaint = store
        .write(|tx| {
            complaints::create(
                tx,
                &common::late_delivery_complaint(),
                clock.now(),
                Some(li),
            )
        })
        .unwrap();
    let tid = common::send_and_accept(
        &mut store,
        &clock,
        (CaseKind::Complaint, complaint),
        (li, Some(zhang), ""),
        "请业务核实合同价",
    );
    common::answer_and_confirm(&mut store, &clock, tid, "合同价无误");
    let claim = store
        .write(|tx| {
            let c = common::damage_claim("SD20261123").validate(clock.now())?;
            frontdesk::store::claims::create(tx, &c, Some(li))
        })
        .unwrap();
    let tid = common::send_and_accept(
        &mut store,
        &clock,
        (CaseKind::Claim, claim),
        (li, None, "财务"),
        "请核对赔付账户",
    );
    common::answer_and_confirm(&mut store, &clock, tid, "已安排付款");

    for (record, file, expected) in [
        (
            Record::Complaint(complaint),
            "complaint.pdf",
            [
                "转交给 张伟",
                "请业务核实合同价",
                "张伟 已接收转交",
                "转交处理结果",
                "合同价无误",
                "确认转交结果",
            ],
        ),
        (
            Record::Claim(claim),
            "claim.pdf",
            [
                "转交给 财务",
                "请核对赔付账户",
                "财务 已接收转交",
                "转交处理结果",
                "已安排付款",
                "确认转交结果",
            ],
        ),
    ] {
        let pdf = dir.path().join(file);
        std::fs::write(&pdf, print(&store, record).unwrap()).unwrap();
        check_file(&pdf);
        let text = pdf_text(&pdf);
        for words in expected {
            assert!(holds(&text, words), "{words:?} not in {file}:\n{text}");
        }
        // In time order: handed over before confirmed.
        let at = |words: &str| text.find(&words.split_whitespace().collect::<String>());
        assert!(at(expected[0]) < at(expected[5]), "{text}");
    }
}
