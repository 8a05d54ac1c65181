//! The record stores (customers, visits, accounts, claims, inspections) on a real PostgreSQL
//! server give what they give on SQLite: each test runs one scenario through the public store
//! functions on both backends, at fixed times, and compares everything the read functions
//! return, byte for byte (their `Debug` text). The scenarios lean on the queries whose dialects
//! differ: searches with `LIKE` in mixed case, the customer search index, sorting with NULLs,
//! sums, and ids returned by inserts. Every PostgreSQL database ends with a clean seal check.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use frontdesk::db_params;
use frontdesk::domain::account::{AccountRole, Action, Actor};
use frontdesk::domain::claim::{
    ClaimDraft, ClaimStatus, ClaimType, InsurerStatus, Party, PartyRole,
};
use frontdesk::domain::customer::{Customer, Honorific};
use frontdesk::domain::inspection::{
    CheckedItem, Inspection, ItemResult, RewardPenalty, TargetKind,
};
use frontdesk::domain::visit::{Registration, RegistrationDraft, SeeOffChecklist, TravelMode};
use frontdesk::store::db::{Db, PgConn};
use frontdesk::store::{
    Store, StoreError, accounts, claims, customers, inspections, seal, server, visits,
};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

/// A small PNG photo.
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(8, 6, |x, y| {
        image::Rgb([
            u8::try_from(x * 30).unwrap(),
            u8::try_from(y * 40).unwrap(),
            90,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// One backend under test: a SQLite store in a temporary folder, or a database on the
/// throwaway server.
enum Side {
    Sqlite(
        Store,
        #[expect(dead_code, reason = "held for its drop: the folder outlives the store")]
        tempfile::TempDir,
    ),
    Postgres(PgConn),
}

impl Side {
    fn sqlite() -> Self {
        let (dir, path) = common::temp_db();
        let mut store = Store::open(&path).unwrap();
        store.set_actor(Actor::system());
        // The desk name the PostgreSQL side writes with.
        store.set_desk("test");
        Self::Sqlite(store, dir)
    }

    fn postgres(server: &common::pg::PgServer, name: &str) -> Self {
        Self::Postgres(server::open(&server.create_database(name)).unwrap())
    }

    /// One write transaction as the system actor.
    fn write<T>(
        &mut self,
        action: Action,
        f: impl FnOnce(Db<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match self {
            Self::Sqlite(store, _) => store.write_as(action, f),
            Self::Postgres(pg) => {
                server::write(pg, &Actor::system(), "test", action, f).map(|(v, _)| v)
            }
        }
    }

    fn db(&self) -> Db<'_> {
        match self {
            Self::Sqlite(store, _) => store.db(),
            Self::Postgres(pg) => Db::Postgres(pg),
        }
    }

    /// The seal check of the PostgreSQL side is clean.
    fn assert_sealed(&self) {
        if let Self::Postgres(pg) = self {
            let report = seal::verify(Db::Postgres(pg), &[]).unwrap();
            assert!(report.problems.is_empty(), "{:?}", report.problems);
        }
    }
}

/// Runs `scenario` on SQLite and on PostgreSQL and compares what it read; returns the text.
fn same_on_both(name: &str, scenario: impl Fn(&mut Side) -> String) -> Option<String> {
    let pg_server = common::pg::PgServer::start()?;
    let mut sqlite = Side::sqlite();
    let expected = scenario(&mut sqlite);
    let mut pg = Side::postgres(&pg_server, name);
    let got = scenario(&mut pg);
    pg.assert_sealed();
    if expected != got {
        let first = expected
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name}: PostgreSQL differs from SQLite from line {first}:\n--- SQLite\n{}\n--- PostgreSQL\n{}",
            expected
                .lines()
                .skip(first)
                .take(12)
                .collect::<Vec<_>>()
                .join("\n"),
            got.lines()
                .skip(first)
                .take(12)
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    Some(expected)
}

/// A staff member for the rows that need one.
fn add_staff(side: &mut Side, name: &str) -> i64 {
    side.write(Action::ChangeSettings, |db| {
        db.query_value(
            "INSERT INTO staff (name, role, active, created_at) VALUES (?1, 'rep', 1, ?2) RETURNING id",
            db_params![name, at("2026-11-01 08:00:00")],
        )
    })
    .unwrap()
}

fn customer(surname: &str, name: &str, phone: &str, company: &str) -> Customer {
    Customer {
        id: 0,
        surname: surname.into(),
        honorific: Some(Honorific::Ms),
        name: name.into(),
        phone: phone.into(),
        company: company.into(),
        region: "华东".into(),
    }
}

#[test]
fn customers_are_found_filed_and_merged_alike() {
    let out = same_on_both("customers", |side| {
        let t = at("2026-11-23 09:00:00");
        let owner = add_staff(side, "李娜");
        let ids = side
            .write(Action::DeskWork, |db| {
                let mut ids = Vec::new();
                for c in [
                    customer("王", "王堃", "13800138000", "顺达贸易有限公司"),
                    customer("Smith", "Alice Smith", "13912345678", "ACME Trading"),
                    customer("欧", "欧", "02155551234", "Acme Logistics"),
                    customer("李", "李娜", "", "ab_cd 100% Co"),
                    customer("Chen", "Chen Ab", "13912340000", "Bcd Trading"),
                ] {
                    ids.push(customers::insert(db, &c, t)?);
                }
                Ok(ids)
            })
            .unwrap();
        side.write(Action::DeskWork, |db| {
            let rows = [
                customers::ImportedCustomer {
                    surname: "王".into(),
                    honorific: Honorific::Mr,
                    name: "王堃".into(),
                    phone: "13800138000".into(),
                    company: "顺达贸易".into(),
                    region: "华南".into(),
                    key_account: true,
                    credit_grade: Some("B".into()),
                },
                customers::ImportedCustomer {
                    surname: "赵".into(),
                    honorific: Honorific::Mr,
                    name: "赵强".into(),
                    phone: "13700001234".into(),
                    company: "Acme Trading".into(),
                    region: String::new(),
                    key_account: true,
                    credit_grade: None,
                },
            ];
            customers::import(db, &rows, t)?;
            let mut f = customers::file(db, ids[1])?;
            f.phone2 = "02166667777".into();
            f.key_account = true;
            f.revisit_days = Some(30);
            f.owner_staff_id = Some(owner);
            f.notes = "Prefers e-mail".into();
            customers::save_file(db, &f, t)?;
            customers::set_credit(db, ids[1], "A", "按时付款", t)?;
            customers::reveal_phone(db, ids[1], t)?;
            customers::mark_revisit(db, ids[1], at("2026-10-01 10:00:00"))?;
            customers::merge(db, ids[4], ids[2], t)?;
            customers::reindex_all(db)?;
            customers::compact_search_index(db)
        })
        .unwrap();
        let db = side.db();
        let mut out = String::new();
        let mut show = |label: &str, v: &dyn std::fmt::Debug| {
            out.push_str(&format!("{label}: {v:#?}\n"));
        };
        show("get", &customers::get(db, ids[0]).unwrap());
        show("by_phone", &customers::by_phone(db, "13912345678").unwrap());
        show("by_phone none", &customers::by_phone(db, "1").unwrap());
        for q in [
            "1380", "5678", "1234", "139", "acme", "ACME", "Ab", "ab", "贸易", "王", "欧", "李娜",
            "smith", "ab_cd", "100%", "tr", "e-mail", "xyz",
        ] {
            show(
                &format!("suggest {q}"),
                &customers::suggest(db, q, 10).unwrap(),
            );
            show(
                &format!("search {q}"),
                &customers::search(db, q, 10).unwrap(),
            );
        }
        show("search limited", &customers::search(db, "tr", 1).unwrap());
        show("count", &customers::count(db).unwrap());
        for id in &ids {
            show("file", &customers::file(db, *id).map_err(|e| e.to_string()));
            show("history", &customers::history(db, *id).unwrap());
        }
        show(
            "revisit_due",
            &customers::revisit_due(db, day("2026-12-01")).unwrap(),
        );
        show(
            "export masked",
            &customers::export_table(db, false).unwrap(),
        );
        show("export full", &customers::export_table(db, true).unwrap());
        out
    });
    if let Some(out) = out {
        // The scenario found what it looks for (not merely the same nothing on both sides).
        assert!(out.contains("search ACME: [\n    Customer"), "{out}");
        assert!(out.contains("suggest 5678: [\n    Customer"), "{out}");
        assert!(out.contains("search 100%: [\n    Customer"), "{out}");
        assert!(out.contains("search xyz: []"), "{out}");
    }
}

fn registration(
    surname: &str,
    name: &str,
    phone: &str,
    company: &str,
    purpose: &str,
) -> Registration {
    RegistrationDraft {
        surname: surname.into(),
        honorific: Some(Honorific::Mr),
        name: name.into(),
        phone: phone.into(),
        company: company.into(),
        region: "华东".into(),
        purpose: purpose.into(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

/// The visits scenario's writes: a visit taken through its steps and corrected, a walk-in,
/// a cancelled arrival and two imported visits.
fn write_visits(db: Db<'_>, staff: i64) -> Result<(), StoreError> {
    let t = at("2026-11-23 09:00:00");
    let first = visits::arrive(db, t, Some(staff))?;
    visits::register(
        db,
        Some(first),
        &registration(
            "王",
            "王堃",
            "13800138000",
            "ACME Trading",
            "Pick up parcels",
        ),
        at("2026-11-23 09:01:00"),
        Some(staff),
    )?;
    visits::change(
        db,
        first,
        at("2026-11-23 09:01:30"),
        Some(staff),
        "greet",
        "",
        |v| v.greet(Some(staff), at("2026-11-23 09:01:30")),
    )?;
    visits::change(
        db,
        first,
        at("2026-11-23 09:03:00"),
        Some(staff),
        "water",
        "",
        |v| v.serve_water(Some(staff), at("2026-11-23 09:03:00")),
    )?;
    // A walk-in with the same phone links to the archived customer.
    let second = visits::register(
        db,
        None,
        &registration("王", "王堃", "13800138000", "", "签合同 100%_done"),
        at("2026-11-23 10:00:00"),
        None,
    )?;
    visits::correct(
        db,
        second,
        &registration("王", "王堃", "13800138000", "Acme Logistics", "签合同"),
        "公司写错",
        at("2026-11-23 10:05:00"),
        Some(staff),
    )?;
    // Both leave: the first seen off with the whole checklist, the second without the
    // reminder of the next contact.
    let whole = SeeOffChecklist {
        offered_accompany: true,
        travel_mode: Some(TravelMode::Train),
        reminded_belongings: true,
        reminded_documents: true,
        reminded_next_contact: true,
    };
    let incomplete = SeeOffChecklist {
        reminded_next_contact: false,
        ..whole.clone()
    };
    for (id, checklist) in [(first, &whole), (second, &incomplete)] {
        let left = at("2026-11-23 11:00:00");
        visits::change(db, id, left, Some(staff), "depart", "", |v| {
            v.depart(checklist, Some(staff), left)
        })?;
    }
    let third = visits::arrive(db, at("2026-11-23 10:00:00"), None)?;
    visits::change(
        db,
        third,
        at("2026-11-23 10:10:00"),
        None,
        "cancel",
        "误点",
        |v| v.cancel("误点", at("2026-11-23 10:10:00")),
    )?;
    let imported = [
        visits::ImportedVisit {
            arrived_at: at("2026-11-20 14:00:00"),
            surname: "Smith".into(),
            honorific: Honorific::Ms,
            name: "Alice Smith".into(),
            phone: "13912345678".into(),
            company: "acme trading".into(),
            purpose: "Complaint about DELIVERY".into(),
            party_size: 2,
            greeted_at: Some(at("2026-11-20 14:00:20")),
            water_served_at: None,
            departed_at: Some(at("2026-11-20 14:40:00")),
            travel_mode: Some(TravelMode::Taxi),
        },
        visits::ImportedVisit {
            arrived_at: at("2026-11-20 14:00:00"),
            surname: "李".into(),
            honorific: Honorific::Ms,
            name: "李娜".into(),
            phone: "13800138000".into(),
            company: String::new(),
            purpose: "咨询 C:\\path".into(),
            party_size: 1,
            greeted_at: None,
            water_served_at: None,
            departed_at: None,
            travel_mode: None,
        },
    ];
    visits::insert_imported(db, &imported, at("2026-11-23 11:00:00"), "import")?;
    Ok(())
}

/// What the visit read functions return after [`write_visits`], as text.
fn read_visits(db: Db<'_>) -> String {
    let mut out = String::new();
    let mut show = |label: &str, v: &dyn std::fmt::Debug| {
        out.push_str(&format!("{label}: {v:#?}\n"));
    };
    for id in 1..=5 {
        show("get", &visits::get(db, id).unwrap());
        show("log", &visits::log_of(db, id).unwrap());
    }
    show(
        "get missing",
        &visits::get(db, 99).map_err(|e| e.to_string()),
    );
    show("present", &visits::present(db).unwrap());
    for limit in [0, 30, 600] {
        show(
            "day_counts",
            &visits::day_counts(
                db,
                at("2026-11-01 00:00:00"),
                at("2026-12-01 00:00:00"),
                limit,
            )
            .unwrap(),
        );
        let (from, to) = (at("2026-11-01 00:00:00"), at("2026-12-01 00:00:00"));
        show(
            "counts_between",
            &visits::counts_between(db, from, to, limit).unwrap(),
        );
    }
    show(
        "arrived_between",
        &visits::arrived_between(db, at("2026-11-20 00:00:00"), at("2026-11-24 00:00:00")).unwrap(),
    );
    let (first, last) = (day("2026-11-20"), day("2026-11-23"));
    show(
        "reception report",
        &frontdesk::report::reception::build_streamed(first, last, 60, |add| {
            visits::times_between(
                db,
                at("2026-11-20 00:00:00"),
                at("2026-11-24 00:00:00"),
                add,
            )
        })
        .unwrap(),
    );
    for text in [
        "",
        "acme",
        "ACME",
        "Acme Trading",
        "delivery",
        "王",
        "100%",
        "_",
        "!",
        "C:\\path",
        "13800",
    ] {
        let filter = visits::HistoryFilter {
            text: text.into(),
            ..Default::default()
        };
        show(
            &format!("count {text}"),
            &visits::count(db, &filter).unwrap(),
        );
        show(
            &format!("page {text}"),
            &visits::page(db, &filter, 0, 10).unwrap(),
        );
    }
    let filter = visits::HistoryFilter {
        from: Some(at("2026-11-21 00:00:00")),
        to: Some(at("2026-11-24 00:00:00")),
        text: "a".into(),
    };
    show("count dated", &visits::count(db, &filter).unwrap());
    show("page dated", &visits::page(db, &filter, 1, 1).unwrap());
    out
}

#[test]
fn visits_are_registered_listed_and_searched_alike() {
    let out = same_on_both("visits", |side| {
        let staff = add_staff(side, "李娜");
        side.write(Action::DeskWork, |db| write_visits(db, staff))
            .unwrap();
        read_visits(side.db())
    });
    if let Some(out) = out {
        assert!(out.contains("count ACME: 3"), "{out}");
        assert!(out.contains("count C:\\path: 1"), "{out}");
        // 11-23: two seen off, one of them with the whole checklist; the period adds the
        // imported departure of 11-20, which carries no checklist.
        for share in ["50.0", "33.3"] {
            let figure = format!(
                "seen_off_checklist: 1,\n        seen_off_checklist_pct: Some(\n            {share},"
            );
            assert!(out.contains(&figure), "{figure} in {out}");
        }
    }
}

#[test]
fn accounts_log_in_lock_and_list_alike() {
    let out = same_on_both("accounts", |side| {
        let t = at("2026-11-23 09:00:00");
        side.write(Action::ManageAccounts, |db| {
            let admin = accounts::create_first_admin(db, "admin", "管理员", "Admin-2026-pass", t)?;
            accounts::create(
                db,
                "lina",
                "李娜",
                AccountRole::FrontDesk,
                "Desk-2026-pass",
                t,
            )?;
            accounts::create(
                db,
                "Wuhao",
                "吴昊",
                AccountRole::Supervisor,
                "Super-2026-pass",
                t,
            )?;
            // Only one first admin.
            let again = accounts::create_first_admin(db, "root", "x", "Admin-2026-pass", t);
            assert!(again.is_err());
            accounts::update(db, admin, true, None, t)?;
            Ok(())
        })
        .unwrap();
        let wrong = side
            .write(Action::DeskWork, |db| {
                accounts::login(db, "lina", "wrong-password", at("2026-11-23 09:05:00"))
            })
            .unwrap();
        let unknown = side
            .write(Action::DeskWork, |db| {
                accounts::login(db, "nobody", "whatever", at("2026-11-23 09:06:00"))
            })
            .unwrap();
        let db = side.db();
        let listed_after_failure = accounts::list(db).unwrap();
        side.write(Action::ManageAccounts, |db| {
            accounts::clear_lock(db, 2, at("2026-11-23 09:07:00"))?;
            accounts::update(
                db,
                3,
                false,
                Some("Newer-2026-pass"),
                at("2026-11-23 09:08:00"),
            )
        })
        .unwrap();
        let right = side
            .write(Action::DeskWork, |db| {
                accounts::login(db, " lina ", "Desk-2026-pass", at("2026-11-23 09:10:00"))
            })
            .unwrap();
        let db = side.db();
        let hash = accounts::password_hash_of(db, "Wuhao").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        format!(
            "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n",
            accounts::count(db).unwrap(),
            wrong,
            unknown,
            listed_after_failure,
            right,
            accounts::list(db).unwrap(),
            accounts::password_hash_of(db, "nobody").map_err(|e| e.to_string()),
        )
    });
    if let Some(out) = out {
        assert!(out.contains("failed_logins: 1"), "{out}");
        assert!(out.contains("2026-11-23T09:05:00"), "{out}");
    }
}

fn claim_draft(waybill: &str, phone: &str, branch: &str, day: &str, claimed: &str) -> ClaimDraft {
    ClaimDraft {
        waybill: waybill.into(),
        customer_name: "客户".into(),
        phone: phone.into(),
        incident_date: day.into(),
        branch: branch.into(),
        claim_type: Some(ClaimType::Damage),
        cause: "装卸不当".into(),
        description: "经过".into(),
        claimed: claimed.into(),
        ..ClaimDraft::default()
    }
}

/// The claims scenario's writes: one claim taken to agreed and paid with parties, money, an
/// insurer, a note and a file; one rejected; one of the month before; causes and an analysis.
fn write_claims(db: Db<'_>, staff: i64) -> Result<(), StoreError> {
    let t = at("2026-11-02 10:00:00");
    customers::insert(db, &customer("王", "王堃", "13800138000", "顺达"), t)?;
    let k1 = claims::create(
        db,
        &claim_draft(
            "SD1",
            "13800138000",
            "ShangHai Branch",
            "2026-11-01",
            "1500",
        )
        .validate(t)
        .unwrap(),
        Some(staff),
    )?;
    claims::move_status(db, k1, ClaimStatus::Investigating, "", t, Some(staff))?;
    claims::set_parties(
        db,
        k1,
        &[
            Party {
                name: "张伟".into(),
                staff_id: Some(staff),
                role: Some(PartyRole::Driver),
                share_bp: 6000,
                ..Party::default()
            },
            Party {
                name: "上海分公司".into(),
                role: Some(PartyRole::Branch),
                share_bp: 4000,
                ..Party::default()
            },
        ],
        t,
        Some(staff),
    )?;
    claims::move_status(db, k1, ClaimStatus::LiabilitySet, "", t, None)?;
    let parties = claims::get(db, k1)?.parties;
    claims::notify_party(
        db,
        parties[0].id,
        day("2026-11-03"),
        at("2026-11-03 09:00:00"),
        None,
    )?;
    claims::set_money(db, k1, Some(100_001), None, t, None)?;
    claims::move_status(db, k1, ClaimStatus::Agreed, "", t, None)?;
    claims::set_money(db, k1, None, Some(100_001), t, None)?;
    claims::set_insurer(
        db,
        k1,
        &claims::Insurer {
            name: "平安".into(),
            status: Some(InsurerStatus::Paid),
            recovered_fen: 50_000,
            ..Default::default()
        },
        t,
        None,
    )?;
    claims::add_note(db, k1, "司机承认装卸不当", t, Some(staff))?;
    claims::add_file(db, k1, "单据.pdf", b"%PDF-1.7\n...", t, Some(staff))?;
    let t = at("2026-11-10 10:00:00");
    let k2 = claims::create(
        db,
        &claim_draft("SD2", "", "shanghai branch", "2026-11-09", "800")
            .validate(t)
            .unwrap(),
        None,
    )?;
    claims::move_status(db, k2, ClaimStatus::Investigating, "", t, None)?;
    claims::move_status(db, k2, ClaimStatus::Rejected, "不在保险范围", t, None)?;
    let t = at("2026-10-30 10:00:00");
    claims::create(
        db,
        &claim_draft("SD3", "", "Beijing 100%", "2026-10-29", "300")
            .validate(t)
            .unwrap(),
        None,
    )?;
    claims::set_causes(
        db,
        &["交通事故".into(), "装卸不当".into(), "Weather".into()],
    )?;
    claims::save_month_analysis(db, "2026-11", "  装卸问题为主  ", t)?;
    Ok(())
}

/// What the claim read functions return after [`write_claims`], as text.
fn read_claims(db: Db<'_>) -> String {
    let mut out = String::new();
    let mut show = |label: &str, v: &dyn std::fmt::Debug| {
        out.push_str(&format!("{label}: {v:#?}\n"));
    };
    for id in 1..=3 {
        show("get", &claims::get(db, id).unwrap());
        show("events", &claims::events(db, id).unwrap());
        show("files", &claims::files(db, id).unwrap());
    }
    show("file_data", &claims::file_data(db, 1).unwrap());
    show(
        "file_data missing",
        &claims::file_data(db, 9).map_err(|e| e.to_string()),
    );
    show("claim_for_call", &claims::claim_for_call(db, 1).unwrap());
    show(
        "claims_for_calls",
        &claims::claims_for_calls(db, &(1..=40).collect::<Vec<_>>())
            .unwrap()
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
    );
    show(
        "claim_for_complaint",
        &claims::claim_for_complaint(db, 1).unwrap(),
    );
    let filters = [
        claims::ClaimFilter::default(),
        claims::ClaimFilter {
            branch: "SHANGHAI".into(),
            ..Default::default()
        },
        claims::ClaimFilter {
            branch: "100%".into(),
            ..Default::default()
        },
        claims::ClaimFilter {
            month: Some("2026-11".into()),
            status: Some(ClaimStatus::Agreed),
            ..Default::default()
        },
        claims::ClaimFilter {
            claim_type: Some(ClaimType::Damage),
            complaint_id: Some(7),
            ..Default::default()
        },
        claims::ClaimFilter {
            branch: "nowhere".into(),
            ..Default::default()
        },
    ];
    for f in &filters {
        show("list", &claims::list(db, f, 0, 2).unwrap());
    }
    show(
        "reported_between",
        &claims::reported_between(db, at("2026-11-01 00:00:00"), at("2026-12-01 00:00:00"))
            .unwrap(),
    );
    show("open_claims", &claims::open_claims(db).unwrap());
    show("causes", &claims::causes(db).unwrap());
    show(
        "month_analysis",
        &claims::month_analysis(db, "2026-11").unwrap(),
    );
    show(
        "month_analysis none",
        &claims::month_analysis(db, "2026-10").unwrap(),
    );
    out
}

#[test]
fn claims_move_sum_and_filter_alike() {
    let out = same_on_both("claims", |side| {
        let staff = add_staff(side, "张伟");
        side.write(Action::DeskWork, |db| write_claims(db, staff))
            .unwrap();
        read_claims(side.db())
    });
    if let Some(out) = out {
        assert!(out.contains("claimed_fen: 260000"), "{out}");
        assert!(out.contains("recovered_fen: 50000"), "{out}");
    }
}

/// The inspections scenario's spot checks: a template saved twice, two inspections with a
/// photo, four rectifications raised and three verified (a second verification is refused).
fn write_inspections(db: Db<'_>, staff: i64) -> Result<(), StoreError> {
    let item = |text: &str, result, photo: Option<(String, Vec<u8>)>| CheckedItem {
        id: 0,
        text: text.into(),
        result,
        note: format!(" {text} 备注 "),
        photo,
    };
    let template = inspections::save_template(
        db,
        &inspections::Template {
            id: 0,
            name: "夜班".into(),
            builtin: false,
            items: vec!["灯".into(), "门".into()],
        },
        at("2026-11-01 08:00:00"),
    )?;
    inspections::save_template(
        db,
        &inspections::Template {
            id: template,
            name: "夜班 v2".into(),
            builtin: false,
            items: vec!["门".into(), "灯".into(), "Safe".into()],
        },
        at("2026-11-01 08:30:00"),
    )?;
    for (when, target) in [
        ("2026-11-03 10:00:00", "一号柜台"),
        ("2026-11-03 10:00:00", "二号柜台"),
    ] {
        inspections::create(
            db,
            &Inspection {
                id: 0,
                at: at(when),
                inspector: "吴昊".into(),
                target_kind: TargetKind::Counter,
                target: format!(" {target} "),
                staff_id: Some(staff),
                template_name: "夜班 v2".into(),
                items: vec![
                    item("门", ItemResult::Pass, None),
                    item("灯", ItemResult::Fail, Some(("灯.png".into(), png()))),
                    item("Safe", ItemResult::Fail, None),
                    item("水", ItemResult::NotApplicable, None),
                ],
                remark: "  ok ".into(),
            },
            None,
            Some(template),
        )?;
    }
    let due = |d: &str| day(d);
    let r1 = inspections::raise_rectification(
        db,
        2,
        "李娜",
        Some(staff),
        "换灯",
        due("2026-11-10"),
        at("2026-11-03 11:00:00"),
    )?;
    inspections::raise_rectification(
        db,
        3,
        "保安",
        None,
        "加锁",
        due("2026-11-05"),
        at("2026-11-03 11:00:00"),
    )?;
    let r3 = inspections::raise_rectification(
        db,
        6,
        "李娜",
        None,
        "换灯",
        due("2026-11-05"),
        at("2026-11-03 11:00:00"),
    )?;
    let r4 = inspections::raise_rectification(
        db,
        7,
        "保安",
        None,
        "加锁",
        due("2026-11-04"),
        at("2026-11-03 11:00:00"),
    )?;
    inspections::verify(db, r1, "吴昊", true, " 已换 ", at("2026-11-11 09:00:00"))?;
    inspections::verify(db, r3, "吴昊", false, "未换", at("2026-11-06 09:00:00"))?;
    inspections::verify(db, r4, "吴昊", true, "", at("2026-11-04 09:00:00"))?;
    assert!(inspections::verify(db, r1, "吴昊", true, "", at("2026-11-12 09:00:00")).is_err());
    Ok(())
}

/// The inspections scenario's rewards and penalties for `staff`.
fn write_rewards(db: Db<'_>, staff: i64) -> Result<(), StoreError> {
    for (reward, amount, on) in [
        (true, 5_000, "2026-11-05"),
        (false, 2_000, "2026-11-04"),
        (false, 100, "2026-12-01"),
    ] {
        inspections::add_reward_penalty(
            db,
            &RewardPenalty {
                id: 0,
                staff_id: staff,
                reward,
                amount_fen: amount,
                reason: "巡检".into(),
                on: day(on),
                inspection_id: Some(1),
                complaint_id: None,
                claim_id: None,
                attendance_id: None,
                attendance: None,
            },
            at("2026-11-05 12:00:00"),
        )?;
    }
    Ok(())
}

/// What the inspection read functions return after [`write_inspections`] and [`write_rewards`],
/// as text.
fn read_inspections(db: Db<'_>) -> String {
    let mut out = String::new();
    let mut show = |label: &str, v: &dyn std::fmt::Debug| {
        out.push_str(&format!("{label}: {v:#?}\n"));
    };
    show("templates", &inspections::templates(db).unwrap());
    show("get", &inspections::get(db, 1).unwrap());
    show(
        "get missing",
        &inspections::get(db, 9).map_err(|e| e.to_string()),
    );
    show(
        "between",
        &inspections::between(db, at("2026-11-01 00:00:00"), at("2026-12-01 00:00:00")).unwrap(),
    );
    show(
        "rectifications",
        &inspections::rectifications(db, at("2026-11-12 09:00:00")).unwrap(),
    );
    show(
        "rectifications later",
        &inspections::rectifications(db, at("2026-12-31 09:00:00")).unwrap(),
    );
    show(
        "rewards_between",
        &inspections::rewards_between(db, day("2026-11-01"), day("2026-12-01")).unwrap(),
    );
    out
}

#[test]
fn inspections_and_rectifications_sort_alike() {
    let out = same_on_both("inspections", |side| {
        let staff = add_staff(side, "李娜");
        side.write(Action::Inspect, |db| write_inspections(db, staff))
            .unwrap();
        side.write(Action::RewardPenalty, |db| write_rewards(db, staff))
            .unwrap();
        read_inspections(side.db())
    });
    if let Some(out) = out {
        assert!(out.contains("verified_pass: None"), "{out}");
        // Not yet verified (NULL), failed, then passed: NULLs sort first on both backends.
        let listed = &out[out.find("rectifications: [").unwrap()..];
        let none = listed.find("verified_pass: None").unwrap();
        let failed = listed.find("false,").unwrap();
        let passed = listed.find("true,").unwrap();
        assert!(none < failed && failed < passed, "{out}");
    }
}
