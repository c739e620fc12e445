//! Admission control: a budget of bytes of articles being coded or stored
//! at once, so that a client pushing faster than the store can write
//! meets backpressure instead of growing the service's memory. (How many
//! are read or coded at once is the coding pool's size: one per core.)

use std::{sync::Arc, time::Duration};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// What an article costs in the budget, per byte of its message: its coded
/// events, each with its sentence and provenance, take about three times
/// the text (measured: 840 events from a 400 KiB news text).
const BYTES_PER_BYTE: usize = 4;

/// How long a single call waits for room before RESOURCE_EXHAUSTED.
pub const UNARY_WAIT: Duration = Duration::from_secs(1);

/// The in-flight budget, in KiB.
#[derive(Clone)]
pub struct Admission {
    budget: Arc<Semaphore>,
    kib: u32,
}

impl Admission {
    /// A budget of `bytes` (at least 1 MiB).
    pub fn new(bytes: usize) -> Self {
        let kib = u32::try_from((bytes / 1024).max(1024)).unwrap_or(u32::MAX >> 4);
        Self {
            budget: Arc::new(Semaphore::new(kib as usize)),
            kib,
        }
    }

    /// Room for an article of `bytes`, waiting as long as it takes (streams:
    /// while waiting, nothing more is read, and flow control holds the
    /// client back). An article larger than the whole budget takes all of it.
    pub async fn wait(&self, bytes: usize) -> OwnedSemaphorePermit {
        self.budget
            .clone()
            .acquire_many_owned(self.cost(bytes))
            .await
            .expect("the budget is never closed")
    }

    /// Room for an article of `bytes`, waiting at most `patience`.
    pub async fn within(&self, bytes: usize, patience: Duration) -> Option<OwnedSemaphorePermit> {
        tokio::time::timeout(patience, self.wait(bytes)).await.ok()
    }

    fn cost(&self, bytes: usize) -> u32 {
        u32::try_from(bytes.saturating_mul(BYTES_PER_BYTE) / 1024 + 1)
            .unwrap_or(u32::MAX)
            .min(self.kib)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waits_for_room_and_gives_up_in_time() {
        let admission = Admission::new(8 << 20);
        let big = admission.wait(1_500 << 10).await;
        assert!(
            admission
                .within(1 << 20, Duration::from_millis(50))
                .await
                .is_none()
        );
        drop(big);
        assert!(
            admission
                .within(1 << 20, Duration::from_millis(50))
                .await
                .is_some()
        );
        // Larger than the budget: takes all of it rather than never.
        assert!(
            admission
                .within(100 << 20, Duration::from_millis(50))
                .await
                .is_some()
        );
    }
}
