//! Small shared widgets.

use egui::{Response, RichText, Ui};

/// A label followed by a single-line text field, linked for screen readers and UI tests.
pub fn labelled_text(ui: &mut Ui, label: &str, value: &mut String, width: f32) -> Response {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(width))
        .labelled_by(l.id)
}

/// A coloured banner with `text`.
pub fn banner(ui: &mut Ui, fill: egui::Color32, text: RichText) {
    egui::Frame::new()
        .fill(fill)
        .inner_margin(8.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(text);
        });
}

/// True when Escape was pressed this frame.
pub fn escape_pressed(ui: &Ui) -> bool {
    ui.input(|i| i.key_pressed(egui::Key::Escape))
}

/// True when Enter was pressed this frame.
pub fn enter_pressed(ui: &Ui) -> bool {
    ui.input(|i| i.key_pressed(egui::Key::Enter))
}
