//! 主管收件箱: major complaints and calls flagged for a superior, until acknowledged.

use egui::{RichText, Ui};

use super::{theme, widgets};
use crate::app::{Command, ServiceCommand, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::i18n::{t, tf};
use crate::store::inbox::{Item, Kind};

/// The inbox screen.
#[derive(Clone, Debug, Default)]
pub struct InboxView {
    items: Vec<Item>,
    loaded: bool,
    sort: widgets::Sort<Column>,
}

/// A column of the inbox, to sort it by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Time,
    Kind,
    Summary,
    State,
}

impl widgets::SortColumn for Column {
    fn descending_first(self) -> bool {
        self == Self::Time
    }
}

impl Column {
    /// The sortable columns in order, with their headers' translation keys.
    const ALL: [(Self, &'static str); 4] = [
        (Self::Time, "inbox.col_time"),
        (Self::Kind, "inbox.col_kind"),
        (Self::Summary, "inbox.col_summary"),
        (Self::State, "inbox.col_state"),
    ];

    /// Compares two entries by this column, ascending: complaints, then claims, then calls; entries not
    /// yet acknowledged before those acknowledged, which go by when.
    fn compare(self, a: &Item, b: &Item) -> std::cmp::Ordering {
        let kind_rank = |k: Kind| match k {
            Kind::Complaint => 0,
            Kind::Claim => 1,
            Kind::Call => 2,
        };
        match self {
            Self::Time => a.created_at.cmp(&b.created_at),
            Self::Kind => kind_rank(a.kind).cmp(&kind_rank(b.kind)),
            Self::Summary => a.summary.cmp(&b.summary),
            Self::State => a.acknowledged_at.cmp(&b.acknowledged_at),
        }
    }
}

impl InboxView {
    /// Forgets loaded rows.
    pub fn invalidate(&mut self) {
        self.loaded = false;
    }

    /// Whether the entries are to be read.
    pub fn to_load(&self) -> Option<()> {
        (!self.loaded).then_some(())
    }

    /// Shows the entries read.
    pub fn set_items(&mut self, items: Vec<Item>) {
        self.items = items;
        self.loaded = true;
        self.sort.rows_arrived();
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading(t("inbox.title"));
        ui.label(RichText::new(t("inbox.hint")).color(theme::MUTED));
        ui.separator();
        if self.items.is_empty() {
            ui.label(RichText::new(t("inbox.empty")).color(theme::MUTED));
        }
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::Grid::new("inbox_grid")
                    .striped(true)
                    .num_columns(5)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        if !self.items.is_empty() {
                            for (column, key) in Column::ALL {
                                widgets::sort_header(ui, t(key), column, &mut self.sort);
                            }
                            ui.end_row();
                        }
                        self.sort
                            .sort_if_stale(&mut self.items, |column, a, b| column.compare(a, b));
                        for item in &self.items {
                            ui.label(item.created_at.format(DISPLAY_FORMAT).to_string());
                            let kind = match item.kind {
                                Kind::Complaint => RichText::new(tf(
                                    "inbox.major_complaint",
                                    &[("id", &item.ref_id.to_string())],
                                ))
                                .color(theme::OVERDUE)
                                .strong(),
                                Kind::Claim => RichText::new(tf(
                                    "inbox.major_accident",
                                    &[("id", &item.ref_id.to_string())],
                                ))
                                .color(theme::OVERDUE)
                                .strong(),
                                Kind::Call => RichText::new(t("inbox.escalated_call"))
                                    .color(theme::WARN)
                                    .strong(),
                            };
                            ui.label(kind);
                            let mut summary: String = item.summary.chars().take(60).collect();
                            if item.summary.chars().count() > 60 {
                                summary.push('…');
                            }
                            ui.label(summary).on_hover_text(&item.summary);
                            match item.acknowledged_at {
                                Some(at) => {
                                    ui.label(
                                        RichText::new(tf(
                                            "inbox.acknowledged",
                                            &[
                                                ("who", &cx.staff_name(item.acknowledged_by)),
                                                ("at", &at.format(DISPLAY_FORMAT).to_string()),
                                            ],
                                        ))
                                        .color(theme::MUTED),
                                    );
                                }
                                None => {
                                    if ui
                                        .button(RichText::new(t("inbox.acknowledge")).strong())
                                        .clicked()
                                    {
                                        commands.push(Command::Service(
                                            ServiceCommand::Acknowledge(item.id),
                                        ));
                                    }
                                }
                            }
                            let open = match item.kind {
                                Kind::Complaint => Some(Command::OpenComplaint(item.ref_id)),
                                Kind::Claim => Some(Command::OpenClaim(item.ref_id)),
                                Kind::Call => Some(Command::OpenCall(item.ref_id)),
                            };
                            if let Some(open) = open
                                && ui.small_button(t("inbox.open")).clicked()
                            {
                                commands.push(open);
                            }
                            ui.end_row();
                        }
                    });
            });
        commands
    }
}
