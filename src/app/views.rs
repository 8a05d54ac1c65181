//! Loading what the screens show: the only place besides the commands where the app reads the
//! store for the UI. Screens say what they show (filters, selection, page); these functions fetch
//! the rows when that changed and hand them to the screen's cache, so `ui/` never touches SQLite.

use chrono::{Datelike as _, Duration, NaiveDate, NaiveDateTime};

use crate::domain::account::Action;
use crate::domain::evidence::EvidenceKind;
use crate::domain::visit::percent;
use crate::i18n::tf;
use crate::report::claims::{by_party, month_bounds, open_by_age, parse_month};
use crate::report::complaints::{parse_week, week_bounds, week_of};
use crate::store::versions::{Record, stamp};
use crate::ui::calls::{CallsView, PAGE_SIZE};
use crate::ui::claims::{ClaimsView, Drafts, texture};
use crate::ui::claims_report::ClaimsReportView;
use crate::ui::complaints::ComplaintsView;
use crate::ui::customers::CustomersView;
use crate::ui::inbox::InboxView;
use crate::ui::supervisor::{Dashboard, SupervisorView, Tab};
use crate::ui::weekly::WeeklyView;

/// The call log's page to read: its filter and where the page starts, when they changed since
/// the last read.
pub(crate) type CallsKey = (
    crate::store::calls::CallFilter,
    crate::store::paging::Position,
);

/// A page of the call log, read on a worker.
#[derive(Debug)]
pub(crate) struct CallsPage {
    page: crate::store::paging::Page<crate::domain::call::Call>,
    claims: std::collections::HashMap<i64, i64>,
}

/// The page the call log shows, when it is not loaded yet.
pub(crate) fn calls_to_load(v: &CallsView) -> Option<CallsKey> {
    let key = (v.filter.clone(), v.position);
    (v.loaded.as_ref() != Some(&key)).then_some(key)
}

/// Reads a page of the call log (on a worker).
pub(crate) fn fetch_calls(
    conn: crate::store::db::Db<'_>,
    (filter, position): &CallsKey,
) -> Result<CallsPage, crate::store::StoreError> {
    let page = crate::store::calls::page_at(conn, filter, *position, PAGE_SIZE)?;
    let mut claims = std::collections::HashMap::new();
    for call in &page.rows {
        if let Some(claim) = crate::store::claims::claim_for_call(conn, call.id)? {
            claims.insert(call.id, claim);
        }
    }
    Ok(CallsPage { page, claims })
}

/// Shows a page read for `key`, unless the screen asks for another one by now.
pub(crate) fn fill_calls(v: &mut CallsView, key: CallsKey, read: CallsPage) {
    if calls_to_load(v).as_ref() == Some(&key) {
        v.total = read.page.total;
        v.newer = read.page.newer;
        v.rows = read.page.rows;
        v.claims = read.claims;
        v.loaded = Some(key);
    }
}

/// Loads what is shown, decoding evidence thumbnails once.
pub(crate) fn load_claims(
    v: &mut ClaimsView,
    conn: crate::store::db::Db<'_>,
    ctx: &egui::Context,
) -> Result<bool, crate::store::StoreError> {
    let mut loaded = false;
    if !v.list_loaded {
        let (page, totals) = crate::store::claims::page_at(
            conn,
            &v.filter,
            v.position,
            crate::ui::claims::PAGE_SIZE,
        )?;
        (v.list, v.newer, v.totals) = (page.rows, page.newer, totals);
        v.list_loaded = true;
        loaded = true;
    }
    if let Some(id) = v.selected
        && v.detail.as_ref().is_none_or(|(c, _, _)| c.id != id)
    {
        // The forms are filled from the claim when it is opened (or after this desk saved it);
        // a reload because another desk changed something keeps what is typed. The stamp is
        // read first: a change in between makes the next save ask, never slip through.
        let fresh = v.based_on.is_none_or(|(based, _)| based != id);
        let now_stamp = stamp(conn, Record::Claim, id)?;
        let c = crate::store::claims::get(conn, id)?;
        let events = crate::store::claims::events(conn, id)?;
        let files = crate::store::claims::files(conn, id)?;
        if fresh {
            let keep_error = v.drafts.error.take();
            v.drafts = Drafts::of(&c);
            v.drafts.error = keep_error;
            v.based_on = Some((id, now_stamp));
        }
        v.detail = Some((c, events, files));
        loaded = true;
    }
    if let Some((_, _, files)) = &v.detail {
        for f in files.iter().filter(|f| f.kind == EvidenceKind::Image) {
            // Decoded once; a file that does not decode is remembered as such.
            if let std::collections::hash_map::Entry::Vacant(slot) = v.thumbs.entry(f.id) {
                let bytes = crate::store::claims::file_data(conn, f.id)?;
                slot.insert(texture(ctx, &format!("thumb-{}", f.id), &bytes, 160));
                loaded = true;
            }
        }
    }
    if let Some(id) = v.want_full.take() {
        let bytes = crate::store::claims::file_data(conn, id)?;
        v.full = texture(ctx, &format!("full-{id}"), &bytes, 1600).map(|t| (id, t));
        loaded = true;
    }
    Ok(loaded)
}

