//! Game versions a server can run, from the lists of who publishes its jar (Mojang, Paper,
//! Purpur, Fabric), and how two versions compare, to warn before going back.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// The versions a server of its type can run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GameVersions {
    /// Whose list it is (`Mojang`, `Paper`, `Purpur`, `Fabric`).
    pub source: String,
    /// Releases, newest first.
    pub versions: Vec<String>,
    /// What `LATEST` runs now, when the list says.
    pub latest: Option<String>,
}

/// Compares release numbers (`1.21.4` < `1.21.10` < `26.1`) part by part; `None` when either is
/// not one (`LATEST`, a snapshot).
pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    let parts = |v: &str| -> Option<Vec<u32>> {
        v.split('.')
            .map(|p| p.parse::<u32>().ok())
            .collect::<Option<Vec<_>>>()
    };
    let (a, b) = (parts(a)?, parts(b)?);
    let len = a.len().max(b.len());
    let pad = |v: &Vec<u32>, i: usize| v.get(i).copied().unwrap_or(0);
    Some(
        (0..len)
            .map(|i| pad(&a, i).cmp(&pad(&b, i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal),
    )
}

/// Whether going from `from` to `to` goes back (a world saved by a newer game may not load in
/// an older one). `LATEST` counts as the newest listed.
pub fn is_downgrade(from: &str, to: &str, latest: Option<&str>) -> bool {
    let resolve = |v: &str| {
        if v.eq_ignore_ascii_case("LATEST") {
            latest.map(str::to_string)
        } else {
            Some(v.to_string())
        }
    };
    match (resolve(from), resolve(to)) {
        (Some(f), Some(t)) => compare(&t, &f) == Some(Ordering::Less),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_compare_by_their_numbers() {
        assert_eq!(compare("1.21.4", "1.21.10"), Some(Ordering::Less));
        assert_eq!(compare("1.21", "1.21.0"), Some(Ordering::Equal));
        assert_eq!(compare("26.1", "1.21.11"), Some(Ordering::Greater));
        assert_eq!(compare("25w02a", "1.21.4"), None);
        assert!(is_downgrade("1.21.4", "1.20.6", None));
        assert!(!is_downgrade("1.20.6", "1.21.4", None));
        assert!(is_downgrade("LATEST", "1.21.3", Some("1.21.4")));
        assert!(
            !is_downgrade("LATEST", "1.21.3", None),
            "unknown: no warning"
        );
        assert!(!is_downgrade("1.21.4", "LATEST", Some("1.21.4")));
    }
}
