//! 主管: dashboard, spot-check inspections, rectifications, rewards and penalties, templates,
//! the audit trail and accounts. Only shown to a logged-in supervisor or admin; the store refuses
//! the data to anyone else.

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::{theme, widgets};
use crate::app::{Command, SupervisorCommand, ViewCtx};
use crate::domain::account::{AccountRole, Action};
use crate::domain::inspection::{
    CheckedItem, Inspection, Rectification, RewardPenalty, TargetKind,
};
use crate::i18n::t;
use crate::store::accounts::Account;
use crate::store::audit::Entry;
use crate::store::inspections::Template;

mod accounts;
mod attendance;
mod audit;
mod dashboard;
mod inspections;
mod measures;
mod monthly;
mod rectifications;
mod rewards;
mod templates;

pub use crate::app::Tab;

/// Figures of the dashboard.
#[derive(Clone, Debug, Default)]
pub struct Dashboard {
    /// The greeting limit in seconds the compliance figures use.
    pub limit_secs: i64,
    /// Greeting compliance % per day, oldest first (30 days).
    pub greeting_daily: Vec<(NaiveDate, Option<f64>)>,
    /// Water-served % per day.
    pub water_daily: Vec<(NaiveDate, Option<f64>)>,
    /// Greeting compliance % per ISO week, 12 weeks, oldest first.
    pub greeting_weekly: Vec<(NaiveDate, Option<f64>)>,
    /// Water-served % per ISO week.
    pub water_weekly: Vec<(NaiveDate, Option<f64>)>,
    /// Complaints received and claims reported per ISO week, 12 weeks.
    pub cases_weekly: Vec<(NaiveDate, i64, i64)>,
    /// Today's greeting compliance %.
    pub greeting_today: Option<f64>,
    /// Today's median greeting seconds.
    pub median_today: Option<f64>,
    /// Today's water-served %.
    pub water_today: Option<f64>,
    /// Complaints open.
    pub complaints_open: i64,
    /// Complaints overdue.
    pub complaints_overdue: i64,
    /// Major complaints open.
    pub complaints_major: i64,
    /// Satisfaction % of complaints closed in the last 30 days.
    pub satisfaction: Option<f64>,
    /// Claims open.
    pub claims_open: i64,
    /// Money agreed on open claims.
    pub claims_open_fen: i64,
    /// Open claims past their settlement deadline.
    pub claims_overdue: i64,
    /// Open claims within the warning days of it.
    pub claims_due_soon: i64,
    /// Days from a claim's report to its settlement (the settings').
    pub settle_days: i64,
    /// Case transfers not confirmed yet.
    pub transfers_open: i64,
    /// Of those, not accepted or not confirmed in time.
    pub transfers_late: i64,
    /// How fast the phone was answered over 30 days.
    pub rings: crate::store::calls::Rings,
    /// The share of calls answered within 2 rings per day, the days of `greeting_daily`
    /// (none on a day without calls).
    pub rings_daily: Vec<(NaiveDate, Option<f64>)>,
    /// Inspection pass rate over 30 days.
    pub inspection_pass: Option<f64>,
    /// Overdue rectifications.
    pub rectifications_overdue: i64,
    /// Incidents (突发事件) not resolved yet.
    pub incidents_open: i64,
    /// Today's incidents, newest first.
    pub incidents_today: Vec<crate::domain::incident::Incident>,
    /// Waybill change requests not confirmed back to the customer.
    pub waybills_open: i64,
    /// Of those, the ones late (the department's answer, or telling the customer).
    pub waybills_late: i64,
}

#[derive(Clone, Debug, Default)]
struct InspectionDraft {
    template: Option<usize>,
    target_kind: Option<TargetKind>,
    target: String,
    staff_id: Option<i64>,
    items: Vec<CheckedItem>,
    remark: String,
}

#[derive(Clone, Debug, Default)]
struct RectifyDraft {
    item_id: i64,
    item_text: String,
    owner_staff: Option<i64>,
    requirement: String,
    due: String,
}

/// The measure form of a failing item in the monthly tab.
#[derive(Clone, Debug, Default)]
struct MeasureForm {
    cause: String,
    measure: String,
    owner_staff: Option<i64>,
    due: String,
}

#[derive(Clone, Debug, Default)]
struct RewardDraft {
    staff_id: Option<i64>,
    reward: bool,
    amount: String,
    reason: String,
    on: String,
    inspection_id: String,
    complaint_id: String,
    claim_id: String,
    /// The day of attendance it is given for (from the attendance tab).
    attendance: Option<crate::domain::attendance::AttendanceDay>,
}

#[derive(Clone, Debug, Default)]
struct AccountDraft {
    username: String,
    display_name: String,
    role: Option<AccountRole>,
    password: String,
}

/// The reset-password dialog of one account: the new password typed twice, kept apart from the
/// new-account form.
#[derive(Clone, Debug, Default)]
struct ResetPasswordDraft {
    id: i64,
    username: String,
    active: bool,
    password: String,
    confirm: String,
    error: Option<String>,
    focused: bool,
}

