//! The server's database connections: a small pool of read-only ones for checking reports and
//! drawing pages, and one writer thread that commits reports in batches.
//!
//! Every report sent at about the same moment goes into one transaction (each in a savepoint
//! of its own), so the server syncs the disk once per batch instead of once per report, and a
//! report is answered only after its batch is on disk. The writer holds the write lock only
//! while it commits, so the command line can write to the same database meanwhile.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{Context as _, Result};
use tokio::sync::oneshot;

use crate::ops::intake;
use crate::ops::{IntakeWrite, Refused, Store, Written};

/// How many idle read connections are kept.
const KEEP_READERS: usize = 8;

/// The most writes committed in one transaction.
const MOST_IN_BATCH: usize = 512;

/// How many writes may wait for the writer before senders wait too.
const QUEUE: usize = 4096;

/// Read-only connections to the database, opened as needed and kept for the next request.
pub(super) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
}

impl Readers {
    pub(super) fn new(path: &Path) -> Readers {
        Readers {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `work` on a connection of the pool (blocking: call it off the async threads).
    pub(super) fn with<T>(&self, work: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        let idle = self.idle.lock().map(|mut idle| idle.pop());
        let mut store = match idle {
            Ok(Some(store)) => store,
            _ => Store::open_read(&self.path)?,
        };
        let result = work(&mut store);
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < KEEP_READERS
        {
            idle.push(store);
        }
        result
    }
}

/// What the writer answers for one write: written or refused, or the batch's own error.
pub(super) type Answer = Result<Result<Written, Refused>, String>;

struct Job {
    write: IntakeWrite,
    answer: oneshot::Sender<Answer>,
}

/// The handle to the writer thread.
pub(super) struct Writer {
    queue: SyncSender<Job>,
    stopping: Arc<AtomicBool>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    /// Starts the writer on `store`, a connection open to write.
    pub(super) fn start(store: Store) -> Result<Writer> {
        let (queue, jobs) = sync_channel(QUEUE);
        let stopping = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stopping);
        let thread = std::thread::Builder::new()
            .name("motions-writer".into())
            .spawn(move || write_loop(store, &jobs, &flag))
            .context("starting the writer")?;
        Ok(Writer {
            queue,
            stopping,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Queues a write (blocking while the queue is full: call it off the async threads) and
    /// returns where its answer will come.
    pub(super) fn send(&self, write: IntakeWrite) -> Result<oneshot::Receiver<Answer>> {
        let (answer, answered) = oneshot::channel();
        self.queue
            .send(Job { write, answer })
            .map_err(|_| anyhow::anyhow!("the server is stopping"))?;
        Ok(answered)
    }

    /// Writes what is queued, then stops the thread.
    pub(super) fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.lock().ok().and_then(|mut t| t.take()) {
            let _ = thread.join();
        }
    }
}

fn write_loop(mut store: Store, jobs: &Receiver<Job>, stopping: &AtomicBool) {
    loop {
        let first = match jobs.recv_timeout(Duration::from_millis(100)) {
            Ok(job) => job,
            Err(RecvTimeoutError::Timeout) if stopping.load(Ordering::SeqCst) => return,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let mut batch = vec![first];
        while batch.len() < MOST_IN_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let (writes, answers): (Vec<IntakeWrite>, Vec<oneshot::Sender<Answer>>) =
            batch.into_iter().map(|job| (job.write, job.answer)).unzip();
        match intake::write_batch(&mut store, &writes) {
            Ok(results) => {
                for (answer, result) in answers.into_iter().zip(results) {
                    let _ = answer.send(Ok(result));
                }
            }
            Err(err) => {
                let said = format!("{err:#}");
                for answer in answers {
                    let _ = answer.send(Err(said.clone()));
                }
            }
        }
    }
}
