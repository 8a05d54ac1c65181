//! What the user can ask for: the commands the screens return and [`super::App::apply`] carries
//! out, each in one transaction, and the names of the screens and tabs they move between. This
//! module imports no screen: screens depend on it, never the other way round.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::account::AccountRole;
use crate::domain::call::{CallDraft, Callback, CallbackResult};
use crate::domain::claim::{ClaimDraft, ClaimStatus, Party};
use crate::domain::complaint::{
    AtFault, ComplaintDraft, ReplyChannel, Satisfaction, Severity, Status,
};
use crate::domain::inspection::{Inspection, RewardPenalty};
use crate::domain::money::Fen;
use crate::domain::staff::{Role, Staff};
use crate::domain::visit::{RegistrationDraft, SeeOffChecklist};
use crate::i18n::Lang;
use crate::store::backup::Rotation;
use crate::store::claims::Insurer;
use crate::store::complaints::WeekNotes;
use crate::store::customers::CustomerFile;
use crate::store::inspections::Template;
use crate::store::settings::Settings;

/// Something the user asked for; applied by [`App::apply`] in one transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// "客户到达": start a visit and its greeting timer.
    Arrive,
    /// "已问候".
    Greet(i64),
    /// "已倒水".
    ServeWater(i64),
    /// Registration of a visit already started (`Some`) or of a new walk-in (`None`).
    Register {
        /// The visit, if it exists already.
        visit_id: Option<i64>,
        /// What was typed.
        draft: RegistrationDraft,
    },
    /// Correct a visit's registration details.
    Correct {
        /// The visit.
        visit_id: i64,
        /// The corrected details.
        draft: RegistrationDraft,
        /// Why.
        reason: String,
    },
    /// Hand the visitor over to a colleague.
    HandOver {
        /// The visit.
        visit_id: i64,
        /// The colleague (required; `None` is refused with a message).
        to: Option<i64>,
        /// Purpose of the visit.
        purpose: String,
    },
    /// "准备离开": start seeing off.
    StartSeeOff(i64),
    /// Record the departure with the checklist.
    Depart {
        /// The visit.
        visit_id: i64,
        /// The seeing-off checklist.
        checklist: SeeOffChecklist,
    },
    /// Cancel a visit entered by mistake.
    Cancel {
        /// The visit.
        visit_id: i64,
        /// Why.
        reason: String,
    },
    /// Choose the staff member at the desk.
    SetOperator(Option<i64>),
    /// Switch the UI language (persisted).
    SetLang(Lang),
    /// Save the settings screen.
    SaveSettings(Box<Settings>),
    /// Add a staff member.
    AddStaff {
        /// Name.
        name: String,
        /// Role.
        role: Role,
    },
    /// Change a staff member (name, role, active).
    UpdateStaff(Staff),
    /// Calls, callbacks, complaints, inbox, weekly summary.
    Service(ServiceCommand),
    /// Inspections, rectifications, rewards and penalties, templates, accounts.
    Supervisor(SupervisorCommand),
    /// The customer archive.
    Customer(CustomerCommand),
    /// Retention periods of personal data (admin).
    SetRetention(crate::store::privacy::Retention),
    /// Show a complaint on the complaints screen.
    OpenComplaint(i64),
    /// Pick a file in a dialog for what [`FileFor`] says, then use it.
    PickFile(FileFor),
    /// Log in (supervisor or admin session).
    Login {
        /// Login name.
        username: String,
        /// Password.
        password: String,
    },
    /// End the session; back to the desk.
    Logout,
    /// Open the login dialog.
    ShowLogin,
    /// Switch to a screen (dashboard links).
    Goto(Screen),
    /// Switch to a tab of the supervisor screen.
    SupervisorTab(Tab),
    /// First start: create the admin account and log in.
    CreateFirstAdmin {
        /// Login name.
        username: String,
        /// Shown name.
        display_name: String,
        /// Password.
        password: String,
    },
    /// Open the new-claim form on the claims screen, pre-filled.
    OpenClaimForm(Box<ClaimDraft>),
    /// Show a claim on the claims screen.
    OpenClaim(i64),
    /// Open a call's case panel (its owner and transfers) on the calls screen.
    OpenCall(i64),
    /// Backups and restores (设置 → 数据).
    Backup(BackupCommand),
    /// Stop the export being written (the top bar's "停止"): no file is written.
    StopExport,
    /// Print a record on this PC's default printer, without a dialog ("直接打印"; offered where
    /// the PC can, see [`crate::platform::can_print_directly`]).
    PrintDirect(crate::pdf::documents::Record),
    /// The on-site incident log (突发事件).
    Incident(IncidentCommand),
    /// Waybill change requests (更改收货人、联系电话).
    Waybill(WaybillCommand),
    /// Open the new waybill change request on its screen, pre-filled from a call or a visit.
    OpenWaybillForm(Box<crate::domain::waybill::ChangeDraft>),
    /// Show a waybill change request on its screen, picked to be handled.
    OpenWaybill(Box<crate::domain::waybill::WaybillChange>),
}

