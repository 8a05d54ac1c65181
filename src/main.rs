//! The `frontdesk` binary: parse the command line, then open the window or run a job.

// A GUI program on Windows: no console window opens with it. Command-line jobs print to the console
// they were started from (see `platform::attach_parent_console`).
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser as _;
use frontdesk::app::App;
use frontdesk::app::backups::Recovery;
use frontdesk::cli::{Cli, Job};
use frontdesk::clock::{Clock, SystemClock, whole_seconds};
use frontdesk::config::{self, Config};
use frontdesk::store::{self, Store};
use frontdesk::ui::damaged::DamagedFile;

fn main() -> ExitCode {
    frontdesk::platform::attach_parent_console();
    let started = std::time::Instant::now();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FRONTDESK_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    if let Some(Job::Config {
        action: Some(action),
    }) = &cli.command
    {
        return exit_code(frontdesk::cli::set_config(action));
    }
    let config = match config::load(cli.db.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            let message = e.user_message();
            if cli.command.is_some() {
                eprintln!("frontdesk: {message}");
            } else {
                show_error(&message);
            }
            return ExitCode::FAILURE;
        }
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match cli.command {
        Some(job) => exit_code(frontdesk::cli::run(&config, job, &clock)),
        None => run_window(
            config,
            clock,
            Start {
                at: started,
                exit_after_frames: cli.exit_after_frames,
            },
        ),
    }
}

fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("frontdesk: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// A problem that keeps the app from opening: on standard error and in a small window of its own
/// (someone who started it from a menu sees no console).
fn show_error(message: &str) {
    eprintln!("frontdesk: {message}");
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("前台客服台 FrontDesk")
            .with_app_id("cn.frontdesk.FrontDesk")
            .with_inner_size([640.0, 280.0]),
        ..Default::default()
    };
    let message = message.to_owned();
    let shown = eframe::run_native(
        "frontdesk-error",
        options,
        Box::new(move |cc| {
            frontdesk::ui::theme::install(&cc.egui_ctx);
            Ok(Box::new(frontdesk::ui::startup_error::StartupError::new(
                message,
            )))
        }),
    );
    if let Err(e) = shown {
        eprintln!("frontdesk: cannot open a window to show this: {e}");
    }
}

/// The main window's options.
fn window_options() -> eframe::NativeOptions {
    eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("前台客服台 FrontDesk")
            .with_app_id("cn.frontdesk.FrontDesk")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([900.0, 600.0])
            .with_icon(
                eframe::icon_data::from_png_bytes(include_bytes!("../assets/icons/frontdesk.png"))
                    .unwrap_or_default(),
            ),
        ..Default::default()
    }
}

/// The window on a server database: opened at once when a password is at hand (or none is
/// needed), else after the user typed it in the window's first screen.
fn run_server_window(config: Config, clock: Arc<dyn Clock>, started: Start) -> ExitCode {
    let location = config.database_location();
    let url = location.to_string_lossy().into_owned();
    let make_app = {
        let config = config.clone();
        move |store: Store| -> Result<App, store::StoreError> {
            // Records and timers on the server's time, whatever this PC's clock says.
            let (clock, offset) = store.clock_for(Arc::clone(&clock));
            Ok(App::new(store, clock)?
                .with_clock_offset(offset)
                .with_config(config.clone())
                .with_anchor_dir(config::anchor_dir())
                .with_start_time(started.at)
                .with_exit_after_frames(started.exit_after_frames))
        }
    };
    let first = match Store::open(&location) {
        Ok(store) => Ok(store),
        Err(store::StoreError::ServerPassword { wrong: false, .. }) => Err(None),
        Err(e) => Err(Some(e)),
    };
    let result = match first {
        Ok(store) => eframe::run_native(
            "frontdesk",
            window_options(),
            Box::new(move |cc| {
                frontdesk::ui::theme::install(&cc.egui_ctx);
                Ok(Box::new(make_app(store)?))
            }),
        ),
        Err(None) => eframe::run_native(
            "frontdesk",
            window_options(),
            Box::new(move |cc| {
                frontdesk::ui::theme::install(&cc.egui_ctx);
                Ok(Box::new(frontdesk::app::server_login::ServerLogin::new(
                    url,
                    Box::new(make_app),
                )))
            }),
        ),
        Err(Some(e)) => {
            tracing::error!("cannot open {}: {e}", store::redacted_url(&url));
            show_error(&e.user_message());
            return ExitCode::FAILURE;
        }
    };
    window_exit(result)
}

