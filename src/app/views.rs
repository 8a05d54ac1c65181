//! Reading what the screens show, on worker threads: the only place besides the commands where
//! the app reads the store for the UI. A screen says what it shows (`…_to_load`: filters,
//! selection, page); the app runs the matching `fetch_…` here on a worker and hands the answer to
//! the screen (`set_…`), so `ui/` never touches SQLite and no frame waits for a query.

use chrono::{Datelike as _, Duration, NaiveDate, NaiveDateTime};

use crate::domain::account::Action;
use crate::domain::claim::Claim;
use crate::domain::visit::percent;
use crate::report::claims::{by_party, month_bounds, open_by_age};
use crate::report::complaints::week_bounds;
use crate::report::reception::{ReceptionRow, Rows, build_streamed_by};
use crate::store::claims::{ClaimFilter, Totals};
use crate::store::paging::{Page, Position};
use crate::store::versions::{Record, stamp};
use crate::ui::calls::{CallsPage, PAGE_SIZE};
use crate::ui::claims::{ClaimDetail, Decoded, decode_image};
use crate::ui::claims_report::MonthData;
use crate::ui::complaints::ComplaintDetail;
use crate::ui::supervisor::{Dashboard, SupervisorData};
use crate::ui::weekly::WeekData;

/// The call log's page to read: its filter and where the page starts.
pub(crate) type CallsKey = (
    crate::store::calls::CallFilter,
    crate::store::paging::Position,
);

/// Reads a page of the call log and the claims reported from its calls (on a worker).
pub(crate) fn fetch_calls(
    conn: crate::store::db::Db<'_>,
    (filter, position): &CallsKey,
) -> Result<CallsPage, crate::store::StoreError> {
    let page = crate::store::calls::page_at(conn, filter, *position, PAGE_SIZE)?;
    let ids: Vec<i64> = page.rows.iter().map(|c| c.id).collect();
    let claims = crate::store::claims::claims_for_calls(conn, &ids)?;
    Ok(CallsPage { page, claims })
}

/// Reads call `id` and its transfers for its case panel (on a worker).
pub(crate) fn fetch_call_case(
    conn: crate::store::db::Db<'_>,
    id: i64,
) -> Result<crate::ui::calls::CallCase, crate::store::StoreError> {
    Ok(crate::ui::calls::CallCase {
        call: crate::store::calls::get(conn, id)?,
        transfers: crate::store::transfers::of_case(
            conn,
            crate::domain::transfer::CaseKind::Call,
            id,
        )?,
    })
}

/// Reads a page of the claims list and the totals of the filter (on a worker).
pub(crate) fn fetch_claims(
    conn: crate::store::db::Db<'_>,
    (filter, position): &(ClaimFilter, Position),
) -> Result<(Page<Claim>, Totals), crate::store::StoreError> {
    crate::store::claims::page_at(conn, filter, *position, crate::ui::claims::PAGE_SIZE)
}

/// Reads claim `id`'s file (on a worker). The stamp is read first: a change in between makes
/// the next save ask, never slip through.
pub(crate) fn fetch_claim(
    conn: crate::store::db::Db<'_>,
    id: i64,
) -> Result<ClaimDetail, crate::store::StoreError> {
    Ok(ClaimDetail {
        stamp: stamp(conn, Record::Claim, id)?,
        claim: crate::store::claims::get(conn, id)?,
        events: crate::store::claims::events(conn, id)?,
        files: crate::store::claims::files(conn, id)?,
        transfers: crate::store::transfers::of_case(
            conn,
            crate::domain::transfer::CaseKind::Claim,
            id,
        )?,
    })
}

/// Reads and decodes evidence images (on a worker), each scaled to at most `max_side` pixels.
pub(crate) fn fetch_images(
    conn: crate::store::db::Db<'_>,
    ids: &[i64],
    max_side: u32,
) -> Result<Vec<(i64, Decoded)>, crate::store::StoreError> {
    ids.iter()
        .map(|&id| {
            let bytes = crate::store::claims::file_data(conn, id)?;
            Ok((id, decode_image(&bytes, max_side)))
        })
        .collect()
}

