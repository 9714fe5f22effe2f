//! Reading what the container printed: folder listings (NUL-separated names, then one
//! `rawmode size mtime` line each, as GNU and busybox `stat -c '%f %s %Y'` both print) and file
//! versions.

use protocol::dto::{FileEntry, FileKind};

/// The kind and permission bits of a raw mode (`st_mode`).
pub fn kind_of(raw_mode: u32) -> (FileKind, u32) {
    let kind = match raw_mode & 0o170000 {
        0o040000 => FileKind::Folder,
        0o100000 => FileKind::File,
        0o120000 => FileKind::Link,
        _ => FileKind::Special,
    };
    (kind, raw_mode & 0o7777)
}

/// One `rawmode size mtime` line.
pub fn stat_line(line: &str) -> Option<(FileKind, u32, u64, i64)> {
    let mut it = line.split_ascii_whitespace();
    let raw = u32::from_str_radix(it.next()?, 16).ok()?;
    let size = it.next()?.parse().ok()?;
    let mtime = it.next()?.parse().ok()?;
    let (kind, mode) = kind_of(raw);
    Some((kind, mode, size, mtime))
}

/// Reads a listing; None when names and stat lines do not pair up (the folder changed while
/// it was read). Entries come sorted: folders first, then by name, case-insensitively.
pub fn parse_listing(out: &[u8]) -> Option<Vec<FileEntry>> {
    let mut names = Vec::new();
    let mut rest = out;
    loop {
        let end = rest.iter().position(|b| *b == 0)?;
        let name = &rest[..end];
        rest = &rest[end + 1..];
        if name.is_empty() {
            break;
        }
        names.push(name);
    }
    let lines: Vec<&str> = std::str::from_utf8(rest).ok()?.lines().collect();
    if lines.len() != names.len() {
        return None;
    }
    let mut entries = Vec::with_capacity(names.len());
    for (raw, line) in names.into_iter().zip(lines) {
        let (kind, mode, size, modified) = stat_line(line)?;
        let (name, odd) = match std::str::from_utf8(raw) {
            Ok(n) => (n.to_string(), protocol::paths::check_name(n).is_err()),
            Err(_) => (String::from_utf8_lossy(raw).into_owned(), true),
        };
        entries.push(FileEntry {
            name,
            kind,
            size,
            mode,
            modified,
            odd,
        });
    }
    sort(&mut entries);
    Some(entries)
}

/// Folders first, then by name (case-insensitive, then exact).
pub fn sort(entries: &mut [FileEntry]) {
    entries.sort_by(|a, b| {
        (a.kind != FileKind::Folder)
            .cmp(&(b.kind != FileKind::Folder))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.name.cmp(&b.name))
    });
}

/// Splits what `CAT` printed into its `size mtime` version line and the bytes.
pub fn split_version(out: &[u8]) -> Option<(String, &[u8])> {
    let nl = out.iter().position(|b| *b == b'\n')?;
    let version = std::str::from_utf8(&out[..nl]).ok()?.trim().to_string();
    let mut it = version.split(' ');
    it.next()?.parse::<u64>().ok()?;
    it.next()?.parse::<i64>().ok()?;
    Some((version, &out[nl + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_pairs_names_with_stat_lines_whatever_the_names_hold() {
        // Given what GNU or busybox print for a folder with odd names
        let mut out = Vec::new();
        for n in [
            &b"b.txt"[..],
            b"new\nline",
            b"Alpha",
            b"\xff\xfe",
            b"-rf",
            b"world",
        ] {
            out.extend_from_slice(n);
            out.push(0);
        }
        out.push(0);
        out.extend_from_slice(
            b"81a4 3 1700000000\n81a4 0 1700000001\n81ed 10 1700000002\n81a4 1 1\na1ff 5 2\n41ed 4096 3\n",
        );
        // When it is read
        let e = parse_listing(&out).unwrap();
        // Then folders come first, names sort case-insensitively, and odd names are marked
        let names: Vec<_> = e.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names[0], "world");
        assert_eq!(e[0].kind, FileKind::Folder);
        assert_eq!(e[0].mode, 0o755);
        assert_eq!(&names[1..4], ["-rf", "Alpha", "b.txt"]);
        let alpha = e.iter().find(|e| e.name == "Alpha").unwrap();
        assert_eq!(
            (alpha.mode, alpha.size, alpha.modified),
            (0o755, 10, 1700000002)
        );
        assert_eq!(
            e.iter().find(|e| e.name == "-rf").unwrap().kind,
            FileKind::Link
        );
        assert!(e.iter().find(|e| e.name == "new\nline").unwrap().odd);
        assert!(e.iter().any(|e| e.odd && e.name.contains('\u{fffd}')));
        assert!(!alpha.odd);
    }

    #[test]
    fn empty_and_mismatched_listings() {
        assert_eq!(parse_listing(b"\0").unwrap(), vec![]);
        assert!(parse_listing(b"a\0\0").is_none(), "a name without its line");
        assert!(parse_listing(b"a\0").is_none(), "no end of names");
        assert!(parse_listing(b"a\0\0zz 1 1\n").is_none());
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of(0x11a4).0, FileKind::Special, "fifo");
        assert_eq!(kind_of(0o140755).0, FileKind::Special, "socket");
        assert_eq!(kind_of(0o020666).0, FileKind::Special, "char device");
        assert_eq!(kind_of(0x8180), (FileKind::File, 0o600));
    }

    #[test]
    fn versions() {
        let (v, rest) = split_version(b"3 1700000000\nhi\n").unwrap();
        assert_eq!((v.as_str(), rest), ("3 1700000000", &b"hi\n"[..]));
        assert!(split_version(b"nothing").is_none());
    }
}
