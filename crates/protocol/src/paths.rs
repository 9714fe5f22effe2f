//! Paths in a server's file manager, shared by the browser (breadcrumbs, early feedback) and the
//! server (the authority): a path is relative to the server's data folder, written with `/`, and
//! can never leave it. `..` is refused rather than resolved, so that a path means what it says.

use std::fmt;

/// Longest name of one file or folder, in bytes (the common file-system limit).
pub const NAME_MAX: usize = 255;
/// Longest path, in bytes.
pub const PATH_MAX: usize = 4000;

/// A normalised path inside a server's data folder: its components, none empty, `.` or `..`.
/// The empty path is the data folder itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataPath(Vec<String>);

impl DataPath {
    /// The data folder itself.
    pub fn root() -> DataPath {
        DataPath(Vec::new())
    }

    /// Reads a path as the person or API client wrote it: `/` and empty components are the data
    /// folder, `.` is skipped; `..`, control characters and over-long names are refused.
    pub fn parse(input: &str) -> Result<DataPath, String> {
        if input.len() > PATH_MAX {
            return Err(format!("Paths are at most {PATH_MAX} bytes."));
        }
        let mut parts = Vec::new();
        for part in input.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    return Err(
                        "Paths may not contain \"..\": they stay inside the server's folder."
                            .into(),
                    );
                }
                name => {
                    check_name(name)?;
                    parts.push(name.to_string());
                }
            }
        }
        Ok(DataPath(parts))
    }

    /// Whether this is the data folder itself.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// Its components.
    pub fn parts(&self) -> &[String] {
        &self.0
    }

    /// Its last component (None for the data folder).
    pub fn name(&self) -> Option<&str> {
        self.0.last().map(String::as_str)
    }

    /// The folder holding it (the data folder holds itself).
    pub fn parent(&self) -> DataPath {
        let mut p = self.0.clone();
        p.pop();
        DataPath(p)
    }

    /// This folder's entry `name` (which must be a valid name).
    pub fn join(&self, name: &str) -> Result<DataPath, String> {
        check_name(name)?;
        let mut p = self.0.clone();
        p.push(name.to_string());
        Ok(DataPath(p))
    }

    /// Whether `other` is this path or lies under it.
    pub fn contains(&self, other: &DataPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The absolute path in the container, under the data folder `root` (e.g. `/data`).
    pub fn in_container(&self, root: &str) -> String {
        let root = root.trim_end_matches('/');
        if self.0.is_empty() {
            return if root.is_empty() {
                "/".into()
            } else {
                root.into()
            };
        }
        format!("{root}/{}", self.0.join("/"))
    }

    /// The breadcrumbs: each ancestor folder with its name, the data folder first (named "/").
    pub fn crumbs(&self) -> Vec<(String, DataPath)> {
        let mut out = vec![("/".to_string(), DataPath::root())];
        for i in 0..self.0.len() {
            out.push((self.0[i].clone(), DataPath(self.0[..=i].to_vec())));
        }
        out
    }
}

impl fmt::Display for DataPath {
    /// `/` for the data folder, `/a/b` otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.0.join("/"))
    }
}

/// Checks the name of one file or folder: 1 to [`NAME_MAX`] bytes, not `.` or `..`, no `/`, no
/// control characters (newlines included). Spaces, quotes, leading dashes and any Unicode are
/// fine.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("A name cannot be empty.".into());
    }
    if name == "." || name == ".." {
        return Err(format!("\"{name}\" cannot be used as a name."));
    }
    if name.len() > NAME_MAX {
        return Err(format!("Names are at most {NAME_MAX} bytes."));
    }
    if name.contains('/') {
        return Err("A name cannot contain \"/\".".into());
    }
    if name.chars().any(char::is_control) {
        return Err("Names cannot contain control characters such as line breaks.".into());
    }
    Ok(())
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A size for people: `512 B`, `1.5 KiB`, `20.0 MiB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// Whether a name looks like an archive the panel unpacks.
pub fn is_archive(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    [".zip", ".tar.gz", ".tgz", ".tar"]
        .iter()
        .any(|e| l.ends_with(e))
}

/// Whether a file of this name opens in the text editor by default (the rest download).
pub fn is_text_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    matches!(
        ext,
        "txt"
            | "properties"
            | "yml"
            | "yaml"
            | "json"
            | "toml"
            | "cfg"
            | "conf"
            | "config"
            | "ini"
            | "log"
            | "md"
            | "sh"
            | "mcmeta"
            | "csv"
            | "xml"
            | "js"
            | "lang"
            | "secret"
    ) || !lower.contains('.')
}

/// What language the editor highlights a file as, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `key=value` lines and `#` comments.
    Properties,
    /// YAML.
    Yaml,
    /// JSON.
    Json,
    /// TOML (and ini-like files).
    Toml,
    /// Anything else: no highlighting.
    Plain,
}

