//! The documents FrontDesk prints: each report table, and the records that go in a file or to
//! someone's signature (the complaint record first).

use super::{Column, Header, Layout, PdfCell, PdfError};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::complaint::{Complaint, Step};
use crate::domain::transfer::Transfer;
use crate::i18n::{t, tf};
use crate::report::{Cell, Table};
use crate::store::complaints::Event;

/// A report with a table of more columns than this is printed on landscape pages.
const LANDSCAPE_COLUMNS: usize = 9;

/// A report of several tables (a summary and its records) as a PDF: each under its heading
/// ([`sheet_heading`]), the report's chart ([`chart_for`]) after the first.
pub fn report_tables(header: Header, tables: &[(&str, &Table)]) -> Result<Vec<u8>, PdfError> {
    let mut doc = Layout::new(header.clone())?;
    if tables
        .iter()
        .any(|(_, t)| t.header.len() > LANDSCAPE_COLUMNS)
    {
        doc.landscape();
    }
    doc.title(format!("{} {}", header.title, header.subtitle).trim());
    for (i, (sheet, table)) in tables.iter().enumerate() {
        if tables.len() > 1 {
            if i > 0 {
                doc.gap(6.0);
            }
            doc.heading(sheet_heading(sheet));
        }
        table_of(&mut doc, table);
        if i == 0
            && let Some(chart) = chart_for(sheet, table)
        {
            draw_chart(&mut doc, &chart);
        }
    }
    doc.finish()
}

/// A chart of a report.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    /// Horizontal bars, one per item, the value written at its end.
    Bars {
        /// The chart's title.
        title: String,
        /// Each item's name and value.
        items: Vec<(String, f64)>,
        /// How a value is written.
        unit: Unit,
    },
    /// Percentages over dates, a line per series.
    Percent {
        /// The chart's title.
        title: String,
        /// The dates (`MM-DD`).
        x_labels: Vec<String>,
        /// Each series' name and values (none where there is nothing to count).
        series: Vec<(String, Vec<Option<f64>>)>,
    },
}

/// How a bar's value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A count.
    Count,
    /// A percentage, one decimal.
    Percent,
    /// Yuan, from fen.
    Yuan,
}

/// The chart each report prints after its summary, from the summary's own table: the reception
/// report's greeting compliance, water served and seeing-off with the whole checklist per day,
/// the complaints per category of the week, the claimed money per cause of the month, the pass
/// rate per checklist item, the most failed items of the month's quality analysis.
pub fn chart_for(sheet: &str, table: &Table) -> Option<Chart> {
    let column = |name: &str| table.header.iter().position(|h| h == name);
    let number = |c: &Cell| match c {
        Cell::Int(n) => Some(*n as f64),
        Cell::Dec1(x) => Some(*x),
        _ => None,
    };
    let text = |c: &Cell| match c {
        Cell::Text(s) => s.clone(),
        other => cell_text(other),
    };
    let body = table.rows.split_last().map_or(&[][..], |(_, rows)| rows);
    match sheet {
        "reception" => {
            let (greeting, water, seen_off) = (
                column("greeting_compliance_pct")?,
                column("water_served_pct")?,
                column("seen_off_checklist_pct")?,
            );
            let x_labels = body
                .iter()
                .map(|r| text(&r[0]).get(5..).unwrap_or_default().to_owned())
                .collect();
            let series = |i: usize| body.iter().map(|r| number(&r[i])).collect();
            Some(Chart::Percent {
                title: t("pdf.chart_reception").to_owned(),
                x_labels,
                series: vec![
                    (
                        t("col.greeting_compliance_pct").to_owned(),
                        series(greeting),
                    ),
                    (t("col.water_served_pct").to_owned(), series(water)),
                    (t("col.seen_off_checklist_pct").to_owned(), series(seen_off)),
                ],
            })
        }
        "summary" => {
            let (dimension, value) = (column("dimension")?, column("value")?);
            let (wanted, figure, unit, title) = if let Some(i) = column("complaints") {
                ("category", i, Unit::Count, "pdf.chart_categories")
            } else {
                (
                    "cause",
                    column("claimed_fen")?,
                    Unit::Yuan,
                    "pdf.chart_causes",
                )
            };
            let items = body
                .iter()
                .filter(|r| text(&r[dimension]) == wanted)
                .map(|r| {
                    let v = number(&r[figure]).unwrap_or(0.0);
                    (
                        text(&r[value]),
                        if unit == Unit::Yuan { v / 100.0 } else { v },
                    )
                })
                .collect();
            Some(Chart::Bars {
                title: t(title).to_owned(),
                items,
                unit,
            })
        }
        "quality" => {
            let (section, item, value) = (column("section")?, column("item")?, column("value")?);
            Some(Chart::Bars {
                title: t("pdf.chart_top_failing").to_owned(),
                items: table
                    .rows
                    .iter()
                    .filter(|r| text(&r[section]) == "top_failing")
                    .filter_map(|r| Some((text(&r[item]), number(&r[value])?)))
                    .collect(),
                unit: Unit::Count,
            })
        }
        "inspections" => {
            let pass = column("pass_pct")?;
            Some(Chart::Bars {
                title: t("pdf.chart_items").to_owned(),
                items: body
                    .iter()
                    .filter_map(|r| Some((text(&r[0]), number(&r[pass])?)))
                    .collect(),
                unit: Unit::Percent,
            })
        }
        _ => None,
    }
}

