//! Files the user picks in a dialog. A screen asks with [`Command::PickFile`] and says what the
//! file is for ([`FileFor`]); the app shows the system's dialog (tests give a picker of their
//! own, [`crate::app::App::with_file_picker`]) and turns the answer into the command that uses
//! the file. Drawing code never opens a dialog or reads a file.

use std::path::PathBuf;

use super::{Command, CustomerCommand, ExportFormat, FileFor, ServiceCommand, SupervisorCommand};
use crate::i18n::t;
use crate::pdf::documents::Record;

impl FileFor {
    /// Whether the dialog picks a file to write (rather than files to read).
    pub fn saves(&self) -> bool {
        !matches!(self, Self::ClaimEvidence(_) | Self::InspectionPhoto(_))
    }

    /// The name the save dialog suggests.
    pub fn suggested_name(&self) -> String {
        match self {
            Self::ExportWeek { week, format } => format!("投诉周报-{week}.{}", format.extension()),
            Self::ExportClaimMonth { month, format } => {
                format!("理赔月报-{month}.{}", format.extension())
            }
            Self::ExportMonthly {
                month,
                rewards,
                format,
            } => {
                let what = if *rewards {
                    "监察奖罚明细"
                } else {
                    "质量异常分析"
                };
                format!("{what}-{month}.{}", format.extension())
            }
            Self::ExportReception {
                from,
                to,
                monthly,
                format,
            } => {
                let by = if *monthly { "按月" } else { "按日" };
                format!("接待报表-{by}-{from}-{to}.{}", format.extension())
            }
            Self::ExportAudit => "审计记录.csv".to_owned(),
            Self::Print(Record::Complaint(id)) => format!("顾客投诉记录-{id}.pdf"),
            Self::Print(Record::Claim(id)) => format!("理赔档案-{id}.pdf"),
            Self::Print(Record::Inspection(id)) => format!("检查记录表-{id}.pdf"),
            Self::Print(Record::Pass(id)) => format!("访客证-{id}.pdf"),
            Self::ExportCustomers { xlsx, .. } => {
                format!("客户档案.{}", if *xlsx { "xlsx" } else { "csv" })
            }
            Self::ClaimEvidence(_) | Self::InspectionPhoto(_) => String::new(),
            Self::ExportAttendance { month, format } => {
                format!("考勤月报-{month}.{}", format.extension())
            }
            Self::ExportWaybills { month, format } => {
                format!("运单更改-{month}.{}", format.extension())
            }
            Self::ExportDailyReports { day, format } => {
                format!("每日工作报表-{day}.{}", format.extension())
            }
        }
    }

    /// The dialog's filter: its name and the file extensions it shows.
    pub fn filter(&self) -> (String, &'static [&'static str]) {
        let table = |format: ExportFormat| -> (String, &'static [&'static str]) {
            match format {
                ExportFormat::Csv => ("CSV".to_owned(), &["csv"]),
                ExportFormat::Xlsx => ("XLSX".to_owned(), &["xlsx"]),
                ExportFormat::Pdf => ("PDF".to_owned(), &["pdf"]),
            }
        };
        match self {
            Self::ExportWeek { format, .. }
            | Self::ExportClaimMonth { format, .. }
            | Self::ExportMonthly { format, .. }
            | Self::ExportReception { format, .. }
            | Self::ExportAttendance { format, .. }
            | Self::ExportWaybills { format, .. }
            | Self::ExportDailyReports { format, .. } => table(*format),
            Self::ExportCustomers { xlsx, .. } => table(if *xlsx {
                ExportFormat::Xlsx
            } else {
                ExportFormat::Csv
            }),
            Self::ExportAudit => table(ExportFormat::Csv),
            Self::Print(_) => table(ExportFormat::Pdf),
            Self::ClaimEvidence(_) => (
                t("claim.evidence_filter").to_owned(),
                &["png", "jpg", "jpeg", "pdf"],
            ),
            Self::InspectionPhoto(_) => (
                t("claim.evidence_filter").to_owned(),
                &["png", "jpg", "jpeg"],
            ),
        }
    }

    /// The command that uses the files picked (none for a spot-check photo: the form keeps it
    /// until the spot check is saved).
    pub fn command(&self, mut paths: Vec<PathBuf>) -> Option<Command> {
        if let Self::ClaimEvidence(id) = self {
            return (!paths.is_empty()).then_some(Command::Service(
                ServiceCommand::ClaimAddFiles { id: *id, paths },
            ));
        }
        let path = paths.pop()?;
        Some(match self.clone() {
            Self::ExportWeek { week, format } => {
                Command::Service(ServiceCommand::ExportWeek { week, path, format })
            }
            Self::ExportClaimMonth { month, format } => {
                Command::Service(ServiceCommand::ExportClaimMonth {
                    month,
                    path,
                    format,
                })
            }
            Self::ExportMonthly {
                month,
                rewards,
                format,
            } => Command::Supervisor(SupervisorCommand::ExportMonthly {
                month,
                rewards,
                path,
                format,
            }),
            Self::ExportReception {
                from,
                to,
                monthly,
                format,
            } => Command::Service(ServiceCommand::ExportReception {
                from,
                to,
                monthly,
                path,
                format,
            }),
            Self::ExportAudit => Command::Supervisor(SupervisorCommand::ExportAudit(path)),
            Self::Print(record) => Command::Service(ServiceCommand::Print { record, path }),
            Self::ExportCustomers { full, xlsx } => {
                Command::Customer(CustomerCommand::Export { path, full, xlsx })
            }
            Self::ClaimEvidence(_) | Self::InspectionPhoto(_) => return None,
            Self::ExportAttendance { month, format } => {
                Command::Supervisor(SupervisorCommand::ExportAttendance {
                    month,
                    path,
                    format,
                })
            }
            Self::ExportDailyReports { day, format } => {
                Command::Supervisor(SupervisorCommand::ExportDailyReports { day, path, format })
            }
            Self::ExportWaybills { month, format } => {
                Command::Waybill(crate::app::WaybillCommand::Export {
                    month,
                    path,
                    format,
                })
            }
        })
    }
}