/// The syntax of a file, from its extension.
pub fn syntax_of(name: &str) -> Syntax {
    let lower = name.to_ascii_lowercase();
    match lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("") {
        "properties" | "cfg" | "conf" | "lang" => Syntax::Properties,
        "yml" | "yaml" => Syntax::Yaml,
        "json" | "mcmeta" => Syntax::Json,
        "toml" | "ini" => Syntax::Toml,
        _ => Syntax::Plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalise_inside_the_data_folder() {
        assert_eq!(DataPath::parse("").unwrap(), DataPath::root());
        assert_eq!(DataPath::parse("/").unwrap(), DataPath::root());
        let p = DataPath::parse("/plugins//./Essentials/config.yml").unwrap();
        assert_eq!(p.parts(), ["plugins", "Essentials", "config.yml"]);
        assert_eq!(p.to_string(), "/plugins/Essentials/config.yml");
        assert_eq!(
            p.in_container("/data"),
            "/data/plugins/Essentials/config.yml"
        );
        assert_eq!(DataPath::root().in_container("/data/"), "/data");
        assert_eq!(p.parent().to_string(), "/plugins/Essentials");
        assert_eq!(p.name(), Some("config.yml"));
        // an absolute path is read inside the data folder, never as the container's
        assert_eq!(
            DataPath::parse("/etc/passwd")
                .unwrap()
                .in_container("/data"),
            "/data/etc/passwd"
        );
    }

    #[test]
    fn traversal_and_odd_names_are_refused() {
        for bad in [
            "..",
            "../etc/passwd",
            "a/../../b",
            "a/..",
            "a\nb",
            "a\0b",
            "tab\there",
        ] {
            assert!(DataPath::parse(bad).is_err(), "{bad:?}");
        }
        assert!(DataPath::parse(&"a/".repeat(3000)).is_err());
        assert!(DataPath::parse(&"a".repeat(256)).is_err());
    }

    #[test]
    fn names_with_spaces_quotes_dashes_and_unicode_are_fine() {
        for good in [
            "my world",
            "it's \"here\"",
            "-rf",
            "--help",
            "$(reboot)",
            "été 🌍",
            ";ls",
        ] {
            assert!(check_name(good).is_ok(), "{good:?}");
            assert!(DataPath::root().join(good).is_ok());
        }
        assert!(check_name("a/b").is_err());
        assert!(check_name(".").is_err());
        assert!(check_name("").is_err());
    }

    #[test]
    fn containment_and_crumbs() {
        let a = DataPath::parse("a").unwrap();
        let ab = DataPath::parse("a/b").unwrap();
        let abc = DataPath::parse("abc").unwrap();
        assert!(a.contains(&ab) && a.contains(&a) && !a.contains(&abc));
        assert!(DataPath::root().contains(&a));
        let crumbs = ab.crumbs();
        assert_eq!(crumbs.len(), 3);
        assert_eq!(crumbs[2], ("b".to_string(), ab.clone()));
    }

    #[test]
    fn encodings_and_sizes() {
        assert_eq!(url_encode("/a b/é&x=1"), "/a%20b/%C3%A9%26x%3D1");
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(200 * 1024 * 1024), "200.0 MiB");
        assert!(is_archive("World.ZIP") && is_archive("b.tar.gz") && !is_archive("a.jar"));
    }

    #[test]
    fn editor_choices() {
        assert!(is_text_name("server.properties") && is_text_name("eula.txt"));
        assert!(is_text_name("LICENSE"));
        assert!(!is_text_name("paper.jar") && !is_text_name("world.zip"));
        assert_eq!(syntax_of("config.YML"), Syntax::Yaml);
        assert_eq!(syntax_of("ops.json"), Syntax::Json);
        assert_eq!(syntax_of("server.properties"), Syntax::Properties);
    }
}
