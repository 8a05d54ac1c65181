//! The spot-check tab: a new inspection with its items, and the inspections of the last 30 days.

use chrono::{Duration, NaiveDate};
use egui::{RichText, Ui};

use super::*;
use crate::app::{Command, FileFor, SupervisorCommand, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::inspection::{CheckedItem, Inspection, ItemResult, TargetKind};
use crate::i18n::{t, tf};
use crate::ui::{theme, widgets};

/// A column of the recent inspections, to sort them by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum InspectionColumn {
    Number,
    Time,
    Target,
    Template,
    Score,
}

impl widgets::SortColumn for InspectionColumn {
    fn descending_first(self) -> bool {
        self == Self::Time
    }
}

impl InspectionColumn {
    /// The columns in order, with their headers' translation keys.
    const ALL: [(Self, &'static str); 5] = [
        (Self::Number, "sup.col_inspection_no"),
        (Self::Time, "sup.col_inspection_time"),
        (Self::Target, "sup.col_inspection_target"),
        (Self::Template, "sup.col_inspection_template"),
        (Self::Score, "sup.col_inspection_score"),
    ];

    /// Compares two inspections by this column, ascending (those without a score first).
    fn compare(self, a: &Inspection, b: &Inspection) -> std::cmp::Ordering {
        match self {
            Self::Number => a.id.cmp(&b.id),
            Self::Time => a.at.cmp(&b.at).then(a.id.cmp(&b.id)),
            Self::Target => shown_target(a).cmp(&shown_target(b)),
            Self::Template => a.template_name.cmp(&b.template_name),
            Self::Score => a.score_bp().cmp(&b.score_bp()),
        }
    }
}

/// What an inspection checked, as the list shows it: "员工 李娜".
fn shown_target(i: &Inspection) -> String {
    format!("{} {}", t(i.target_kind.label_key()), i.target)
}

impl SupervisorView {
    /// Draws the spot-check tab: the new inspection's form, the recent inspections, the one
    /// selected and the rectification form.
    pub(super) fn inspections_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        self.inspection_target_ui(ui, cx);
        self.inspection_items_ui(ui, &mut commands);
        self.save_inspection_ui(ui, cx, &mut commands);
        ui.separator();
        self.recent_inspections_ui(ui);
        self.inspection_detail_ui(ui, cx, &mut commands);
        self.rectify_form_ui(ui, cx, &mut commands);
        commands
    }

