//! 客户档案: search (any part of a name, company or phone), the customer page with the whole
//! history, key accounts and their revisits, credit grades. Phones are masked unless revealed on
//! purpose (the reveal is audited).

use egui::{RichText, Ui};

use super::{theme, widgets};
use crate::app::{Command, CustomerCommand, FileFor, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::customer::{Customer, Honorific, mask_phone};
use crate::i18n::{t, tf};
use crate::store::callbacks::StaffFeedback;
use crate::store::customers::{CustomerFile, HistoryLine};

/// What a customer's page shows: the file, the whole history, and the feedback on the staff
/// given in its revisits (newest first).
pub type CustomerPage = (CustomerFile, Vec<HistoryLine>, Vec<StaffFeedback>);

/// A column of the search results, to sort them by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Name,
    Phone,
    Company,
    Region,
}

impl widgets::SortColumn for Column {}

impl Column {
    /// The columns in order, with their headers' translation keys.
    const ALL: [(Self, &'static str); 4] = [
        (Self::Name, "customer.col_name"),
        (Self::Phone, "customer.col_phone"),
        (Self::Company, "customer.col_company"),
        (Self::Region, "customer.col_region"),
    ];

    /// Compares two customers by this column as shown, ascending: phones as masked, so the
    /// order gives nothing hidden away.
    fn compare(self, a: &Customer, b: &Customer) -> std::cmp::Ordering {
        match self {
            Self::Name => shown_name(a).cmp(&shown_name(b)),
            Self::Phone => mask_phone(&a.phone).cmp(&mask_phone(&b.phone)),
            Self::Company => a.company.cmp(&b.company),
            Self::Region => a.region.cmp(&b.region),
        }
    }
}

/// A customer's name as the results show it: "王先生 王堃".
fn shown_name(c: &Customer) -> String {
    format!(
        "{} {}",
        c.salutation().unwrap_or_else(|| c.surname.clone()),
        c.name
    )
}

/// The customer archive screen.
#[derive(Clone, Debug, Default)]
pub struct CustomersView {
    query: String,
    loaded_query: Option<String>,
    results: Vec<Customer>,
    sort: widgets::Sort<Column>,
    due: Vec<(Customer, Option<chrono::NaiveDate>)>,
    /// The day the revisit list was read for.
    due_loaded: Option<chrono::NaiveDate>,
    selected: Option<i64>,
    page: Option<CustomerPage>,
    edit: Option<CustomerFile>,
    revisit_days: String,
    revealed: Option<i64>,
    grade: Option<String>,
    reason: String,
    merge_with: Option<i64>,
    erase_confirmed: bool,
}

impl CustomersView {
    /// The search's query, when its results are to be read.
    pub fn search_to_load(&self) -> Option<String> {
        (self.loaded_query.as_deref() != Some(self.query.as_str())).then(|| self.query.clone())
    }

    /// Shows the customers found for `query`, unless the screen asks for another one by now.
    pub fn set_results(&mut self, query: String, found: Vec<Customer>) {
        if self.search_to_load().as_ref() == Some(&query) {
            self.results = found;
            self.loaded_query = Some(query);
            self.sort.rows_arrived();
        }
    }

    /// The day whose due revisits are to be read, when they are not shown for `today`.
    pub fn due_to_load(&self, today: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
        (self.due_loaded != Some(today)).then_some(today)
    }

    /// Shows the revisits due read for `day`.
    pub fn set_due(
        &mut self,
        day: chrono::NaiveDate,
        due: Vec<(Customer, Option<chrono::NaiveDate>)>,
    ) {
        self.due = due;
        self.due_loaded = Some(day);
    }

    /// The customer whose page is to be read, when the one shown is not it.
    pub fn page_to_load(&self) -> Option<i64> {
        let id = self.selected?;
        self.page
            .as_ref()
            .is_none_or(|(f, _, _)| f.customer.id != id)
            .then_some(id)
    }

    /// Shows the page read for customer `id`, unless another one is selected by now.
    pub fn set_page(&mut self, id: i64, (file, history, feedback): CustomerPage) {
        if self.page_to_load() != Some(id) {
            return;
        }
        self.revisit_days = file.revisit_days.map(|d| d.to_string()).unwrap_or_default();
        self.edit = Some(file.clone());
        self.page = Some((file, history, feedback));
    }

    /// Forgets loaded data.
    pub fn invalidate(&mut self) {
        self.loaded_query = None;
        self.page = None;
        self.due_loaded = None;
    }

    /// Reacts to a saved command.
    pub fn on_applied(&mut self, cmd: &Command) {
        match cmd {
            Command::Customer(CustomerCommand::RevealPhone(id)) => self.revealed = Some(*id),
            Command::Customer(CustomerCommand::SetCredit { .. }) => self.reason.clear(),
            Command::Customer(CustomerCommand::Merge { .. }) => self.merge_with = None,
            _ => {}
        }
    }

