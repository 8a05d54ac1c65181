//! Small shared widgets.

use egui::{Response, RichText, Ui};

use crate::i18n::{t, tf};

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

/// Gives `field` the keyboard focus once, when a dialog opens, so the user can type at once. A
/// window's first frame only sizes it, so this keeps asking until the field has the focus;
/// `focused` remembers that it got it (and is reset when the dialog is opened again).
pub fn focus_once(ui: &Ui, field: &Response, focused: &mut bool) {
    if field.has_focus() {
        *focused = true;
    } else if !*focused {
        field.request_focus();
        ui.ctx().request_repaint();
    }
}

/// Parses an optional date typed as `YYYY-MM-DD`; empty is `None`, anything else a message.
/// Days outside the years 2000–2099 are refused too, so a filter's date arithmetic cannot
/// overflow.
pub fn parse_date_field(text: &str) -> Result<Option<chrono::NaiveDate>, String> {
    let s = text.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let day = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| tf("history.bad_date", &[("value", s)]))?;
    if !crate::domain::validation::REPORT_YEARS.contains(&chrono::Datelike::year(&day)) {
        return Err(format!("{s}: {}", t("err.report_years")));
    }
    Ok(Some(day))
}

/// The line above a paged list: `count` (e.g. "共 120 条"), then previous / page x of y / next.
/// Changes `page` (0-based) when a button is clicked.
pub fn pager(ui: &mut Ui, count: String, page: &mut i64, total: i64, page_size: i64) {
    let pages = (total + page_size - 1) / page_size;
    ui.horizontal(|ui| {
        ui.label(count);
        if ui
            .add_enabled(*page > 0, egui::Button::new(t("history.prev")))
            .clicked()
        {
            *page -= 1;
        }
        ui.label(tf(
            "history.page",
            &[
                ("page", &(*page + 1).to_string()),
                ("pages", &pages.max(1).to_string()),
            ],
        ));
        if ui
            .add_enabled(*page + 1 < pages, egui::Button::new(t("history.next")))
            .clicked()
        {
            *page += 1;
        }
    });
}

/// The pager of a list paged by position (the visit history, the call log): newest, newer and
/// older pages, and the rows shown of how many. `first` and `last` are the time and id of the
/// first and last row shown.
pub fn keyset_pager(
    ui: &mut Ui,
    count: String,
    (total, newer, shown): (i64, i64, usize),
    (first, last): (Option<KeysetRow>, Option<KeysetRow>),
    position: &mut crate::store::paging::Position,
) {
    use crate::store::paging::Position;
    ui.label(count);
    let at_newest = newer == 0;
    if ui
        .add_enabled(!at_newest, egui::Button::new(t("history.newest")))
        .clicked()
    {
        *position = Position::Newest;
    }
    if ui
        .add_enabled(!at_newest, egui::Button::new(t("history.prev")))
        .clicked()
        && let Some((at, id)) = first
    {
        *position = Position::NewerThan(at, id);
    }
    let shown = i64::try_from(shown).unwrap_or(0);
    ui.label(tf(
        "history.rows",
        &[
            ("from", &(newer + 1).min(total).to_string()),
            ("to", &(newer + shown).to_string()),
        ],
    ));
    if ui
        .add_enabled(newer + shown < total, egui::Button::new(t("history.next")))
        .clicked()
        && let Some((at, id)) = last
    {
        *position = Position::OlderThan(at, id);
    }
}

/// A row's time and id, where a keyset page starts or ends.
pub type KeysetRow = (chrono::NaiveDateTime, i64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_fields_outside_the_supported_years_are_refused() {
        assert_eq!(parse_date_field(" "), Ok(None));
        assert!(parse_date_field("2026-11-23").unwrap().is_some());
        assert!(parse_date_field("+262142-12-31").is_err());
        assert!(parse_date_field("9999-12-31").is_err());
        assert!(parse_date_field("1999-12-31").is_err());
        assert!(parse_date_field("2026-13-01").is_err());
    }
}