/// Reads a month's claims report (on a worker); open claims are aged at `now`.
pub(crate) fn fetch_claims_report(
    conn: crate::store::db::Db<'_>,
    (month, first): &(String, NaiveDate),
    now: NaiveDateTime,
) -> Result<MonthData, crate::store::StoreError> {
    let (from, to) = month_bounds(*first);
    let list = crate::store::claims::reported_between(conn, from, to)?;
    let order = crate::store::claims::causes(conn)?;
    Ok(MonthData {
        rows: crate::report::claims::build(&list, &order),
        parties: by_party(&list),
        ages: open_by_age(&crate::store::claims::open_claims(conn)?, now.date()),
        analysis: crate::store::claims::month_analysis(conn, month)?,
    })
}

/// Reads the complaint list (on a worker): the open ones, then those of the last 14 days.
pub(crate) fn fetch_complaints(
    conn: crate::store::db::Db<'_>,
    text: &str,
    now: NaiveDateTime,
) -> Result<Vec<crate::domain::complaint::Complaint>, crate::store::StoreError> {
    crate::store::complaints::list(conn, now, 14, text)
}

/// Reads complaint `id`'s file (on a worker). The stamp is read first (see [`fetch_claim`]).
pub(crate) fn fetch_complaint(
    conn: crate::store::db::Db<'_>,
    id: i64,
) -> Result<ComplaintDetail, crate::store::StoreError> {
    Ok(ComplaintDetail {
        stamp: stamp(conn, Record::Complaint, id)?,
        complaint: crate::store::complaints::get(conn, id)?,
        events: crate::store::complaints::events(conn, id)?,
        claim: crate::store::claims::claim_for_complaint(conn, id)?,
        transfers: crate::store::transfers::of_case(
            conn,
            crate::domain::transfer::CaseKind::Complaint,
            id,
        )?,
    })
}

/// Reads customer `id`'s page: the file, the whole history and the feedback on the staff given
/// in its revisits (on a worker).
pub(crate) fn fetch_customer(
    conn: crate::store::db::Db<'_>,
    id: i64,
) -> Result<crate::ui::customers::CustomerPage, crate::store::StoreError> {
    Ok((
        crate::store::customers::file(conn, id)?,
        crate::store::customers::history(conn, id)?,
        crate::store::callbacks::staff_feedback(conn, id)?,
    ))
}

/// Reads the inbox (on a worker; the store refuses anyone but a supervisor).
pub(crate) fn fetch_inbox(
    store: &crate::store::Store,
) -> Result<Vec<crate::store::inbox::Item>, crate::store::StoreError> {
    store.read_as(Action::ReadSupervisorData, |conn| {
        crate::store::inbox::list(conn)
    })
}

/// Reads everything the tabs show (on a worker; only for a supervisor: the store refuses anyone
/// else).
pub(crate) fn fetch_supervisor(
    store: &crate::store::Store,
    now: NaiveDateTime,
    settings: &crate::store::settings::Settings,
) -> Result<SupervisorData, crate::store::StoreError> {
    let action = Action::ReadSupervisorData;
    let month_start = now.date().with_day0(0).unwrap_or(now.date());
    let since = now - Duration::days(30);
    Ok(SupervisorData {
        templates: store.read_as(action, |conn| crate::store::inspections::templates(conn))?,
        inspections: store.read_as(action, |c| {
            crate::store::inspections::between(c, since, now + Duration::days(1))
        })?,
        rectifications: store.read_as(action, |c| {
            crate::store::inspections::rectifications(c, now)
        })?,
        rewards: store.read_as(action, |c| {
            crate::store::inspections::rewards_between(
                c,
                month_start,
                now.date() + Duration::days(1),
            )
        })?,
        audit: store.read_as(action, |c| crate::store::audit::recent(c, 200))?,
        accounts: if store.actor().require(Action::ManageAccounts).is_ok() {
            store.read_as(Action::ManageAccounts, |conn| {
                crate::store::accounts::list(conn)
            })?
        } else {
            Vec::new()
        },
        dashboard: store.read_as(action, |c| dashboard(c, now, settings))?,
    })
}

