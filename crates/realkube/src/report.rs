//! Which tests ran against the real control plane: each real-cluster variant records its
//! outcome in `PANEL_REALKUBE_REPORT` (a file, one tab-separated line a test), and
//! `scripts/test.sh` prints the counts per suite. A variant may stay on fakekube only when it is
//! on [`FAKE_ONLY`], with the reason; any other skip fails the test.

use std::io::Write;

/// Tests whose real-cluster variant is skipped, and why.
pub const FAKE_ONLY: &[(&str, &str)] =
    &[("faults_can_be_injected", "drives fakekube's fault switches")];

/// Records that `test` of `suite` ran against the real control plane.
pub fn ran(suite: &str, test: &str) {
    write(suite, test, "real", "");
}

/// Records that `test` of `suite` stays on fakekube; panics unless it is on [`FAKE_ONLY`].
pub fn fake_only(suite: &str, test: &str) {
    let Some((_, why)) = FAKE_ONLY.iter().find(|(t, _)| *t == test) else {
        panic!("{suite}::{test} skipped the real control plane but is not on realkube::FAKE_ONLY");
    };
    write(suite, test, "fake-only", why);
}

/// Records that no control plane was configured (only allowed when not required).
pub fn unavailable(suite: &str, test: &str) {
    write(suite, test, "unavailable", "no PANEL_CONTROLPLANE_BIN");
}

fn write(suite: &str, test: &str, outcome: &str, why: &str) {
    let Some(path) = std::env::var_os("PANEL_REALKUBE_REPORT") else {
        return;
    };
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(f, "{suite}\t{test}\t{outcome}\t{why}");
    }
}
