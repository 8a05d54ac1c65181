//! 理赔月报: the monthly claims report — counts and money by type, cause, responsible role and
//! party, claimed vs agreed vs paid vs recovered, open claims by age, and the cause analysis.

use chrono::{Datelike as _, Months, NaiveDate};
use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Plot};

use super::{theme, widgets};
use crate::app::{Command, ExportFormat, FileFor, ServiceCommand, ViewCtx};
use crate::domain::money::{Fen, format_fen};
use crate::i18n::{t, tf};
use crate::report::claims::{Row, parse_month};

/// The monthly claims report screen.
#[derive(Clone, Debug, Default)]
pub struct ClaimsReportView {
    month: String,
    loaded: Option<String>,
    rows: Vec<Row>,
    parties: Vec<(String, Row)>,
    ages: [i64; 3],
    analysis: String,
    error: Option<String>,
}

/// A month's claims figures, read on a worker.
#[derive(Clone, Debug, Default)]
pub struct MonthData {
    /// The report's rows by dimension.
    pub rows: Vec<Row>,
    /// The figures per responsible party.
    pub parties: Vec<(String, Row)>,
    /// Open claims by age (today, not the month's end).
    pub ages: [i64; 3],
    /// The cause analysis saved for the month.
    pub analysis: String,
}

impl ClaimsReportView {
    /// Forgets loaded data.
    pub fn invalidate(&mut self) {
        self.loaded = None;
    }

    /// Reacts to a saved command.
    pub fn on_applied(&mut self, cmd: &Command) {
        if let Command::Service(ServiceCommand::SaveClaimMonth { .. }) = cmd {
            self.loaded = None;
        }
    }

    /// The month to read (label and first day; this month at first), when it is not shown yet.
    /// A month that is not one is said so at once, and nothing is read.
    pub fn month_to_load(&mut self, today: NaiveDate) -> Option<(String, NaiveDate)> {
        if self.month.is_empty() {
            self.month = today.format("%Y-%m").to_string();
        }
        if self.loaded.as_deref() == Some(self.month.as_str()) {
            return None;
        }
        let Some(first) = parse_month(&self.month) else {
            self.error = Some(tf("report.bad_month", &[("value", &self.month)]));
            self.loaded = Some(self.month.clone());
            self.rows.clear();
            return None;
        };
        Some((self.month.clone(), first))
    }

    /// Shows the figures read for `month`, unless the screen asks for another month by now.
    pub fn set_month(&mut self, month: String, data: MonthData) {
        if self.month != month {
            return;
        }
        self.rows = data.rows;
        self.parties = data.parties;
        self.ages = data.ages;
        self.analysis = data.analysis;
        self.error = None;
        self.loaded = Some(month);
    }

    fn shift(&mut self, months: i32) {
        if let Some(first) = parse_month(&self.month) {
            let moved = if months < 0 {
                first.checked_sub_months(Months::new(months.unsigned_abs()))
            } else {
                first.checked_add_months(Months::new(months.unsigned_abs()))
            };
            if let Some(m) = moved {
                self.month = format!("{}-{:02}", m.year(), m.month());
            }
        }
    }

    fn rows_of(&self, dimension: &str) -> Vec<&Row> {
        self.rows
            .iter()
            .filter(|r| r.dimension == dimension)
            .collect()
    }

