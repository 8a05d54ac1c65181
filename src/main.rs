//! The `frontdesk` binary: parse the command line, then open the window or run a job.

// A GUI program on Windows: no console window opens with it. Command-line jobs print to the console
// they were started from (see `platform::attach_parent_console`).
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser as _;
use frontdesk::app::App;
use frontdesk::cli::{Cli, Job};
use frontdesk::clock::{Clock, SystemClock};
use frontdesk::config::{self, Config};
use frontdesk::store::Store;

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
        None => run_window(config, clock, started),
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

fn run_window(config: Config, clock: Arc<dyn Clock>, started: std::time::Instant) -> ExitCode {
    let mut store = match Store::open(&config.database.value) {
        Ok(s) => s,
        Err(e) => {
            show_error(&e.user_message());
            return ExitCode::FAILURE;
        }
    };
    store.set_anchor_dir(config::anchor_dir());
    let options = eframe::NativeOptions {
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
    };
    let result = eframe::run_native(
        "frontdesk",
        options,
        Box::new(move |cc| {
            frontdesk::ui::theme::install(&cc.egui_ctx);
            Ok(Box::new(
                App::new(store, clock)?
                    .with_config(config)
                    .with_start_time(started),
            ))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("frontdesk: cannot open the window: {e}");
            ExitCode::FAILURE
        }
    }
}
