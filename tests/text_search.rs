//! The free-text filters of the visit history, the call log and the complaint list find records
//! by any part of a field through their text indexes (schema version 10), follow every change of
//! a record, and lose an erased name with the record. Runs on a file, and on a server when the
//! test command sets `FRONTDESK_TEST_SERVER`.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use chrono::{Duration, NaiveDateTime};
use frontdesk::clock::Clock as _;
use frontdesk::domain::account::{Action, Actor};
use frontdesk::domain::call::{Call, Category};
use frontdesk::domain::customer::Honorific;
use frontdesk::domain::visit::RegistrationDraft;
use frontdesk::store::calls::CallFilter;
use frontdesk::store::privacy::{self, Retention};
use frontdesk::store::visits::{HistoryFilter, ImportedVisit};
use frontdesk::store::{Store, calls, complaints, visits};

fn imported(
    at: NaiveDateTime,
    surname: &str,
    name: &str,
    phone: &str,
    company: &str,
    purpose: &str,
) -> ImportedVisit {
    ImportedVisit {
        arrived_at: at,
        surname: surname.into(),
        honorific: Honorific::Mr,
        name: name.into(),
        phone: phone.into(),
        company: company.into(),
        purpose: purpose.into(),
        party_size: 1,
        greeted_at: None,
        water_served_at: None,
        departed_at: Some(at + Duration::minutes(30)),
        travel_mode: None,
    }
}

fn found(store: &Store, text: &str) -> Vec<String> {
    let filter = HistoryFilter {
        text: text.into(),
        ..HistoryFilter::default()
    };
    let count = visits::count(store.db(), &filter).unwrap();
    let names: Vec<String> = visits::page(store.db(), &filter, 0, 50)
        .unwrap()
        .into_iter()
        .map(|v| v.name)
        .collect();
    assert_eq!(
        usize::try_from(count).unwrap(),
        names.len(),
        "count and page agree for {text:?}"
    );
    names
}

#[test]
fn the_history_finds_any_part_of_a_field_and_follows_corrections() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, rep, _) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    store
        .write(|tx| {
            visits::insert_imported(
                tx,
                &[
                    imported(
                        now - Duration::days(3),
                        "王",
                        "王小芳",
                        "13812345678",
                        "顺达贸易",
                        "提货",
                    ),
                    imported(
                        now - Duration::days(2),
                        "Smith",
                        "Alice Smith",
                        "13900001111",
                        "ACME Trading",
                        "Complaint about DELIVERY",
                    ),
                    imported(
                        now - Duration::days(1),
                        "李",
                        "李娜",
                        "021-6688 1234",
                        "",
                        "签合同",
                    ),
                ],
                now,
                "import",
            )
        })
        .unwrap();
    // Any part of any field; one character anywhere in a field; case and punctuation ignored.
    assert_eq!(found(&store, "小芳"), ["王小芳"]);
    assert_eq!(found(&store, "芳"), ["王小芳"]);
    assert_eq!(found(&store, "王"), ["王小芳"]);
    assert_eq!(found(&store, "5678"), ["王小芳"]);
    assert_eq!(found(&store, "贸易"), ["王小芳"]);
    assert_eq!(found(&store, "acme trad"), ["Alice Smith"]);
    assert_eq!(found(&store, "delivery"), ["Alice Smith"]);
    assert_eq!(found(&store, "66881234"), ["李娜"]);
    assert_eq!(found(&store, "合同"), ["李娜"]);
    // Windows must follow each other within one field: no match across two fields.
    assert!(found(&store, "芳138").is_empty());
    assert!(found(&store, "王娜").is_empty());
    // No letter or digit: no filter.
    assert_eq!(found(&store, " %_! ").len(), 3);

    // A correction: the new name is found, the old one no longer.
    let id = visits::page(
        store.db(),
        &HistoryFilter {
            text: "李娜".into(),
            ..HistoryFilter::default()
        },
        0,
        1,
    )
    .unwrap()[0]
        .id;
    let reg = RegistrationDraft {
        surname: "李".into(),
        honorific: Some(Honorific::Ms),
        name: "李晓燕".into(),
        phone: "021-6688 1234".into(),
        party_size: "1".into(),
        purpose: "签合同".into(),
        ..RegistrationDraft::default()
    }
    .validate()
    .unwrap();
    store
        .write(|tx| visits::correct(tx, id, &reg, "登记时姓名写错", now, Some(rep)))
        .unwrap();
    assert_eq!(found(&store, "晓燕"), ["李晓燕"]);
    assert!(found(&store, "李娜").is_empty());
}