fn draw_chart(doc: &mut Layout, chart: &Chart) {
    match chart {
        Chart::Bars { title, items, unit } => {
            if items.is_empty() {
                return;
            }
            doc.heading(title);
            let unit = *unit;
            doc.bar_chart(items, |v| match unit {
                Unit::Count => format!("{v:.0}"),
                Unit::Percent => format!("{v:.1}%"),
                Unit::Yuan => {
                    #[expect(clippy::cast_possible_truncation, reason = "money in yuan, small")]
                    let fen = (v * 100.0).round() as i64;
                    crate::domain::money::format_fen(fen)
                }
            });
        }
        Chart::Percent {
            title,
            x_labels,
            series,
        } => {
            if x_labels.is_empty() {
                return;
            }
            doc.heading(title);
            doc.percent_chart(x_labels, series);
        }
    }
}

/// The heading over a report's table, by its sheet name in the XLSX export.
fn sheet_heading(sheet: &str) -> &'static str {
    match sheet {
        "summary" => t("pdf.sheet_summary"),
        "complaints" => t("pdf.sheet_complaints"),
        "claims" => t("pdf.sheet_claims"),
        "analysis" => t("pdf.sheet_analysis"),
        "quality" => t("pdf.sheet_quality"),
        "inspections" => t("pdf.sheet_inspections"),
        "measures" => t("pdf.sheet_measures"),
        _ => t("pdf.sheet_rows"),
    }
}

