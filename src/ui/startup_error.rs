//! The window shown when FrontDesk cannot start: a configuration file with an error, or a
//! database that is refused. It says what is wrong and what to do, in the bundled font, so the
//! message reaches someone who started the program from a menu and sees no console.

use egui::{RichText, Ui};

use super::theme;
use crate::i18n::t;

/// What keeps FrontDesk from starting.
#[derive(Clone, Debug)]
pub struct StartupError {
    message: String,
}

impl StartupError {
    /// Shows `message` (already in the UI language).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// Draws the message and a button that closes the window.
    pub fn ui(&mut self, ui: &mut Ui) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(8.0);
            ui.heading(RichText::new(t("startup.title")).color(theme::OVERDUE));
            ui.add_space(8.0);
            ui.add(egui::Label::new(&self.message).wrap().selectable(true));
            ui.add_space(12.0);
            ui.label(RichText::new(t("startup.hint")).color(theme::MUTED));
            ui.add_space(12.0);
            if ui.button(t("startup.close")).clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
    }
}

impl eframe::App for StartupError {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        StartupError::ui(self, ui);
    }
}
