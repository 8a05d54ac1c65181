//! The rectifications tab: what an inspection found to put right, by when, and its check.

use egui::{RichText, Ui};

use super::*;
use crate::app::{Command, SupervisorCommand, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::inspection::Rectification;
use crate::i18n::{t, tf};
use crate::ui::{theme, widgets};

/// A column of the rectifications, to sort them by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RectificationColumn {
    Item,
    Owner,
    Requirement,
    Due,
    State,
}

impl widgets::SortColumn for RectificationColumn {}

impl RectificationColumn {
    /// The sortable columns in order, with their headers' translation keys.
    const ALL: [(Self, &'static str); 5] = [
        (Self::Item, "sup.col_item"),
        (Self::Owner, "sup.owner"),
        (Self::Requirement, "sup.requirement"),
        (Self::Due, "inspect.due"),
        (Self::State, "sup.col_state"),
    ];

    /// Compares two rectifications by this column, ascending: due dates soonest first; open
    /// ones before those that failed their check, then those passed, each by when checked.
    fn compare(self, a: &Rectification, b: &Rectification) -> std::cmp::Ordering {
        let state = |r: &Rectification| {
            let rank = match r.verified_pass {
                None => 0,
                Some(false) => 1,
                Some(true) => 2,
            };
            (rank, r.verified_at)
        };
        match self {
            Self::Item => a.item_text.cmp(&b.item_text),
            Self::Owner => a.owner.cmp(&b.owner),
            Self::Requirement => a.requirement.cmp(&b.requirement),
            Self::Due => a.due.cmp(&b.due),
            Self::State => state(a).cmp(&state(b)),
        }
    }
}

impl SupervisorView {
    pub(super) fn rectifications_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        let today = cx.now.date();
        let overdue = self
            .rectifications
            .iter()
            .filter(|r| r.is_overdue(today))
            .count();
        ui.label(
            RichText::new(tf("sup.overdue_count", &[("n", &overdue.to_string())]))
                .color(if overdue > 0 {
                    theme::OVERDUE
                } else {
                    theme::OK
                })
                .strong(),
        );
        widgets::labelled_text(ui, t("sup.verify_note"), &mut self.verify_note, 300.0);
        egui::Grid::new("rectifications")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for (column, key) in RectificationColumn::ALL {
                    widgets::sort_header(ui, t(key), column, &mut self.rectifications_sort);
                }
                ui.label(RichText::new(t("history.col_actions")).strong());
                ui.end_row();
                self.rectifications_sort
                    .sort_if_stale(&mut self.rectifications, |column, a, b| {
                        column.compare(a, b)
                    });
                for r in &self.rectifications {
                    ui.label(&r.item_text);
                    ui.label(&r.owner);
                    ui.label(&r.requirement);
                    let due = RichText::new(r.due.format("%Y-%m-%d").to_string());
                    ui.label(if r.is_overdue(today) {
                        due.color(theme::OVERDUE).strong()
                    } else {
                        due
                    });
                    let state = match (r.verified_pass, r.verified_at) {
                        (Some(true), Some(at)) => tf(
                            "sup.verified_ok",
                            &[
                                ("who", &r.verified_by),
                                ("at", &at.format(DISPLAY_FORMAT).to_string()),
                            ],
                        ),
                        (Some(false), _) => tf("sup.verified_fail", &[("note", &r.verify_note)]),
                        _ => t("sup.open").to_owned(),
                    };
                    ui.label(state);
                    ui.horizontal(|ui| {
                        if r.verified_pass != Some(true) {
                            if ui.small_button(t("sup.verify_pass")).clicked() {
                                commands.push(Command::Supervisor(
                                    SupervisorCommand::VerifyRectification {
                                        id: r.id,
                                        passed: true,
                                        note: self.verify_note.clone(),
                                    },
                                ));
                            }
                            if ui.small_button(t("sup.verify_fail")).clicked() {
                                commands.push(Command::Supervisor(
                                    SupervisorCommand::VerifyRectification {
                                        id: r.id,
                                        passed: false,
                                        note: self.verify_note.clone(),
                                    },
                                ));
                            }
                        }
                    });
                    ui.end_row();
                }
            });
        commands
    }
}