/// Draws a report table with the file format's column names and dimensions in words of the UI
/// language, amounts in fen as yuan, numbers right-aligned.
pub fn table_of(doc: &mut Layout, table: &Table) {
    let word = |prefix: &str, name: &str| {
        crate::i18n::translated(&format!("{prefix}.{name}"))
            .map_or_else(|| name.to_owned(), str::to_owned)
    };
    // The quality analysis (`section,item,value`): its values are figures, not a dimension's.
    let sectioned = table.header.first().is_some_and(|h| h == "section");
    let header: Vec<String> = table
        .header
        .iter()
        .map(|h| match h.as_str() {
            "value" if sectioned => t("col.figure_value").to_owned(),
            h => word("col", h),
        })
        .collect();
    let rows: Vec<Vec<PdfCell>> = table
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, c)| {
                    let column = table.header[i].as_str();
                    match c {
                        Cell::Int(fen) if column.ends_with("_fen") => {
                            crate::domain::money::format_fen(*fen).into()
                        }
                        Cell::Text(s)
                            if i == 0 && matches!(column, "dimension" | "figure" | "section") =>
                        {
                            word("dim", s).into()
                        }
                        // The quality analysis's figures and the rewards' kinds are words; its
                        // items that are not (checklist items, categories) stay as they are.
                        Cell::Text(s) if column == "kind" || (column == "item" && sectioned) => {
                            word("dim", s).into()
                        }
                        Cell::Text(s) if i == 0 && s == "total" => word("dim", s).into(),
                        Cell::Text(s) if column == "effective" => word("effective", s).into(),
                        // A waybill change request's result and lateness are words too.
                        Cell::Text(s) if matches!(column, "result" | "late") && !s.is_empty() => {
                            word("dim", s).into()
                        }
                        Cell::Text(s) if column == "met" => PdfCell {
                            text: word("met", s),
                            missed: s == "no",
                        },
                        Cell::Text(s) if column == "value" && (s == "all" || s == "yes") => {
                            word("dim", s).into()
                        }
                        c => cell_text(c).into(),
                    }
                })
                .collect()
        })
        .collect();
    let numeric: Vec<bool> = (0..table.header.len())
        .map(|i| {
            table
                .rows
                .iter()
                .all(|r| matches!(r[i], Cell::Int(_) | Cell::Dec1(_) | Cell::Empty))
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let columns = doc.fitted_columns(&header, &rows, &numeric);
    doc.table(&columns, &header, &rows);
}

fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Int(n) => n.to_string(),
        Cell::Dec1(x) => format!("{x:.1}"),
        Cell::Empty => String::new(),
    }
}

/// A record's document: the company, its name (`title_key`) and number in every page's header,
/// its name as the title; on an A6 page when `small` (a pass), else A4.
fn record_layout(company: &str, title_key: &str, id: i64, small: bool) -> Result<Layout, PdfError> {
    let header = Header {
        company: company.to_owned(),
        title: t(title_key).to_owned(),
        subtitle: tf("pdf.number", &[("id", &id.to_string())]),
    };
    let mut doc = if small {
        Layout::small(header)?
    } else {
        Layout::new(header)?
    };
    doc.title(t(title_key));
    Ok(doc)
}

/// A record's timeline: when, who, what, and what was said or done, a row a step.
fn timeline(doc: &mut Layout, steps: Vec<crate::ui::transfers::TimelineLine>) {
    let rows: Vec<Vec<PdfCell>> = steps
        .into_iter()
        .map(|l| {
            vec![
                l.at.format(DISPLAY_FORMAT).to_string().into(),
                l.who.into(),
                l.what.into(),
                l.detail.into(),
            ]
        })
        .collect();
    let header = [t("pdf.when"), t("pdf.who"), t("pdf.what"), t("pdf.detail")];
    let columns = doc.fitted_columns(&header, &rows, &[false; 4]);
    doc.table(&columns, &header, &rows);
}