/// Loads the month shown (the current month at first).
pub(crate) fn load_claims_report(
    v: &mut ClaimsReportView,
    conn: crate::store::db::Db<'_>,
    now: NaiveDateTime,
) -> Result<bool, crate::store::StoreError> {
    if v.month.is_empty() {
        v.month = now.format("%Y-%m").to_string();
    }
    if v.loaded.as_deref() == Some(v.month.as_str()) {
        return Ok(false);
    }
    v.loaded = Some(v.month.clone());
    let Some(first) = parse_month(&v.month) else {
        v.error = Some(tf("report.bad_month", &[("value", &v.month)]));
        v.rows.clear();
        return Ok(true);
    };
    let (from, to) = month_bounds(first);
    let list = crate::store::claims::reported_between(conn, from, to)?;
    let order = crate::store::claims::causes(conn)?;
    v.rows = crate::report::claims::build(&list, &order);
    v.parties = by_party(&list);
    v.ages = open_by_age(&crate::store::claims::open_claims(conn)?, now.date());
    v.analysis = crate::store::claims::month_analysis(conn, &v.month)?;
    v.error = None;
    Ok(true)
}

/// The complaint list's search text, when the list is to be read again.
pub(crate) fn complaints_to_load(v: &ComplaintsView) -> Option<String> {
    (!v.list_loaded).then(|| v.applied_text.clone())
}

/// Reads the complaint list (on a worker): the open ones, then those of the last 14 days.
pub(crate) fn fetch_complaints(
    conn: crate::store::db::Db<'_>,
    text: &str,
    now: NaiveDateTime,
) -> Result<Vec<crate::domain::complaint::Complaint>, crate::store::StoreError> {
    crate::store::complaints::list(conn, now, 14, text)
}

/// Shows the list read for `text`, unless the screen asks for another one by now.
pub(crate) fn fill_complaints(
    v: &mut ComplaintsView,
    text: &str,
    list: Vec<crate::domain::complaint::Complaint>,
) {
    if complaints_to_load(v).as_deref() == Some(text) {
        v.list = list;
        v.list_loaded = true;
    }
}

/// Loads the selected complaint, if needed (the list is read on a worker).
pub(crate) fn load_complaint_detail(
    v: &mut ComplaintsView,
    conn: crate::store::db::Db<'_>,
) -> Result<bool, crate::store::StoreError> {
    let mut loaded = false;
    if let Some(id) = v.selected
        && v.detail.as_ref().is_none_or(|(c, _)| c.id != id)
    {
        // The stamp is read first (see `load_claims`).
        if v.based_on.is_none_or(|(based, _)| based != id) {
            v.based_on = Some((id, stamp(conn, Record::Complaint, id)?));
        }
        let c = crate::store::complaints::get(conn, id)?;
        let events = crate::store::complaints::events(conn, id)?;
        if v.drafts.category.is_empty() {
            v.drafts.category.clone_from(&c.category);
            v.drafts.severity = c.severity;
            v.drafts.at_fault = c.at_fault;
        }
        v.detail_claim = crate::store::claims::claim_for_complaint(conn, id)?;
        v.detail = Some((c, events));
        loaded = true;
    }
    Ok(loaded)
}

/// The customer search's query, when its results are to be read.
pub(crate) fn customers_to_load(v: &CustomersView) -> Option<String> {
    (v.loaded_query.as_deref() != Some(v.query.as_str())).then(|| v.query.clone())
}

/// Shows the customers found for `query`, unless the screen asks for another one by now.
pub(crate) fn fill_customers(
    v: &mut CustomersView,
    query: String,
    found: Vec<crate::domain::customer::Customer>,
) {
    if customers_to_load(v).as_ref() == Some(&query) {
        v.results = found;
        v.loaded_query = Some(query);
    }
}

