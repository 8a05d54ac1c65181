//! A blank eframe window of the same size, with the same bundled CJK font and nothing else:
//! what `benches/first_frame.sh` compares FrontDesk's start-up time and memory with. Like the
//! app, `--exit-after-frames N` draws N frames, prints `first_frame_ms=…` and closes.

use std::time::Instant;

struct Blank {
    started: Option<Instant>,
    first_ms: Option<u128>,
    drawn: u64,
    wanted: u64,
}

impl eframe::App for Blank {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("前台客服台");
        });
        if let Some(started) = self.started.take() {
            self.first_ms = Some(started.elapsed().as_millis());
        }
        self.drawn += 1;
        if self.drawn >= self.wanted {
            if let Some(ms) = self.first_ms.take() {
                println!("first_frame_ms={ms}");
            }
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        } else {
            ui.ctx().request_repaint();
        }
    }
}

fn main() -> eframe::Result {
    let started = Instant::now();
    let mut args = std::env::args().skip(1);
    let mut wanted = 3;
    while let Some(arg) = args.next() {
        if arg == "--exit-after-frames" {
            wanted = args.next().and_then(|n| n.parse().ok()).unwrap_or(3);
        }
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    eframe::run_native(
        "blank",
        options,
        Box::new(move |cc| {
            frontdesk::ui::theme::install(&cc.egui_ctx);
            Ok(Box::new(Blank {
                started: Some(started),
                first_ms: None,
                drawn: 0,
                wanted,
            }))
        }),
    )
}
