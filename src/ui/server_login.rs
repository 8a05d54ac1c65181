//! The window's first screen when the database is a PostgreSQL server that asks for a password
//! none of the usual places gives: a password field and the reason of the last refusal. It only
//! draws and hands back what was typed; the app opens the server
//! ([`crate::app::server_login::ServerLogin`]).

use egui::{RichText, Ui};

use super::theme;
use crate::i18n::{t, tf};

/// The password prompt's state.
#[derive(Debug, Default)]
pub struct PasswordPrompt {
    password: String,
    message: Option<String>,
}

impl PasswordPrompt {
    /// The server refused or could not be reached: shows why; the field was emptied.
    pub fn refused(&mut self, message: String) {
        self.message = Some(message);
    }

    /// Draws the prompt for the server `shown` (its URL without a password). Returns the typed
    /// password once the user connects, emptying the field.
    pub fn ui(&mut self, ui: &mut Ui, shown: &str) -> Option<String> {
        let mut submit = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(24.0);
            ui.heading(t("server_login.title"));
            ui.add_space(8.0);
            ui.label(tf("server_login.explain", &[("url", shown)]));
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                let label = ui.label(t("server_login.password"));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.password)
                            .password(true)
                            .desired_width(240.0),
                    )
                    .labelled_by(label.id);
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    submit = true;
                }
                if self.message.is_none() && !field.has_focus() && self.password.is_empty() {
                    field.request_focus();
                }
            });
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(t("server_login.connect")).clicked() {
                    submit = true;
                }
                if ui.button(t("startup.close")).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            if let Some(message) = &self.message {
                ui.add_space(12.0);
                ui.add(
                    egui::Label::new(RichText::new(message).color(theme::OVERDUE))
                        .wrap()
                        .selectable(true),
                );
            }
            ui.add_space(12.0);
            ui.label(RichText::new(t("server_login.hint")).color(theme::MUTED));
        });
        (submit && !self.password.is_empty()).then(|| std::mem::take(&mut self.password))
    }
}
