//! The monthly tab: the quality-anomaly report and the month's rewards and penalties.

use egui::{RichText, Ui};
use egui_plot::Plot;

use super::*;
use crate::app::{Command, ExportFormat, FileFor, ViewCtx};
use crate::domain::money::format_fen;
use crate::i18n::{t, tf};
use crate::ui::{theme, widgets};

impl SupervisorView {
    /// The month's inspection report (as `frontdesk report inspections`): each checklist item
    /// checked with its passes, failures and pass rate, the total last.
    fn inspection_report_ui(ui: &mut Ui, items: &[crate::report::inspections::Row]) {
        ui.label(RichText::new(t("pdf.report_inspections")).strong());
        if items.is_empty() {
            ui.label(RichText::new(t("sup.no_inspections_month")).color(theme::MUTED));
            return;
        }
        egui::Grid::new("month_items")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for key in [
                    "col.item",
                    "col.checked",
                    "col.passed",
                    "col.failed",
                    "col.not_applicable",
                    "col.pass_pct",
                ] {
                    ui.label(RichText::new(t(key)).strong());
                }
                ui.end_row();
                for r in items {
                    let item = if r.item == "total" {
                        t("dim.total").to_owned()
                    } else {
                        r.item.clone()
                    };
                    ui.label(item);
                    ui.label(r.checked.to_string());
                    ui.label(r.passed.to_string());
                    let failed = RichText::new(r.failed.to_string());
                    ui.label(if r.failed > 0 {
                        failed.color(theme::OVERDUE)
                    } else {
                        failed
                    });
                    ui.label(r.not_applicable.to_string());
                    ui.label(
                        r.pass_pct()
                            .map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%")),
                    );
                    ui.end_row();
                }
            });
    }

    pub(super) fn monthly_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.horizontal(|ui| {
            widgets::labelled_text(ui, t("report.month"), &mut self.month, 80.0);
        });
        let q = &self.quality;
        let pct = |p: Option<f64>| p.map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%"));
        ui.heading(t("sup.quality_title"));
        ui.label(tf(
            "sup.q_inspections",
            &[("n", &q.inspections.to_string()), ("pct", &pct(q.pass_pct))],
        ));
        ui.label(tf(
            "sup.q_reception",
            &[
                ("greeting", &pct(q.greeting_pct)),
                ("water", &pct(q.water_pct)),
            ],
        ));
        ui.label(tf(
            "sup.q_rectifications",
            &[("n", &q.overdue_rectifications.to_string())],
        ));
        ui.label(RichText::new(t("sup.q_top_failing")).strong());
        let bars: Vec<egui_plot::Bar> = q
            .top_failing
            .iter()
            .enumerate()
            .map(|(i, (item, n))| {
                egui_plot::Bar::new(i as f64, *n as f64)
                    .name(item)
                    .width(0.6)
            })
            .collect();
        for (item, n) in &q.top_failing {
            ui.label(format!("{item}:{n}"));
        }
        // The bars are named by their items on the axis (the start of each).
        let names: Vec<String> = q
            .top_failing
            .iter()
            .map(|(item, _)| item.chars().take(6).collect())
            .collect();
        Plot::new("top_failing")
            .height(150.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 1.0, 1.0]))
            .x_axis_formatter(move |mark, _| widgets::label_at(&names, mark.value))
            .show(ui, |plot| {
                plot.bar_chart(
                    egui_plot::BarChart::new(t("inspect.fail"), bars).color(theme::OVERDUE),
                );
            });
        commands.extend(self.measures_ui(ui, cx));
        commands.extend(self.previous_measures_ui(ui, cx));
        let q = &self.quality;
        ui.label(RichText::new(t("sup.q_complaints")).strong());
        for (cat, n) in &q.complaints_by_category {
            ui.label(format!("{cat}:{n}"));
        }
        Self::inspection_report_ui(ui, &q.items);
        ui.horizontal_wrapped(|ui| {
            for (label, rewards, format) in [
                ("sup.export_quality_csv", false, ExportFormat::Csv),
                ("sup.export_quality_xlsx", false, ExportFormat::Xlsx),
                ("sup.export_quality_pdf", false, ExportFormat::Pdf),
                ("sup.export_rewards_csv", true, ExportFormat::Csv),
                ("sup.export_rewards_xlsx", true, ExportFormat::Xlsx),
                ("sup.export_rewards_pdf", true, ExportFormat::Pdf),
            ] {
                if ui.button(t(label)).clicked() {
                    commands.push(Command::PickFile(FileFor::ExportMonthly {
                        month: self.month.clone(),
                        rewards,
                        format,
                    }));
                }
            }
        });
        ui.separator();
        ui.heading(t("sup.rewards_title"));
        egui::Grid::new("month_rewards")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for e in &self.month_rewards {
                    ui.label(e.on.format("%Y-%m-%d").to_string());
                    ui.label(cx.staff_name(Some(e.staff_id)));
                    ui.label(if e.reward {
                        t("sup.reward")
                    } else {
                        t("sup.penalty")
                    });
                    ui.label(format_fen(e.amount_fen));
                    ui.label(&e.reason);
                    ui.label(super::rewards::links_text(e, cx));
                    ui.end_row();
                }
            });
        commands
    }
}
