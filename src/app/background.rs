//! Reads that may be slow (a text search over years of visits) run on a worker thread with a
//! connection of their own, so the window keeps drawing and typing is never held up: the screen
//! shows what it had, with a spinner, until the answer arrives. A read the window no longer
//! needs (a newer request replaced it, the user stopped it) is stopped where it is: its
//! statement is interrupted (SQLite) or cancelled (server), so an old search does not keep a
//! core busy while the user types the next one.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use crate::domain::account::Actor;
use crate::store::{Interrupter, Store, StoreError};

/// The stop of one request: set by the window, seen by the worker.
#[derive(Debug, Default)]
pub struct Stop {
    stopped: AtomicBool,
    /// What interrupts the worker's statement, while its store is open.
    interrupter: Mutex<Option<Interrupter>>,
}

impl Stop {
    /// Whether the window stopped the request: a job checks it before it writes a file.
    pub fn is_set(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// Stops the request: the worker does not start its job when it had not yet, and the
    /// statements of a job running are interrupted until it ends (a statement that was about to
    /// start when the first interrupt came is caught by the next), from a thread of its own: on
    /// a server each interrupt is a request over the network.
    fn set(self: &Arc<Self>) {
        self.stopped.store(true, Ordering::SeqCst);
        let stop = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("frontdesk-stop".to_owned())
            .spawn(move || stop.interrupt_until_ended());
        if let Err(e) = spawned {
            tracing::warn!("cannot stop a background read: {e}");
        }
    }

    #[expect(
        clippy::disallowed_methods,
        reason = "the stop thread waits between two interrupts of a job that runs on"
    )]
    fn interrupt_until_ended(&self) {
        loop {
            {
                let Ok(slot) = self.interrupter.lock() else {
                    return;
                };
                // Empty: the job ended, or never started (it sees the stop first).
                let Some(interrupter) = slot.as_ref() else {
                    return;
                };
                interrupter.interrupt();
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// Runs `job` on `store`, interruptible by [`Stop::set`]; a request stopped before it
    /// started answers [`StoreError::Stopped`].
    fn run<T>(
        &self,
        store: &mut Store,
        job: impl FnOnce(&mut Store, &Stop) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        {
            let Ok(mut slot) = self.interrupter.lock() else {
                return Err(StoreError::Stopped);
            };
            if self.is_set() {
                return Err(StoreError::Stopped);
            }
            *slot = Some(store.interrupter());
        }
        let answer = job(store, self);
        // Taken back under the lock before the store is closed or lent to the next job: an
        // interrupt must never reach a statement of another request.
        if let Ok(mut slot) = self.interrupter.lock() {
            slot.take();
        }
        if self.is_set() {
            return Err(StoreError::Stopped);
        }
        answer
    }
}

/// How long a request that failed is not asked again (unless the data changed meanwhile): a
/// read that keeps failing (a server gone, a damaged page) must not start a thread every frame.
pub const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// One kind of background read: the newest request wins, an older answer is dropped.
pub struct Background<K, T> {
    /// The request being answered, and where its answer arrives.
    in_flight: Option<(K, mpsc::Receiver<Result<T, StoreError>>)>,
    /// Its stop.
    stop: Arc<Stop>,
    /// An answer taken from the channel by [`Background::wait`], not yet handed out.
    ready: Option<Result<T, StoreError>>,
    /// The last request that failed, and when.
    failed: Option<(K, std::time::Instant)>,
}

impl<K, T> Default for Background<K, T> {
    fn default() -> Self {
        Self {
            in_flight: None,
            stop: Arc::default(),
            ready: None,
            failed: None,
        }
    }
}

impl<K, T> std::fmt::Debug for Background<K, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Background")
            .field("busy", &self.busy())
            .finish()
    }
}

impl<K: Clone + PartialEq, T: Send + 'static> Background<K, T> {
    /// Starts `job` for `key` on a worker thread, on its own read-only connection to the database
    /// at `location`, as `actor` (the store checks a supervisor's reads against it) — unless that
    /// request is being answered already. `wake` repaints the window when the answer is there.
    /// A request in flight for another key is stopped.
    pub fn request(
        &mut self,
        key: &K,
        location: PathBuf,
        actor: Actor,
        wake: egui::Context,
        job: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) {
        self.request_stoppable(key, location, actor, wake, |store, _| job(store));
    }

    /// [`Background::request`] for a job that looks at its [`Stop`] itself (an export checks it
    /// before it writes its file).
    pub fn request_stoppable(
        &mut self,
        key: &K,
        location: PathBuf,
        actor: Actor,
        wake: egui::Context,
        job: impl FnOnce(&mut Store, &Stop) -> Result<T, StoreError> + Send + 'static,
    ) {
        if self.in_flight.as_ref().is_some_and(|(k, _)| k == key) {
            return;
        }
        if self
            .failed
            .as_ref()
            .is_some_and(|(k, at)| k == key && at.elapsed() < RETRY_AFTER)
        {
            return;
        }
        self.stop_in_flight();
        self.ready = None;
        let stop = Arc::clone(&self.stop);
        // What a job writes in words (a printed document) is in the window's language.
        let lang = crate::i18n::lang();
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("frontdesk-read".to_owned())
            .spawn(move || {
                crate::i18n::set_lang(lang);
                let answer = Store::open_read_only(&location).and_then(|mut store| {
                    store.set_actor(actor);
                    stop.run(&mut store, job)
                });
                // The window may have asked something newer meanwhile: then nobody listens.
                let _ = tx.send(answer);
                wake.request_repaint();
            });
        match spawned {
            Ok(_) => self.in_flight = Some((key.clone(), rx)),
            Err(e) => tracing::warn!("cannot start a background read: {e}"),
        }
    }

    /// The answer to the request in flight, once it is there.
    pub fn poll(&mut self) -> Option<(K, Result<T, StoreError>)> {
        let answer = match self.ready.take() {
            Some(answer) => answer,
            None => {
                let (_, rx) = self.in_flight.as_ref()?;
                match rx.try_recv() {
                    Ok(answer) => answer,
                    Err(mpsc::TryRecvError::Empty) => return None,
                    Err(mpsc::TryRecvError::Disconnected) => Err(StoreError::Io(
                        std::io::Error::other("the background read stopped without an answer"),
                    )),
                }
            }
        };
        let (key, _) = self.in_flight.take()?;
        self.failed = answer
            .is_err()
            .then(|| (key.clone(), std::time::Instant::now()));
        Some((key, answer))
    }
}