    /// Draws the new inspection's heading, its template (which fills the items), the kind of
    /// target and the staff member or the name of what is checked.
    fn inspection_target_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) {
        ui.heading(t("sup.new_inspection"));
        let d = &mut self.draft;
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(t("inspect.template"));
            let shown = d.template.and_then(|i| self.templates.get(i)).map_or_else(
                || t("complaint.pick_category").to_owned(),
                |t| t.name.clone(),
            );
            egui::ComboBox::from_id_salt("inspection_template")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for (i, tpl) in self.templates.iter().enumerate() {
                        if ui
                            .selectable_label(d.template == Some(i), &tpl.name)
                            .clicked()
                        {
                            d.template = Some(i);
                            d.items = tpl
                                .items
                                .iter()
                                .map(|text| CheckedItem {
                                    id: 0,
                                    text: text.clone(),
                                    result: ItemResult::Pass,
                                    note: String::new(),
                                    photo: None,
                                })
                                .collect();
                        }
                    }
                })
                .response
                .labelled_by(l.id);
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(t("inspect.target"));
            for k in TargetKind::ALL {
                ui.radio_value(&mut d.target_kind, Some(k), t(k.label_key()));
            }
        });
        if d.target_kind == Some(TargetKind::Staff) {
            let l = ui.label(t("sup.target_staff"));
            egui::ComboBox::from_id_salt("inspection_staff")
                .selected_text(d.staff_id.map_or_else(
                    || t("handover.pick").to_owned(),
                    |id| cx.staff_name(Some(id)),
                ))
                .show_ui(ui, |ui| {
                    // Supervisors (主管, 监察主管, 客服主管) do the checking; the person checked
                    // is one of the others, by role.
                    let mut staff = cx.active_staff_by_role();
                    staff.retain(|s| !s.role.is_supervisor());
                    if let Some(s) = widgets::staff_choices_ui(ui, &staff, d.staff_id) {
                        d.staff_id = Some(s.id);
                        d.target.clone_from(&s.name);
                    }
                })
                .response
                .labelled_by(l.id);
        } else {
            widgets::labelled_text(ui, t("sup.target_name"), &mut d.target, 220.0);
        }
    }

    /// Draws the new inspection's items: result, note and photo of each; the photo button
    /// asks for a file in `commands`.
    fn inspection_items_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let d = &mut self.draft;
        let mut pick_photo = None;
        egui::Grid::new("inspection_items")
            .striped(true)
            .num_columns(4)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                for (i, item) in d.items.iter_mut().enumerate() {
                    ui.label(&item.text);
                    ui.horizontal(|ui| {
                        for r in ItemResult::ALL {
                            ui.radio_value(&mut item.result, r, t(r.label_key()));
                        }
                    });
                    ui.push_id(i, |ui| {
                        ui.add(
                            egui::TextEdit::singleline(&mut item.note)
                                .desired_width(160.0)
                                .hint_text(t("sup.note")),
                        )
                        .on_hover_text(t("sup.note"));
                    });
                    let photo = item
                        .photo
                        .as_ref()
                        .map_or_else(|| t("sup.add_photo").to_owned(), |(n, _)| n.clone());
                    if ui.small_button(photo).clicked() {
                        pick_photo = Some(i);
                    }
                    ui.end_row();
                }
            });
        if let Some(i) = pick_photo {
            commands.push(Command::PickFile(FileFor::InspectionPhoto(i)));
        }
    }

    /// Draws the new inspection's remark and the save button (enabled once it has items),
    /// which queues `SaveInspection` in `commands`.
    fn save_inspection_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>, commands: &mut Vec<Command>) {
        let d = &mut self.draft;
        widgets::labelled_text(ui, t("sup.remark"), &mut d.remark, 400.0);
        if ui
            .add_enabled(
                !d.items.is_empty(),
                egui::Button::new(RichText::new(t("sup.save_inspection")).strong()),
            )
            .clicked()
        {
            let template = d.template.and_then(|i| self.templates.get(i));
            let inspection = Inspection {
                id: 0,
                at: cx.now,
                inspector: cx.actor.name.clone(),
                target_kind: d.target_kind.unwrap_or(TargetKind::Staff),
                target: d.target.clone(),
                staff_id: d.staff_id,
                template_name: template.map(|t| t.name.clone()).unwrap_or_default(),
                items: d.items.clone(),
                remark: d.remark.clone(),
            };
            commands.push(Command::Supervisor(SupervisorCommand::SaveInspection {
                inspection: Box::new(inspection),
                template_id: template.map(|t| t.id),
            }));
        }
    }

    /// Draws the inspections of the last 30 days with their scores; a click selects one.
    fn recent_inspections_ui(&mut self, ui: &mut Ui) {
        ui.heading(t("sup.recent_inspections"));
        let mut pick = None;
        egui::Grid::new("inspections_list")
            .striped(true)
            .num_columns(5)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                if self.inspections.is_empty() {
                    return;
                }
                for (column, key) in InspectionColumn::ALL {
                    widgets::sort_header(ui, t(key), column, &mut self.inspections_sort);
                }
                ui.end_row();
                self.inspections_sort
                    .sort_if_stale(&mut self.inspections, |column, a, b| column.compare(a, b));
                for i in &self.inspections {
                    if ui
                        .selectable_label(self.selected == Some(i.id), format!("#{}", i.id))
                        .clicked()
                    {
                        pick = Some(i.id);
                    }
                    ui.label(i.at.format(DISPLAY_FORMAT).to_string());
                    ui.label(shown_target(i));
                    ui.label(&i.template_name);
                    ui.label(i.score_bp().map_or_else(
                        || "—".into(),
                        |s| {
                            tf(
                                "sup.score",
                                &[("pct", &format!("{}.{:02}", s / 100, s % 100))],
                            )
                        },
                    ));
                    ui.end_row();
                }
            });
        if let Some(id) = pick {
            self.selected = Some(id);
        }
    }

    /// Draws the selected inspection's items with result, note and photo; a failed item gets
    /// a button that opens the rectification form, due in three days.
    fn inspection_detail_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>, commands: &mut Vec<Command>) {
        if let Some(i) = self
            .inspections
            .iter()
            .find(|i| Some(i.id) == self.selected)
        {
            ui.separator();
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(tf(
                        "sup.inspection_of",
                        &[("id", &i.id.to_string()), ("who", &i.inspector)],
                    ))
                    .strong(),
                );
                commands.extend(widgets::print_button(
                    ui,
                    "pdf.print_button",
                    crate::pdf::documents::Record::Inspection(i.id),
                    cx.can_print,
                ));
            });
            for item in &i.items {
                ui.horizontal(|ui| {
                    let colour = match item.result {
                        ItemResult::Pass => theme::OK,
                        ItemResult::Fail => theme::OVERDUE,
                        ItemResult::NotApplicable => theme::MUTED,
                    };
                    ui.label(
                        RichText::new(t(item.result.label_key()))
                            .color(colour)
                            .strong(),
                    );
                    ui.label(&item.text);
                    if !item.note.is_empty() {
                        ui.label(RichText::new(&item.note).color(theme::MUTED));
                    }
                    if let Some(Some(tex)) = self.photos.get(&item.id) {
                        ui.add(egui::Image::new(tex).max_size(egui::vec2(120.0, 90.0)));
                    }
                    if item.result == ItemResult::Fail
                        && ui.small_button(t("sup.raise_rectification")).clicked()
                    {
                        self.rectify = Some(RectifyDraft {
                            item_id: item.id,
                            item_text: item.text.clone(),
                            owner_staff: i.staff_id,
                            due: (cx.now.date() + Duration::days(3))
                                .format("%Y-%m-%d")
                                .to_string(),
                            ..RectifyDraft::default()
                        });
                    }
                });
            }
        }
    }

    /// Draws the rectification form of a failed item (owner, requirement, due date); a save
    /// queues `RaiseRectification` in `commands`, a bad date goes to the tab's error.
    fn rectify_form_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>, commands: &mut Vec<Command>) {
        if let Some(r) = &mut self.rectify {
            ui.separator();
            ui.label(RichText::new(tf("sup.rectify_for", &[("item", &r.item_text)])).strong());
            let l = ui.label(t("sup.owner"));
            egui::ComboBox::from_id_salt("rectify_owner")
                .selected_text(r.owner_staff.map_or_else(
                    || t("handover.pick").to_owned(),
                    |id| cx.staff_name(Some(id)),
                ))
                .show_ui(ui, |ui| {
                    let staff = cx.active_staff_by_role();
                    if let Some(s) = widgets::staff_choices_ui(ui, &staff, r.owner_staff) {
                        r.owner_staff = Some(s.id);
                    }
                })
                .response
                .labelled_by(l.id);
            widgets::labelled_text(ui, t("sup.requirement"), &mut r.requirement, 360.0);
            widgets::labelled_text(ui, t("inspect.due"), &mut r.due, 120.0);
            if ui
                .button(RichText::new(t("sup.save_rectification")).strong())
                .clicked()
            {
                match NaiveDate::parse_from_str(r.due.trim(), "%Y-%m-%d") {
                    Ok(due) => {
                        commands.push(Command::Supervisor(SupervisorCommand::RaiseRectification {
                            item_id: r.item_id,
                            owner: r
                                .owner_staff
                                .map(|id| cx.staff_name(Some(id)))
                                .unwrap_or_default(),
                            owner_staff_id: r.owner_staff,
                            requirement: r.requirement.clone(),
                            due,
                        }))
                    }
                    Err(_) => self.error = Some(tf("history.bad_date", &[("value", r.due.trim())])),
                }
            }
        }
    }
}