/// Loads the revisit-due list and the selected page when needed (the search runs on a worker).
pub(crate) fn load_customers(
    v: &mut CustomersView,
    conn: crate::store::db::Db<'_>,
    now: NaiveDateTime,
) -> Result<bool, crate::store::StoreError> {
    let mut loaded = false;
    if !v.due_loaded {
        v.due = crate::store::customers::revisit_due(conn, now.date())?;
        v.due_loaded = true;
        loaded = true;
    }
    if let Some(id) = v.selected
        && v.page.as_ref().is_none_or(|(f, _)| f.customer.id != id)
    {
        let f = crate::store::customers::file(conn, id)?;
        let h = crate::store::customers::history(conn, id)?;
        v.revisit_days = f.revisit_days.map(|d| d.to_string()).unwrap_or_default();
        v.edit = Some(f.clone());
        v.page = Some((f, h));
        loaded = true;
    }
    Ok(loaded)
}

/// Loads the entries if needed.
pub(crate) fn load_inbox(
    v: &mut InboxView,
    store: &crate::store::Store,
) -> Result<bool, crate::store::StoreError> {
    if v.loaded {
        return Ok(false);
    }
    v.items = store.read_as(crate::domain::account::Action::ReadSupervisorData, |conn| {
        crate::store::inbox::list(conn)
    })?;
    v.loaded = true;
    Ok(true)
}

/// What the supervisor's tabs show, read on a worker.
#[derive(Debug)]
pub(crate) struct SupervisorData {
    templates: Vec<crate::domain::inspection::Template>,
    inspections: Vec<crate::domain::inspection::Inspection>,
    rectifications: Vec<crate::domain::inspection::Rectification>,
    rewards: Vec<crate::domain::inspection::RewardPenalty>,
    audit: Vec<crate::store::audit::Entry>,
    accounts: Vec<crate::store::accounts::Account>,
    dashboard: Dashboard,
}

