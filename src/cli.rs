//! Headless jobs: init, demo, import, report, backup, restore, check, purge, config. Errors go to
//! standard error with a non-zero exit (see `main.rs`).
//!
//! Jobs that write (`init`, `demo`, `import`, `purge`, `restore`) act as the system and upgrade an
//! older database after a pre-migration backup in the backup folder. Jobs that only read
//! (`report`, `backup`, `check`) never create or change a database.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use chrono::{NaiveDate, NaiveDateTime};
use clap::{Parser, Subcommand, ValueEnum};

use crate::clock::Clock;
use crate::config::{self, Config};
use crate::domain::TIMESTAMP_FORMAT;
use crate::domain::customer::{Honorific, normalize_phone};
use crate::domain::validation::{self, COMPANY_MAX, NAME_MAX, PURPOSE_MAX, REGION_MAX};
use crate::domain::visit::{TravelMode, parse_party_size};
use crate::pdf::Header;
use crate::report;
use crate::store::visits::ImportedVisit;
use crate::store::{self, Store, visits};

/// FrontDesk (前台客服台): the customer-service front desk. Without a command, opens the window.
#[derive(Debug, Parser)]
#[command(name = "frontdesk", version = version_text(), about)]
pub struct Cli {
    /// The database file (default: `database` in frontdesk.toml, else frontdesk.sqlite3 in the
    /// per-user data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Opens the window, draws N frames, prints `first_frame_ms=…` (from start to the first
    /// frame) on standard output and exits: for measuring start-up (`benches/first_frame.sh`).
    #[arg(long, value_name = "N")]
    pub exit_after_frames: Option<u64>,
    /// A headless job; without one the window opens.
    #[command(subcommand)]
    pub command: Option<Job>,
}

/// A headless job.
#[derive(Debug, Subcommand)]
pub enum Job {
    /// Create an empty database (nothing happens if it exists).
    Init,
    /// Copy a database file into a new PostgreSQL server database, so several desks can share
    /// it: the file is checked and only read; the copy is one transaction, sealed and audited.
    /// Run it with the URL of the server's owner role (server-setup's frontdesk_owner) or of
    /// its administrator.
    Migrate {
        /// The SQLite database file to copy.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The server database: postgres://user@host:5432/name.
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Fill a database with a realistic demo (a few weeks of visits).
    Demo {
        /// The demo's weeks end at this local time (YYYY-MM-DD HH:MM:SS) instead of now: the
        /// same time gives the same records, e.g. for training or comparing two databases.
        #[arg(long, value_name = "TIME", value_parser = parse_time)]
        until: Option<NaiveDateTime>,
        /// Also N years of visits before those weeks (1–20), to try FrontDesk at scale: ten
        /// years at the default rate are about 1,000,000 visits.
        #[arg(long, value_name = "N")]
        years: Option<u32>,
        /// Visits a day in those years (1–2000).
        #[arg(long, value_name = "M", default_value_t = 274, requires = "years")]
        visits_per_day: u32,
    },
    /// Import records from a CSV or XLSX file; a file with any bad row imports nothing.
    Import {
        /// What to import.
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Write a report as CSV (default, to standard output), XLSX or PDF.
    Report {
        /// Which report.
        #[command(subcommand)]
        what: ReportWhat,
    },
    /// Print a record as an A4 PDF (reads the database only).
    Print {
        /// Which record.
        #[command(subcommand)]
        what: PrintWhat,
    },
    /// Checked online backup of the database (never changes it): into the backup folder as
    /// frontdesk-YYYYMMDD-HHMMSS.sqlite3, then the old ones beyond the rotation are removed; or
    /// to --out FILE, which is remembered so that purge scrubs it and check uses it as a witness.
    Backup {
        /// Backup file to write (must not exist); default: a new file in the backup folder.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Replace the database's contents with a backup (for office IT): the backup is checked, the
    /// current contents are kept as a pre-restore copy in the backup folder, and the restore is
    /// audited. The database must exist (a damaged one is moved aside and replaced).
    Restore {
        /// The backup file to restore.
        file: PathBuf,
    },
    /// Integrity and schema check; non-zero exit on a problem.
    Check,
    /// Anonymise personal details older than the retention periods after a pre-purge backup,
    /// scrub the file, remove backups older than the retention and rewrite the other backups and
    /// --out copies without the purged data; prints what it did. Non-zero exit when anything
    /// could not be scrubbed.
    Purge,
    /// Prepare a PostgreSQL database for FrontDesk as its administrator: roles (an owner, and a
    /// desk login that may only read and add to the audit trail and the record of changes), the
    /// schema created or upgraded, rights granted. With --print, only print the SQL for a DBA.
    ServerSetup {
        /// The administrator's URL, e.g. postgres://postgres@db.example:5432/frontdesk.
        #[arg(required_unless_present = "print")]
        url: Option<String>,
        /// Print the roles-and-rights SQL instead of running it.
        #[arg(long)]
        print: bool,
    },
    /// Show the configuration files and where the database and backups are, or set a value.
    Config {
        /// `set`; without it, shows the configuration.
        #[command(subcommand)]
        action: Option<ConfigAction>,
    },
}

/// Changes to a configuration file.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Set one value (`database` or `backup_folder`) in the machine-wide or the user's file.
    Set {
        /// Write the machine-wide file (for every user of the PC) instead of the user's.
        #[arg(long)]
        machine: bool,
        /// `database` or `backup_folder`.
        key: String,
        /// The path.
        value: String,
    },
}

/// What `--version` prints: the program version and the database schema version it writes.
pub fn version_text() -> &'static str {
    static TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{} (database schema version {})",
            env!("CARGO_PKG_VERSION"),
            store::SCHEMA_VERSION
        )
    });
    TEXT.as_str()
}

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// A visit register (columns in the README).
    Visits {
        /// CSV (UTF-8, with or without BOM) or XLSX (first sheet).
        file: PathBuf,
    },
    /// Customers (columns in the README); a customer with the same phone is updated.
    Customers {
        /// CSV (UTF-8, with or without BOM) or XLSX (first sheet).
        file: PathBuf,
    },
}

/// Output format of a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// CSV, UTF-8 (with a BOM when written to a file).
    #[default]
    Csv,
    /// Excel workbook.
    Xlsx,
    /// A4 PDF for printing (needs --out FILE).
    Pdf,
}