/// The supervisor screen.
#[derive(Clone, Default)]
pub struct SupervisorView {
    tab: Tab,
    loaded: bool,
    templates: Vec<Template>,
    inspections: Vec<Inspection>,
    rectifications: Vec<Rectification>,
    rewards: Vec<RewardPenalty>,
    audit: Vec<Entry>,
    inspections_sort: widgets::Sort<inspections::InspectionColumn>,
    rectifications_sort: widgets::Sort<rectifications::RectificationColumn>,
    rewards_sort: widgets::Sort<rewards::RewardColumn>,
    audit_sort: widgets::Sort<audit::AuditColumn>,
    accounts: Vec<Account>,
    dashboard: Dashboard,
    draft: InspectionDraft,
    selected: Option<i64>,
    rectify: Option<RectifyDraft>,
    verify_note: String,
    reward: RewardDraft,
    template_edit: Option<Template>,
    template_text: String,
    account: AccountDraft,
    reset: Option<ResetPasswordDraft>,
    error: Option<String>,
    month: String,
    monthly_loaded: Option<String>,
    quality: crate::report::quality::Quality,
    month_rewards: Vec<RewardPenalty>,
    /// The measure forms of the failing items, by month and item.
    measure_drafts: std::collections::HashMap<(String, String), MeasureForm>,
    /// The review notes typed for the previous month's measures, by measure.
    review_notes: std::collections::HashMap<i64, String>,
    photos: std::collections::HashMap<i64, Option<egui::TextureHandle>>,
    staff_days: attendance::StaffDays,
}

/// What the tabs show, read on a worker.
#[derive(Debug, Default)]
pub struct SupervisorData {
    /// Spot-check templates.
    pub templates: Vec<Template>,
    /// Spot checks of the last 30 days.
    pub inspections: Vec<Inspection>,
    /// Rectifications.
    pub rectifications: Vec<Rectification>,
    /// Rewards and penalties of this month.
    pub rewards: Vec<RewardPenalty>,
    /// The newest audit entries.
    pub audit: Vec<Entry>,
    /// Accounts (for an admin; empty otherwise).
    pub accounts: Vec<Account>,
    /// The dashboard's figures.
    pub dashboard: Dashboard,
}

/// The monthly tab's figures, read on a worker: the quality analysis and the month's rewards
/// and penalties.
pub type Monthly = (crate::report::quality::Quality, Vec<RewardPenalty>);

/// A photo decoded on a worker (`None`: it does not decode).
pub type Decoded = Option<egui::ColorImage>;

impl SupervisorView {
    /// Forgets loaded data.
    pub fn invalidate(&mut self) {
        self.loaded = false;
        self.staff_days.invalidate();
    }

    /// Whether the tabs are to be read.
    pub fn to_load(&self) -> Option<()> {
        (!self.loaded).then_some(())
    }

    /// Whether the tabs are read (the monthly tab is read after them).
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// Shows what was read for the tabs.
    pub fn set_data(&mut self, data: SupervisorData) {
        self.templates = data.templates;
        self.inspections = data.inspections;
        self.rectifications = data.rectifications;
        self.rewards = data.rewards;
        self.audit = data.audit;
        self.inspections_sort.rows_arrived();
        self.rectifications_sort.rows_arrived();
        self.rewards_sort.rows_arrived();
        self.audit_sort.rows_arrived();
        self.accounts = data.accounts;
        self.dashboard = data.dashboard;
        self.loaded = true;
        self.monthly_loaded = None;
    }

    /// The month whose reports the monthly tab is to show (this month at first), when they are
    /// not loaded yet. A month that is not one is said so at once, and nothing is read.
    pub fn monthly_to_load(&mut self, today: NaiveDate) -> Option<String> {
        if self.month.is_empty() {
            self.month = today.format("%Y-%m").to_string();
        }
        if self.tab != Tab::Monthly || self.monthly_loaded.as_deref() == Some(self.month.as_str()) {
            return None;
        }
        if crate::report::claims::parse_month(&self.month).is_none() {
            self.error = Some(crate::i18n::tf(
                "report.bad_month",
                &[("value", &self.month)],
            ));
            self.monthly_loaded = Some(self.month.clone());
            return None;
        }
        Some(self.month.clone())
    }

    /// Shows the month's reports read for `month`, unless the tab asks for another month by now.
    pub fn set_monthly(&mut self, month: String, (quality, rewards): Monthly) {
        if self.tab == Tab::Monthly && self.month == month {
            self.quality = quality;
            self.month_rewards = rewards;
            self.monthly_loaded = Some(month);
        }
    }

    /// The spot check whose photos are to be decoded: the selected one, when a photo of it is not
    /// decoded yet.
    pub fn photos_to_load(&self) -> Option<i64> {
        let id = self.selected?;
        let listed = self.inspections.iter().find(|i| i.id == id)?;
        listed
            .items
            .iter()
            .any(|i| i.photo.is_some() && !self.photos.contains_key(&i.id))
            .then_some(id)
    }