/// Reads the photos of spot check `id` and decodes them as thumbnails (on a worker).
pub(crate) fn fetch_inspection_photos(
    store: &crate::store::Store,
    id: i64,
) -> Result<Vec<(i64, crate::ui::supervisor::Decoded)>, crate::store::StoreError> {
    let full = store.read_as(Action::ReadSupervisorData, |c| {
        crate::store::inspections::get(c, id)
    })?;
    Ok(full
        .items
        .into_iter()
        .filter_map(|item| {
            let (_, bytes) = item.photo?;
            let image = image::load_from_memory(&bytes).ok().map(|img| {
                let img = img.thumbnail(240, 180).to_rgba8();
                let size = [img.width() as usize, img.height() as usize];
                egui::ColorImage::from_rgba_unmultiplied(size, img.as_raw())
            });
            Some((item.id, image))
        })
        .collect())
}

/// Reads a week's complaint report and notes (on a worker).
pub(crate) fn fetch_weekly(
    conn: crate::store::db::Db<'_>,
    (week, monday): &(String, NaiveDate),
    now: NaiveDateTime,
    settings: &crate::store::settings::Settings,
) -> Result<WeekData, crate::store::StoreError> {
    let (from, to) = week_bounds(*monday);
    let list = crate::store::complaints::received_between(conn, from, to)?;
    let order = crate::store::complaints::categories(conn)?;
    Ok(WeekData {
        rows: crate::report::complaints::build(&list, &order, &settings.sla, now),
        notes: crate::store::complaints::week_notes(conn, week)?,
        rings: crate::store::calls::rings_between(conn, from, to)?,
        rings_daily: crate::store::calls::DayRings::each_day(
            &crate::store::calls::rings_per_day(conn, from, to)?,
            *monday,
            7,
        ),
    })
}

/// A reception report's period and rows: the first and last day, a row per day or per month.
pub(crate) type ReceptionKey = (NaiveDate, NaiveDate, Rows);

/// Reads the reception report of `from..=to` (on a worker): the visits are summed up as they
/// stream in, so ten years take no more memory than a day. The period is checked with the
/// command line's rules first.
pub(crate) fn reception_rows(
    conn: crate::store::db::Db<'_>,
    (from, to, rows): ReceptionKey,
    limit_secs: i64,
) -> Result<Vec<ReceptionRow>, crate::store::StoreError> {
    crate::domain::validation::report_period(from, to)?;
    let midnight = |day: NaiveDate| {
        day.and_hms_opt(0, 0, 0)
            .ok_or(crate::domain::DomainError::Invalid {
                field: "report.to",
                reason: "err.report_years",
            })
    };
    let (start, end) = (midnight(from)?, midnight(to + Duration::days(1))?);
    build_streamed_by(rows, from, to, limit_secs, |add| {
        crate::store::visits::times_between(conn, start, end, add)
    })
}

