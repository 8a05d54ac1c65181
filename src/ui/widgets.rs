//! Small shared widgets.

use std::cmp::Ordering;

use egui::{Response, RichText, Ui};

use crate::domain::staff::Staff;
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

/// The 较新 / 较早 buttons of a list read a page at a time from an offset, newest first (the
/// incident log, the waybill change requests): moves `offset` by `page_size`; `more` says
/// whether there are older rows.
pub fn newer_older(ui: &mut Ui, offset: &mut i64, more: bool, page_size: i64) {
    if ui
        .add_enabled(*offset > 0, egui::Button::new(t("list.newer")))
        .clicked()
    {
        *offset = (*offset - page_size).max(0);
    }
    if ui
        .add_enabled(more, egui::Button::new(t("list.older")))
        .clicked()
    {
        *offset += page_size;
    }
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

/// A column a list can be sorted by.
pub trait SortColumn: Copy + PartialEq {
    /// Whether the first click on the column sorts it descending: true for times, which people
    /// expect newest first.
    fn descending_first(self) -> bool {
        false
    }
}

/// How a list held in memory is sorted: by which column and which way. With no column the rows
/// stay in the order they were read in, the list's default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort<K> {
    column: Option<K>,
    descending: bool,
    /// The rows changed or the sort did since the rows were last sorted.
    stale: bool,
}

impl<K> Default for Sort<K> {
    fn default() -> Self {
        Self {
            column: None,
            descending: false,
            stale: false,
        }
    }
}

impl<K: SortColumn> Sort<K> {
    /// The column sorted by and whether descending; `None` for the default order.
    pub fn column(&self) -> Option<(K, bool)> {
        self.column.map(|c| (c, self.descending))
    }

    /// A click on `column`'s header: the active column turns round; another column becomes the
    /// active one, in its first direction.
    pub fn click(&mut self, column: K) {
        if self.column == Some(column) {
            self.descending = !self.descending;
        } else {
            self.column = Some(column);
            self.descending = column.descending_first();
        }
        self.stale = true;
    }

    /// New rows arrived: they are sorted before they are drawn.
    pub fn rows_arrived(&mut self) {
        self.stale = true;
    }

    /// The arrow after `column`'s header: ▲ ascending, ▼ descending, none when not active.
    pub fn arrow(&self, column: K) -> Option<&'static str> {
        (self.column == Some(column)).then_some(if self.descending { "▼" } else { "▲" })
    }

    /// Sorts `rows` by the active column, when they or the sort changed since the last time;
    /// `ascending` compares two rows by a column. The sort is stable: rows that compare equal
    /// keep their order. With no column the rows stay as read.
    pub fn sort_if_stale<T>(&mut self, rows: &mut [T], ascending: impl Fn(K, &T, &T) -> Ordering) {
        if !std::mem::take(&mut self.stale) {
            return;
        }
        let Some(column) = self.column else { return };
        rows.sort_by(|a, b| {
            let order = ascending(column, a, b);
            if self.descending {
                order.reverse()
            } else {
                order
            }
        });
    }
}

/// A column header that sorts the list: `label` as a clickable heading, with ▲ or ▼ after it
/// while the list is sorted by this column. A click changes `sort` (see [`Sort::click`]); the
/// rows drawn after the headers are to be sorted with [`Sort::sort_if_stale`] before they are
/// drawn, so the same frame shows them in the new order.
pub fn sort_header<K: SortColumn>(
    ui: &mut Ui,
    label: &str,
    column: K,
    sort: &mut Sort<K>,
) -> Response {
    let text = match sort.arrow(column) {
        Some(arrow) => format!("{label} {arrow}"),
        None => label.to_owned(),
    };
    let response = ui
        .add(egui::Button::new(RichText::new(text).strong()).frame_when_inactive(false))
        .on_hover_text(t("common.click_to_sort"));
    if response.clicked() {
        sort.click(column);
        // The header's arrow changes: draw it once more.
        ui.ctx().request_repaint();
    }
    response
}

/// A figure with its target beside it: the figure in red with "未达标" when `met` is false,
/// plain when met or when there is nothing to compare (`None`).
pub fn against_target(
    ui: &mut egui::Ui,
    figure: impl Into<egui::RichText>,
    target: &str,
    met: Option<bool>,
) {
    let missed = met == Some(false);
    let figure = figure.into();
    ui.label(if missed {
        figure.color(super::theme::OVERDUE).strong()
    } else {
        figure
    });
    let note = if missed {
        format!("({target},{})", crate::i18n::t("report.target_missed"))
    } else {
        format!("({target})")
    };
    let colour = if missed {
        super::theme::OVERDUE
    } else {
        super::theme::MUTED
    };
    ui.label(egui::RichText::new(note).color(colour));
}