/// The screens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// 今日接待
    Reception,
    /// 来访记录
    History,
    /// 电话
    Calls,
    /// 投诉
    Complaints,
    /// 主管收件箱
    Inbox,
    /// 投诉周报
    Weekly,
    /// 接待报表
    ReceptionReport,
    /// 理赔
    Claims,
    /// 理赔月报
    ClaimsReport,
    /// 我的案件: what I own, what was handed to me, what I wait on.
    MyCases,
    /// 客户档案
    Customers,
    /// 主管: inspections, rectifications, rewards, dashboard, audit, accounts.
    Supervision,
    /// 设置
    Settings,
    /// 突发事件
    Incidents,
    /// 每日工作报表: the on-duty staff member's day, with their remarks, to submit.
    DailyReport,
    /// 运单更改: waybill change requests.
    Waybills,
}

impl Screen {
    /// Screens that only a supervisor or admin may see.
    pub fn needs_supervisor(self) -> bool {
        matches!(self, Self::Inbox | Self::Supervision)
    }
}

/// The tabs of the supervisor screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// 看板
    #[default]
    Dashboard,
    /// 监察
    Inspections,
    /// 整改
    Rectifications,
    /// 奖罚
    Rewards,
    /// 模板
    Templates,
    /// 月度报表
    Monthly,
    /// 审计
    Audit,
    /// 账户
    Accounts,
    /// 考勤: the month's attendance per staff member.
    Attendance,
    /// 日报: who submitted the day's work report, to read.
    DailyReports,
}

/// A customer-archive command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomerCommand {
    /// Save the page's editable fields.
    Save(Box<CustomerFile>),
    /// Change the credit grade with a reason.
    SetCredit {
        /// Customer.
        id: i64,
        /// A–D.
        grade: String,
        /// Why.
        reason: String,
    },
    /// Show the full phone numbers (audited).
    RevealPhone(i64),
    /// Export the archive (supervisors; full phones only on purpose, audited).
    Export {
        /// Target file.
        path: std::path::PathBuf,
        /// Full phone numbers rather than masked ones.
        full: bool,
        /// XLSX rather than CSV.
        xlsx: bool,
    },
    /// Erase the customer's personal data on request (admin).
    Erase(i64),
    /// Merge a duplicate into this customer.
    Merge {
        /// The record kept.
        keep: i64,
        /// The duplicate.
        other: i64,
    },
}

