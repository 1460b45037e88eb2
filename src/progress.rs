//! Progress of a long run: counters the engine advances as files finish, and an indicator
//! that draws them (`checking 12/80 files…`) to a terminal the binary hands it.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How far a run is: files to check and files done.
#[derive(Debug, Default)]
pub struct Progress {
    pub total: AtomicUsize,
    pub done: AtomicUsize,
}

/// Fewer files than this finish before an indicator would help.
const MIN_FILES: usize = 20;

/// A progress line drawn after a moment and only for many files, erased when dropped.
pub struct Indicator {
    progress: Arc<Progress>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Indicator {
    /// Start drawing to `out` if it is a terminal, outside CI (`CI` unset) and not a dumb
    /// one (`TERM=dumb`).
    pub fn on_terminal(out: impl Write + IsTerminal + Send + 'static) -> Option<Indicator> {
        let wanted = out.is_terminal()
            && std::env::var_os("CI").is_none()
            && std::env::var("TERM").map_or(true, |t| t != "dumb");
        wanted.then(|| Indicator::start(out))
    }

    /// Start drawing to `out` (a terminal: the line is redrawn with `\r`).
    pub fn start(mut out: impl Write + Send + 'static) -> Indicator {
        let progress = Arc::new(Progress::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (p, s) = (Arc::clone(&progress), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut drawn = false;
            while !s.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(80));
                let total = p.total.load(Ordering::Relaxed);
                if total >= MIN_FILES && started.elapsed() > Duration::from_millis(250) {
                    let done = p.done.load(Ordering::Relaxed);
                    let _ = write!(out, "\rchecking {done}/{total} files…");
                    let _ = out.flush();
                    drawn = true;
                }
            }
            if drawn {
                let _ = write!(out, "\r\x1b[K");
                let _ = out.flush();
            }
        });
        Indicator {
            progress,
            stop,
            thread: Some(thread),
        }
    }

    /// The counters to hand the run.
    pub fn progress(&self) -> Arc<Progress> {
        Arc::clone(&self.progress)
    }
}

impl Drop for Indicator {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