    fn select(&mut self, id: i64) {
        if self.selected != Some(id) {
            self.selected = Some(id);
            self.page = None;
            self.revealed = None;
        }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        let mut export = None;
        egui::Panel::left("customer_search")
            .resizable(true)
            .default_size(420.0)
            .show(ui, |ui| export = self.search_ui(ui, cx));
        commands.extend(export);
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| commands.extend(self.page_ui(ui, cx)));
        });
        commands
    }

    fn export_ui(ui: &mut Ui, cx: &ViewCtx<'_>) -> Option<Command> {
        if !cx.is_supervisor() {
            return None;
        }
        let mut command = None;
        ui.horizontal_wrapped(|ui| {
            for (label, full, xlsx) in [
                ("customer.export_masked", false, true),
                ("customer.export_masked_csv", false, false),
                ("customer.export_full", true, true),
            ] {
                if ui.small_button(t(label)).clicked() {
                    command = Some(Command::PickFile(FileFor::ExportCustomers { full, xlsx }));
                }
            }
        });
        command
    }

    /// Draws the customers found under headers that sort them; returns the one clicked.
    fn results_ui(&mut self, ui: &mut Ui) -> Option<i64> {
        let mut pick = None;
        egui::Grid::new("customer_results")
            .striped(true)
            .num_columns(4)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                if self.results.is_empty() {
                    return;
                }
                for (column, key) in Column::ALL {
                    widgets::sort_header(ui, t(key), column, &mut self.sort);
                }
                ui.end_row();
                self.sort
                    .sort_if_stale(&mut self.results, |column, a, b| column.compare(a, b));
                for c in &self.results {
                    if ui
                        .selectable_label(self.selected == Some(c.id), shown_name(c))
                        .clicked()
                    {
                        pick = Some(c.id);
                    }
                    ui.label(mask_phone(&c.phone));
                    ui.label(&c.company);
                    ui.label(&c.region);
                    ui.end_row();
                }
            });
        pick
    }

    fn search_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Option<Command> {
        ui.heading(t("customer.title"));
        let export = Self::export_ui(ui, cx);
        widgets::labelled_text(ui, t("customer.search"), &mut self.query, 260.0);
        ui.label(
            RichText::new(t("customer.search_hint"))
                .small()
                .color(theme::MUTED),
        );
        let mut pick = self.results_ui(ui);
        ui.separator();
        ui.label(
            RichText::new(tf(
                "customer.revisit_due",
                &[("n", &self.due.len().to_string())],
            ))
            .strong(),
        );
        for (c, when) in &self.due {
            ui.horizontal(|ui| {
                let label = format!(
                    "{} {}",
                    c.salutation().unwrap_or_else(|| c.name.clone()),
                    c.company
                );
                if ui.small_button(label).clicked() {
                    pick = Some(c.id);
                }
                let due = when.map_or_else(
                    || t("customer.never_revisited").to_owned(),
                    |d| {
                        tf(
                            "customer.due_on",
                            &[("date", &d.format("%Y-%m-%d").to_string())],
                        )
                    },
                );
                ui.label(RichText::new(due).color(theme::WARN));
            });
        }
        if let Some(id) = pick {
            self.select(id);
        }
        export
    }

    /// Draws the selected customer's page: header and phones, the editable fields, credit,
    /// erasing (admins), merging a duplicate and the whole history.
    fn page_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        let (Some((f, history, feedback)), Some(edit)) = (&self.page, &mut self.edit) else {
            ui.label(RichText::new(t("customer.pick")).color(theme::MUTED));
            return commands;
        };
        let id = f.customer.id;
        let revealed = self.revealed == Some(id);
        Self::header_ui(ui, f, revealed, &mut commands);
        ui.separator();
        Self::edit_ui(
            ui,
            edit,
            &mut self.revisit_days,
            revealed,
            cx,
            &mut commands,
        );
        ui.separator();
        Self::credit_ui(ui, f, &mut self.grade, &mut self.reason, &mut commands);
        ui.separator();
        Self::erase_ui(ui, id, &mut self.erase_confirmed, cx, &mut commands);
        Self::merge_ui(ui, id, &mut self.merge_with, &self.results, &mut commands);
        ui.separator();
        Self::feedback_ui(ui, f.key_account, feedback, cx);
        ui.separator();
        Self::history_ui(ui, history, &mut commands);
        commands
    }

    /// Draws the page's heading (name, key account, credit grade) and the phones, masked with
    /// a reveal button unless `revealed`; a reveal queues `RevealPhone` in `commands`.
    fn header_ui(ui: &mut Ui, f: &CustomerFile, revealed: bool, commands: &mut Vec<Command>) {
        let id = f.customer.id;
        ui.horizontal(|ui| {
            ui.heading(format!(
                "{} {}",
                f.customer
                    .salutation()
                    .unwrap_or_else(|| f.customer.surname.clone()),
                f.customer.name
            ));
            if f.key_account {
                ui.label(
                    RichText::new(t("customer.key_account"))
                        .color(theme::ACCENT)
                        .strong(),
                );
            }
            if let Some(g) = &f.credit_grade {
                ui.label(RichText::new(tf("customer.grade_is", &[("grade", g)])).strong());
            }
        });
        ui.horizontal(|ui| {
            if revealed {
                ui.label(RichText::new(format!("{} {}", f.customer.phone, f.phone2)).strong());
            } else {
                ui.label(format!(
                    "{} {}",
                    mask_phone(&f.customer.phone),
                    mask_phone(&f.phone2)
                ));
                if ui.small_button(t("customer.reveal")).clicked() {
                    commands.push(Command::Customer(CustomerCommand::RevealPhone(id)));
                }
            }
        });
    }

    /// Draws the grid of editable fields (the phones only when `revealed`) and the save
    /// button, which queues `Save` with the typed revisit interval in `commands`.
    fn edit_ui(
        ui: &mut Ui,
        edit: &mut CustomerFile,
        revisit_days: &mut String,
        revealed: bool,
        cx: &ViewCtx<'_>,
        commands: &mut Vec<Command>,
    ) {
        egui::Grid::new("customer_edit")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                widgets::labelled_text(ui, t("field.surname"), &mut edit.customer.surname, 120.0);
                ui.end_row();
                ui.label(t("field.honorific"));
                ui.horizontal(|ui| {
                    for h in Honorific::ALL {
                        ui.radio_value(&mut edit.customer.honorific, Some(h), t(h.label_key()));
                    }
                });
                ui.end_row();
                widgets::labelled_text(ui, t("field.name"), &mut edit.customer.name, 200.0);
                ui.end_row();
                if revealed {
                    widgets::labelled_text(ui, t("field.phone"), &mut edit.customer.phone, 200.0);
                    ui.end_row();
                    widgets::labelled_text(ui, t("customer.phone2"), &mut edit.phone2, 200.0);
                    ui.end_row();
                }
                widgets::labelled_text(ui, t("field.company"), &mut edit.customer.company, 260.0);
                ui.end_row();
                widgets::labelled_text(ui, t("field.region"), &mut edit.customer.region, 200.0);
                ui.end_row();
                ui.label(t("customer.key_account"));
                ui.checkbox(&mut edit.key_account, t("customer.is_key_account"));
                ui.end_row();
                widgets::labelled_text(ui, t("customer.revisit_days"), revisit_days, 60.0);
                ui.end_row();
                let l = ui.label(t("customer.owner"));
                egui::ComboBox::from_id_salt("customer_owner")
                    .selected_text(
                        edit.owner_staff_id.map_or_else(
                            || t("handover.pick").to_owned(),
                            |s| cx.staff_name(Some(s)),
                        ),
                    )
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut edit.owner_staff_id, None, t("app.no_operator"));
                        ui.separator();
                        let staff = cx.active_staff_by_role();
                        if let Some(s) = widgets::staff_choices_ui(ui, &staff, edit.owner_staff_id)
                        {
                            edit.owner_staff_id = Some(s.id);
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
                widgets::labelled_text(ui, t("customer.notes"), &mut edit.notes, 320.0);
                ui.end_row();
            });
        if ui
            .button(RichText::new(t("customer.save")).strong())
            .clicked()
        {
            let mut saved = edit.clone();
            // Text that is not a whole number is sent as 0, which the store refuses with the
            // allowed range.
            saved.revisit_days = match revisit_days.trim() {
                "" => None,
                typed => Some(typed.parse().unwrap_or(0)),
            };
            commands.push(Command::Customer(CustomerCommand::Save(Box::new(saved))));
        }
    }

    /// Draws the credit section: the grade and reason to set, and the grades given before; a
    /// set queues `SetCredit` in `commands`.
    fn credit_ui(
        ui: &mut Ui,
        f: &CustomerFile,
        grade: &mut Option<String>,
        reason: &mut String,
        commands: &mut Vec<Command>,
    ) {
        let id = f.customer.id;
        ui.label(RichText::new(t("customer.credit")).strong());
        ui.horizontal(|ui| {
            for g in ["A", "B", "C", "D"] {
                ui.radio_value(grade, Some(g.to_owned()), g);
            }
            widgets::labelled_text(ui, t("customer.credit_reason"), reason, 220.0);
            if ui.button(t("customer.set_credit")).clicked() {
                commands.push(Command::Customer(CustomerCommand::SetCredit {
                    id,
                    grade: grade.clone().unwrap_or_default(),
                    reason: reason.clone(),
                }));
            }
        });
        for (at, grade, reason, by) in &f.credit_history {
            ui.label(
                RichText::new(format!(
                    "{} {grade} {reason}({by})",
                    at.format(DISPLAY_FORMAT)
                ))
                .color(theme::MUTED),
            );
        }
    }

    /// Draws, for those who may manage accounts, the confirmed button that erases customer
    /// `id`'s personal data; it queues `Erase` in `commands`.
    fn erase_ui(
        ui: &mut Ui,
        id: i64,
        confirmed: &mut bool,
        cx: &ViewCtx<'_>,
        commands: &mut Vec<Command>,
    ) {
        if cx
            .actor
            .require(crate::domain::account::Action::ManageAccounts)
            .is_ok()
        {
            ui.horizontal(|ui| {
                ui.checkbox(confirmed, t("customer.erase_confirm"));
                if ui
                    .add_enabled(*confirmed, egui::Button::new(t("customer.erase")))
                    .clicked()
                {
                    commands.push(Command::Customer(CustomerCommand::Erase(id)));
                }
            });
        }
    }

    /// Draws the merge row: pick another search result as a duplicate of customer `id`, then
    /// confirm, which queues `Merge` in `commands`.
    fn merge_ui(
        ui: &mut Ui,
        id: i64,
        merge_with: &mut Option<i64>,
        results: &[Customer],
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(t("customer.merge")).strong());
            let l = ui.label(t("customer.merge_pick"));
            egui::ComboBox::from_id_salt("merge_with")
                .selected_text(
                    merge_with
                        .and_then(|m| results.iter().find(|c| c.id == m))
                        .map_or_else(
                            || t("handover.pick").to_owned(),
                            |c| format!("#{} {} {}", c.id, c.name, mask_phone(&c.phone)),
                        ),
                )
                .show_ui(ui, |ui| {
                    for c in results.iter().filter(|c| c.id != id) {
                        ui.selectable_value(
                            merge_with,
                            Some(c.id),
                            format!("#{} {} {}", c.id, c.name, mask_phone(&c.phone)),
                        );
                    }
                })
                .response
                .labelled_by(l.id);
            if let Some(other) = *merge_with
                && ui.button(t("customer.merge_confirm")).clicked()
            {
                commands.push(Command::Customer(CustomerCommand::Merge {
                    keep: id,
                    other,
                }));
            }
        });
    }

    /// Draws the customer's whole history (visits, calls, callbacks, complaints, claims, waybill
    /// change requests); a click on a complaint queues `OpenComplaint` in `commands`.
    fn history_ui(ui: &mut Ui, history: &[HistoryLine], commands: &mut Vec<Command>) {
        ui.label(
            RichText::new(tf("customer.history", &[("n", &history.len().to_string())])).strong(),
        );
        egui::Grid::new("customer_history")
            .striped(true)
            .num_columns(3)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for h in history {
                    ui.label(h.at.format(DISPLAY_FORMAT).to_string());
                    ui.label(t(match h.kind {
                        "visit" => "customer.kind_visit",
                        "call" => "customer.kind_call",
                        "callback" => "customer.kind_callback",
                        "complaint" => "customer.kind_complaint",
                        "waybill" => "customer.kind_waybill",
                        _ => "customer.kind_claim",
                    }));
                    if h.kind == "complaint" {
                        if ui.link(format!("#{} {}", h.id, h.summary)).clicked() {
                            commands.push(Command::OpenComplaint(h.id));
                        }
                    } else {
                        ui.label(format!("#{} {}", h.id, h.summary));
                    }
                    ui.end_row();
                }
            });
    }

    /// Draws what the customer said about the staff serving them in its revisits (征求大客户对
    /// 客服人员的意见), newest first, with who did the revisit.
    fn feedback_ui(ui: &mut Ui, key_account: bool, feedback: &[StaffFeedback], cx: &ViewCtx<'_>) {
        ui.label(
            RichText::new(tf(
                "customer.staff_feedback",
                &[("n", &feedback.len().to_string())],
            ))
            .strong(),
        );
        if feedback.is_empty() {
            let none = if key_account {
                "customer.staff_feedback_none"
            } else {
                "customer.staff_feedback_none_ordinary"
            };
            ui.label(RichText::new(t(none)).color(theme::MUTED));
            return;
        }
        egui::Grid::new("customer_staff_feedback")
            .striped(true)
            .num_columns(3)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for f in feedback {
                    ui.label(f.at.format(DISPLAY_FORMAT).to_string());
                    ui.label(
                        RichText::new(tf(
                            "customer.staff_feedback_by",
                            &[("who", &cx.staff_name(f.done_by))],
                        ))
                        .color(theme::MUTED),
                    );
                    ui.label(&f.text);
                    ui.end_row();
                }
            });
    }
}
