//! The inspection templates tab.

use egui::{RichText, Ui};

use super::*;
use crate::app::{Command, SupervisorCommand};
use crate::i18n::{t, tf};
use crate::store::inspections::Template;
use crate::ui::{theme, widgets};

impl SupervisorView {
    pub(super) fn templates_ui(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        for tpl in &self.templates {
            ui.horizontal(|ui| {
                ui.label(RichText::new(&tpl.name).strong());
                if tpl.builtin {
                    ui.label(RichText::new(t("sup.builtin")).color(theme::MUTED));
                }
                if ui.small_button(t("sup.copy_template")).clicked() {
                    let copy = Template {
                        id: 0,
                        name: tf("sup.copy_of", &[("name", &tpl.name)]),
                        builtin: false,
                        items: tpl.items.clone(),
                    };
                    self.template_text = copy.items.join("\n");
                    self.template_edit = Some(copy);
                }
                if !tpl.builtin && ui.small_button(t("common.edit")).clicked() {
                    self.template_text = tpl.items.join("\n");
                    self.template_edit = Some(tpl.clone());
                }
            });
            for (i, item) in tpl.items.iter().enumerate() {
                ui.label(RichText::new(format!("  {}. {item}", i + 1)).color(theme::MUTED));
            }
        }
        if let Some(edit) = &mut self.template_edit {
            ui.separator();
            widgets::labelled_text(ui, t("sup.template_name"), &mut edit.name, 260.0);
            let l = ui.label(t("sup.template_items"));
            ui.add(
                egui::TextEdit::multiline(&mut self.template_text)
                    .desired_rows(8)
                    .desired_width(500.0),
            )
            .labelled_by(l.id);
            if ui
                .button(RichText::new(t("sup.save_template")).strong())
                .clicked()
            {
                let mut tpl = edit.clone();
                tpl.items = self.template_text.lines().map(str::to_owned).collect();
                commands.push(Command::Supervisor(SupervisorCommand::SaveTemplate(tpl)));
            }
        }
        commands
    }
}