/// Which record to print.
#[derive(Debug, Subcommand)]
pub enum PrintWhat {
    /// The complaint record (《顾客投诉记录》): details, the six steps, the timeline, signatures.
    Complaint {
        /// The complaint's number.
        id: i64,
        /// The PDF file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The claim file for the insurer (理赔档案): details, amounts, the liability split with
    /// each party's amount, the insurer, evidence photos, the timeline, signatures.
    Claim {
        /// The claim's number.
        id: i64,
        /// The PDF file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// A spot check's sheet (检查记录表): items, results, notes, photos, rectifications,
    /// signatures.
    Inspection {
        /// The spot check's number.
        id: i64,
        /// The PDF file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// A visitor's pass (访客证, A6): name, company, host, purpose, date.
    Pass {
        /// The visit's number.
        id: i64,
        /// The PDF file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// A month's report: the month, and how and where to write it.
#[derive(Debug, clap::Args)]
pub struct MonthReport {
    /// Month, e.g. 2026-11.
    #[arg(long)]
    month: String,
    /// csv, xlsx or pdf.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Output file; `-` or none writes CSV to standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Which report.
#[derive(Debug, Subcommand)]
pub enum ReportWhat {
    /// Reception: one row per day and a total row.
    Reception {
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: NaiveDate,
        /// Last day (inclusive), YYYY-MM-DD.
        #[arg(long)]
        to: NaiveDate,
        /// csv, xlsx or pdf.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Output file; `-` or none writes CSV to standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Monthly claims report of the claims reported in a month.
    Claims(MonthReport),
    /// Monthly inspection report: one row per checklist item checked that month.
    Inspections(MonthReport),
    /// Monthly quality-anomaly analysis (质量异常分析): inspections, pass rate, the most failed
    /// items, complaints per category, reception figures, overdue rectifications; an XLSX or PDF
    /// file also gets the month's inspection report.
    Quality(MonthReport),
    /// Monthly reward/penalty details (监察奖罚明细): one row per entry, then each person's
    /// rewards, penalties and net amount.
    Rewards(MonthReport),
    /// Waybill change requests (更改收货人、联系电话) recorded in a month: one row per request,
    /// without the people's names and phones (CSV); an XLSX or PDF file also gets the summary
    /// (recorded, changed, refused, open, late).
    Waybills(MonthReport),
    /// Weekly complaint summary of the complaints received in an ISO week.
    Complaints {
        /// ISO week, e.g. 2026-W47.
        #[arg(long)]
        week: String,
        /// SLA figures as of this local time, `YYYY-MM-DD HH:MM:SS` (default: now), so a report
        /// can be reproduced later.
        #[arg(long, value_name = "TIME", value_parser = parse_time)]
        as_of: Option<NaiveDateTime>,
        /// csv, xlsx or pdf.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Output file; `-` or none writes CSV to standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Runs a headless job.
pub fn run(config: &Config, job: Job, clock: &Arc<dyn Clock>) -> anyhow::Result<()> {
    let mut location = config.database_location();
    let server = store::is_server_url(&location);
    let opens_database = !matches!(
        job,
        Job::Config { .. } | Job::ServerSetup { .. } | Job::Restore { .. } | Job::Migrate { .. }
    );
    let server_clock;
    let mut clock = clock;
    if server && opens_database {
        let (with_password, offset) = reach_server(location).map_err(store_error)?;
        location = with_password;
        // Records are stamped with the server's time, as the desks' windows stamp them.
        if let Some(offset) = offset {
            server_clock = Arc::new(crate::clock::OffsetClock::new(Arc::clone(clock), offset))
                as Arc<dyn Clock>;
            clock = &server_clock;
        }
    }
    let db = location.as_path();
    // A server URL is never a file: no job creates or looks for a file of that name.
    let shown = store::shown_location(db);
    if server && matches!(job, Job::Restore { .. }) {
        bail!(crate::i18n::tf("cli.server_backup", &[("url", &shown)]));
    }
    let clock = clock.as_ref();
    match job {
        Job::Migrate { from, to } => migrate(&from, &to, clock)?,
        Job::Init if server => {
            open(db, config, clock.now())?;
            eprintln!(
                "{shown} is ready (FrontDesk schema version {})",
                store::SCHEMA_VERSION
            );
        }
        Job::Init => init_file(db, config, clock)?,
        Job::Demo {
            until,
            years,
            visits_per_day,
        } => demo(db, config, clock, &shown, until, years, visits_per_day)?,
        Job::Import { what } => import(db, config, clock, what)?,
        Job::Report { what } => report(db, clock, what)?,
        Job::Print { what } => print(db, what)?,
        Job::Backup { out } if server => backup_server(db, config, clock, &shown, out)?,
        Job::Backup { out } => backup(config, out.as_deref(), clock.now())?,
        Job::Restore { file } => restore(config, &file, clock.now())?,
        Job::Purge => purge(db, config, clock)?,
        Job::Check if server => {
            let report = store::server::check(&db.to_string_lossy()).map_err(read_error)?;
            print_check(&shown, &report)?;
        }
        Job::Check => check_file(db, config)?,
        Job::ServerSetup { url, print } => server_setup(url, print)?,
        Job::Config { action: None } => print!("{}", describe_config(config)),
        Job::Config {
            action: Some(action),
        } => set_config(&action)?,
    }
    Ok(())
}

/// `frontdesk migrate`: copies the database file `from` into the server database at `to`,
/// printing each table's progress on standard error and the totals on standard output.
fn migrate(from: &Path, to: &str, clock: &dyn Clock) -> anyhow::Result<()> {
    let to = Path::new(to);
    if !store::is_server_url(to) {
        bail!("--to {} is not a postgres:// URL", to.display());
    }
    let (to, _) = reach_server(to.to_path_buf()).map_err(store_error)?;
    let shown_to = store::redacted_url(&to.to_string_lossy());
    let report = store::migrate::to_server(
        from,
        &to,
        crate::clock::whole_seconds(clock.now()),
        &mut |table, n| eprintln!("  {table}: {n}"),
    )
    .map_err(store_error)?;
    println!(
        "copied {} rows of {} tables from {} to {shown_to}",
        report.rows,
        report.tables.len(),
        from.display()
    );
    Ok(())
}

/// `frontdesk init` on a database file: creates it, or says that it already exists.
fn init_file(db: &Path, config: &Config, clock: &dyn Clock) -> anyhow::Result<()> {
    let existed = db.exists();
    open(db, config, clock.now())?;
    if existed {
        eprintln!("{} already exists; nothing changed", db.display());
    } else {
        eprintln!("created {}", db.display());
    }
    Ok(())
}

/// `frontdesk demo`: the demo weeks ending at `until` (default: now) and, with `years`, that many
/// earlier years of `visits_per_day` visits; prints what was written and the demo accounts.
fn demo(
    db: &Path,
    config: &Config,
    clock: &dyn Clock,
    shown: &str,
    until: Option<NaiveDateTime>,
    years: Option<u32>,
    visits_per_day: u32,
) -> anyhow::Result<()> {
    if let Some(years) = years {
        crate::demo::check_scale(years, visits_per_day).map_err(|e| {
            anyhow::anyhow!(
                "--years {years} --visits-per-day {visits_per_day}: {}",
                e.user_message()
            )
        })?;
    }
    let mut store = open(db, config, clock.now())?;
    let until = until.unwrap_or_else(|| clock.now());
    let mut n = crate::demo::fill(&mut store, until).map_err(store_error)?;
    if let Some(years) = years {
        let before = until.date() - chrono::Duration::days(21);
        let history = crate::demo::fill_history(
            &mut store,
            before,
            years,
            visits_per_day,
            &mut |done, total| eprintln!("demo: {done}/{total} visits of the earlier years"),
        )
        .map_err(store_error)?;
        eprintln!(
            "demo: the earlier years have {} visits, {} calls, {} complaints, {} claims and {} spot checks",
            history.visits, history.calls, history.complaints, history.claims, history.inspections
        );
        n += history.visits;
    }
    eprintln!(
        "demo: {n} visits written to {shown}; accounts admin and wuhao (supervisor), password {}",
        crate::demo::DEMO_PASSWORD
    );
    Ok(())
}

/// `frontdesk import`: reads the whole file first, then writes its rows in one transaction.
fn import(db: &Path, config: &Config, clock: &dyn Clock, what: ImportWhat) -> anyhow::Result<()> {
    match what {
        ImportWhat::Visits { file } => {
            let rows = read_visit_register(&file)?;
            let mut store = open(db, config, clock.now())?;
            let now = crate::clock::whole_seconds(clock.now());
            let n = store
                .write(|tx| visits::insert_imported(tx, &rows, now, "import"))
                .map_err(store_error)?;
            eprintln!("imported {n} visits");
        }
        ImportWhat::Customers { file } => {
            let rows = read_customer_list(&file)?;
            let mut store = open(db, config, clock.now())?;
            let now = crate::clock::whole_seconds(clock.now());
            let (added, updated) = store
                .write(|tx| store::customers::import(tx, &rows, now))
                .map_err(store_error)?;
            eprintln!("imported customers: {added} added, {updated} updated");
        }
    }
    Ok(())
}

/// `frontdesk report`: writes the report asked for, reading the database only.
fn report(db: &Path, clock: &dyn Clock, what: ReportWhat) -> anyhow::Result<()> {
    match what {
        ReportWhat::Reception {
            from,
            to,
            format,
            out,
        } => report_reception(db, from, to, format, out.as_deref()),
        ReportWhat::Complaints {
            week,
            as_of,
            format,
            out,
        } => report_complaints(db, clock, &week, as_of, format, out.as_deref()),
        ReportWhat::Claims(MonthReport { month, format, out }) => {
            report_claims(db, &month, format, out.as_deref())
        }
        ReportWhat::Inspections(MonthReport { month, format, out }) => {
            report_inspections(db, &month, format, out.as_deref())
        }
        ReportWhat::Quality(MonthReport { month, format, out }) => {
            report_monthly(db, clock, &month, false, format, out.as_deref())
        }
        ReportWhat::Rewards(MonthReport { month, format, out }) => {
            report_monthly(db, clock, &month, true, format, out.as_deref())
        }
        ReportWhat::Waybills(MonthReport { month, format, out }) => {
            report_waybills(db, clock, &month, format, out.as_deref())
        }
    }
}

/// The first day of `--month` (`2026-11`), or the error the command line gives for it.
fn parse_month(month: &str) -> anyhow::Result<NaiveDate> {
    report::claims::parse_month(month).with_context(|| {
        format!("--month {month} is not a month like 2026-11 (years 2000 to 2099)")
    })
}

/// `frontdesk report waybills`: the waybill change requests of `month`, late ones judged now.
fn report_waybills(
    db: &Path,
    clock: &dyn Clock,
    month: &str,
    format: Format,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    parse_month(month)?;
    let store = open_reading(db)?;
    let settings = store::settings::load(store.db()).map_err(read_error)?;
    let tables = crate::app::waybill_tables(store.db(), month, clock.now()).map_err(read_error)?;
    write_report(
        &crate::app::sheets(&tables),
        format,
        out,
        &Header::report(&settings, "pdf.report_waybills", month),
    )
}

/// `frontdesk report quality` and `report rewards`: the supervisor's monthly reports of
/// `month`, as the workbench's monthly tab exports them (overdue rectifications as of now).
fn report_monthly(
    db: &Path,
    clock: &dyn Clock,
    month: &str,
    rewards: bool,
    format: Format,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    parse_month(month)?;
    let store = open_reading(db)?;
    let settings = store::settings::load(store.db()).map_err(read_error)?;
    let tables = crate::app::monthly_tables(&store, month, clock.now(), &settings, rewards)
        .map_err(read_error)?;
    let tables = crate::app::sheets(&tables);
    let title = if rewards {
        "pdf.report_rewards"
    } else {
        "pdf.report_quality"
    };
    write_report(
        &tables,
        format,
        out,
        &Header::report(&settings, title, month),
    )
}

/// `frontdesk report reception`: one row per day from `from` to `to` and a total row.
fn report_reception(
    db: &Path,
    from: NaiveDate,
    to: NaiveDate,
    format: Format,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    validation::report_period(from, to)
        .map_err(|e| anyhow::anyhow!("--from {from} --to {to}: {}", e.user_message()))?;
    let store = open_reading(db)?;
    let settings = store::settings::load(store.db()).map_err(read_error)?;
    // Streamed, as the window reads it: ten years of visits are summed up without holding them.
    let rows = crate::app::reception_rows(
        store.db(),
        (from, to, report::reception::Rows::Daily),
        settings.rules.greeting_limit_secs,
    )
    .map_err(read_error)?;
    let period = format!("{from} — {to}");
    let doc = Header::report(&settings, "pdf.report_reception", &period);
    write_report(
        &[("reception", &report::reception::table(&rows))],
        format,
        out,
        &doc,
    )
}

/// `frontdesk report complaints`: the weekly summary of `week` with SLA figures as of `as_of`
/// (default: now); an XLSX file also gets the complaints sheet.
fn report_complaints(
    db: &Path,
    clock: &dyn Clock,
    week: &str,
    as_of: Option<NaiveDateTime>,
    format: Format,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    if report::complaints::parse_week(week).is_none() {
        bail!("--week {week} is not an ISO week like 2026-W47 (years 2000 to 2099)");
    }
    if let Some(at) = as_of {
        validation::report_day("report.as_of", at.date()).map_err(|e| {
            anyhow::anyhow!(
                "--as-of {}: {}",
                at.format(TIMESTAMP_FORMAT),
                e.user_message()
            )
        })?;
    }
    let store = open_reading(db)?;
    let settings = store::settings::load(store.db()).map_err(read_error)?;
    let as_of = as_of.unwrap_or_else(|| clock.now());
    let (summary, detail) =
        crate::app::week_tables(&store, week, as_of, &settings).map_err(read_error)?;
    let analysis =
        crate::app::week_analysis(&store, week, &summary, &settings).map_err(read_error)?;
    let doc = Header::report(&settings, "pdf.report_complaints", week);
    write_report(
        &[
            ("summary", &summary),
            ("complaints", &detail),
            ("analysis", &analysis),
        ],
        format,
        out,
        &doc,
    )
}

/// `frontdesk report claims`: the monthly claims summary of `month`; an XLSX file also gets the
/// claims sheet.
fn report_claims(db: &Path, month: &str, format: Format, out: Option<&Path>) -> anyhow::Result<()> {
    parse_month(month)?;
    let store = open_reading(db)?;
    let (summary, detail) = crate::app::month_tables(&store, month).map_err(read_error)?;
    let settings = store::settings::load(store.db()).map_err(read_error)?;
    let analysis = crate::app::month_analysis(&store, month).map_err(read_error)?;
    let doc = Header::report(&settings, "pdf.report_claims", month);
    write_report(
        &[
            ("summary", &summary),
            ("claims", &detail),
            ("analysis", &analysis),
        ],
        format,
        out,
        &doc,
    )
}

/// `frontdesk report inspections`: one row per checklist item checked in `month`.
fn report_inspections(
    db: &Path,
    month: &str,
    format: Format,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    let first = parse_month(month)?;
    let store = open_reading(db)?;
    let (from, to) = report::claims::month_bounds(first);
    let list = store
        .read_as(crate::domain::account::Action::ReadSupervisorData, |conn| {
            store::inspections::between(conn, from, to)
        })
        .map_err(read_error)?;
    let rows = report::inspections::build(&list);
    let settings = store::settings::load(store.db()).map_err(read_error)?;
    let doc = Header::report(&settings, "pdf.report_inspections", month);
    write_report(
        &[("inspections", &report::inspections::table(&rows))],
        format,
        out,
        &doc,
    )
}

/// `frontdesk print`: a record as a PDF.
fn print(db: &Path, what: PrintWhat) -> anyhow::Result<()> {
    use crate::pdf::documents::Record;
    let (record, out, kind) = match what {
        PrintWhat::Complaint { id, out } => (Record::Complaint(id), out, "complaint"),
        PrintWhat::Claim { id, out } => (Record::Claim(id), out, "claim"),
        PrintWhat::Inspection { id, out } => (Record::Inspection(id), out, "inspection"),
        PrintWhat::Pass { id, out } => (Record::Pass(id), out, "visit"),
    };
    let store = open_reading(db)?;
    // The record is printed in the language the window is set to.
    let settings = store::settings::load(store.db()).map_err(read_error)?;
    crate::i18n::set_lang(settings.lang);
    let bytes = crate::pdf::documents::print(&store, record).map_err(|e| match e {
        store::StoreError::NotFound => anyhow::anyhow!("{kind} #{} does not exist", record.id()),
        e => read_error(e),
    })?;
    std::fs::write(&out, bytes).with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!("written {}", out.display());
    Ok(())
}

/// `frontdesk backup` of a server database: copies it into a database file, `out` or a new file
/// in the backup folder.
fn backup_server(
    db: &Path,
    config: &Config,
    clock: &dyn Clock,
    shown: &str,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let now = crate::clock::whole_seconds(clock.now());
    let out = out.unwrap_or_else(|| {
        config
            .backup_folder
            .value
            .join(store::backup::file_name(now, store::backup::Kind::Manual))
    });
    let from = open_reading(db)?;
    let report =
        store::migrate::server_to_file(&from, &out, now, &mut |_, _| {}).map_err(store_error)?;
    eprintln!(
        "copied {} rows of {shown} into {} (a database file; frontdesk migrate reads it back)",
        report.rows,
        out.display()
    );
    Ok(())
}

/// `frontdesk purge`: anonymises what is past its retention everywhere and prints what it did.
fn purge(db: &Path, config: &Config, clock: &dyn Clock) -> anyhow::Result<()> {
    let now = crate::clock::whole_seconds(clock.now());
    let mut store = open(db, config, now)?;
    let rotation =
        config.rotation(store::backup::rotation_setting(store.db()).map_err(store_error)?);
    let mut shown = 0;
    let done = store::privacy::purge_everywhere(
        &mut store,
        &config.backup_folder.value,
        config::anchor_dir().as_deref(),
        now,
        rotation,
        &mut |so_far, _| {
            // A line now and then on a long purge (the first one of a big file).
            let rows = so_far.visits + so_far.calls + so_far.customers;
            if rows >= shown + PURGE_PROGRESS_ROWS {
                shown = rows;
                eprintln!(
                    "purge: {} visits, {} calls, {} customers anonymised so far",
                    so_far.visits, so_far.calls, so_far.customers
                );
            }
            std::ops::ControlFlow::Continue(())
        },
    )
    .map_err(|e| match e {
        // Only the pre-purge backup needs free space or checks a copy it wrote.
        store::StoreError::LowSpace { .. } | store::StoreError::BadBackup { .. } => {
            anyhow::anyhow!(crate::i18n::tf(
                "cli.purge_not_started",
                &[("detail", &e.user_message())]
            ))
        }
        other => store_error(other),
    })?;
    let r = &done.report;
    println!(
        "anonymised: {} visits, {} calls, {} customers, {} waybill changes; removed {} old \
         backups; rewrote {} backups without the purged data",
        r.visits, r.calls, r.customers, r.waybills, done.backups_removed, done.backups_rewritten
    );
    if let Some(copy) = &done.pre_purge {
        println!("pre-purge backup: {}", copy.display());
    }
    Ok(())
}

/// `frontdesk check` of a database file, which must exist: prints the check's report.
fn check_file(db: &Path, config: &Config) -> anyhow::Result<()> {
    if !db.exists() {
        return Err(store_error(store::StoreError::Missing {
            path: db.to_path_buf(),
        }));
    }
    let report = store::check_file_report(
        db,
        config::anchor_dir().as_deref(),
        &config.backup_folder.value,
    )
    .map_err(store_error)?;
    print_check(&db.display().to_string(), &report)
}

/// `frontdesk server-setup`: sets up the server at `url`, or with `print` prints the SQL.
fn server_setup(url: Option<String>, print: bool) -> anyhow::Result<()> {
    if let (false, Some(url)) = (print, url) {
        if !store::is_server_url(Path::new(&url)) {
            bail!("{url} is not a postgres:// URL");
        }
        store::server::setup(&url).map_err(store_error)?;
        println!(
            "set up {} for FrontDesk (schema version {}): desks connect as frontdesk_desk",
            store::redacted_url(&url),
            store::SCHEMA_VERSION
        );
    } else {
        print!("{}", store::pg::SERVER_SETUP);
    }
    Ok(())
}

/// Reaches the server once before a job: when it asks for a password none of the usual places
/// gives (see [`store::connect`]), asks for it on the terminal, if there is one; returns the URL
/// (with that password) and how far the server's clock is ahead of this PC's. A server that
/// cannot be reached, or refuses the login, is an error at once.
fn reach_server(
    location: PathBuf,
) -> Result<(PathBuf, Option<chrono::Duration>), store::StoreError> {
    use std::io::IsTerminal as _;
    let offset_of =
        |pg: &store::db::PgConn| store::server::clock_offset(store::db::Db::Postgres(pg));
    let url = location.to_string_lossy().into_owned();
    // The connection made here is the job's own (the store takes it), not a second one.
    let keep = |url: &str, pg: store::db::PgConn| {
        let offset = offset_of(&pg);
        store::connect::keep_spare(url, pg);
        offset
    };
    match store::connect::connect(&url) {
        Ok(pg) => Ok((location, keep(&url, pg))),
        Err(store::StoreError::ServerPassword { wrong: false, .. })
            if std::io::stdin().is_terminal() =>
        {
            let prompt = crate::i18n::tf(
                "cli.password_prompt",
                &[("url", &store::redacted_url(&url))],
            );
            let password = rpassword::prompt_password(prompt).unwrap_or_default();
            let with = store::connect::with_password(&url, &password);
            let pg = store::connect::connect(&with)?;
            let offset = keep(&with, pg);
            Ok((PathBuf::from(with), offset))
        }
        Err(e) => Err(e),
    }
}

/// `frontdesk config`: the files looked for and the values in use, with where each came from.
pub fn describe_config(config: &Config) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for f in &config.files {
        let state = if f.present { "read" } else { "not present" };
        let _ = writeln!(out, "{} file: {} ({state})", f.scope, f.path.display());
    }
    for (key, v) in [
        ("database", &config.database),
        ("backup_folder", &config.backup_folder),
    ] {
        let from = match &v.source {
            config::Source::CommandLine => "--db".to_owned(),
            config::Source::File { path, line, .. } => format!("{}:{line}", path.display()),
            config::Source::Default => "default".to_owned(),
        };
        let _ = writeln!(out, "{key} = {} (from {from})", v.shown());
    }
    if let Some(p) = &config.database_password
        && let config::Source::File { path, line, .. } = &p.source
    {
        let _ = writeln!(
            out,
            "database_password = *** (from {}:{line})",
            path.display()
        );
    }
    if let Some(d) = &config.desk_name
        && let config::Source::File { path, line, .. } = &d.source
    {
        let _ = writeln!(
            out,
            "desk_name = {} (from {}:{line})",
            d.value,
            path.display()
        );
    }
    // Only said, never created: `config` reads no database.
    let state = if config.database.value.is_file() {
        crate::i18n::t("cli.database_present")
    } else {
        crate::i18n::t("cli.database_absent")
    };
    let _ = writeln!(out, "database: {state}");
    out
}

/// `frontdesk config set`: writes one value into the machine-wide or the user's file. Needs no
/// database and no readable configuration (it may be run to repair one).
pub fn set_config(action: &ConfigAction) -> anyhow::Result<()> {
    let ConfigAction::Set {
        machine,
        key,
        value,
    } = action;
    let scope = if *machine {
        config::Scope::Machine
    } else {
        config::Scope::User
    };
    let Some(path) = config::config_path(scope) else {
        bail!("this system has no per-user configuration folder; use --machine");
    };
    config::set_value(&path, key, value).map_err(|e| anyhow::anyhow!(e.user_message()))?;
    let shown = if key == "database_password" {
        "***"
    } else {
        value.as_str()
    };
    eprintln!("{key} = {shown} written to {}", path.display());
    Ok(())
}

fn parse_time(s: &str) -> Result<NaiveDateTime, String> {
    NaiveDateTime::parse_from_str(s.trim(), TIMESTAMP_FORMAT)
        .map_err(|_| format!("'{s}' is not a time YYYY-MM-DD HH:MM:SS"))
}

/// Opens the database for a job that writes; the command line acts as the system (whoever may
/// open the file). An older database is upgraded after a pre-migration backup in the backup
/// folder, named for `now`.
fn open(db: &Path, config: &Config, now: NaiveDateTime) -> anyhow::Result<Store> {
    let now = crate::clock::whole_seconds(now);
    let mut store = Store::open_with_backups(db, Some((&config.backup_folder.value, now)))
        .map_err(store_error)?;
    store.set_actor(crate::domain::account::Actor::system());
    store.set_anchor_dir(config::anchor_dir());
    if let Some(desk) = &config.desk_name {
        store.set_desk(&desk.value);
    }
    Ok(store)
}

/// `frontdesk backup`: a checked copy into the backup folder (with the rotation) or to `out`
/// (remembered beside the anchors). Reads only.
fn backup(config: &Config, out: Option<&Path>, now: NaiveDateTime) -> anyhow::Result<()> {
    let db = config.database.value.as_path();
    let store = open_reading(db)?;
    let failed = |path: &Path, e: store::StoreError| {
        let detail = match e {
            store::StoreError::LowSpace { .. } | store::StoreError::BadBackup { .. } => {
                e.user_message()
            }
            other => other.to_string(),
        };
        anyhow::anyhow!(crate::i18n::tf(
            "cli.backup_failed",
            &[("path", &path.display().to_string()), ("detail", &detail)]
        ))
    };
    let Some(out) = out else {
        let folder = &config.backup_folder.value;
        let rotation =
            config.rotation(store::backup::rotation_setting(store.db()).map_err(read_error)?);
        let now = crate::clock::whole_seconds(now);
        let written = store
            .backup_into(
                folder,
                now,
                store::backup::Kind::Automatic,
                rotation,
                &mut store::backup::keep_going,
            )
            .map_err(|e| failed(folder, e))?;
        eprintln!("backup written to {}", written.display());
        return Ok(());
    };
    if out.exists() {
        bail!("{} already exists; choose another --out", out.display());
    }
    store.backup_to(out).map_err(|e| failed(out, e))?;
    eprintln!("backup written to {}", out.display());
    // Remembered so that purge scrubs the copy too and check takes it as a witness.
    let id = store::seal::database_id(store.db()).map_err(read_error)?;
    if let (Some(dir), Some(id)) = (config::anchor_dir(), id) {
        store::backup::remember_copy(&dir, &id, out).with_context(|| {
            format!(
                "the copy {} was written but could not be listed in {}: purge will not scrub it",
                out.display(),
                dir.display()
            )
        })?;
    }
    Ok(())
}

/// `frontdesk restore FILE`: checks the backup, keeps a pre-restore copy, restores and says what
/// it did. A missing database is refused; a damaged one is moved aside and replaced.
fn restore(config: &Config, file: &Path, now: NaiveDateTime) -> anyhow::Result<()> {
    let db = config.database.value.as_path();
    let now = crate::clock::whole_seconds(now);
    if !db.exists() {
        return Err(store_error(store::StoreError::Missing {
            path: db.to_path_buf(),
        }));
    }
    let counts = store::backup::inspect(file).map_err(|e| {
        anyhow::anyhow!(crate::i18n::tf(
            "cli.restore_refused",
            &[
                ("path", &file.display().to_string()),
                ("detail", &e.user_message_reading()),
            ]
        ))
    })?;
    let folder = &config.backup_folder.value;
    let made = file
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(store::backup::parse_file_name)
        .map_or_else(
            || "unknown (not named like a FrontDesk backup)".to_owned(),
            |(at, _)| at.format(TIMESTAMP_FORMAT).to_string(),
        );
    let kept = match Store::open_with_backups(db, Some((folder, now))) {
        Ok(mut store) => {
            store.set_actor(crate::domain::account::Actor::system());
            store.set_anchor_dir(config::anchor_dir());
            let done = store
                .restore_from(file, folder, now, &mut |_| {})
                .map_err(|e| match e {
                    // The pre-restore copy comes first: without it nothing is replaced.
                    store::StoreError::LowSpace { .. } | store::StoreError::BadBackup { .. } => {
                        anyhow::anyhow!(crate::i18n::tf(
                            "cli.restore_not_started",
                            &[("detail", &e.user_message())]
                        ))
                    }
                    other => store_error(other),
                })?;
            format!(
                "pre-restore copy of the replaced contents: {}\n\
                 {} later entries of the record of changes noted as superseded",
                done.pre_restore.display(),
                done.superseded
            )
        }
        // A database SQLite cannot read is not copied; it is moved aside, unchanged.
        Err(e) if e.is_damage() => {
            let aside = store::backup::replace_damaged(
                db,
                file,
                config::anchor_dir().as_deref(),
                now,
                &mut |_| {},
            )
            .map_err(store_error)?;
            format!("the damaged file was moved to {}", aside.display())
        }
        Err(e) => return Err(store_error(e)),
    };
    println!("restored {} into {}", file.display(), db.display());
    println!(
        "backup made: {made}; newest record: {}",
        counts.newest_record.as_deref().unwrap_or("none")
    );
    println!(
        "records: {} visits, {} calls, {} complaints, {} claims, {} customers, {} inspections (schema version {})",
        counts.visits,
        counts.calls,
        counts.complaints,
        counts.claims,
        counts.customers,
        counts.inspections,
        counts.schema_version
    );
    println!("{kept}");
    Ok(())
}

/// Opens the database for a job that only reads (reports, backups): a missing, empty, foreign,
/// newer or out-of-date file is refused and left as it was; nothing is created or written.
fn open_reading(db: &Path) -> anyhow::Result<Store> {
    let mut store = Store::open_read_only(db).map_err(read_error)?;
    store.set_actor(crate::domain::account::Actor::system());
    Ok(store)
}

fn store_error(e: store::StoreError) -> anyhow::Error {
    anyhow::anyhow!(e.user_message())
}

/// A failure of a job that only reads: says that reading failed.
fn read_error(e: store::StoreError) -> anyhow::Error {
    anyhow::anyhow!(e.user_message_reading())
}

/// Writes a report's tables: CSV (the first table), an XLSX workbook (a sheet each) or a PDF
/// (each table under its heading, `doc` in every page's header).
fn write_report(
    tables: &[(&str, &report::Table)],
    format: Format,
    out: Option<&Path>,
    doc: &Header,
) -> anyhow::Result<()> {
    match (format, out.filter(|p| p.as_os_str() != "-")) {
        (_, Some(path)) => {
            crate::app::write_export(tables, path, format.into(), doc)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            eprintln!("written {}", path.display());
        }
        (Format::Csv, None) => {
            let (_, table) = tables.first().context("nothing to write")?;
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            report::write_csv(table, &mut lock, false)?;
            lock.flush()?;
        }
        (Format::Xlsx, None) => bail!("--format xlsx needs --out FILE"),
        (Format::Pdf, None) => bail!("--format pdf needs --out FILE"),
    }
    Ok(())
}

impl From<Format> for crate::app::ExportFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Csv => Self::Csv,
            Format::Xlsx => Self::Xlsx,
            Format::Pdf => Self::Pdf,
        }
    }
}

/// A problem in one row of an import file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// Line number in the file (the header is line 1).
    pub line: usize,
    /// Column name.
    pub column: String,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.reason
        )
    }
}

/// How many more rows `purge` anonymises between two progress lines.
const PURGE_PROGRESS_ROWS: usize = 50_000;

const VISIT_COLUMNS: [&str; 12] = [
    "arrived_at",
    "surname",
    "honorific",
    "name",
    "phone",
    "company",
    "purpose",
    "party_size",
    "greeted_at",
    "water_served_at",
    "departed_at",
    "travel_mode",
];

/// Reads a file as a header and rows of text cells with their line numbers.
/// A file read as text cells: the header, then each data row with its line number.
type Cells = (Vec<String>, Vec<(usize, Vec<String>)>);

fn read_cells(path: &Path) -> anyhow::Result<Cells> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "xlsx" || ext == "xls" || ext == "xlsm" || ext == "ods" {
        use calamine::{Data, DataType as _, Reader as _};
        let mut book = calamine::open_workbook_auto(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        let Some(Ok(range)) = book.worksheet_range_at(0) else {
            bail!("{} has no worksheet", path.display());
        };
        let mut rows = range.rows();
        let header = rows
            .next()
            .map(|r| r.iter().map(|c| c.to_string().trim().to_owned()).collect())
            .unwrap_or_default();
        let start = range.start().map_or(0, |(r, _)| r as usize);
        let data = rows
            .enumerate()
            .map(|(i, r)| {
                let cells = r
                    .iter()
                    .map(|c| match c {
                        Data::DateTime(_) | Data::DateTimeIso(_) => c
                            .as_datetime()
                            .map(|d| d.format(TIMESTAMP_FORMAT).to_string())
                            .unwrap_or_else(|| c.to_string()),
                        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                        _ => c.to_string(),
                    })
                    .collect();
                (start + i + 2, cells)
            })
            .collect();
        return Ok((header, data));
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader
        .headers()?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    // The csv crate's own line numbers are wrong after CRLF line ends and blank lines, so the
    // physical line of each record is counted here: a record starts at the first byte after the
    // previous record that is not a line end, and its line is one more than the `\n`s before it.
    let mut lines = LineCounter::new(bytes);
    let mut data = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let previous_end = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX);
        let more = reader
            .read_record(&mut record)
            .context("the file is not valid UTF-8 CSV")?;
        if !more {
            break;
        }
        let line = lines.line_of_record_after(previous_end);
        data.push((line, record.iter().map(str::to_owned).collect()));
    }
    Ok((header, data))
}

/// Physical line numbers (from 1) of positions in a file, counted forward only.
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// Position up to which line ends have been counted.
    at: usize,
    /// Line ends (`\n`) before `at`.
    newlines: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            at: 0,
            newlines: 0,
        }
    }

    /// The line on which the record that follows `end` (the end of the previous record) starts:
    /// line ends (blank lines, a CR or LF left of the previous terminator) are skipped first.
    fn line_of_record_after(&mut self, end: usize) -> usize {
        let mut start = end.min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.at {
            self.newlines += self.bytes[self.at..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.at = start;
        }
        self.newlines + 1
    }
}

