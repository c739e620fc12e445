//! Whether the store takes writes: ingest health is NOT_SERVING from the
//! first write that fails for want of the store (a full disk, a read-only
//! database, a store gone) until a probe write succeeds again, so load
//! balancers and loaders stop sending articles that could not be stored.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use dyad_store::{Store, StoreError};

/// The store's ability to write, as the last write and probe found it;
/// clones share it.
#[derive(Clone, Default)]
pub struct Writability {
    failing: Arc<AtomicBool>,
}

impl Writability {
    /// Notes the outcome of a write: a store that cannot write now
    /// ([`StoreError::Unavailable`]) marks the store failing, a write that
    /// succeeded clears it. Refusals of the data itself say nothing.
    pub fn observe<T>(&self, outcome: &Result<T, StoreError>) {
        match outcome {
            Ok(_) => self.failing.store(false, Ordering::Relaxed),
            Err(StoreError::Unavailable(_)) => self.failing.store(true, Ordering::Relaxed),
            Err(_) => {}
        }
    }

    /// Whether ingest can serve: the store answers and, after a failed
    /// write, takes a probe write again.
    pub async fn ready(&self, store: &dyn Store) -> bool {
        if self.failing.load(Ordering::Relaxed) {
            let probe = store.probe_write().await;
            self.observe(&probe);
            if probe.is_err() {
                return false;
            }
        }
        store.ping().await.is_ok()
    }
}
