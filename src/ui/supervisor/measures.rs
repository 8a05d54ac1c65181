//! The monthly tab's improvement measures: for each of the month's most failed items, the agreed
//! cause, measure, owner and due date; and the review of the previous month's measures.

use chrono::Duration;
use egui::{RichText, Ui};

use super::*;
use crate::app::{Command, ViewCtx};
use crate::domain::quality::{MeasureDraft, QualityMeasure, parse_due};
use crate::i18n::{t, tf};
use crate::ui::{theme, widgets};

impl SupervisorView {
    /// A saved measure in one line: cause, measure, owner and due date, the due date in red when
    /// it passed without a review.
    fn measure_line_ui(ui: &mut Ui, m: &QualityMeasure, cx: &ViewCtx<'_>) {
        ui.label(tf(
            "qm.saved_line",
            &[("cause", &m.cause), ("measure", &m.measure)],
        ));
        ui.horizontal_wrapped(|ui| {
            ui.label(tf("qm.owner_line", &[("owner", &m.owner)]));
            let due = RichText::new(tf(
                "qm.due_line",
                &[("due", &m.due.format("%Y-%m-%d").to_string())],
            ));
            ui.label(if m.is_overdue(cx.now.date()) {
                due.color(theme::OVERDUE)
            } else {
                due
            });
        });
    }

    /// Under the month's most failed items: each item's measure, saved ones shown, and a form to
    /// save or change it (also for an item saved before that is no longer among the most failed).
    pub(super) fn measures_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        // The most failed items, then items whose measure was saved when they were among them.
        let mut items: Vec<String> = self
            .quality
            .top_failing
            .iter()
            .map(|(item, _)| item.clone())
            .collect();
        for m in &self.quality.measures {
            if !items.contains(&m.item) {
                items.push(m.item.clone());
            }
        }
        if items.is_empty() {
            return commands;
        }
        ui.label(RichText::new(t("qm.title")).strong());
        // The month the figures shown were read for (the month field may be changing).
        let month = self
            .monthly_loaded
            .clone()
            .unwrap_or_else(|| self.month.trim().to_owned());
        for item in items {
            ui.push_id(("measure", &item), |ui| {
                ui.separator();
                ui.label(RichText::new(&item).strong());
                let saved = self.quality.measures.iter().find(|m| m.item == item);
                if let Some(m) = saved {
                    Self::measure_line_ui(ui, m, cx);
                }
                let form = self
                    .measure_drafts
                    .entry((month.clone(), item.clone()))
                    .or_insert_with(|| match saved {
                        Some(m) => MeasureForm {
                            cause: m.cause.clone(),
                            measure: m.measure.clone(),
                            owner_staff: m.owner_staff_id,
                            due: m.due.format("%Y-%m-%d").to_string(),
                        },
                        None => MeasureForm {
                            due: (cx.now.date() + Duration::days(14))
                                .format("%Y-%m-%d")
                                .to_string(),
                            ..MeasureForm::default()
                        },
                    });
                widgets::labelled_text(ui, t("qm.cause"), &mut form.cause, 360.0);
                widgets::labelled_text(ui, t("qm.measure"), &mut form.measure, 360.0);
                ui.horizontal(|ui| {
                    let l = ui.label(t("qm.owner"));
                    egui::ComboBox::from_id_salt("measure_owner")
                        .selected_text(form.owner_staff.map_or_else(
                            || t("handover.pick").to_owned(),
                            |id| cx.staff_name(Some(id)),
                        ))
                        .show_ui(ui, |ui| {
                            let staff = cx.active_staff_by_role();
                            if let Some(s) = widgets::staff_choices_ui(ui, &staff, form.owner_staff)
                            {
                                form.owner_staff = Some(s.id);
                            }
                        })
                        .response
                        .labelled_by(l.id);
                    widgets::labelled_text(ui, t("qm.due"), &mut form.due, 100.0);
                });
                if ui.button(t("qm.save")).clicked() {
                    match parse_due(&form.due) {
                        Ok(due) => commands.push(Command::Supervisor(
                            SupervisorCommand::SaveQualityMeasure(MeasureDraft {
                                month: month.clone(),
                                item: item.clone(),
                                cause: form.cause.clone(),
                                measure: form.measure.clone(),
                                owner: form
                                    .owner_staff
                                    .map(|id| cx.staff_name(Some(id)))
                                    .unwrap_or_default(),
                                owner_staff_id: form.owner_staff,
                                due,
                            }),
                        )),
                        Err(e) => self.error = Some(e.user_message()),
                    }
                }
            });
        }
        commands
    }

    /// 上月改进措施效果: the previous month's measures, each with its item's failures then and
    /// this month, the suggested verdict and the review (有效 / 无效 with a note).
    pub(super) fn previous_measures_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        if self.quality.previous_measures.is_empty() {
            return commands;
        }
        ui.separator();
        ui.heading(t("qm.previous_title"));
        for effect in &self.quality.previous_measures {
            let m = &effect.measure;
            ui.push_id(("review", m.id), |ui| {
                ui.label(RichText::new(&m.item).strong());
                Self::measure_line_ui(ui, m, cx);
                ui.label(tf(
                    "qm.failures",
                    &[
                        ("before", &effect.failures_before.to_string()),
                        ("after", &effect.failures_after.to_string()),
                    ],
                ));
                match m.effective {
                    Some(effective) => {
                        let verdict = if effective {
                            t("qm.effective")
                        } else {
                            t("qm.not_effective")
                        };
                        ui.label(
                            RichText::new(tf(
                                "qm.reviewed",
                                &[("verdict", verdict), ("note", &m.review_note)],
                            ))
                            .color(if effective {
                                theme::OK
                            } else {
                                theme::OVERDUE
                            }),
                        );
                    }
                    None => {
                        ui.label(RichText::new(t("qm.not_reviewed")).color(theme::MUTED));
                    }
                }
                ui.label(
                    RichText::new(if effect.suggested_effective() {
                        t("qm.suggest_effective")
                    } else {
                        t("qm.suggest_not_effective")
                    })
                    .color(theme::MUTED),
                );
                let note = self.review_notes.entry(m.id).or_default();
                widgets::labelled_text(ui, t("qm.review_note"), note, 360.0);
                ui.horizontal(|ui| {
                    for (key, effective) in [("qm.effective", true), ("qm.not_effective", false)] {
                        if ui.button(t(key)).clicked() {
                            commands.push(Command::Supervisor(
                                SupervisorCommand::ReviewQualityMeasure {
                                    id: m.id,
                                    effective,
                                    note: note.clone(),
                                },
                            ));
                        }
                    }
                });
            });
        }
        commands
    }
}