/// Reads and checks a visit register; any bad row fails the whole file with every problem listed.
pub fn read_visit_register(path: &Path) -> anyhow::Result<Vec<ImportedVisit>> {
    let (header, data) = read_cells(path)?;
    let mut errors = Vec::new();
    let mut index = std::collections::HashMap::new();
    for (i, name) in header.iter().enumerate() {
        if !VISIT_COLUMNS.contains(&name.as_str()) {
            errors.push(RowError {
                line: 1,
                column: name.clone(),
                reason: "unknown column".into(),
            });
        } else if index.insert(name.as_str(), i).is_some() {
            errors.push(RowError {
                line: 1,
                column: name.clone(),
                reason: "column appears twice".into(),
            });
        }
    }
    for required in ["arrived_at", "surname", "honorific"] {
        if !index.contains_key(required) {
            errors.push(RowError {
                line: 1,
                column: required.into(),
                reason: "required column is missing".into(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(import_failed(&errors));
    }
    let mut rows = Vec::new();
    for (line, cells) in &data {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |col: &str| -> &str {
            index
                .get(col)
                .and_then(|&i| cells.get(i))
                .map_or("", |s| s.trim())
        };
        let mut err = |column: &str, reason: String| {
            errors.push(RowError {
                line: *line,
                column: column.into(),
                reason,
            })
        };
        let time = |col: &str, err: &mut dyn FnMut(&str, String)| -> Option<NaiveDateTime> {
            let s = get(col);
            if s.is_empty() {
                return None;
            }
            match NaiveDateTime::parse_from_str(s, TIMESTAMP_FORMAT) {
                Ok(t) => Some(t),
                Err(_) => {
                    err(
                        col,
                        format!("'{}' is not a time YYYY-MM-DD HH:MM:SS", shown(s)),
                    );
                    None
                }
            }
        };
        let arrived = time("arrived_at", &mut err);
        if get("arrived_at").is_empty() {
            err("arrived_at", "required".into());
        }
        let surname = surname_cell(get("surname"), &mut err);
        let name = text_cell("name", get("name"), NAME_MAX, &mut err);
        let company = text_cell("company", get("company"), COMPANY_MAX, &mut err);
        let purpose = validation::multi_line("field.purpose", get("purpose"), PURPOSE_MAX)
            .unwrap_or_else(|e| {
                err("purpose", e.user_message());
                String::new()
            });
        let honorific = Honorific::parse(get("honorific"));
        if honorific.is_none() {
            err(
                "honorific",
                format!("'{}' must be 先生 or 女士", shown(get("honorific"))),
            );
        }
        let phone = normalize_phone(get("phone")).unwrap_or_else(|_| {
            err(
                "phone",
                format!("'{}' is not a phone number", shown(get("phone"))),
            );
            String::new()
        });
        let party_size = parse_party_size(get("party_size")).unwrap_or_else(|_| {
            err(
                "party_size",
                format!("'{}' is not a whole number ≥ 1", shown(get("party_size"))),
            );
            1
        });
        let later = |col: &str, err: &mut dyn FnMut(&str, String)| {
            let t = time(col, err)?;
            if let Some(a) = arrived
                && t < a
            {
                err(col, "earlier than arrived_at".into());
            }
            Some(t)
        };
        let greeted_at = later("greeted_at", &mut err);
        let water_served_at = later("water_served_at", &mut err);
        let departed_at = later("departed_at", &mut err);
        let travel = get("travel_mode");
        let travel_mode = TravelMode::parse(travel);
        if !travel.is_empty() && travel_mode.is_none() {
            err(
                "travel_mode",
                format!(
                    "'{}' must be one of 火车, 飞机, 自驾, 打车, 其他",
                    shown(travel)
                ),
            );
        }
        if let (Some(arrived_at), Some(honorific)) = (arrived, honorific) {
            rows.push(ImportedVisit {
                arrived_at,
                surname,
                honorific,
                name,
                phone,
                company,
                purpose,
                party_size,
                greeted_at,
                water_served_at,
                departed_at,
                travel_mode,
            });
        }
    }
    if !errors.is_empty() {
        return Err(import_failed(&errors));
    }
    Ok(rows)
}

/// A cell's value as quoted in a problem: control characters escaped, at most 40 characters.
fn shown(value: &str) -> String {
    const MAX: usize = 40;
    let mut out: String = value
        .chars()
        .take(MAX)
        .flat_map(char::escape_debug)
        .collect();
    if value.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out
}

/// Checks a surname cell with the form's rule; a problem is recorded against the column.
fn surname_cell(value: &str, err: &mut dyn FnMut(&str, String)) -> String {
    if value.is_empty() {
        err("surname", "required".into());
        return String::new();
    }
    validation::surname(value).unwrap_or_else(|e| {
        err("surname", e.user_message());
        String::new()
    })
}

/// Checks a one-line text cell (`name`, `company`, …) with the form's rule (length, no control
/// characters); a problem is recorded against the column.
fn text_cell(column: &str, value: &str, max: usize, err: &mut dyn FnMut(&str, String)) -> String {
    let field = match column {
        "name" => "field.name",
        "company" => "field.company",
        _ => "field.region",
    };
    validation::single_line(field, value, max).unwrap_or_else(|e| {
        err(column, e.user_message());
        String::new()
    })
}

fn import_failed(errors: &[RowError]) -> anyhow::Error {
    let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
    anyhow::anyhow!(
        "nothing imported; {} problem(s):\n{}",
        errors.len(),
        list.join("\n")
    )
}

const CUSTOMER_COLUMNS: [&str; 8] = [
    "surname",
    "honorific",
    "name",
    "phone",
    "company",
    "region",
    "key_account",
    "credit_grade",
];

/// Reads and checks a customer list; any bad row fails the whole file with every problem listed.
pub fn read_customer_list(path: &Path) -> anyhow::Result<Vec<store::customers::ImportedCustomer>> {
    let (header, data) = read_cells(path)?;
    let mut errors = Vec::new();
    let mut index = std::collections::HashMap::new();
    for (i, name) in header.iter().enumerate() {
        if !CUSTOMER_COLUMNS.contains(&name.as_str()) {
            errors.push(RowError {
                line: 1,
                column: name.clone(),
                reason: "unknown column".into(),
            });
        } else if index.insert(name.as_str(), i).is_some() {
            errors.push(RowError {
                line: 1,
                column: name.clone(),
                reason: "column appears twice".into(),
            });
        }
    }
    for required in ["surname", "honorific"] {
        if !index.contains_key(required) {
            errors.push(RowError {
                line: 1,
                column: required.into(),
                reason: "required column is missing".into(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(import_failed(&errors));
    }
    let mut rows = Vec::new();
    for (line, cells) in &data {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |col: &str| -> &str {
            index
                .get(col)
                .and_then(|&i| cells.get(i))
                .map_or("", |s| s.trim())
        };
        let mut err = |column: &str, reason: String| {
            errors.push(RowError {
                line: *line,
                column: column.into(),
                reason,
            })
        };
        let surname = surname_cell(get("surname"), &mut err);
        let name = text_cell("name", get("name"), NAME_MAX, &mut err);
        let company = text_cell("company", get("company"), COMPANY_MAX, &mut err);
        let region = text_cell("region", get("region"), REGION_MAX, &mut err);
        let honorific = Honorific::parse(get("honorific"));
        if honorific.is_none() {
            err(
                "honorific",
                format!("'{}' must be 先生 or 女士", shown(get("honorific"))),
            );
        }
        let phone = normalize_phone(get("phone")).unwrap_or_else(|_| {
            err(
                "phone",
                format!("'{}' is not a phone number", shown(get("phone"))),
            );
            String::new()
        });
        let key_account = match get("key_account") {
            "" | "否" | "0" | "false" | "no" => false,
            "是" | "1" | "true" | "yes" => true,
            other => {
                err(
                    "key_account",
                    format!("'{}' must be 是 or 否", shown(other)),
                );
                false
            }
        };
        let grade = get("credit_grade").to_ascii_uppercase();
        if !grade.is_empty() && !["A", "B", "C", "D"].contains(&grade.as_str()) {
            err(
                "credit_grade",
                format!("'{}' must be A, B, C or D", shown(&grade)),
            );
        }
        if let Some(honorific) = honorific {
            rows.push(store::customers::ImportedCustomer {
                surname,
                honorific,
                name,
                phone,
                company,
                region,
                key_account,
                credit_grade: (!grade.is_empty()).then_some(grade),
            });
        }
    }
    if !errors.is_empty() {
        return Err(import_failed(&errors));
    }
    Ok(rows)
}

/// Prints what `check` verified; an error naming the problems when there are any.
fn print_check(name: &str, report: &store::CheckReport) -> anyhow::Result<()> {
    let seals = &report.seals;
    let verified = format!(
        "verified: integrity, schema, {} sealed tables with {} rows, {} entries in the record of changes, \
         {} outside copies of its head (anchor and backups), {} audit entries",
        seals.tables, seals.rows, seals.chain_len, seals.witnesses, report.audit_entries
    );
    if !report.problems.is_empty() {
        for p in &report.problems {
            eprintln!("problem: {p}");
        }
        eprintln!("{verified}");
        bail!("{} problem(s) in {name}", report.problems.len());
    }
    println!("ok: {name} (schema version {})", store::SCHEMA_VERSION);
    println!("{verified}");
    if report.as_backup {
        println!(
            "checked as a backup: a copy of an earlier moment, so it was not compared with \
             the newer heads seen by the anchor and the other backups"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "arrived_at,surname,honorific,purpose";

    /// Writes `text` as a CSV file and returns the import problems' line numbers.
    fn problem_lines(text: &[u8]) -> Vec<usize> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("visits.csv");
        std::fs::write(&path, text).unwrap();
        let err = read_visit_register(&path).unwrap_err().to_string();
        err.lines()
            .filter_map(|l| l.strip_prefix("line "))
            .map(|l| l.split(',').next().unwrap().parse().unwrap())
            .collect()
    }

    fn register(rows: &[&str], line_end: &str) -> Vec<u8> {
        let mut text = String::from(HEADER);
        for r in rows {
            text.push_str(line_end);
            text.push_str(r);
        }
        text.push_str(line_end);
        text.into_bytes()
    }

    const GOOD: &str = "2026-11-23 09:00:00,王,先生,取件";
    const BAD: &str = "2026-11-23 09:00:00,王,老板,取件";

    #[test]
    fn line_numbers_with_lf_and_crlf() {
        for end in ["\n", "\r\n"] {
            assert_eq!(problem_lines(&register(&[GOOD, BAD], end)), [3], "{end:?}");
            assert_eq!(problem_lines(&register(&[BAD, GOOD, BAD], end)), [2, 4]);
        }
    }

    #[test]
    fn line_numbers_after_blank_lines() {
        for end in ["\n", "\r\n"] {
            assert_eq!(
                problem_lines(&register(&[GOOD, "", "", BAD], end)),
                [5],
                "{end:?}"
            );
            assert_eq!(problem_lines(&register(&["", BAD, "", BAD], end)), [3, 5]);
        }
    }

    #[test]
    fn line_numbers_after_a_quoted_multi_line_cell() {
        for end in ["\n", "\r\n"] {
            let multi = format!("2026-11-23 09:00:00,王,先生,\"取件{end}并{end}咨询\"");
            assert_eq!(
                problem_lines(&register(&[multi.as_str(), BAD], end)),
                [5],
                "{end:?}"
            );
            // The bad row itself spans lines: its first line is named.
            let bad_multi = format!("2026-11-23 09:00:00,王,老板,\"a{end}b\"");
            assert_eq!(
                problem_lines(&register(&[GOOD, bad_multi.as_str(), BAD], end)),
                [3, 5]
            );
        }
    }

    #[test]
    fn line_numbers_with_a_bom() {
        for end in ["\n", "\r\n"] {
            let mut text = "\u{feff}".as_bytes().to_vec();
            text.extend(register(&[GOOD, "", BAD], end));
            assert_eq!(problem_lines(&text), [4], "{end:?}");
        }
    }

    #[test]
    fn long_names_nul_bytes_and_foreign_surnames() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("visits.csv");
        let long = "名".repeat(10_000);
        std::fs::write(
            &path,
            format!(
                "arrived_at,surname,honorific,name,company\n\
                 2026-11-23 09:00:00,王,先生,{long},\n\
                 2026-11-23 09:00:00,王,先生,张\0三,\n\
                 2026-11-23 09:00:00,王\0,先生,,\n"
            ),
        )
        .unwrap();
        let err = read_visit_register(&path).unwrap_err().to_string();
        assert!(err.contains("line 2, column name"), "{err}");
        assert!(err.contains("line 3, column name"), "{err}");
        assert!(err.contains("line 4, column surname"), "{err}");
        assert!(err.contains("3 problem(s)"), "{err}");
        assert!(err.len() < 2000, "values are not echoed in full: {err}");

        std::fs::write(
            &path,
            "arrived_at,surname,honorific\n\
             2026-11-23 09:00:00,O'Brien,先生\n\
             2026-11-23 09:00:00,Smith,女士\n\
             2026-11-23 09:00:00,van der Berg,先生\n\
             2026-11-23 09:00:00,欧阳,女士\n",
        )
        .unwrap();
        let rows = read_visit_register(&path).unwrap();
        let surnames: Vec<&str> = rows.iter().map(|r| r.surname.as_str()).collect();
        assert_eq!(surnames, ["O'Brien", "Smith", "van der Berg", "欧阳"]);
    }

    #[test]
    fn customer_list_text_rules() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("customers.csv");
        std::fs::write(
            &path,
            format!(
                "surname,honorific,company,region\r\n\
                 Smith,先生,Acme,\r\n\
                 \r\n\
                 王,先生,{},\r\n\
                 李,女士,,上\u{7}海\r\n",
                "公".repeat(101)
            ),
        )
        .unwrap();
        let err = read_customer_list(&path).unwrap_err().to_string();
        assert!(err.contains("line 4, column company"), "{err}");
        assert!(err.contains("line 5, column region"), "{err}");
        assert!(err.contains("2 problem(s)"), "{err}");
    }

    #[test]
    fn shown_values_are_short_and_escaped() {
        assert_eq!(shown("abc"), "abc");
        assert_eq!(shown("a\0b"), "a\\0b");
        assert_eq!(shown(&"x".repeat(100)), format!("{}…", "x".repeat(40)));
    }
}