/// The complaint record (《顾客投诉记录》) for the file: the details, the six steps (六清楚) with
/// when each was done, the whole timeline with the steps of its transfers (首问负责制), and lines
/// for the signatures. `staff` names a staff member by id.
pub fn complaint(
    company: &str,
    c: &Complaint,
    events: &[Event],
    transfers: &[Transfer],
    staff: &dyn Fn(Option<i64>) -> String,
) -> Result<Vec<u8>, PdfError> {
    let mut doc = record_layout(company, "pdf.complaint_title", c.id, false)?;
    let time = |at: Option<chrono::NaiveDateTime>| {
        at.map(|at| at.format(DISPLAY_FORMAT).to_string())
            .unwrap_or_default()
    };
    let label = |key: Option<&'static str>| key.map(t).unwrap_or_default().to_owned();
    doc.fields(&[
        (t("pdf.number_label"), format!("#{}", c.id)),
        (t("complaints.received"), time(Some(c.received_at))),
        (
            t("complaint.channel"),
            label(c.channel.map(|x| x.label_key())),
        ),
        (t("complaint.received_by"), staff(c.received_by)),
        (t("complaint.customer"), c.customer_name.clone()),
        (t("field.phone"), c.phone.clone()),
        (t("complaint.waybill"), c.waybill.clone()),
        (t("complaint.category"), c.category.clone()),
        (
            t("complaint.severity"),
            t(c.severity().label_key()).to_owned(),
        ),
        (
            t("complaint.at_fault"),
            label(c.at_fault.map(|x| x.label_key())),
        ),
        (t("complaint.status"), t(c.status().label_key()).to_owned()),
        (
            t("complaint.satisfaction"),
            label(c.satisfaction.map(|x| x.label_key())),
        ),
    ]);
    doc.heading(t("pdf.complaint_content"));
    doc.paragraph(if c.content.trim().is_empty() {
        "—"
    } else {
        &c.content
    });
    if !c.facts.trim().is_empty() {
        doc.heading(t("complaint.step_clarified"));
        doc.paragraph(&c.facts);
    }
    doc.heading(t("pdf.six_steps"));
    let done_at = |step: Step| match step {
        Step::Heard => Some(c.received_at),
        Step::Clarified => c.clarified_at,
        Step::Recorded => c.recorded_at,
        Step::Reported => c.reported_at,
        Step::Followed => last_event(events, "handling"),
        Step::Replied => last_event(events, "reply"),
    };
    let rows: Vec<Vec<PdfCell>> = Step::ALL
        .iter()
        .map(|&step| {
            let done = c.step_done(step);
            let needed =
                step != Step::Reported || c.severity() == crate::domain::complaint::Severity::Major;
            let state = match (needed, done) {
                (false, _) => t("pdf.not_needed"),
                (true, true) => t("pdf.done"),
                (true, false) => t("pdf.not_done"),
            };
            let at = if needed && done {
                time(done_at(step))
            } else {
                String::new()
            };
            vec![t(step.label_key()).into(), state.into(), at.into()]
        })
        .collect();
    doc.table(
        &[
            Column {
                weight: 2.0,
                numeric: false,
            },
            Column {
                weight: 1.0,
                numeric: false,
            },
            Column {
                weight: 2.0,
                numeric: false,
            },
        ],
        &[t("pdf.step"), t("pdf.step_state"), t("pdf.step_at")],
        &rows,
    );
    if !c.reported_to.trim().is_empty() {
        doc.fields(&[(t("complaint.step_reported"), c.reported_to.clone())]);
    }
    doc.heading(t("complaint.timeline"));
    timeline(
        &mut doc,
        crate::ui::complaints::timeline(events, transfers, staff),
    );
    doc.signatures(&[
        t("pdf.sign_receiver"),
        t("pdf.sign_handler"),
        t("pdf.sign_supervisor"),
    ]);
    doc.finish()
}

/// When the last event of `kind` happened.
fn last_event(events: &[Event], kind: &str) -> Option<chrono::NaiveDateTime> {
    events.iter().rev().find(|e| e.kind == kind).map(|e| e.at)
}

/// An evidence file of a claim as printed: its name and, for a photo, the picture.
pub struct Evidence {
    /// The file's name.
    pub name: String,
    /// The photo, scaled down (none for a PDF or a file that cannot be decoded).
    pub image: Option<image::RgbaImage>,
}

