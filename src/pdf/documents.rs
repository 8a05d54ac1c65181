//! The documents FrontDesk prints: each report table, and the records that go in a file or to
//! someone's signature (the complaint record first).

use super::{Column, Header, Layout, PdfCell, PdfError};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::complaint::{Complaint, Step};
use crate::i18n::{t, tf};
use crate::report::{Cell, Table};
use crate::store::complaints::Event;

/// A report with a table of more columns than this is printed on landscape pages.
const LANDSCAPE_COLUMNS: usize = 9;

/// A report of several tables (a summary and its records) as a PDF: each under its heading
/// ([`sheet_heading`]).
pub fn report_tables(
    header: Header,
    tables: &[(&str, &Table)],
    notes: &[String],
) -> Result<Vec<u8>, PdfError> {
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
    }
    for note in notes {
        doc.paragraph(note);
    }
    doc.finish()
}

/// The heading over a report's table, by its sheet name in the XLSX export.
fn sheet_heading(sheet: &str) -> &'static str {
    match sheet {
        "summary" => t("pdf.sheet_summary"),
        "complaints" => t("pdf.sheet_complaints"),
        "claims" => t("pdf.sheet_claims"),
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
    let header: Vec<String> = table.header.iter().map(|h| word("col", h)).collect();
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
                        Cell::Text(s) if i == 0 && column == "dimension" => word("dim", s).into(),
                        Cell::Text(s) if column == "value" && s == "all" => word("dim", s).into(),
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

/// The complaint record (《顾客投诉记录》) for the file: the details, the six steps (六清楚) with
/// when each was done, the whole timeline, and lines for the signatures. `staff` names a staff
/// member by id.
pub fn complaint(
    company: &str,
    c: &Complaint,
    events: &[Event],
    staff: &dyn Fn(Option<i64>) -> String,
) -> Result<Vec<u8>, PdfError> {
    let header = Header {
        company: company.to_owned(),
        title: t("pdf.complaint_title").to_owned(),
        subtitle: tf("pdf.number", &[("id", &c.id.to_string())]),
    };
    let mut doc = Layout::new(header)?;
    doc.title(t("pdf.complaint_title"));
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
    let rows: Vec<Vec<PdfCell>> = events
        .iter()
        .map(|e| {
            let mut detail = e.detail.clone();
            if let Some(ch) = e.reply_channel {
                detail = format!("[{}] {detail}", t(ch.label_key()));
            }
            if let Some(at) = e.next_reply_at {
                let promised = tf(
                    "complaint.next_reply_at",
                    &[("t", &at.format(DISPLAY_FORMAT).to_string())],
                );
                detail = format!("{detail} ({promised})");
            }
            vec![
                e.at.format(DISPLAY_FORMAT).to_string().into(),
                staff(e.staff_id).into(),
                crate::ui::complaints::event_label(e).into(),
                detail.into(),
            ]
        })
        .collect();
    doc.table(
        &[
            Column {
                weight: 2.2,
                numeric: false,
            },
            Column {
                weight: 1.4,
                numeric: false,
            },
            Column {
                weight: 1.6,
                numeric: false,
            },
            Column {
                weight: 5.0,
                numeric: false,
            },
        ],
        &[t("pdf.when"), t("pdf.who"), t("pdf.what"), t("pdf.detail")],
        &rows,
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
