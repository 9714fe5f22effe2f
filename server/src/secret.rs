//! The key that signs session tokens: from configuration, or generated once and kept in the
//! data folder (mode 0600).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::ServerError;

/// Shortest secret accepted, in bytes.
pub const MIN_LEN: usize = 32;

/// The configured secret, or the one in `data_dir/secret`, made on first use.
pub fn load_or_create(configured: Option<&str>, data_dir: &Path) -> Result<Vec<u8>, ServerError> {
    if let Some(s) = configured {
        if s.len() < MIN_LEN {
            return Err(ServerError::Config(format!(
                "PANEL_SECRET must be at least {MIN_LEN} bytes long"
            )));
        }
        return Ok(s.as_bytes().to_vec());
    }
    let path = data_dir.join("secret");
    match std::fs::read_to_string(&path) {
        Ok(hexed) => {
            let key = hex::decode(hexed.trim())
                .map_err(|_| ServerError::Config(format!("{} is not hex", path.display())))?;
            if key.len() < MIN_LEN {
                return Err(ServerError::Config(format!(
                    "{} is too short",
                    path.display()
                )));
            }
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(data_dir)
                .map_err(ServerError::io("creating the data folder"))?;
            let mut key = vec![0u8; 32];
            getrandom::fill(&mut key).map_err(|e| ServerError::Config(e.to_string()))?;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .map_err(ServerError::io(format!("creating {}", path.display())))?;
            writeln!(f, "{}", hex::encode(&key)).map_err(ServerError::io("writing the secret"))?;
            tracing::info!(path = %path.display(), "generated a new session secret");
            Ok(key)
        }
        Err(e) => Err(ServerError::io(format!("reading {}", path.display()))(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn generated_once_then_reused_and_private() {
        let dir = std::env::temp_dir().join(format!("panel-secret-{}", uuid::Uuid::new_v4()));
        let a = load_or_create(None, &dir).unwrap();
        let b = load_or_create(None, &dir).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 32);
        let mode = std::fs::metadata(dir.join("secret"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn configured_secrets_must_be_long_enough() {
        let dir = std::env::temp_dir();
        assert!(load_or_create(Some("short"), &dir).is_err());
        assert_eq!(
            load_or_create(Some(&"k".repeat(32)), &dir).unwrap().len(),
            32
        );
    }
}