/// The buttons that print `record` (`label_key`: the first one's words): the save dialog, then
/// the PDF written on the exports worker and opened in the system's viewer; and, where this PC
/// can (`direct`), "直接打印" to the default printer without a dialog. Returns the command of
/// the one clicked.
pub fn print_button(
    ui: &mut egui::Ui,
    label_key: &str,
    record: crate::pdf::documents::Record,
    direct: bool,
) -> Option<crate::app::Command> {
    use crate::app::{Command, FileFor};
    use crate::i18n::t;
    let mut command = ui
        .button(t(label_key))
        .on_hover_text(t("pdf.print_hint"))
        .clicked()
        .then_some(Command::PickFile(FileFor::Print(record)));
    if direct
        && ui
            .button(t("print.direct"))
            .on_hover_text(t("print.direct_hint"))
            .clicked()
    {
        command = Some(Command::PrintDirect(record));
    }
    command
}

/// The label of the item at `x` on a chart's axis whose items stand at 0, 1, 2 … (a date, a
/// checklist item): none between two items.
pub fn label_at(labels: &[String], x: f64) -> String {
    if x < 0.0 || x.fract() != 0.0 {
        return String::new();
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a whole, non-negative mark"
    )]
    let i = x as usize;
    labels.get(i).cloned().unwrap_or_default()
}

/// A staff member as pickers name them: "李娜 · 客服代表".
pub fn staff_with_role(s: &Staff) -> String {
    format!("{} · {}", s.name, t(s.role.label_key()))
}

/// The entries of a staff picker's popup: `staff` in the order given (by role, see
/// `ViewCtx::active_staff_by_role`), each with its role, a line between one role and the next;
/// `selected` is highlighted. Returns the staff member clicked.
pub fn staff_choices_ui<'a>(
    ui: &mut Ui,
    staff: &[&'a Staff],
    selected: Option<i64>,
) -> Option<&'a Staff> {
    let mut clicked = None;
    let mut previous_role = None;
    for &s in staff {
        if previous_role.is_some_and(|r| r != s.role) {
            ui.separator();
        }
        previous_role = Some(s.role);
        if ui
            .selectable_label(selected == Some(s.id), staff_with_role(s))
            .clicked()
        {
            clicked = Some(s);
        }
    }
    clicked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Col {
        Name,
        Time,
    }

    impl SortColumn for Col {
        fn descending_first(self) -> bool {
            self == Self::Time
        }
    }

    fn by(col: Col, a: &(&str, i64), b: &(&str, i64)) -> Ordering {
        match col {
            Col::Name => a.0.cmp(b.0),
            Col::Time => a.1.cmp(&b.1),
        }
    }

    #[test]
    fn a_click_sorts_by_the_column_and_the_next_one_turns_it_round() {
        let mut sort = Sort::<Col>::default();
        assert_eq!(sort.column(), None);
        assert_eq!(sort.arrow(Col::Name), None);
        sort.click(Col::Name);
        assert_eq!(sort.column(), Some((Col::Name, false)));
        assert_eq!(sort.arrow(Col::Name), Some("▲"));
        assert_eq!(
            sort.arrow(Col::Time),
            None,
            "only the active column has an arrow"
        );
        sort.click(Col::Name);
        assert_eq!(sort.column(), Some((Col::Name, true)));
        assert_eq!(sort.arrow(Col::Name), Some("▼"));
        sort.click(Col::Name);
        assert_eq!(sort.column(), Some((Col::Name, false)));
        // Times start newest first; going back to a text column starts ascending again.
        sort.click(Col::Time);
        assert_eq!(sort.column(), Some((Col::Time, true)));
        sort.click(Col::Name);
        assert_eq!(sort.column(), Some((Col::Name, false)));
    }

    #[test]
    fn rows_are_sorted_once_when_they_or_the_sort_change() {
        let read = vec![("b", 2), ("a", 3), ("c", 1), ("a", 1)];
        let mut rows = read.clone();
        let mut sort = Sort::<Col>::default();
        sort.rows_arrived();
        sort.sort_if_stale(&mut rows, by);
        assert_eq!(rows, read, "no column: the order as read");
        sort.click(Col::Name);
        sort.sort_if_stale(&mut rows, by);
        assert_eq!(rows, [("a", 3), ("a", 1), ("b", 2), ("c", 1)], "stable");
        sort.click(Col::Name);
        sort.sort_if_stale(&mut rows, by);
        assert_eq!(rows, [("c", 1), ("b", 2), ("a", 3), ("a", 1)]);
        // Not stale: left alone.
        rows.swap(0, 3);
        sort.sort_if_stale(&mut rows, by);
        assert_eq!(rows[0], ("a", 1));
        sort.click(Col::Time);
        sort.sort_if_stale(&mut rows, by);
        assert_eq!(rows[0].1, 3, "newest first");
        rows.push(("d", 9));
        sort.rows_arrived();
        sort.sort_if_stale(&mut rows, by);
        assert_eq!(rows[0], ("d", 9));
    }

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