/// The exit code once the main window closed.
fn window_exit(result: eframe::Result) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("frontdesk: cannot open the window: {e}");
            ExitCode::FAILURE
        }
    }
}

/// When the program started, and whether it should close itself after some frames.
#[derive(Clone, Copy, Debug)]
struct Start {
    at: std::time::Instant,
    exit_after_frames: Option<u64>,
}

fn run_window(config: Config, clock: Arc<dyn Clock>, started: Start) -> ExitCode {
    if config.on_server() {
        return run_server_window(config, clock, started);
    }
    // Upgrading a database in the window first makes a pre-migration backup.
    let now = whole_seconds(clock.now());
    let opened = Store::open_with_backups(
        &config.database.value,
        Some((&config.backup_folder.value, now)),
    );
    let store = match opened {
        Ok(s) => s,
        Err(e) if e.may_be_damaged() => {
            tracing::error!("{} is damaged: {e}", config.database.value.display());
            return show_damaged(config, None, &e.user_message(), clock);
        }
        Err(e) => {
            show_error(&e.user_message());
            return ExitCode::FAILURE;
        }
    };
    // A file that opens may still have damaged pages: the window checks it on a worker (it reads
    // the whole file) and offers the damaged-file window when it finds any.
    let app = App::new(store, Arc::clone(&clock)).map(|app| {
        app.with_config(config.clone())
            .with_anchor_dir(config::anchor_dir())
            .with_start_time(started.at)
            .with_exit_after_frames(started.exit_after_frames)
            .with_file_check()
    });
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            show_error(&e.user_message());
            return ExitCode::FAILURE;
        }
    };
    let recover = app.recover_request();
    let result = eframe::run_native(
        "frontdesk",
        window_options(),
        Box::new(move |cc| {
            frontdesk::ui::theme::install(&cc.egui_ctx);
            Ok(Box::new(app))
        }),
    );
    let wanted = recover.lock().ok().and_then(|mut wanted| wanted.take());
    if let Some(wanted) = wanted {
        return show_damaged(config, wanted.database_id, &wanted.detail, clock);
    }
    window_exit(result)
}

/// The database file is damaged: a window of its own says so and offers the good backups of it.
/// The damaged file is never written; after a backup was put in its place, the user may go on
/// into the app.
fn show_damaged(
    config: Config,
    database_id: Option<String>,
    detail: &str,
    clock: Arc<dyn Clock>,
) -> ExitCode {
    eprintln!(
        "frontdesk: {} is damaged: {detail}",
        config.database.value.display()
    );
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("前台客服台 FrontDesk")
            .with_app_id("cn.frontdesk.FrontDesk")
            .with_inner_size([900.0, 640.0]),
        ..Default::default()
    };
    let recovery = Recovery::new(
        config.database.value.clone(),
        database_id,
        config.backup_folder.value.clone(),
        config::anchor_dir(),
        Arc::clone(&clock),
    );
    let window = DamagedFile::new(detail, recovery);
    let open_app = window.open_app_flag();
    let shown = eframe::run_native(
        "frontdesk-damaged",
        options,
        Box::new(move |cc| {
            frontdesk::ui::theme::install(&cc.egui_ctx);
            Ok(Box::new(window))
        }),
    );
    if let Err(e) = shown {
        eprintln!("frontdesk: cannot open a window to show this: {e}");
        return ExitCode::FAILURE;
    }
    if open_app.load(std::sync::atomic::Ordering::Relaxed) {
        run_window(
            config,
            clock,
            Start {
                at: std::time::Instant::now(),
                exit_after_frames: None,
            },
        )
    } else {
        ExitCode::FAILURE
    }
}
