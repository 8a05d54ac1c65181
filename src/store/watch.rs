//! Hearing other desks' changes on a server as they are committed (PostgreSQL's LISTEN/NOTIFY).
//!
//! Every FrontDesk write on a server that changed a record sends one notification on
//! [`CHANNEL`] when it commits ([`super::server::write`]): the new entry of the record of changes
//! and the tables it touched, `"<entry> <table>,<table>…"`. A [`Watch`] keeps its own connection,
//! listens, and on each notification notes the tables and wakes the window, which then reloads
//! what those tables feed — no desk asks the server over and over whether anything changed.
//!
//! The watch also tells whether the server is reachable: when its connection breaks it says so
//! at once (the status bar shows it) and connects again by itself, every [`RETRY`] at most.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator as _;

/// The notification channel of FrontDesk's changes.
pub const CHANNEL: &str = "frontdesk_changes";

/// How long the watch waits before connecting again after losing the server.
pub const RETRY: Duration = Duration::from_secs(2);

/// How often the watch's thread looks whether it should stop.
const TICK: Duration = Duration::from_millis(200);

/// What the watch's thread and the window share.
#[derive(Default)]
struct Shared {
    /// The newest entry heard of.
    entry: AtomicI64,
    /// The watch's connection is up.
    online: AtomicBool,
    /// The thread should end.
    stop: AtomicBool,
    /// Tables changed since the window last asked.
    tables: Mutex<BTreeSet<String>>,
    /// Notifications heard from other desks (tests).
    heard: AtomicI64,
    /// The watch's connection has said LISTEN (tests wait for it).
    listening: AtomicBool,
}

/// A thread listening for other desks' changes (see the module documentation).
pub struct Watch {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch")
            .field("online", &self.online())
            .finish_non_exhaustive()
    }
}

impl Watch {
    /// Starts listening on the server of `url` (with its password); `wake` is called from the
    /// watch's thread after each change heard and each change of the connection's state.
    ///
    /// Notifications sent by `own` (the server process of this desk's own connection, kept up to
    /// date by the store across reconnects) are noted without waking: the window already knows.
    pub fn start(url: String, own: Arc<AtomicI32>, wake: Box<dyn Fn() + Send>) -> Self {
        let shared = Arc::new(Shared::default());
        // Taken as reachable until the first attempt says otherwise: the store that starts the
        // watch has just connected.
        shared.online.store(true, Ordering::Release);
        let thread = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("frontdesk-watch".to_owned())
                .spawn(move || listen(&url, &shared, &own, wake.as_ref()))
                .ok()
        };
        Self { shared, thread }
    }

    /// Whether the watch's connection to the server is up.
    pub fn online(&self) -> bool {
        self.shared.online.load(Ordering::Acquire)
    }

    /// The newest entry of the record of changes heard of.
    pub fn entry(&self) -> i64 {
        self.shared.entry.load(Ordering::Acquire)
    }

    /// How many notifications of other desks were heard.
    pub fn heard(&self) -> i64 {
        self.shared.heard.load(Ordering::Acquire)
    }

    /// Whether the watch is listening now.
    pub fn listening(&self) -> bool {
        self.shared.listening.load(Ordering::Acquire)
    }

    /// The tables changed since the last call.
    pub fn take_tables(&self) -> BTreeSet<String> {
        std::mem::take(
            &mut *self
                .shared
                .tables
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The watch's thread: connect, listen, hear; on a broken connection, say so and start again.
fn listen(url: &str, shared: &Shared, own: &AtomicI32, wake: &dyn Fn()) {
    // The window is woken when the state changes (lost, back), not at the first connection.
    let set_online = |online: bool| {
        if shared.online.swap(online, Ordering::AcqRel) != online {
            wake();
        }
    };
    while !shared.stop.load(Ordering::Acquire) {
        match super::connect::connect_client(url) {
            Ok(mut client) => {
                let listening = client.batch_execute(&format!(
                    "SET application_name = 'FrontDesk watch'; LISTEN {CHANNEL}"
                ));
                if listening.is_ok() {
                    // What is committed already counts as heard: the window, which asked the
                    // server until now, sees the same newest entry and reloads nothing.
                    if let Ok(row) =
                        client.query_one("SELECT coalesce(max(id), 0) FROM seal_chain", &[])
                        && let Ok(newest) = row.try_get::<_, i64>(0)
                    {
                        shared.entry.fetch_max(newest, Ordering::AcqRel);
                    }
                    shared.listening.store(true, Ordering::Release);
                    set_online(true);
                    hear(&mut client, shared, own, wake);
                    shared.listening.store(false, Ordering::Release);
                }
                set_online(false);
            }
            Err(e) => {
                set_online(false);
                tracing::warn!("the change watch cannot reach the server: {e}");
            }
        }
        // Waits before the next attempt, looking out for the stop.
        let mut waited = Duration::ZERO;
        while waited < RETRY && !shared.stop.load(Ordering::Acquire) {
            pause(TICK);
            waited += TICK;
        }
    }
}

/// Waits on the watch's own thread (never the window's).
#[expect(
    clippy::disallowed_methods,
    reason = "the watch's own thread waits between attempts to reach the server"
)]
fn pause(d: Duration) {
    std::thread::sleep(d);
}

/// Hears notifications until the connection breaks or the watch stops.
fn hear(client: &mut postgres::Client, shared: &Shared, own: &AtomicI32, wake: &dyn Fn()) {
    while !shared.stop.load(Ordering::Acquire) {
        let next = client.notifications().timeout_iter(TICK).next();
        match next {
            Ok(Some(n)) => {
                let (entry, tables) = parse(n.payload());
                shared.entry.fetch_max(entry, Ordering::AcqRel);
                if n.process_id() == own.load(Ordering::Acquire) {
                    // This desk's own write: its window reloads by itself.
                    continue;
                }
                shared
                    .tables
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .extend(tables);
                shared.heard.fetch_add(1, Ordering::AcqRel);
                wake();
            }
            Ok(None) => {
                if client.is_closed() {
                    return;
                }
            }
            Err(e) => {
                tracing::warn!("the change watch lost the server: {e}");
                return;
            }
        }
    }
}

/// The payload of a notification: `"<entry> <table>,<table>…"`.
pub fn payload(entry: i64, tables: &[String]) -> String {
    format!("{entry} {}", tables.join(","))
}

fn parse(payload: &str) -> (i64, Vec<String>) {
    let (entry, tables) = payload.split_once(' ').unwrap_or((payload, ""));
    (
        entry.parse().unwrap_or(0),
        tables
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_carry_the_entry_and_the_tables() {
        let p = payload(42, &["complaints".to_owned(), "inbox".to_owned()]);
        assert_eq!(p, "42 complaints,inbox");
        assert_eq!(
            parse(&p),
            (42, vec!["complaints".to_owned(), "inbox".to_owned()])
        );
        assert_eq!(parse("7 "), (7, vec![]));
        assert_eq!(parse("garbage"), (0, vec![]));
    }
}