/// The claim file for the insurer (理赔档案): the claim's details, the amounts, the liability
/// split with each party's share of the agreed (or claimed) amount, the insurer's section, the
/// evidence photos as thumbnails with the names of all files, the timeline with the steps of its
/// transfers (首问负责制), and signature lines.
pub fn claim(
    company: &str,
    c: &crate::domain::claim::Claim,
    events: &[crate::store::claims::Event],
    transfers: &[Transfer],
    evidence: &[Evidence],
    staff: &dyn Fn(Option<i64>) -> String,
) -> Result<Vec<u8>, PdfError> {
    use crate::domain::money::{format_fen, format_percent};
    let mut doc = record_layout(company, "pdf.claim_title", c.id, false)?;
    let money = |fen: Option<i64>| fen.map(format_fen).unwrap_or_default();
    let label = |key: Option<&'static str>| key.map(t).unwrap_or_default().to_owned();
    doc.fields(&[
        (t("pdf.number_label"), format!("#{}", c.id)),
        (t("claim.status"), t(c.status().label_key()).to_owned()),
        (
            t("pdf.reported_at"),
            c.reported_at.format(DISPLAY_FORMAT).to_string(),
        ),
        (t("claim.waybill"), c.waybill.clone()),
        (t("claim.customer"), c.customer_name.clone()),
        (t("field.phone"), c.phone.clone()),
        (t("claim.type"), label(c.claim_type.map(|x| x.label_key()))),
        (t("claim.cause"), c.cause.clone()),
        (
            t("claim.incident_date"),
            c.incident_date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        ),
        (t("claim.incident_place"), c.incident_place.clone()),
        (t("claim.branch"), c.branch.clone()),
    ]);
    doc.heading(t("claim.description"));
    doc.paragraph(if c.description.trim().is_empty() {
        "—"
    } else {
        &c.description
    });
    if !c.reject_reason.trim().is_empty() {
        doc.fields(&[(t("claim.reject_reason"), c.reject_reason.clone())]);
    }
    doc.heading(t("claim.money"));
    doc.fields(&[
        (t("claim.claimed"), format_fen(c.claimed_fen)),
        (t("claim.agreed"), money(c.agreed_fen)),
        (t("claim.paid"), money(c.paid_fen)),
        (t("claim.recovered"), format_fen(c.recovered_fen)),
    ]);
    doc.heading(t("claim.liability"));
    if c.parties.is_empty() {
        doc.note(t("pdf.no_parties"));
    } else {
        let basis = c.agreed_fen.unwrap_or(c.claimed_fen);
        let amounts = c.party_amounts(basis);
        let rows: Vec<Vec<PdfCell>> = c
            .parties
            .iter()
            .zip(&amounts)
            .map(|(p, amount)| {
                vec![
                    p.name.clone().into(),
                    label(p.role.map(|r| r.label_key())).into(),
                    format_percent(p.share_bp).into(),
                    format_fen(*amount).into(),
                    p.notified_on
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default()
                        .into(),
                ]
            })
            .collect();
        let header = [
            t("claim.col_party"),
            t("claim.col_role"),
            t("claim.col_share"),
            t("claim.party_amount"),
            t("claim.notified_on"),
        ];
        let columns = doc.fitted_columns(&header, &rows, &[false, false, true, true, false]);
        doc.table(&columns, &header, &rows);
        doc.note(&tf("pdf.parties_basis", &[("amount", &format_fen(basis))]));
    }
    doc.heading(t("claim.insurer_section"));
    doc.fields(&[
        (t("claim.insurer"), c.insurer.clone()),
        (t("claim.policy_no"), c.policy_no.clone()),
        (t("claim.case_no"), c.insurer_case_no.clone()),
        (
            t("claim.insurer_status"),
            label(c.insurer_status.map(|x| x.label_key())),
        ),
    ]);
    doc.heading(t("claim.evidence_section"));
    if evidence.is_empty() {
        doc.note(t("pdf.no_evidence"));
    } else {
        let photos: Vec<image::RgbaImage> =
            evidence.iter().filter_map(|e| e.image.clone()).collect();
        doc.images(&photos, 120.0);
        let names: Vec<&str> = evidence.iter().map(|e| e.name.as_str()).collect();
        doc.note(&tf("pdf.evidence_files", &[("names", &names.join("、"))]));
    }
    doc.heading(t("pdf.claim_timeline"));
    timeline(
        &mut doc,
        crate::ui::claims::timeline(events, transfers, staff),
    );
    doc.signatures(&[
        t("pdf.sign_claim_handler"),
        t("pdf.sign_customer"),
        t("pdf.sign_supervisor"),
    ]);
    doc.finish()
}

