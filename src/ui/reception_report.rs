//! 接待报表: the reception report in the window — a period, a row per day or per month with the
//! total last, a chart of greeting compliance, water served and seeing-off with the checklist,
//! and the exports (the figures and columns of `frontdesk report reception`).

use chrono::{Datelike as _, Duration, Months, NaiveDate};
use egui::{RichText, Ui};
use egui_plot::{Legend, Line, Plot, PlotPoints};

use super::{theme, widgets};
use crate::app::{Command, ExportFormat, FileFor, ViewCtx};
use crate::domain::validation;
use crate::i18n::{t, tf};
use crate::report::reception::{ReceptionRow, Rows};

/// A report's period and what one row covers: the first and last day, days or months.
pub type Period = (NaiveDate, NaiveDate, Rows);

/// The columns shown, with the meaning of the CSV's columns (same order).
const COLUMNS: [&str; 13] = [
    "col.date",
    "col.visits",
    "col.greeted",
    "col.greeted_within_limit",
    "col.greeting_compliance_pct",
    "col.median_greeting_s",
    "col.max_greeting_s",
    "col.water_served",
    "col.water_served_pct",
    "col.seen_off",
    "col.seen_off_pct",
    "col.seen_off_checklist",
    "col.seen_off_checklist_pct",
];

/// The reception report screen.
#[derive(Clone, Debug, Default)]
pub struct ReceptionReportView {
    from: String,
    to: String,
    monthly: bool,
    loaded: Option<Period>,
    rows: Vec<ReceptionRow>,
    error: Option<String>,
}

impl ReceptionReportView {
    /// Forgets loaded data (visits changed).
    pub fn invalidate(&mut self) {
        self.loaded = None;
    }

    /// The period to read (this month up to `today` at first), when it is not shown yet. A day
    /// that is not one, or a period the command line would refuse, is said so at once, and
    /// nothing is read.
    pub fn period_to_load(&mut self, today: NaiveDate) -> Option<Period> {
        if self.from.is_empty() && self.to.is_empty() && self.loaded.is_none() {
            self.set_days(this_month(today));
        }
        match self.period() {
            Ok(period) => {
                self.error = None;
                (self.loaded != Some(period)).then_some(period)
            }
            Err(e) => {
                self.error = Some(e);
                self.rows.clear();
                self.loaded = None;
                None
            }
        }
    }

    /// Shows the rows read for `period`, unless the screen asks for another period by now.
    pub fn set_rows(&mut self, period: Period, rows: Vec<ReceptionRow>) {
        if self.period().ok() != Some(period) {
            return;
        }
        self.rows = rows;
        self.error = None;
        self.loaded = Some(period);
    }

    /// The period typed, checked with the command line's rules; the message says what is wrong.
    fn period(&self) -> Result<Period, String> {
        let day = |field: &'static str, text: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                tf(
                    "report.bad_date",
                    &[("field", t(field)), ("value", text.trim())],
                )
            })
        };
        let from = day("report.from", &self.from)?;
        let to = day("report.to", &self.to)?;
        validation::report_period(from, to).map_err(|e| e.user_message())?;
        Ok((from, to, Rows::from_monthly(self.monthly)))
    }

    fn set_days(&mut self, (from, to): (NaiveDate, NaiveDate)) {
        self.from = from.format("%Y-%m-%d").to_string();
        self.to = to.format("%Y-%m-%d").to_string();
    }

    /// Draws the screen: the period, the exports, the chart, and the table below it (a long
    /// period's rows scroll, the chart stays in view).
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading(t("report.reception_title"));
        self.period_ui(ui, cx.now.date());
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
        self.exports_ui(ui, &mut commands);
        ui.separator();
        self.chart_ui(ui);
        ui.separator();
        egui::ScrollArea::horizontal()
            .id_salt("reception_report")
            .show(ui, |ui| self.table_ui(ui));
        commands
    }

    /// Draws the first and last day, the quick periods and days or months.
    fn period_ui(&mut self, ui: &mut Ui, today: NaiveDate) {
        ui.horizontal_wrapped(|ui| {
            widgets::labelled_text(ui, t("report.from"), &mut self.from, 100.0);
            widgets::labelled_text(ui, t("report.to"), &mut self.to, 100.0);
            ui.separator();
            for (key, days) in [
                ("report.this_month", this_month(today)),
                ("report.last_month", last_month(today)),
                ("report.last_7_days", (today - Duration::days(6), today)),
                ("report.last_30_days", (today - Duration::days(29), today)),
            ] {
                if ui.button(t(key)).clicked() {
                    self.set_days(days);
                }
            }
            ui.separator();
            ui.selectable_value(&mut self.monthly, false, t("report.by_day"));
            ui.selectable_value(&mut self.monthly, true, t("report.by_month"));
        });
    }

    /// Draws the export buttons (only for a valid period), queued in `commands`.
    fn exports_ui(&self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let period = self.period().ok();
        ui.horizontal(|ui| {
            for (label, format) in [
                ("report.export_csv", ExportFormat::Csv),
                ("report.export_xlsx", ExportFormat::Xlsx),
                ("report.export_pdf", ExportFormat::Pdf),
            ] {
                let button = ui.add_enabled(period.is_some(), egui::Button::new(t(label)));
                if let (true, Some((from, to, rows))) = (button.clicked(), period) {
                    commands.push(Command::PickFile(FileFor::ExportReception {
                        from,
                        to,
                        monthly: rows == Rows::Monthly,
                        format,
                    }));
                }
            }
        });
    }

    /// Draws the table: a row per day or month, the total last.
    fn table_ui(&self, ui: &mut Ui) {
        use egui_extras::{Column, TableBuilder};
        // One line a cell: the columns take the width of their widest text.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        // Only the rows in view are laid out: ten years by day are 3,660 rows.
        TableBuilder::new(ui)
            .id_salt("reception_report_table")
            .striped(true)
            .columns(Column::auto().at_least(56.0), COLUMNS.len())
            .header(22.0, |mut header| {
                for key in COLUMNS {
                    header.col(|ui| {
                        ui.label(RichText::new(t(key)).strong());
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, self.rows.len(), |mut row| {
                    let r = &self.rows[row.index()];
                    let total = r.date == "total";
                    let text = |s: String| {
                        if total {
                            RichText::new(s).strong()
                        } else {
                            RichText::new(s)
                        }
                    };
                    let date = if total {
                        t("report.total_row").to_owned()
                    } else {
                        r.date.clone()
                    };
                    row.col(|ui| {
                        ui.label(text(date));
                    });
                    for cell in cells(r) {
                        row.col(|ui| {
                            ui.label(text(cell));
                        });
                    }
                });
            });
    }

    /// Draws greeting compliance %, water served % and the share of departures seen off with the
    /// whole checklist per row (days or months) of the period.
    fn chart_ui(&self, ui: &mut Ui) {
        ui.label(RichText::new(t("report.reception_chart")).strong());
        let rows: Vec<&ReceptionRow> = self.rows.iter().filter(|r| r.date != "total").collect();
        let series = |pct: fn(&ReceptionRow) -> Option<f64>| -> PlotPoints<'static> {
            rows.iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    #[expect(clippy::cast_precision_loss, reason = "at most 3660 rows")]
                    pct(r).map(|p| [i as f64, p])
                })
                .collect::<Vec<_>>()
                .into()
        };
        let greeting = series(|r| r.greeting_compliance_pct);
        let water = series(|r| r.water_served_pct);
        let seen_off = series(|r| r.seen_off_checklist_pct);
        let dates: Vec<String> = rows.iter().map(|r| r.date.clone()).collect();
        Plot::new("reception_report_chart")
            .height(200.0)
            .include_y(0.0)
            .include_y(100.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .legend(Legend::default().position(egui_plot::Corner::LeftBottom))
            .x_axis_formatter(move |mark, _| widgets::label_at(&dates, mark.value))
            .show(ui, |plot| {
                plot.line(
                    Line::new(t("col.greeting_compliance_pct"), greeting).color(theme::ACCENT),
                );
                plot.line(Line::new(t("col.water_served_pct"), water).color(theme::OK));
                plot.line(Line::new(t("col.seen_off_checklist_pct"), seen_off).color(theme::WARN));
            });
    }
}

