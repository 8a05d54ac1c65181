//! The audit trail tab.

use egui::{RichText, Ui};

use super::*;
use crate::app::{Command, FileFor};
use crate::domain::DISPLAY_FORMAT;
use crate::i18n::t;
use crate::ui::theme;

impl SupervisorView {
    pub(super) fn audit_ui(&self, ui: &mut Ui) -> Vec<Command> {
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