#[test]
fn calls_and_complaints_are_found_by_text_and_purged_names_are_not() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, rep, _) = common::store_with_staff(&path, &clock);
    let then = clock.now();
    store
        .write(|tx| {
            calls::insert(
                tx,
                &Call {
                    at: then,
                    rings: 2,
                    caller_name: "濮燚骉".into(),
                    phone: "13955556666".into(),
                    region: "上海".into(),
                    category: Some(Category::Tracking),
                    content: "查询运单 SD0001".into(),
                    answer: "已告知".into(),
                    staff_id: Some(rep),
                    ..Default::default()
                },
            )?;
            complaints::create(
                tx,
                &frontdesk::domain::complaint::ComplaintDraft {
                    channel: Some(frontdesk::domain::complaint::Channel::Phone),
                    customer_name: "鄢犇先生".into(),
                    phone: "13700001111".into(),
                    waybill: "SD0002".into(),
                    category: "货物破损".into(),
                    severity: Some(frontdesk::domain::complaint::Severity::Major),
                    at_fault: Some(frontdesk::domain::complaint::AtFault::Yes),
                    content: "外箱破损".into(),
                    ..Default::default()
                },
                then,
                Some(rep),
            )
        })
        .unwrap();
    let calls_with = |store: &Store, text: &str| {
        let filter = CallFilter {
            text: text.into(),
            ..CallFilter::default()
        };
        (
            calls::count(store.db(), &filter).unwrap(),
            calls::page(store.db(), &filter, 0, 10).unwrap().len(),
        )
    };
    assert_eq!(calls_with(&store, "燚骉"), (1, 1));
    assert_eq!(calls_with(&store, "sd0001"), (1, 1));
    assert_eq!(calls_with(&store, "5555"), (1, 1));
    assert_eq!(calls_with(&store, "广州"), (0, 0));
    let complaints_with = |store: &Store, text: &str| {
        complaints::list(store.db(), clock.now(), 14, text)
            .unwrap()
            .len()
    };
    assert_eq!(complaints_with(&store, "犇"), 1);
    assert_eq!(complaints_with(&store, "sd0002"), 1);
    assert_eq!(complaints_with(&store, "破损"), 1);
    assert_eq!(complaints_with(&store, "丢失"), 0);

    // Past the retention, the purge clears the caller: the text index no longer has them.
    clock.advance(Duration::days(400));
    store.set_actor(Actor::system());
    store
        .write_as(Action::ManageAccounts, |tx| {
            privacy::purge(tx, clock.now(), Retention::default())
        })
        .unwrap();
    assert_eq!(calls_with(&store, "燚骉"), (0, 0));
    assert_eq!(calls_with(&store, "5555"), (0, 0));
    if !common::on_server() {
        privacy::scrub_files(&store).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        for gone in ["燚骉", "濮燚"] {
            assert!(
                !bytes.windows(gone.len()).any(|w| w == gone.as_bytes()),
                "{gone} is still in the file"
            );
        }
    }
}