/// The dashboard's reception figures: 30 days and 12 ISO weeks (Monday to Sunday, this one up
/// to today), from the per-day counts the database adds up over those weeks (a week's
/// percentages are its days' counts summed, as a report over the week counts them), and today's
/// median greeting time from today's visits.
fn reception_figures(
    d: &mut Dashboard,
    conn: crate::store::db::Db<'_>,
    now: NaiveDateTime,
) -> Result<(), crate::store::StoreError> {
    let today = now.date();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let first_monday = monday - Duration::weeks(11);
    let first_day = first_monday.min(today - Duration::days(29));
    let midnight = |day: NaiveDate| day.and_hms_opt(0, 0, 0).unwrap_or(now);
    let tomorrow = midnight(today + Duration::days(1));
    let days = crate::store::visits::day_counts(conn, midnight(first_day), tomorrow, d.limit_secs)?;
    let on = |day: NaiveDate| {
        days.iter()
            .find(|f| f.day == day)
            .copied()
            .unwrap_or_default()
    };
    for n in (0..30).rev() {
        let day = today - Duration::days(n);
        let f = on(day);
        d.greeting_daily
            .push((day, percent(f.greeted_within_limit, f.visits)));
        d.water_daily.push((day, percent(f.water_served, f.visits)));
    }
    for w in 0..12 {
        let start = first_monday + Duration::weeks(w);
        let week = days
            .iter()
            .filter(|f| f.day >= start && f.day < start + Duration::days(7));
        let (visits, greeted, water) = week.fold((0, 0, 0), |(v, g, w), f| {
            (v + f.visits, g + f.greeted_within_limit, w + f.water_served)
        });
        d.greeting_weekly.push((start, percent(greeted, visits)));
        d.water_weekly.push((start, percent(water, visits)));
    }
    let rows = crate::report::reception::build_streamed(today, today, d.limit_secs, |add| {
        crate::store::visits::times_between(conn, midnight(today), tomorrow, add)
    })?;
    if let Some(row) = rows.first() {
        d.greeting_today = row.greeting_compliance_pct;
        d.median_today = row.median_greeting_s;
        d.water_today = row.water_served_pct;
    }
    Ok(())
}

/// The dashboard's figures at `now`.
pub fn dashboard(
    conn: crate::store::db::Db<'_>,
    now: NaiveDateTime,
    settings: &crate::store::settings::Settings,
) -> Result<Dashboard, crate::store::StoreError> {
    let today = now.date();
    let mut d = Dashboard {
        limit_secs: settings.rules.greeting_limit_secs,
        settle_days: settings.settle.days,
        ..Dashboard::default()
    };
    reception_figures(&mut d, conn, now)?;
    let first_monday = d
        .greeting_weekly
        .first()
        .map_or(today, |(monday, _)| *monday);
    let midnight = |day: NaiveDate| day.and_hms_opt(0, 0, 0).unwrap_or(now);
    let (from, to) = (midnight(first_monday), midnight(today + Duration::days(1)));
    let complaints = crate::store::complaints::received_per_day(conn, from, to)?;
    let claims = crate::store::claims::reported_per_day(conn, from, to)?;
    let in_week = |per_day: &[(NaiveDate, i64)], start: NaiveDate| -> i64 {
        per_day
            .iter()
            .filter(|(day, _)| *day >= start && *day < start + Duration::days(7))
            .map(|(_, n)| n)
            .sum()
    };
    for w in 0..12 {
        let start = first_monday + Duration::weeks(w);
        d.cases_weekly
            .push((start, in_week(&complaints, start), in_week(&claims, start)));
    }
    let open = crate::store::complaints::list(conn, now, 0, "")?;
    for c in open.iter().filter(|c| c.status().is_open()) {
        d.complaints_open += 1;
        if c.is_overdue(&settings.sla, now) {
            d.complaints_overdue += 1;
        }
        if c.severity() == crate::domain::complaint::Severity::Major {
            d.complaints_major += 1;
        }
    }
    let (satisfied, rated) = crate::store::complaints::satisfaction(conn, now, 30)?;
    d.satisfaction = percent(satisfied, rated);
    d.rings = crate::store::calls::Rings::total(&crate::store::calls::rings_between(
        conn,
        now - Duration::days(30),
        now + Duration::days(1),
    )?);
    // The share answered within 2 rings on each day of the 30-day trend.
    let first_day = today - Duration::days(29);
    let per_day = crate::store::calls::rings_per_day(conn, midnight(first_day), to)?;
    d.rings_daily = crate::store::calls::DayRings::each_day(&per_day, first_day, 30)
        .iter()
        .map(|on| (on.day, on.rings.pct(on.rings.within_2)))
        .collect();
    let claims = crate::store::claims::open_claims(conn)?;
    d.claims_open = claims.len() as i64;
    d.claims_open_fen = claims
        .iter()
        .map(|c| c.agreed_fen.unwrap_or(c.claimed_fen))
        .sum();
    let rules = crate::domain::transfer::TransferRules::default();
    for tr in crate::store::transfers::open(conn)? {
        d.transfers_open += 1;
        if tr.late(now, &rules).is_some() {
            d.transfers_late += 1;
        }
    }
    for c in &claims {
        match c.settle_clock(today, &settings.settle) {
            crate::domain::claim::SettleClock::Overdue { .. } => d.claims_overdue += 1,
            crate::domain::claim::SettleClock::Warning { .. } => d.claims_due_soon += 1,
            _ => {}
        }
    }
    let inspections = crate::store::inspections::between(
        conn,
        now - Duration::days(30),
        now + Duration::days(1),
    )?;
    let rows = crate::report::inspections::build(&inspections);
    d.inspection_pass = rows
        .last()
        .and_then(crate::report::inspections::Row::pass_pct);
    d.rectifications_overdue = crate::store::inspections::rectifications(conn, now)?
        .iter()
        .filter(|r| r.is_overdue(today))
        .count() as i64;
    d.incidents_open = crate::store::incidents::open_count(conn)?;
    let rules = crate::domain::waybill::ChangeRules::default();
    let waybills = crate::store::waybill_changes::open(conn)?;
    d.waybills_open = waybills.len() as i64;
    d.waybills_late = waybills
        .iter()
        .filter(|w| w.late(now, &rules).is_some())
        .count() as i64;
    d.incidents_today = crate::store::incidents::between(
        conn,
        midnight(today),
        midnight(today + Duration::days(1)),
    )?;
    Ok(d)
}