/// Who answers a [`FileFor`]: the system's dialog in the window, a function in tests. Returns
/// the files picked (none: cancelled).
pub type FilePicker = Box<dyn FnMut(&FileFor) -> Vec<PathBuf> + Send>;

/// Who opens a file written for the user (a printed document): the system's viewer in the
/// window, a function in tests.
pub type FileOpener = Box<dyn FnMut(&std::path::Path) + Send>;

/// Who sends a printed document to the default printer: the system's printing in the window
/// ([`crate::platform::print_to_default_printer`]), a function in tests. The error is a sentence
/// for the user.
pub type Printer = std::sync::Arc<dyn Fn(&std::path::Path) -> Result<(), String> + Send + Sync>;

/// The folder printed documents are written to before they go to the printer, and a file name
/// there for `record` at `now`. Files of earlier days are removed (the printer has long read
/// them).
pub fn print_spool(record: Record, now: chrono::NaiveDateTime) -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join("frontdesk-print");
    std::fs::create_dir_all(&dir)?;
    let today = now.format("%Y%m%d").to_string();
    for entry in std::fs::read_dir(&dir)?.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(&today) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let name = FileFor::Print(record).suggested_name();
    Ok(dir.join(format!("{}-{name}", now.format("%Y%m%d-%H%M%S"))))
}

/// Opens `path` with the program the system uses for its kind (a PDF viewer, which prints it),
/// without waiting for it; when there is none, the status line has already said where the file
/// is.
pub fn system_viewer(path: &std::path::Path) {
    if let Err(e) = open::that_detached(path) {
        tracing::warn!("cannot open {}: {e}", path.display());
    }
}

/// The system's file dialog (it is modal: the window waits for it, as every desktop program
/// does).
pub fn system_dialog(want: &FileFor) -> Vec<PathBuf> {
    let (name, extensions) = want.filter();
    let dialog = rfd::FileDialog::new().add_filter(name, extensions);
    match want {
        FileFor::ClaimEvidence(_) => dialog.pick_files().unwrap_or_default(),
        FileFor::InspectionPhoto(_) => dialog.pick_file().into_iter().collect(),
        _ => dialog
            .set_file_name(want.suggested_name())
            .save_file()
            .into_iter()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_export_suggests_a_name_with_its_extension_and_becomes_its_command() {
        let week = FileFor::ExportWeek {
            week: "2026-W48".into(),
            format: ExportFormat::Xlsx,
        };
        assert!(week.saves());
        assert_eq!(week.suggested_name(), "投诉周报-2026-W48.xlsx");
        assert_eq!(week.filter().1, &["xlsx"]);
        let path = PathBuf::from("w.xlsx");
        assert_eq!(
            week.command(vec![path.clone()]),
            Some(Command::Service(ServiceCommand::ExportWeek {
                week: "2026-W48".into(),
                path,
                format: ExportFormat::Xlsx,
            }))
        );
        assert_eq!(week.command(Vec::new()), None, "cancelled");
        let audit = FileFor::ExportAudit;
        assert_eq!(audit.suggested_name(), "审计记录.csv");
        let monthly = FileFor::ExportMonthly {
            month: "2026-11".into(),
            rewards: true,
            format: ExportFormat::Pdf,
        };
        assert_eq!(monthly.suggested_name(), "监察奖罚明细-2026-11.pdf");
        assert_eq!(monthly.filter().1, &["pdf"]);
        let (from, to) = (
            chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        );
        let reception = FileFor::ExportReception {
            from,
            to,
            monthly: true,
            format: ExportFormat::Pdf,
        };
        assert!(reception.saves());
        assert_eq!(
            reception.suggested_name(),
            "接待报表-按月-2026-10-01-2026-11-30.pdf"
        );
        assert_eq!(reception.filter().1, &["pdf"]);
        let path = PathBuf::from("r.pdf");
        assert_eq!(
            reception.command(vec![path.clone()]),
            Some(Command::Service(ServiceCommand::ExportReception {
                from,
                to,
                monthly: true,
                path,
                format: ExportFormat::Pdf,
            }))
        );
    }

    #[test]
    fn evidence_takes_every_file_picked_and_a_photo_stays_in_the_form() {
        let evidence = FileFor::ClaimEvidence(7);
        assert!(!evidence.saves());
        let paths = vec![PathBuf::from("a.png"), PathBuf::from("b.pdf")];
        assert_eq!(
            evidence.command(paths.clone()),
            Some(Command::Service(ServiceCommand::ClaimAddFiles {
                id: 7,
                paths
            }))
        );
        assert_eq!(evidence.command(Vec::new()), None);
        assert_eq!(
            FileFor::InspectionPhoto(0).command(vec![PathBuf::from("p.png")]),
            None
        );
    }
}
