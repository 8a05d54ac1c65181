//! The audit trail tab.

use egui::{RichText, Ui};

use super::*;
use crate::app::{Command, FileFor};
use crate::domain::DISPLAY_FORMAT;
use crate::i18n::t;
use crate::ui::{theme, widgets};

/// A column of the audit trail, to sort it by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AuditColumn {
    Time,
    Actor,
    Action,
    Record,
}

impl widgets::SortColumn for AuditColumn {
    fn descending_first(self) -> bool {
        self == Self::Time
    }
}

impl AuditColumn {
    /// The sortable columns in order, with their headers' translation keys.
    const ALL: [(Self, &'static str); 4] = [
        (Self::Time, "sup.col_audit_time"),
        (Self::Actor, "sup.col_audit_actor"),
        (Self::Action, "sup.col_audit_action"),
        (Self::Record, "sup.col_audit_record"),
    ];

    /// Compares two entries by this column, ascending (record numbers as numbers).
    fn compare(self, a: &Entry, b: &Entry) -> std::cmp::Ordering {
        match self {
            Self::Time => a.at.cmp(&b.at).then(a.id.cmp(&b.id)),
            Self::Actor => a.actor.cmp(&b.actor),
            Self::Action => (&a.action, &a.entity).cmp(&(&b.action, &b.entity)),
            Self::Record => a.entity_id.cmp(&b.entity_id),
        }
    }
}

impl SupervisorView {
    pub(super) fn audit_ui(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.horizontal(|ui| {
            ui.label(RichText::new(t("sup.audit_hint")).color(theme::MUTED));
            if ui.button(t("sup.export_audit")).clicked() {
                commands.push(Command::PickFile(FileFor::ExportAudit));
            }
        });
        egui::Grid::new("audit")
            .striped(true)
            .num_columns(5)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                if self.audit.is_empty() {
                    return;
                }
                for (column, key) in AuditColumn::ALL {
                    widgets::sort_header(ui, t(key), column, &mut self.audit_sort);
                }
                ui.label(RichText::new(t("sup.col_audit_change")).strong());
                ui.end_row();
                self.audit_sort
                    .sort_if_stale(&mut self.audit, |column, a, b| column.compare(a, b));
                for e in &self.audit {
                    ui.label(e.at.format(DISPLAY_FORMAT).to_string());
                    ui.label(&e.actor);
                    ui.label(format!("{} {}", e.action, e.entity));
                    ui.label(e.entity_id.map(|i| format!("#{i}")).unwrap_or_default());
                    ui.label(if e.before.is_empty() {
                        e.after.clone()
                    } else {
                        format!("{} → {}", e.before, e.after)
                    });
                    ui.end_row();
                }
            });
        commands
    }
}