    /// Keeps the photos decoded on a worker (by item).
    pub fn set_photos(&mut self, ctx: &egui::Context, decoded: Vec<(i64, Decoded)>) {
        for (item, image) in decoded {
            let tex = image.map(|img| {
                ctx.load_texture(
                    format!("inspection-{item}"),
                    img,
                    egui::TextureOptions::LINEAR,
                )
            });
            self.photos.insert(item, tex);
        }
    }

    /// Attaches a photo picked for the item at `index` of the spot-check form, or says why it
    /// cannot be used.
    pub fn set_item_photo(&mut self, index: usize, name: String, read: std::io::Result<Vec<u8>>) {
        let checked = read
            .map_err(|e| crate::i18n::tf("sup.photo_unreadable", &[("detail", &e.to_string())]))
            .and_then(|bytes| {
                crate::domain::evidence::check(&bytes)
                    .map(|_| bytes)
                    .map_err(|e| e.user_message())
            });
        match (checked, self.draft.items.get_mut(index)) {
            (Ok(bytes), Some(item)) => item.photo = Some((name, bytes)),
            (Err(e), _) => self.error = Some(e),
            (Ok(_), None) => {}
        }
    }

    /// Shows `tab`.
    pub fn show_tab(&mut self, tab: Tab) {
        self.tab = tab;
    }

    /// Reacts to a saved command.
    pub fn on_applied(&mut self, cmd: &Command, created: Option<i64>) {
        let Command::Supervisor(s) = cmd else { return };
        self.error = None;
        match s {
            SupervisorCommand::SaveInspection { .. } => {
                self.draft = InspectionDraft::default();
                self.selected = created;
            }
            SupervisorCommand::RaiseRectification { .. } => self.rectify = None,
            SupervisorCommand::VerifyRectification { .. } => self.verify_note.clear(),
            SupervisorCommand::AddRewardPenalty(_) => self.reward = RewardDraft::default(),
            SupervisorCommand::SaveTemplate(_) => self.template_edit = None,
            // The form keeps what was saved; the saved line shows it after the reload.
            SupervisorCommand::SaveQualityMeasure(_) => {}
            SupervisorCommand::ReviewQualityMeasure { id, .. } => {
                self.review_notes.remove(id);
            }
            SupervisorCommand::CreateAccount { .. } => self.account = AccountDraft::default(),
            SupervisorCommand::UpdateAccount {
                password: Some(_), ..
            } => self.reset = None,
            SupervisorCommand::UpdateAccount { .. }
            | SupervisorCommand::UnlockAccount(_)
            | SupervisorCommand::ExportMonthly { .. }
            | SupervisorCommand::ExportAudit(_)
            | SupervisorCommand::MarkDailyReportRead(_)
            | SupervisorCommand::ExportAttendance { .. }
            | SupervisorCommand::ExportDailyReports { .. } => {}
        }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.horizontal(|ui| {
            let admin = cx.actor.require(Action::ManageAccounts).is_ok();
            for (tab, key) in [
                (Tab::Dashboard, "sup.tab_dashboard"),
                (Tab::Inspections, "sup.tab_inspections"),
                (Tab::Rectifications, "sup.tab_rectifications"),
                (Tab::Rewards, "sup.tab_rewards"),
                (Tab::Templates, "sup.tab_templates"),
                (Tab::Monthly, "sup.tab_monthly"),
                (Tab::Audit, "sup.tab_audit"),
                (Tab::Attendance, "sup.tab_attendance"),
                (Tab::DailyReports, "sup.tab_daily_reports"),
            ] {
                ui.selectable_value(&mut self.tab, tab, t(key));
            }
            if admin {
                ui.selectable_value(&mut self.tab, Tab::Accounts, t("sup.tab_accounts"));
            }
        });
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| match self.tab {
                Tab::Dashboard => {
                    commands.extend(self.dashboard_ui(ui, &cx.settings.targets));
                }
                Tab::Inspections => commands.extend(self.inspections_ui(ui, cx)),
                Tab::Rectifications => commands.extend(self.rectifications_ui(ui, cx)),
                Tab::Rewards => commands.extend(self.rewards_ui(ui, cx)),
                Tab::Templates => commands.extend(self.templates_ui(ui)),
                Tab::Monthly => commands.extend(self.monthly_ui(ui, cx)),
                Tab::Audit => commands.extend(self.audit_ui(ui)),
                Tab::Accounts => commands.extend(self.accounts_ui(ui, cx)),
                Tab::Attendance => commands.extend(self.attendance_ui(ui, cx)),
                Tab::DailyReports => commands.extend(self.daily_reports_ui(ui, cx)),
            });
        if self.tab == Tab::Accounts {
            commands.extend(self.reset_password_ui(ui));
        }
        commands
    }
}

impl std::fmt::Debug for SupervisorView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SupervisorView")
            .field("tab", &self.tab)
            .finish_non_exhaustive()
    }
}
