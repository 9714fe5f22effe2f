//! The world's saving, as a real server does it: with automatic saving on
//! (`MCSIM_AUTOSAVE_MS=<period>`) the region file `world/region/r.0.0.mca` is rewritten every
//! period, in two halves with a pause between them, so a copy taken meanwhile can be torn; with
//! `save-off` nothing is written until `save-on`, and `save-all` (with or without `flush`)
//! writes a whole generation at once. A backup made between `save-off` + `save-all flush` and
//! `save-on` is therefore consistent (every byte of the region file alike), and one made without
//! them may not be.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// The region file the simulated world writes.
pub const REGION: &str = "world/region/r.0.0.mca";
/// Its size: 64 KiB, each byte the generation's number (mod 251) when consistent.
const SIZE: usize = 64 * 1024;

/// Whether automatic saving is on, and the generation written last.
#[derive(Debug)]
pub struct Saving {
    on: AtomicBool,
    generation: AtomicU64,
}

impl Saving {
    /// Saving on, nothing written yet.
    pub fn new() -> Self {
        Saving {
            on: AtomicBool::new(true),
            generation: AtomicU64::new(0),
        }
    }

    /// `save-off` / `save-on`: whether it changed.
    pub fn set(&self, on: bool) -> bool {
        self.on.swap(on, Ordering::SeqCst) != on
    }

    /// Writes the next generation whole (`save-all`).
    pub fn save_all(&self) -> std::io::Result<()> {
        let n = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        std::fs::write(REGION, vec![byte(n); SIZE])
    }

    /// Automatic saving every `period` while on: each generation in two halves, `period / 4`
    /// apart.
    pub async fn autosave(&self, period: Duration) {
        let mut tick = tokio::time::interval(period);
        loop {
            tick.tick().await;
            if !self.on.load(Ordering::SeqCst) {
                continue;
            }
            let n = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
            let Ok(mut f) = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .open(REGION)
            else {
                continue;
            };
            let _ = f.write_all(&vec![byte(n); SIZE / 2]);
            let _ = f.flush();
            tokio::time::sleep(period / 4).await;
            let _ = f.write_all(&vec![byte(n); SIZE / 2]);
        }
    }
}

fn byte(generation: u64) -> u8 {
    (generation % 251) as u8
}
