//! The panel's temporary space for archives: packing to `.zip` and unpacking write up to two
//! temporary files of the upload limit each, so archive work takes a slot — a few at a time
//! over the panel, one at a time per user — and the chart sizes the temporary volume for
//! exactly that many (`sizeLimit`). A full disk is refused clearly, never a 500.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

use protocol::AppError;

/// How long to suggest waiting when every slot is taken.
const RETRY_SECS: u64 = 30;

/// The archive slots of the panel.
#[derive(Debug)]
pub struct ArchiveSlots {
    jobs: usize,
    global: Arc<Semaphore>,
    users: Arc<Mutex<HashSet<Uuid>>>,
}

/// A taken slot, given back when dropped.
#[derive(Debug)]
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    user: Uuid,
    users: Arc<Mutex<HashSet<Uuid>>>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut users) = self.users.lock() {
            users.remove(&self.user);
        }
    }
}

impl ArchiveSlots {
    /// `jobs` archive jobs at once over the panel (at least one).
    pub fn new(jobs: usize) -> Self {
        let jobs = jobs.max(1);
        ArchiveSlots {
            jobs,
            global: Arc::new(Semaphore::new(jobs)),
            users: Arc::default(),
        }
    }

    /// Takes a slot for `user`, or refuses at once: the user has an archive job running, or
    /// the panel has as many as it may.
    pub fn take(&self, user: Uuid) -> Result<Slot, AppError> {
        let mut users = self.users.lock().map_err(|_| {
            tracing::error!("archive slots poisoned");
            AppError::internal()
        })?;
        if users.contains(&user) {
            return Err(AppError::RateLimited {
                message: crate::msg!("files-scratch-busy-user"),
                retry_after_secs: RETRY_SECS,
            });
        }
        let permit =
            self.global
                .clone()
                .try_acquire_owned()
                .map_err(|_| AppError::RateLimited {
                    message: crate::msg!("files-scratch-busy-panel", "count" => self.jobs),
                    retry_after_secs: RETRY_SECS,
                })?;
        users.insert(user);
        Ok(Slot {
            _permit: permit,
            user,
            users: self.users.clone(),
        })
    }
}

impl Default for ArchiveSlots {
    fn default() -> Self {
        Self::new(2)
    }
}

/// The error of a temporary-file operation: a full disk (or quota) is the user's to hear
/// about; anything else is internal (logged once here).
pub fn temp_error(e: std::io::Error) -> AppError {
    use std::io::ErrorKind;
    if matches!(e.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded) {
        tracing::warn!(error = %e, "the panel's temporary space is full");
        return AppError::conflict(crate::msg!("files-scratch-full"));
    }
    tracing::error!(error = %e, "archive temporary file");
    AppError::internal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_job_per_user_and_a_few_over_the_panel() {
        let slots = ArchiveSlots::new(2);
        let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let first = slots.take(a).unwrap();
        let again = slots.take(a).unwrap_err();
        assert!(again.to_string().contains("already packing"), "{again}");
        let second = slots.take(b).unwrap();
        let full = slots.take(c).unwrap_err();
        assert!(full.to_string().contains("2 archives"), "{full}");
        assert!(matches!(full, AppError::RateLimited { .. }));
        drop(first);
        // a's slot is free again, for c or a
        let third = slots.take(c).unwrap();
        drop((second, third));
        slots.take(a).unwrap();
    }

    #[test]
    fn one_archive_or_several() {
        let slots = ArchiveSlots::new(1);
        let _first = slots.take(Uuid::new_v4()).unwrap();
        assert_eq!(
            slots.take(Uuid::new_v4()).unwrap_err().to_string(),
            "The panel is packing or unpacking 1 archive for others right now: try again in a \
             minute."
        );
    }

    #[test]
    fn a_full_disk_is_said_plainly() {
        let e = temp_error(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert!(matches!(e, AppError::Conflict { .. }), "{e:?}");
        assert!(e.to_string().contains("temporary space is full"));
        let e = temp_error(std::io::Error::other("boom"));
        assert!(matches!(e, AppError::Internal { .. }));
    }
}