/// A record that prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Record {
    /// A complaint's record.
    Complaint(i64),
    /// A claim's file.
    Claim(i64),
    /// A spot check's sheet (supervisors).
    Inspection(i64),
    /// A visitor's pass.
    Pass(i64),
}

impl Record {
    /// The record's number.
    pub fn id(self) -> i64 {
        match self {
            Self::Complaint(id) | Self::Claim(id) | Self::Inspection(id) | Self::Pass(id) => id,
        }
    }
}

/// Reads `record` from `store` and prints it as a PDF, the company from the settings and staff
/// by name (the command line's `frontdesk print` and the window's "打印/导出 PDF"). A spot
/// check is read as supervisor data: the store's actor must be allowed to.
pub fn print(
    store: &crate::store::Store,
    record: Record,
) -> Result<Vec<u8>, crate::store::StoreError> {
    use crate::domain::transfer::CaseKind;
    use crate::store::{claims, complaints, inspections, transfers, visits};
    let db = store.db();
    let settings = crate::store::settings::load(db)?;
    let staff = crate::store::staff::all(db)?;
    let name = |id: Option<i64>| {
        id.and_then(|id| staff.iter().find(|s| s.id == id))
            .map_or_else(String::new, |s| s.name.clone())
    };
    let company = &settings.company_name;
    let printed = match record {
        Record::Complaint(id) => {
            let c = complaints::get(db, id)?;
            let events = complaints::events(db, id)?;
            let transfers = transfers::of_case(db, CaseKind::Complaint, id)?;
            complaint(company, &c, &events, &transfers, &name)
        }
        Record::Claim(id) => {
            let c = claims::get(db, id)?;
            let mut evidence = Vec::new();
            for f in claims::files(db, id)? {
                let image = match f.kind {
                    crate::domain::evidence::EvidenceKind::Image => {
                        thumbnail(&claims::file_data(db, f.id)?)
                    }
                    _ => None,
                };
                evidence.push(Evidence {
                    name: f.name,
                    image,
                });
            }
            let events = claims::events(db, id)?;
            let transfers = transfers::of_case(db, CaseKind::Claim, id)?;
            claim(company, &c, &events, &transfers, &evidence, &name)
        }
        Record::Inspection(id) => {
            let (i, rectifications) =
                store.read_as(crate::domain::account::Action::ReadSupervisorData, |db| {
                    Ok((
                        inspections::get(db, id)?,
                        inspections::rectifications_of(db, id)?,
                    ))
                })?;
            inspection(company, &i, &rectifications, &name)
        }
        Record::Pass(id) => {
            let v = visits::get(db, id)?;
            pass(company, &v, &name)
        }
    };
    printed.map_err(|e| crate::store::StoreError::Io(std::io::Error::other(e.to_string())))
}