impl<K, T> Background<K, T> {
    /// Whether a request is being answered.
    pub fn busy(&self) -> bool {
        self.in_flight.is_some()
    }

    /// Forgets the request in flight and stops it: its answer is dropped, and the same request
    /// asked again starts anew (the data changed since it started, or the user stopped it).
    pub fn forget(&mut self) {
        self.stop_in_flight();
        self.ready = None;
        self.failed = None;
    }

    fn stop_in_flight(&mut self) {
        if self.in_flight.take().is_some() {
            self.stop.set();
        }
        self.stop = Arc::default();
    }

    /// Waits up to `timeout` for the answer to the request in flight, without handing it out:
    /// the next [`Background::poll`] does (tests make each frame's reads answer within it).
    pub fn wait(&mut self, timeout: std::time::Duration) {
        if self.ready.is_some() {
            return;
        }
        if let Some((_, rx)) = &self.in_flight {
            match rx.recv_timeout(timeout) {
                Ok(answer) => self.ready = Some(answer),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    self.ready = Some(Err(StoreError::Io(std::io::Error::other(
                        "the background read stopped without an answer",
                    ))));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_request_is_not_asked_again_at_once_unless_the_data_changed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("missing.sqlite3");
        let mut reads: Background<u8, i64> = Background::default();
        let ask = |reads: &mut Background<u8, i64>| {
            reads.request(
                &1,
                missing.clone(),
                Actor::system(),
                egui::Context::default(),
                |store| store.data_version(),
            );
        };
        ask(&mut reads);
        assert!(reads.busy());
        reads.wait(std::time::Duration::from_secs(5));
        let (key, answer) = reads.poll().expect("an answer");
        assert_eq!(key, 1);
        assert!(answer.is_err(), "no such file");
        // Asked again in the next frame: no new thread for the same failing read.
        ask(&mut reads);
        assert!(!reads.busy());
        // The data changed: asked anew.
        reads.forget();
        ask(&mut reads);
        assert!(reads.busy());
    }

    /// A read that never ends on its own (counts without end).
    const ENDLESS: &str = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) \
                           SELECT count(*) FROM c";

    /// Starts the endless read for `key`; `ended` hears whether it ended with an error, once
    /// it ended; returns once it runs.
    fn start_endless(
        reads: &mut Background<u8, i64>,
        key: u8,
        path: &std::path::Path,
        ended: mpsc::Sender<bool>,
    ) {
        let (running, started) = mpsc::channel();
        reads.request(
            &key,
            path.to_path_buf(),
            Actor::system(),
            egui::Context::default(),
            move |store| {
                let _ = running.send(());
                let answer = store.db().query_value::<i64>(ENDLESS, &[]);
                let _ = ended.send(answer.is_err());
                answer
            },
        );
        started
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the read started");
    }

    /// A read replaced by a newer request, or forgotten (the user stopped it, the data changed),
    /// does not run on: its statement is interrupted. Without the interrupt these reads never
    /// end and the test fails at its timeout.
    #[test]
    fn a_read_replaced_or_forgotten_is_interrupted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("fd.sqlite3");
        drop(Store::open(&path).expect("database"));
        let mut reads: Background<u8, i64> = Background::default();
        let long = std::time::Duration::from_secs(60);

        let (ended, first) = mpsc::channel();
        start_endless(&mut reads, 1, &path, ended);
        let (ended, second) = mpsc::channel();
        start_endless(&mut reads, 2, &path, ended);
        assert_eq!(first.recv_timeout(long), Ok(true), "replaced: interrupted");
        reads.forget();
        assert_eq!(
            second.recv_timeout(long),
            Ok(true),
            "forgotten: interrupted"
        );
        assert!(!reads.busy());

        // A new read after them answers as usual.
        reads.request(
            &3,
            path.clone(),
            Actor::system(),
            egui::Context::default(),
            |store| store.db().query_value::<i64>("SELECT 41 + 1", &[]),
        );
        reads.wait(long);
        let (key, answer) = reads.poll().expect("an answer");
        assert_eq!((key, answer.expect("the sum")), (3, 42));
    }
}
