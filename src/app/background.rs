//! Reads that may be slow (a text search over years of visits) run on a worker thread with a
//! connection of their own, so the window keeps drawing and typing is never held up: the screen
//! shows what it had, with a spinner, until the answer arrives.

use std::path::PathBuf;
use std::sync::mpsc;

use crate::domain::account::Actor;
use crate::store::{Store, StoreError};

/// How long a request that failed is not asked again (unless the data changed meanwhile): a
/// read that keeps failing (a server gone, a damaged page) must not start a thread every frame.
pub const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// One kind of background read: the newest request wins, an older answer is dropped.
pub struct Background<K, T> {
    /// The request being answered, and where its answer arrives.
    in_flight: Option<(K, mpsc::Receiver<Result<T, StoreError>>)>,
    /// An answer taken from the channel by [`Background::wait`], not yet handed out.
    ready: Option<Result<T, StoreError>>,
    /// The last request that failed, and when.
    failed: Option<(K, std::time::Instant)>,
}

impl<K, T> Default for Background<K, T> {
    fn default() -> Self {
        Self {
            in_flight: None,
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
    pub fn request(
        &mut self,
        key: &K,
        location: PathBuf,
        actor: Actor,
        wake: egui::Context,
        job: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
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
        self.ready = None;
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("frontdesk-read".to_owned())
            .spawn(move || {
                let answer = Store::open_read_only(&location).and_then(|mut store| {
                    store.set_actor(actor);
                    job(&mut store)
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

    /// Forgets the request in flight: its answer is dropped, and the same request asked again
    /// starts anew (the data changed since it started).
    pub fn forget(&mut self) {
        self.in_flight = None;
        self.ready = None;
        self.failed = None;
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
}