/// A service command; applied in one transaction by [`apply`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServiceCommand {
    /// Log a call.
    LogCall(CallDraft),
    /// Register a complaint (possibly from a call).
    CreateComplaint(ComplaintDraft),
    /// 问清楚.
    Clarify {
        /// Complaint.
        id: i64,
        /// Facts clarified.
        facts: String,
    },
    /// 跟清楚: a handling entry.
    Handling {
        /// Complaint.
        id: i64,
        /// What was done.
        text: String,
        /// Promised next-reply time.
        next_reply_at: Option<NaiveDateTime>,
    },
    /// 复清楚: a reply to the customer.
    Reply {
        /// Complaint.
        id: i64,
        /// How.
        channel: ReplyChannel,
        /// What was said.
        text: String,
        /// The reply gives the result: status becomes 已答复.
        answered: bool,
    },
    /// Change the status.
    SetStatus {
        /// Complaint.
        id: i64,
        /// New status.
        to: Status,
        /// Satisfaction (closing).
        satisfaction: Option<Satisfaction>,
        /// Note.
        note: String,
    },
    /// 记清楚.
    MarkRecorded(i64),
    /// 报告.
    Report {
        /// Complaint.
        id: i64,
        /// Who was told.
        to_whom: String,
    },
    /// Change category, severity, company-at-fault.
    Classify {
        /// Complaint.
        id: i64,
        /// Category.
        category: String,
        /// Severity.
        severity: Severity,
        /// Company at fault.
        at_fault: AtFault,
    },
    /// Schedule a callback.
    ScheduleCallback(Callback),
    /// Record a callback's result.
    CompleteCallback {
        /// Callback.
        id: i64,
        /// What it found out.
        result: CallbackResult,
    },
    /// Acknowledge an inbox entry.
    Acknowledge(i64),
    /// Save the week's waybills and analysis.
    SaveWeekNotes {
        /// `2026-W47`.
        week: String,
        /// Notes.
        notes: WeekNotes,
    },
    /// Export the weekly summary.
    ExportWeek {
        /// `2026-W47`.
        week: String,
        /// Target file.
        path: std::path::PathBuf,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
    /// Print a record (a complaint's, a claim's file) as a PDF file.
    Print {
        /// Which.
        record: crate::pdf::documents::Record,
        /// Target file.
        path: std::path::PathBuf,
    },
    /// Replace the complaint categories offered.
    SetCategories(Vec<String>),
    /// Register a claim (报案).
    CreateClaim(ClaimDraft),
    /// Move a claim to a status (拒赔 with a reason).
    ClaimMove {
        /// Claim.
        id: i64,
        /// New status.
        to: ClaimStatus,
        /// Reason (拒赔).
        reason: String,
    },
    /// Replace the liability split.
    ClaimParties {
        /// Claim.
        id: i64,
        /// Parties.
        parties: Vec<Party>,
    },
    /// Record when a party was notified.
    ClaimNotify {
        /// Party.
        party_id: i64,
        /// Date.
        on: NaiveDate,
    },
    /// Agreed and paid amounts.
    ClaimMoney {
        /// Claim.
        id: i64,
        /// Agreed amount.
        agreed: Option<Fen>,
        /// Paid amount.
        paid: Option<Fen>,
    },
    /// Hand a case to a colleague or a department (首问负责制: the owner follows it up).
    TransferCase {
        /// What kind of case.
        kind: crate::domain::transfer::CaseKind,
        /// Its number.
        id: i64,
        /// The colleague (or none: a department).
        to_staff: Option<i64>,
        /// The department (or empty: a colleague).
        department: String,
        /// Why, and what the receiver must know.
        reason: String,
    },
    /// The receiver accepts a transfer.
    AcceptTransfer(i64),
    /// The receiver reports a transfer's outcome.
    AnswerTransfer {
        /// The transfer.
        id: i64,
        /// What was done.
        outcome: String,
    },
    /// The owner confirms a transfer's outcome.
    ConfirmTransfer(i64),
    /// Move a claim's settlement deadline, with the reason.
    ClaimDeadline {
        /// Claim.
        id: i64,
        /// The new deadline.
        settle_by: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Mark a claim a major accident (to the supervisors' inbox) or settled directly by a
    /// branch, a driver or a loader with the customer.
    ClaimFlags {
        /// Claim.
        id: i64,
        /// 重大事故.
        major: bool,
        /// Settled directly with the customer.
        settled_directly: bool,
    },
    /// Insurer's side.
    ClaimInsurer {
        /// Claim.
        id: i64,
        /// Insurer data.
        insurer: Insurer,
    },
    /// An investigation note.
    ClaimNote {
        /// Claim.
        id: i64,
        /// Text.
        text: String,
    },
    /// Evidence files picked with the file dialog.
    ClaimAddFiles {
        /// Claim.
        id: i64,
        /// Files.
        paths: Vec<std::path::PathBuf>,
    },
    /// Save the month's cause analysis.
    SaveClaimMonth {
        /// `2026-11`.
        month: String,
        /// Text.
        analysis: String,
    },
    /// Export the monthly claims report.
    ExportClaimMonth {
        /// `2026-11`.
        month: String,
        /// Target.
        path: std::path::PathBuf,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
    /// Replace the claim causes offered.
    SetCauses(Vec<String>),
    /// Export the reception report of `from..=to`.
    ExportReception {
        /// The first day.
        from: NaiveDate,
        /// The last day.
        to: NaiveDate,
        /// A row per month rather than per day.
        monthly: bool,
        /// Target file.
        path: std::path::PathBuf,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
    /// 签退: sign the staff member out for today.
    SignOut(i64),
    /// Submit the staff member's daily work report of today with their remarks (the figures
    /// are counted at submission).
    SubmitDailyReport {
        /// The staff member.
        staff_id: i64,
        /// Their remarks.
        remarks: String,
    },
}

/// A supervisor command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SupervisorCommand {
    /// Save an inspection done from a template.
    SaveInspection {
        /// The inspection.
        inspection: Box<Inspection>,
        /// The template used.
        template_id: Option<i64>,
    },
    /// Raise a rectification from a failed item.
    RaiseRectification {
        /// The failed item.
        item_id: i64,
        /// Owner's name.
        owner: String,
        /// Owner as a staff member.
        owner_staff_id: Option<i64>,
        /// What must be done.
        requirement: String,
        /// By when.
        due: NaiveDate,
    },
    /// Verify a rectification.
    VerifyRectification {
        /// Rectification.
        id: i64,
        /// Passed.
        passed: bool,
        /// Note.
        note: String,
    },
    /// Record a reward or a penalty.
    AddRewardPenalty(RewardPenalty),
    /// Save a template (a copy, or an edited non-built-in one).
    SaveTemplate(Template),
    /// Create an account (admin).
    CreateAccount {
        /// Login name.
        username: String,
        /// Shown name.
        display_name: String,
        /// Role.
        role: AccountRole,
        /// Initial password.
        password: String,
    },
    /// Save the improvement measure of a month's failing item (a second save updates it).
    SaveQualityMeasure(crate::domain::quality::MeasureDraft),
    /// Record whether a previous month's measure worked.
    ReviewQualityMeasure {
        /// The measure.
        id: i64,
        /// 有效 or 无效.
        effective: bool,
        /// Note.
        note: String,
    },
    /// Export a monthly report (quality analysis or reward/penalty details).
    ExportMonthly {
        /// `2026-11`.
        month: String,
        /// The reward/penalty details rather than the quality analysis.
        rewards: bool,
        /// Target file.
        path: std::path::PathBuf,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
    /// Export the audit trail (newest 10,000 entries) as CSV.
    ExportAudit(std::path::PathBuf),
    /// Activate/deactivate an account or reset its password (admin).
    UpdateAccount {
        /// Account.
        id: i64,
        /// Active.
        active: bool,
        /// New password.
        password: Option<String>,
    },
    /// Clear an account's failed logins and lock-out (admin).
    UnlockAccount(i64),
    /// Mark a daily work report read (as the logged-in supervisor).
    MarkDailyReportRead(i64),
    /// Export the month's attendance table.
    ExportAttendance {
        /// `2026-11`.
        month: String,
        /// Target file.
        path: std::path::PathBuf,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
    /// Export the daily work reports of a day.
    ExportDailyReports {
        /// The day.
        day: NaiveDate,
        /// Target file.
        path: std::path::PathBuf,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
}

/// What the user asked of the backups in 设置 → 数据; applied by the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackupCommand {
    /// "立即备份": a manual backup into the backup folder.
    BackupNow,
    /// Choose a backup file elsewhere with a file dialog (admins, before a restore).
    PickFile,
    /// Replace the data with this backup (admins), after the user confirmed.
    Restore(PathBuf),
    /// Save the rotation counts in the settings (admins).
    SetRotation(Rotation),
    /// Stop the running backup or daily purge ("停止"): a backup leaves no file, a purge keeps
    /// what it anonymised and the next one finishes it.
    Stop,
}

/// The kind of file a report is exported as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// CSV with a BOM (Excel and WPS read the Chinese text).
    #[default]
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// An A4 PDF for printing.
    Pdf,
}

impl ExportFormat {
    /// The file extension (`csv`, `xlsx`, `pdf`).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Pdf => "pdf",
        }
    }
}

/// What a file picked in a dialog is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileFor {
    /// Where to write a printed record (PDF).
    Print(crate::pdf::documents::Record),
    /// Where to write the weekly complaint report of `week`.
    ExportWeek {
        /// ISO week, `2026-W48`.
        week: String,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
    /// Where to write the monthly claims report of `month`.
    ExportClaimMonth {
        /// `YYYY-MM`.
        month: String,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
    /// Where to write the supervisor's monthly quality analysis or reward/penalty details.
    ExportMonthly {
        /// `YYYY-MM`.
        month: String,
        /// The rewards and penalties rather than the quality analysis.
        rewards: bool,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
    /// Where to write the reception report of `from..=to`.
    ExportReception {
        /// The first day.
        from: NaiveDate,
        /// The last day.
        to: NaiveDate,
        /// A row per month rather than per day.
        monthly: bool,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
    /// Where to write the audit trail (CSV).
    ExportAudit,
    /// Where to write the customer archive.
    ExportCustomers {
        /// Full phone numbers rather than masked ones.
        full: bool,
        /// XLSX rather than CSV.
        xlsx: bool,
    },
    /// Evidence files (several) to add to claim `id`.
    ClaimEvidence(i64),
    /// A photo for the item at this position of the spot-check form.
    InspectionPhoto(usize),
    /// Where to write the month's waybill change requests.
    ExportWaybills {
        /// `YYYY-MM`.
        month: String,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
    /// Where to write the month's attendance table.
    ExportAttendance {
        /// `YYYY-MM`.
        month: String,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
    /// Where to write the daily work reports of a day.
    ExportDailyReports {
        /// The day.
        day: NaiveDate,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
}

/// A command of the on-site incident log (突发事件).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IncidentCommand {
    /// Record an incident.
    Record(crate::domain::incident::IncidentDraft),
    /// Close an incident with how it was handled.
    Resolve {
        /// The incident.
        id: i64,
        /// How it was handled.
        handling: String,
        /// For an outage: whether the waiting customers were told.
        customers_informed: Option<bool>,
    },
}

/// A command of the waybill change requests (更改收货人、联系电话).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaybillCommand {
    /// Record a request and pass it to its department.
    Record(crate::domain::waybill::ChangeDraft),
    /// Record the department's answer.
    Answer {
        /// The request.
        id: i64,
        /// Who in the department answered.
        handled_by: String,
        /// Whether the waybill was changed.
        changed: bool,
        /// Their words (required for a refusal).
        note: String,
    },
    /// The answer was confirmed back to the customer.
    Confirm {
        /// The request.
        id: i64,
        /// How the customer was told.
        note: String,
    },
    /// Write the requests of `month` to `path` (on the exports worker).
    Export {
        /// `YYYY-MM`.
        month: String,
        /// The file.
        path: PathBuf,
        /// CSV, XLSX or PDF.
        format: ExportFormat,
    },
}