    /// Draws the screen: the month, its totals, the charts, the table by dimension, the
    /// figures by party and the cause analysis with its save and export buttons.
    pub fn ui(&mut self, ui: &mut Ui, _cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                self.month_ui(ui);
                self.summary_ui(ui);
                ui.separator();
                self.charts_ui(ui);
                ui.separator();
                self.table_ui(ui);
                ui.separator();
                self.parties_ui(ui);
                ui.separator();
                self.analysis_ui(ui, &mut commands);
            });
        commands
    }

    /// Draws the heading and the month picker (previous, typed month, next).
    fn month_ui(&mut self, ui: &mut Ui) {
        ui.heading(t("report.claims_title"));
        ui.horizontal(|ui| {
            if ui
                .button("◀")
                .on_hover_text(t("report.prev_month"))
                .clicked()
            {
                self.shift(-1);
            }
            let mut month = self.month.clone();
            if widgets::labelled_text(ui, t("report.month"), &mut month, 80.0).changed() {
                self.month = month;
            }
            if ui
                .button("▶")
                .on_hover_text(t("report.next_month"))
                .clicked()
            {
                self.shift(1);
            }
        });
    }

    /// Draws the last error, the month's totals and the open claims by age.
    fn summary_ui(&self, ui: &mut Ui) {
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
        let total = self.rows.last().cloned().unwrap_or_default();
        ui.label(
            RichText::new(tf(
                "report.claims_total",
                &[
                    ("n", &total.claims.to_string()),
                    ("claimed", &format_fen(total.claimed_fen)),
                    ("agreed", &format_fen(total.agreed_fen)),
                    ("paid", &format_fen(total.paid_fen)),
                    ("recovered", &format_fen(total.recovered_fen)),
                ],
            ))
            .strong(),
        );
        ui.label(tf(
            "report.open_by_age",
            &[
                ("a", &self.ages[0].to_string()),
                ("b", &self.ages[1].to_string()),
                ("c", &self.ages[2].to_string()),
            ],
        ));
    }

    /// Draws the charts of money by claim type and by cause side by side.
    fn charts_ui(&self, ui: &mut Ui) {
        ui.columns(2, |cols| {
            money_chart(
                &mut cols[0],
                "paid_by_type",
                t("report.chart_by_type"),
                &self.rows_of("type"),
            );
            money_chart(
                &mut cols[1],
                "paid_by_cause",
                t("report.chart_by_cause"),
                &self.rows_of("cause"),
            );
        });
    }

    /// Draws the table of claims and money per dimension and value.
    fn table_ui(&self, ui: &mut Ui) {
        egui::Grid::new("claims_report_grid")
            .striped(true)
            .num_columns(7)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for key in [
                    "report.col_dimension",
                    "report.col_value",
                    "report.col_claims",
                    "claim.claimed",
                    "claim.agreed",
                    "claim.paid",
                    "claim.recovered",
                ] {
                    ui.label(RichText::new(t(key)).strong());
                }
                ui.end_row();
                for r in &self.rows {
                    ui.label(t(dimension_key(&r.dimension)));
                    ui.label(match r.value.as_str() {
                        "all" => t("report.all").to_owned(),
                        "yes" => t("dim.yes").to_owned(),
                        value => value.to_owned(),
                    });
                    ui.label(r.claims.to_string());
                    for fen in [r.claimed_fen, r.agreed_fen, r.paid_fen, r.recovered_fen] {
                        ui.label(format_fen(fen));
                    }
                    ui.end_row();
                }
            });
    }

    /// Draws the claims and money per liable party.
    fn parties_ui(&self, ui: &mut Ui) {
        ui.label(RichText::new(t("report.by_party")).strong());
        egui::Grid::new("claims_by_party")
            .striped(true)
            .num_columns(5)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for key in [
                    "claim.party_name",
                    "claim.party_role",
                    "report.col_claims",
                    "claim.agreed",
                    "claim.paid",
                ] {
                    ui.label(RichText::new(t(key)).strong());
                }
                ui.end_row();
                for (role, r) in &self.parties {
                    ui.label(&r.value);
                    ui.label(role);
                    ui.label(r.claims.to_string());
                    ui.label(format_fen(r.agreed_fen));
                    ui.label(format_fen(r.paid_fen));
                    ui.end_row();
                }
            });
    }

    /// Draws the cause analysis box and the save and export buttons, which queue their
    /// commands in `commands`.
    fn analysis_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let l = ui.label(t("report.cause_analysis"));
        ui.add(
            egui::TextEdit::multiline(&mut self.analysis)
                .desired_rows(5)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
        ui.horizontal(|ui| {
            if ui
                .button(RichText::new(t("report.save_analysis")).strong())
                .clicked()
            {
                commands.push(Command::Service(ServiceCommand::SaveClaimMonth {
                    month: self.month.clone(),
                    analysis: self.analysis.clone(),
                }));
            }
            for (label, format) in [
                ("report.export_csv", ExportFormat::Csv),
                ("report.export_xlsx", ExportFormat::Xlsx),
                ("report.export_pdf", ExportFormat::Pdf),
            ] {
                if ui.button(t(label)).clicked() {
                    commands.push(Command::PickFile(FileFor::ExportClaimMonth {
                        month: self.month.clone(),
                        format,
                    }));
                }
            }
        });
    }
}

/// A bar chart of agreed and paid money (in yuan) per value.
fn money_chart(ui: &mut Ui, id: &str, title: &str, rows: &[&Row]) {
    ui.label(RichText::new(title).strong());
    #[expect(
        clippy::cast_precision_loss,
        reason = "display only: yuan on a chart axis"
    )]
    let yuan = |fen: Fen| fen as f64 / 100.0;
    let agreed: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Bar::new(i as f64 - 0.2, yuan(r.agreed_fen))
                .width(0.35)
                .name(&r.value)
        })
        .collect();
    let paid: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Bar::new(i as f64 + 0.2, yuan(r.paid_fen))
                .width(0.35)
                .name(&r.value)
        })
        .collect();
    let names: Vec<String> = rows.iter().map(|r| r.value.clone()).collect();
    Plot::new(id)
        .height(180.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .legend(egui_plot::Legend::default())
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 0.01 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new(t("claim.agreed"), agreed).color(theme::ACCENT));
            plot.bar_chart(BarChart::new(t("claim.paid"), paid).color(theme::OK));
        });
}

fn dimension_key(d: &str) -> &'static str {
    match d {
        "type" => "report.dim_type",
        "cause" => "report.dim_cause",
        "responsible_role" => "report.dim_role",
        "status" => "report.dim_status",
        "branch" => "report.dim_branch",
        "major" => "report.dim_major",
        "settled_directly" => "report.dim_settled_directly",
        _ => "report.dim_total",
    }
}