/// The history's keyset pages hold exactly the rows the plain `OFFSET` pages hold, forwards and
/// backwards, with visits that arrived in the same second and with a text filter; a jump to a
/// date starts at that day's newest visit.
#[test]
fn history_pages_by_position_match_the_offset_pages() {
    use frontdesk::store::visits::Position;
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    let start = clock.now() - Duration::days(3);
    let rows: Vec<ImportedVisit> = (0..137_i64)
        .map(|i| {
            // Three visits share each second.
            let at = start + Duration::minutes(i / 3 * 61);
            let (surname, name) = if i % 2 == 0 {
                ("王", "王芳")
            } else {
                ("李", "李娜")
            };
            imported(at, surname, name, "13800000000", "", "")
        })
        .collect();
    store
        .write(|tx| visits::insert_imported(tx, &rows, clock.now(), "import"))
        .unwrap();
    for text in ["", "王芳"] {
        let filter = HistoryFilter {
            text: text.into(),
            ..HistoryFilter::default()
        };
        let total = visits::count(store.db(), &filter).unwrap();
        let limit = 10;
        let mut pages = Vec::new();
        let mut position = Position::Newest;
        loop {
            let page = visits::history_page(store.db(), &filter, position, limit).unwrap();
            assert_eq!(page.total, total);
            let offset = i64::try_from(pages.len()).unwrap() * limit;
            assert_eq!(
                page.newer,
                offset,
                "{text:?}: rows before page {}",
                pages.len()
            );
            let ids: Vec<i64> = page.rows.iter().map(|v| v.id).collect();
            let by_offset: Vec<i64> = visits::page(store.db(), &filter, offset, limit)
                .unwrap()
                .iter()
                .map(|v| v.id)
                .collect();
            assert_eq!(ids, by_offset, "{text:?}: page {}", pages.len());
            let Some(last) = page.rows.last() else { break };
            position = Position::OlderThan(last.arrived_at, last.id);
            pages.push(ids);
            if page.newer + i64::try_from(page.rows.len()).unwrap() == total {
                break;
            }
        }
        assert_eq!(
            pages.iter().map(Vec::len).sum::<usize>(),
            usize::try_from(total).unwrap()
        );
        // Backwards from the last page: each previous page is the one before.
        for k in (0..pages.len() - 1).rev() {
            let first = visits::get(store.db(), pages[k + 1][0]).unwrap();
            let page = visits::history_page(
                store.db(),
                &filter,
                Position::NewerThan(first.arrived_at, first.id),
                limit,
            )
            .unwrap();
            let ids: Vec<i64> = page.rows.iter().map(|v| v.id).collect();
            assert_eq!(ids, pages[k], "{text:?}: back to page {k}");
        }
    }
    // A jump: the visits before the next midnight, newest first.
    let day = (start + Duration::days(1)).date();
    let midnight = (day + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap();
    let page = visits::history_page(
        store.db(),
        &HistoryFilter::default(),
        Position::Before(midnight),
        5,
    )
    .unwrap();
    assert!(page.rows.iter().all(|v| v.arrived_at < midnight));
    let newer_check = visits::count(
        store.db(),
        &HistoryFilter {
            from: Some(midnight),
            ..HistoryFilter::default()
        },
    )
    .unwrap();
    assert_eq!(page.newer, newer_check);
    assert_eq!(page.rows[0].arrived_at.date(), day);
}

/// The call log pages by position the same way: each page holds the rows of the `OFFSET` page.
#[test]
fn call_pages_by_position_match_the_offset_pages() {
    use frontdesk::store::paging::Position;
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, rep, _) = common::store_with_staff(&path, &clock);
    let start = clock.now() - Duration::days(2);
    store
        .write(|tx| {
            for i in 0..77_i64 {
                // Two calls share each minute.
                let at = start + Duration::minutes(i / 2 * 17);
                calls::insert(tx, &common::tracking_call(at, &format!("来电{i}"), rep))?;
            }
            Ok(())
        })
        .unwrap();
    let filter = CallFilter::default();
    let mut position = Position::Newest;
    let mut offset = 0;
    loop {
        let page = calls::page_at(store.db(), &filter, position, 10).unwrap();
        assert_eq!((page.total, page.newer), (77, offset));
        let ids: Vec<i64> = page.rows.iter().map(|c| c.id).collect();
        let by_offset: Vec<i64> = calls::page(store.db(), &filter, offset, 10)
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, by_offset, "page at {offset}");
        let Some(last) = page.rows.last() else { break };
        offset += i64::try_from(page.rows.len()).unwrap();
        if offset == 77 {
            break;
        }
        position = Position::OlderThan(last.at, last.id);
    }
    assert_eq!(offset, 77);
}

#[test]
fn claim_pages_by_position_match_the_offset_pages() {
    use frontdesk::domain::claim::ClaimDraft;
    use frontdesk::store::claims::{self, ClaimFilter};
    use frontdesk::store::paging::Position;
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, rep, _) = common::store_with_staff(&path, &clock);
    let start = clock.now() - Duration::days(3);
    store
        .write(|tx| {
            for i in 0..53_i64 {
                // Three claims share each time.
                let draft = ClaimDraft {
                    branch: if i % 2 == 0 {
                        "上海分公司"
                    } else {
                        "杭州分公司"
                    }
                    .into(),
                    claimed: format!("{}.00", 100 + i),
                    ..common::damage_claim(&format!("SD{i:05}"))
                };
                let claim = draft.validate(start + Duration::minutes(i / 3 * 7))?;
                claims::create(tx, &claim, Some(rep))?;
            }
            Ok(())
        })
        .unwrap();
    for (filter, total) in [
        (ClaimFilter::default(), 53),
        (
            ClaimFilter {
                branch: "上海".into(),
                ..ClaimFilter::default()
            },
            27,
        ),
    ] {
        let mut position = Position::Newest;
        let mut offset = 0;
        loop {
            let (page, totals) = claims::page_at(store.db(), &filter, position, 10).unwrap();
            assert_eq!(
                (page.total, page.newer, totals.claims),
                (total, offset, total)
            );
            let ids: Vec<i64> = page.rows.iter().map(|c| c.id).collect();
            let (by_offset, by_offset_totals) =
                claims::list(store.db(), &filter, offset, 10).unwrap();
            let by_offset: Vec<i64> = by_offset.iter().map(|c| c.id).collect();
            assert_eq!(ids, by_offset, "page at {offset}");
            assert_eq!(totals, by_offset_totals);
            let Some(last) = page.rows.last() else { break };
            offset += i64::try_from(page.rows.len()).unwrap();
            if offset == total {
                break;
            }
            position = Position::OlderThan(last.reported_at, last.id);
        }
        assert_eq!(offset, total);
    }
}