/// The row's figures after the date, as shown: whole numbers, one decimal, "—" for none.
fn cells(r: &ReceptionRow) -> [String; 12] {
    let dec = |x: Option<f64>| x.map_or_else(|| "—".to_owned(), |x| format!("{x:.1}"));
    [
        r.visits.to_string(),
        r.greeted.to_string(),
        r.greeted_within_limit.to_string(),
        dec(r.greeting_compliance_pct),
        dec(r.median_greeting_s),
        dec(r.max_greeting_s),
        r.water_served.to_string(),
        dec(r.water_served_pct),
        r.seen_off.to_string(),
        dec(r.seen_off_pct),
        r.seen_off_checklist.to_string(),
        dec(r.seen_off_checklist_pct),
    ]
}

/// The first of `today`'s month to `today`.
fn this_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (today.with_day(1).unwrap_or(today), today)
}

/// The month before `today`'s, whole.
fn last_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = today.with_day(1).unwrap_or(today);
    let start = first.checked_sub_months(Months::new(1)).unwrap_or(first);
    (start, first - Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn quick_periods() {
        let today = day(2026, 3, 15);
        assert_eq!(this_month(today), (day(2026, 3, 1), today));
        assert_eq!(last_month(today), (day(2026, 2, 1), day(2026, 2, 28)));
        assert_eq!(
            last_month(day(2026, 1, 5)),
            (day(2025, 12, 1), day(2025, 12, 31))
        );
    }

    #[test]
    fn a_bad_date_is_explained_and_nothing_is_read() {
        crate::i18n::set_lang(crate::i18n::Lang::ZhCn);
        let mut v = ReceptionReportView::default();
        let today = day(2026, 11, 23);
        assert_eq!(
            v.period_to_load(today),
            Some((day(2026, 11, 1), today, Rows::Daily))
        );
        v.set_rows((day(2026, 11, 1), today, Rows::Daily), Vec::new());
        assert_eq!(v.period_to_load(today), None, "shown already");
        v.from = "2026-13-01".into();
        assert_eq!(v.period_to_load(today), None);
        assert!(v.error.as_deref().unwrap().contains("2026-13-01"));
        v.from = "2026-12-01".into();
        assert_eq!(v.period_to_load(today), None, "after the last day");
        assert!(v.error.is_some());
        v.from = "2026-11-01".into();
        v.monthly = true;
        assert_eq!(
            v.period_to_load(today),
            Some((day(2026, 11, 1), today, Rows::Monthly))
        );
        assert_eq!(v.error, None);
    }

    #[test]
    fn the_axis_names_the_rows() {
        let dates = vec!["2026-11-01".to_owned(), "2026-11-02".to_owned()];
        assert_eq!(widgets::label_at(&dates, 1.0), "2026-11-02");
        assert_eq!(widgets::label_at(&dates, 0.5), "");
        assert_eq!(widgets::label_at(&dates, -1.0), "");
        assert_eq!(widgets::label_at(&dates, 5.0), "");
    }
}