/// Reads the day of staff member `staff_id` on `day` (on a worker): their sign-in, their
/// report and, when asked (`with_figures`), the figures counted from the records now (greeted
/// in time: within `limit_secs`).
pub(crate) fn fetch_desk_day(
    conn: crate::store::db::Db<'_>,
    (staff_id, day, with_figures): crate::ui::daily::DayKey,
    limit_secs: i64,
) -> Result<crate::ui::daily::DeskDay, crate::store::StoreError> {
    let figures = if with_figures {
        crate::store::daily_reports::figures(conn, staff_id, day, limit_secs)?
    } else {
        crate::domain::attendance::DayFigures::default()
    };
    Ok(crate::ui::daily::DeskDay {
        attendance: crate::store::attendance::on_day(conn, staff_id, day)?,
        figures,
        report: crate::store::daily_reports::get(conn, staff_id, day)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dashboard's reception figures, read in one pass, are those of a reception report over
    /// each day and each week (as they were computed before, one report per week).
    #[test]
    fn one_pass_gives_each_day_and_week_what_its_own_report_gives() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = crate::store::Store::open(dir.path().join("d.sqlite3")).expect("open");
        let now = NaiveDateTime::parse_from_str("2026-11-20 16:00:00", "%Y-%m-%d %H:%M:%S")
            .expect("time");
        crate::demo::fill(&mut store, now).expect("demo");
        let settings = crate::store::settings::load(store.db()).expect("settings");
        let d = dashboard(store.db(), now, &settings).expect("dashboard");
        let limit = settings.rules.greeting_limit_secs;
        let report = |from: NaiveDate, to: NaiveDate| {
            let midnight = |day: NaiveDate| day.and_hms_opt(0, 0, 0).expect("midnight");
            crate::report::reception::build_streamed(from, to, limit, |add| {
                crate::store::visits::times_between(
                    store.db(),
                    midnight(from),
                    midnight(to + Duration::days(1)),
                    add,
                )
            })
            .expect("report")
        };
        assert_eq!(d.greeting_weekly.len(), 12);
        assert_eq!(d.greeting_daily.len(), 30);
        let mut weeks_with_visits = 0;
        for (&(monday, greeting), &(_, water)) in d.greeting_weekly.iter().zip(&d.water_weekly) {
            let rows = report(monday, (monday + Duration::days(6)).min(now.date()));
            let total = rows.last().expect("a total row");
            assert_eq!(greeting, total.greeting_compliance_pct, "week of {monday}");
            assert_eq!(water, total.water_served_pct, "week of {monday}");
            weeks_with_visits += i32::from(total.visits > 0);
        }
        assert!(weeks_with_visits >= 3, "the demo's weeks are in it");
        for &(day, greeting) in &d.greeting_daily {
            let rows = report(day, day);
            assert_eq!(greeting, rows[0].greeting_compliance_pct, "{day}");
        }
        let today = report(now.date(), now.date());
        assert_eq!(d.median_today, today[0].median_greeting_s);
        assert!(d.greeting_today.is_some(), "the demo has visits today");
        // The weeks' cases counted per day add up to each week's count.
        let midnight = |day: NaiveDate| day.and_hms_opt(0, 0, 0).expect("midnight");
        let mut cases = 0;
        for &(monday, complaints, claims) in &d.cases_weekly {
            let (from, to) = (midnight(monday), midnight(monday + Duration::days(7)));
            let db = store.db();
            let received = crate::store::complaints::received_between(db, from, to);
            assert_eq!(complaints, received.expect("complaints").len() as i64);
            let reported = crate::store::claims::reported_between(db, from, to);
            assert_eq!(claims, reported.expect("claims").len() as i64);
            cases += complaints + claims;
        }
        assert!(cases > 0, "the demo has complaints and claims");
        // The month's counts as a whole are its days' counts summed.
        let (from, to) = (
            midnight(now.date() - Duration::days(40)),
            midnight(now.date()),
        );
        let days = crate::store::visits::day_counts(store.db(), from, to, limit).expect("days");
        let whole =
            crate::store::visits::counts_between(store.db(), from, to, limit).expect("whole");
        assert!(whole.visits > 0);
        assert_eq!(whole.visits, days.iter().map(|f| f.visits).sum::<i64>());
        assert_eq!(
            whole.greeted_within_limit,
            days.iter().map(|f| f.greeted_within_limit).sum::<i64>()
        );
        assert_eq!(
            whole.water_served,
            days.iter().map(|f| f.water_served).sum::<i64>()
        );
        // The calls answered within 2 rings per day of the 30-day trend, as each day's calls
        // counted on their own give them.
        assert_eq!(d.rings_daily.len(), 30);
        let mut days_with_calls = 0;
        for (&(day, on_time), &(greeting_day, _)) in d.rings_daily.iter().zip(&d.greeting_daily) {
            assert_eq!(day, greeting_day, "the trend's days");
            let staff = crate::store::calls::rings_between(
                store.db(),
                midnight(day),
                midnight(day + Duration::days(1)),
            )
            .expect("rings");
            let all = crate::store::calls::Rings::total(&staff);
            assert_eq!(on_time, all.pct(all.within_2), "{day}");
            days_with_calls += i32::from(all.calls() > 0);
        }
        assert!(days_with_calls >= 10, "the demo's calls are in it");
        // Satisfaction over the complaint list's last 30 days, as the list shows them.
        let listed = crate::store::complaints::list(store.db(), now, 30, "").expect("list");
        let rated: Vec<_> = listed.iter().filter_map(|c| c.satisfaction).collect();
        let satisfied = rated.iter().filter(|s| s.is_satisfied()).count();
        assert!(!rated.is_empty(), "the demo has rated complaints");
        assert_eq!(
            d.satisfaction,
            percent(
                i64::try_from(satisfied).expect("few"),
                i64::try_from(rated.len()).expect("few")
            )
        );
    }
}