/// Whether the supervisor's tabs are to be read.
pub(crate) fn supervisor_to_load(v: &SupervisorView) -> Option<()> {
    (!v.loaded).then_some(())
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

/// Shows what was read for the tabs.
pub(crate) fn fill_supervisor(v: &mut SupervisorView, data: SupervisorData) {
    v.templates = data.templates;
    v.inspections = data.inspections;
    v.rectifications = data.rectifications;
    v.rewards = data.rewards;
    v.audit = data.audit;
    v.accounts = data.accounts;
    v.dashboard = data.dashboard;
    v.loaded = true;
    v.monthly_loaded = None;
}

/// Decodes the photos of the selected inspection once (thumbnails, as for claims).
pub(crate) fn load_inspection_photos(
    v: &mut SupervisorView,
    store: &crate::store::Store,
    ctx: &egui::Context,
) -> Result<bool, crate::store::StoreError> {
    let Some(id) = v.selected else {
        return Ok(false);
    };
    let Some(listed) = v.inspections.iter().find(|i| i.id == id) else {
        return Ok(false);
    };
    let missing = listed
        .items
        .iter()
        .any(|i| i.photo.is_some() && !v.photos.contains_key(&i.id));
    if !missing {
        return Ok(false);
    }
    let full = store.read_as(Action::ReadSupervisorData, |c| {
        crate::store::inspections::get(c, id)
    })?;
    for item in full.items {
        if let Some((_, bytes)) = item.photo {
            let tex = image::load_from_memory(&bytes).ok().map(|img| {
                let img = img.thumbnail(240, 180).to_rgba8();
                let size = [img.width() as usize, img.height() as usize];
                ctx.load_texture(
                    format!("inspection-{}", item.id),
                    egui::ColorImage::from_rgba_unmultiplied(size, img.as_raw()),
                    egui::TextureOptions::LINEAR,
                )
            });
            v.photos.insert(item.id, tex);
        }
    }
    Ok(true)
}

/// The month whose reports the monthly tab is to show, when they are not loaded yet (a month
/// that is not one is said so at once, nothing is read).
pub(crate) fn monthly_to_load(v: &mut SupervisorView, now: NaiveDateTime) -> Option<String> {
    if v.month.is_empty() {
        v.month = now.format("%Y-%m").to_string();
    }
    if v.tab != Tab::Monthly || v.monthly_loaded.as_deref() == Some(v.month.as_str()) {
        return None;
    }
    if crate::report::claims::parse_month(&v.month).is_none() {
        v.error = Some(tf("report.bad_month", &[("value", &v.month)]));
        v.monthly_loaded = Some(v.month.clone());
        return None;
    }
    Some(v.month.clone())
}

/// The monthly tab's figures, read on a worker.
pub(crate) type Monthly = (
    crate::report::quality::Quality,
    Vec<crate::domain::inspection::RewardPenalty>,
);

/// Shows the month's reports read for `month`, unless the tab asks for another month by now.
pub(crate) fn fill_monthly(v: &mut SupervisorView, month: String, (quality, rewards): Monthly) {
    if v.tab == Tab::Monthly && v.month == month {
        v.quality = quality;
        v.month_rewards = rewards;
        v.monthly_loaded = Some(month);
    }
}

/// Loads the week shown (the current week at first).
pub(crate) fn load_weekly(
    v: &mut WeeklyView,
    store: &crate::store::Store,
    now: NaiveDateTime,
    settings: &crate::store::settings::Settings,
) -> Result<bool, crate::store::StoreError> {
    if v.week.is_empty() {
        v.week = week_of(now.date());
    }
    if v.loaded.as_deref() == Some(v.week.as_str()) {
        return Ok(false);
    }
    let Some(monday) = parse_week(&v.week) else {
        v.error = Some(tf("report.bad_week", &[("value", &v.week)]));
        v.loaded = Some(v.week.clone());
        v.rows.clear();
        return Ok(true);
    };
    let (from, to) = week_bounds(monday);
    let conn = store.db();
    let list = crate::store::complaints::received_between(conn, from, to)?;
    let order = crate::store::complaints::categories(conn)?;
    v.rows = crate::report::complaints::build(&list, &order, &settings.sla, now);
    v.notes = crate::store::complaints::week_notes(conn, &v.week)?;
    v.waybills = v.notes.waybills.map(|w| w.to_string()).unwrap_or_default();
    v.analysis.clone_from(&v.notes.analysis);
    v.error = None;
    v.loaded = Some(v.week.clone());
    Ok(true)
}

/// The dashboard's figures at `now`.
pub(crate) fn dashboard(
    conn: crate::store::db::Db<'_>,
    now: NaiveDateTime,
    settings: &crate::store::settings::Settings,
) -> Result<Dashboard, crate::store::StoreError> {
    let today = now.date();
    let limit = settings.rules.greeting_limit_secs;
    let start = today - Duration::days(29);
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or(now);
    let reception = |from: NaiveDate, to: NaiveDate| {
        crate::report::reception::build_streamed(from, to, limit, |add| {
            crate::store::visits::times_between(
                conn,
                midnight(from),
                midnight(to + Duration::days(1)),
                add,
            )
        })
    };
    let rows = reception(start, today)?;
    let mut d = Dashboard {
        limit_secs: limit,
        ..Dashboard::default()
    };
    for r in rows.iter().filter(|r| r.date != "total") {
        let day = NaiveDate::parse_from_str(&r.date, "%Y-%m-%d").unwrap_or(today);
        d.greeting_daily.push((day, r.greeting_compliance_pct));
        d.water_daily.push((day, r.water_served_pct));
    }
    // Weekly for 12 weeks, Monday to Sunday.
    let monday = today
        - Duration::days(i64::from(
            chrono::Datelike::weekday(&today).num_days_from_monday(),
        ));
    let first_monday = monday - Duration::weeks(11);
    for w in 0..12 {
        let start = first_monday + Duration::weeks(w);
        let end = (start + Duration::days(6)).min(today);
        let week = reception(start, end)?;
        let total = week.last().cloned().unwrap_or_default();
        d.greeting_weekly
            .push((start, total.greeting_compliance_pct));
        d.water_weekly.push((start, total.water_served_pct));
        let (from, to) = (
            start.and_hms_opt(0, 0, 0).unwrap_or(now),
            (start + Duration::days(7))
                .and_hms_opt(0, 0, 0)
                .unwrap_or(now),
        );
        let complaints = crate::store::complaints::count_received_between(conn, from, to)?;
        let claims = crate::store::claims::count_reported_between(conn, from, to)?;
        d.cases_weekly.push((start, complaints, claims));
    }
    if let Some(last) = rows.iter().rev().nth(1) {
        d.greeting_today = last.greeting_compliance_pct;
        d.median_today = last.median_greeting_s;
        d.water_today = last.water_served_pct;
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
    let recent = crate::store::complaints::list(conn, now, 30, "")?;
    let rated: Vec<_> = recent.iter().filter_map(|c| c.satisfaction).collect();
    d.satisfaction = percent(
        rated.iter().filter(|s| s.is_satisfied()).count() as i64,
        rated.len() as i64,
    );
    let claims = crate::store::claims::open_claims(conn)?;
    d.claims_open = claims.len() as i64;
    d.claims_open_fen = claims
        .iter()
        .map(|c| c.agreed_fen.unwrap_or(c.claimed_fen))
        .sum();
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
    Ok(d)
}