/// The spot-check sheet (检查记录表), signed by the person checked: what, who and when, each
/// item with its result, note and photo, the score, the rectifications ordered, and signature
/// lines for the inspector and the person checked.
pub fn inspection(
    company: &str,
    i: &crate::domain::inspection::Inspection,
    rectifications: &[crate::domain::inspection::Rectification],
    staff: &dyn Fn(Option<i64>) -> String,
) -> Result<Vec<u8>, PdfError> {
    use crate::domain::inspection::ItemResult;
    let mut doc = record_layout(company, "pdf.inspection_title", i.id, false)?;
    doc.fields(&[
        (t("pdf.number_label"), format!("#{}", i.id)),
        (
            t("pdf.inspected_at"),
            i.at.format(DISPLAY_FORMAT).to_string(),
        ),
        (t("pdf.inspector"), i.inspector.clone()),
        (t("inspect.template"), i.template_name.clone()),
        (
            t("inspect.target"),
            format!("{} {}", t(i.target_kind.label_key()), i.target),
        ),
        (t("pdf.staff_checked"), staff(i.staff_id)),
        (t("pdf.score"), i.score_text()),
    ]);
    doc.heading(t("inspect.items"));
    let rows: Vec<Vec<PdfCell>> = i
        .items
        .iter()
        .enumerate()
        .map(|(n, item)| {
            vec![
                (n + 1).to_string().into(),
                item.text.clone().into(),
                PdfCell {
                    text: t(item.result.label_key()).to_owned(),
                    missed: item.result == ItemResult::Fail,
                },
                item.note.clone().into(),
            ]
        })
        .collect();
    let header = [
        t("pdf.item_no"),
        t("inspect.items"),
        t("pdf.result"),
        t("pdf.note"),
    ];
    let columns = doc.fitted_columns(&header, &rows, &[true, false, false, false]);
    doc.table(&columns, &header, &rows);
    let photos: Vec<image::RgbaImage> = i
        .items
        .iter()
        .filter_map(|item| item.photo.as_ref().and_then(|(_, bytes)| thumbnail(bytes)))
        .collect();
    if !photos.is_empty() {
        doc.heading(t("pdf.photos"));
        doc.images(&photos, 120.0);
    }
    if !i.remark.trim().is_empty() {
        doc.heading(t("pdf.remark"));
        doc.paragraph(&i.remark);
    }
    if !rectifications.is_empty() {
        doc.heading(t("inspect.rectification"));
        let rows: Vec<Vec<PdfCell>> = rectifications
            .iter()
            .map(|r| {
                let verified = match (r.verified_at, r.verified_pass) {
                    (Some(at), Some(pass)) => format!(
                        "{} {} {}",
                        at.format(DISPLAY_FORMAT),
                        t(if pass { "inspect.pass" } else { "inspect.fail" }),
                        r.verified_by
                    ),
                    _ => String::new(),
                };
                vec![
                    r.item_text.clone().into(),
                    r.owner.clone().into(),
                    r.requirement.clone().into(),
                    r.due.format("%Y-%m-%d").to_string().into(),
                    verified.into(),
                ]
            })
            .collect();
        let header = [
            t("inspect.items"),
            t("pdf.owner"),
            t("pdf.requirement"),
            t("inspect.due"),
            t("pdf.verified"),
        ];
        let columns = doc.fitted_columns(&header, &rows, &[false; 5]);
        doc.table(&columns, &header, &rows);
    }
    doc.signatures(&[t("pdf.sign_inspector"), t("pdf.sign_checked")]);
    doc.finish()
}

/// A visitor's pass (访客证), A6: the company, the visitor's name and company, whom they
/// visit, why, the date and the pass number, and a line for the host's signature.
pub fn pass(
    company: &str,
    v: &crate::domain::visit::Visit,
    staff: &dyn Fn(Option<i64>) -> String,
) -> Result<Vec<u8>, PdfError> {
    let mut doc = record_layout(company, "pdf.pass_title", v.id, true)?;
    let who = if v.name.is_empty() {
        let salutation = v.honorific.map_or("", |h| t(h.label_key()));
        format!("{}{salutation}", v.surname)
    } else {
        v.name.clone()
    };
    doc.fields_in_one_column(&[
        (t("pdf.visitor"), who),
        (t("field.company"), v.company.clone()),
        (t("pdf.host"), staff(v.handed_over_to.or(v.greeted_by))),
        (t("field.purpose"), v.purpose.clone()),
        (t("pdf.party"), v.party_size.to_string()),
        (
            t("pdf.visit_date"),
            v.arrived_at.format("%Y-%m-%d %H:%M").to_string(),
        ),
    ]);
    doc.signatures(&[t("pdf.sign_host")]);
    doc.finish()
}

/// A photo scaled to at most 480 pixels a side (a thumbnail prints sharp at 120 points), or
/// none when it cannot be decoded.
fn thumbnail(bytes: &[u8]) -> Option<image::RgbaImage> {
    let decoded = image::load_from_memory(bytes).ok()?;
    Some(decoded.thumbnail(480, 480).to_rgba8())
}
