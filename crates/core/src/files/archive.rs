//! Archives: packing entries into a `.tar.gz` (in the container, by its `tar`) or a `.zip` (by
//! the panel, from a tar the container streams), and unpacking `.zip`, `.tar.gz` and `.tar`.
//!
//! Unpacking never trusts the container's `tar` with a foreign archive: the panel reads the
//! archive, refuses any entry that would land outside the target folder (`..` and absolute
//! paths: "zip slip"), links and devices, and sizes beyond the upload limit, then writes a clean tar
//! of files and folders that the container unpacks into a fresh folder and moves into place,
//! refusing to overwrite. Large data goes through temporary files on the panel, never memory.

use std::io::{Read, Seek, Write};
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use super::{Target, exec_error, failure, scripts, temp_name};
use crate::{AppState, missing};
use protocol::AppError;
use protocol::dto::ArchiveFormat;
use protocol::paths::{DataPath, check_name};

/// How long packing or unpacking may take.
const LONG: Duration = Duration::from_secs(30 * 60);
/// Most entries an archive may hold to be unpacked.
const MAX_ENTRIES: usize = 100_000;

/// Packs `names` of `folder` into the new archive `archive` of that folder.
pub async fn compress(
    state: &AppState,
    t: &Target,
    folder: &DataPath,
    names: &[String],
    archive: &str,
    format: ArchiveFormat,
) -> Result<(), AppError> {
    if names.is_empty() {
        return Err(AppError::bad_request(crate::msg!("files-archive-choose")));
    }
    for n in names {
        check_name(n).map_err(AppError::bad_request)?;
    }
    let archive = archive_name(archive, format)?;
    let target = folder.join(&archive).map_err(AppError::bad_request)?;
    let shown = target.to_string();
    let dotted: Vec<String> = names.iter().map(|n| format!("./{n}")).collect();
    let dir = t.path(folder);
    match format {
        ArchiveFormat::TarGz => {
            let tmp = temp_name("pack");
            // `./`: a name starting with "-" must reach mv as a name, not an option
            let dotted_archive = format!("./{archive}");
            let mut args = vec![dir.as_str(), dotted_archive.as_str(), tmp.as_str()];
            args.extend(dotted.iter().map(String::as_str));
            t.run_for(state, scripts::TAR_PACK, &args, None, 4096, &shown, LONG)
                .await
                .map(drop)
        }
        ArchiveFormat::Zip => {
            let mut args = vec![dir.as_str()];
            args.extend(dotted.iter().map(String::as_str));
            let tar = fetch(
                state,
                t,
                scripts::TAR_NAMES,
                &args,
                state.upload_limit,
                &shown,
            )
            .await?;
            let zip = blocking(move || tar_to_zip(tar)).await??;
            let size = zip.as_file().metadata().map_err(io_error)?.len();
            let mut file = tokio::fs::File::from_std(zip.reopen().map_err(io_error)?);
            super::write_from(state, t, &target, size, false, &mut file)
                .await
                .map(drop)
        }
    }
}

/// The archive's name with the format's extension.
fn archive_name(name: &str, format: ArchiveFormat) -> Result<String, AppError> {
    let name = name.trim();
    let ext = match format {
        ArchiveFormat::TarGz => ".tar.gz",
        ArchiveFormat::Zip => ".zip",
    };
    let full = if name.to_ascii_lowercase().ends_with(ext) {
        name.to_string()
    } else {
        format!("{name}{ext}")
    };
    check_name(&full).map_err(AppError::bad_request)?;
    Ok(full)
}

/// Unpacks the archive at `path` into its folder; returns the top-level names it created.
pub async fn decompress(
    state: &AppState,
    t: &Target,
    path: &DataPath,
) -> Result<Vec<String>, AppError> {
    let shown = path.to_string();
    let full = t.path(path);
    let archive = fetch(
        state,
        t,
        scripts::SEND,
        &[&full],
        state.upload_limit,
        &shown,
    )
    .await?;
    let limit = state.upload_limit;
    let shown2 = shown.clone();
    let (clean, tops) = blocking(move || clean_tar(archive, limit, &shown2)).await??;
    if tops.is_empty() {
        return Err(AppError::bad_request(
            crate::msg!("files-archive-empty", "path" => &shown),
        ));
    }
    let dir = t.path(&path.parent());
    let tmp = temp_name("unpack");
    let dotted: Vec<String> = tops.iter().map(|n| format!("./{n}")).collect();
    let mut args = vec![dir.as_str(), tmp.as_str()];
    args.extend(dotted.iter().map(String::as_str));
    let argv = t.argv(scripts::TAR_IN, &args);
    let mut file = tokio::fs::File::from_std(clean.reopen().map_err(io_error)?);
    let work = state.kube.exec_feed(t.pod(), &argv, &mut file, 4096);
    let (out, _fed) = tokio::time::timeout(LONG, work)
        .await
        .map_err(|_| AppError::conflict(crate::msg!("files-archive-unpack-timeout")))?
        .map_err(exec_error)?;
    if out.code != 0 {
        return Err(failure(out.code, &out.stderr, &shown));
    }
    Ok(tops)
}

/// Runs a script whose standard output is a large result and stores it in a temporary file
/// (at most `limit` bytes).
async fn fetch(
    state: &AppState,
    t: &Target,
    script: &str,
    args: &[&str],
    limit: u64,
    shown: &str,
) -> Result<tempfile::NamedTempFile, AppError> {
    let tmp = blocking(tempfile::NamedTempFile::new)
        .await?
        .map_err(io_error)?;
    let mut file = tokio::fs::File::from_std(tmp.reopen().map_err(io_error)?);
    let argv = t.argv(script, args);
    let mut ex = state
        .kube
        .exec_stream(t.pod(), &argv, false)
        .await
        .map_err(exec_error)?;
    let mut out = ex
        .stdout
        .take()
        .ok_or_else(missing("the output of the command run in the server"))?;
    let err = ex.stderr.take();
    let copy = async {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            let n = out.read(&mut buf).await.map_err(io_error)?;
            if n == 0 {
                return Ok(total);
            }
            total += n as u64;
            if total > limit {
                let max = limit / 1024 / 1024;
                let m = crate::msg!("files-archive-too-large", "path" => shown, "max" => max);
                return Err(AppError::bad_request(m));
            }
            file.write_all(&buf[..n]).await.map_err(io_error)?;
        }
    };
    let stderr = async {
        use tokio::io::AsyncReadExt;
        let mut s = Vec::new();
        if let Some(mut e) = err {
            let _ = (&mut e).take(64 * 1024).read_to_end(&mut s).await;
        }
        s
    };
    let work = async { tokio::join!(copy, stderr) };
    let (copied, stderr) = tokio::time::timeout(LONG, work)
        .await
        .map_err(|_| AppError::conflict(crate::msg!("files-archive-read-timeout")))?;
    if let Err(e) = copied {
        ex.abort();
        return Err(e);
    }
    let code = ex.finish().await;
    if code != 0 {
        return Err(failure(code, &String::from_utf8_lossy(&stderr), shown));
    }
    file.flush().await.map_err(io_error)?;
    Ok(tmp)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    // the work's messages are in the request's language: it goes along to the blocking thread
    let lang = crate::i18n::current();
    let work = move || futures::executor::block_on(crate::i18n::scope(lang, async move { f() }));
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        tracing::error!(error = %e, "archive task failed");
        AppError::internal()
    })
}

fn io_error(e: std::io::Error) -> AppError {
    super::scratch::temp_error(e)
}

/// The path an archive entry unpacks to, or why it may not: relative, no `..`, valid names.
pub fn entry_path(raw: &str) -> Result<Option<DataPath>, String> {
    let trimmed = raw.trim_end_matches('/');
    if raw.starts_with('/') || raw.starts_with('\\') || raw.contains('\\') && raw.contains("..") {
        return Err(crate::msg!("files-archive-absolute", "entry" => raw));
    }
    if trimmed.split('/').any(|c| c == "..") {
        return Err(crate::msg!("files-archive-outside", "entry" => raw));
    }
    if trimmed.len() >= 2 && trimmed.as_bytes()[1] == b':' {
        return Err(crate::msg!("files-archive-drive", "entry" => raw));
    }
    let p = DataPath::parse(trimmed).map_err(|e| format!("{e} ({raw})"))?;
    Ok((!p.is_root()).then_some(p))
}

/// What one archive entry is.
enum Item {
    Folder,
    File(u32),
}

/// Reads an archive (zip, tar.gz or tar, by its first bytes) and writes a clean tar of its
/// files and folders; returns it with the top-level names.
fn clean_tar(
    archive: tempfile::NamedTempFile,
    limit: u64,
    shown: &str,
) -> Result<(tempfile::NamedTempFile, Vec<String>), AppError> {
    let refuse = |why: String| {
        AppError::bad_request(crate::msg!("files-archive-refused", "path" => shown, "why" => why))
    };
    let mut f = archive.reopen().map_err(io_error)?;
    let mut magic = [0u8; 262];
    let n = read_full(&mut f, &mut magic).map_err(io_error)?;
    f.rewind().map_err(io_error)?;
    let out = tempfile::NamedTempFile::new().map_err(io_error)?;
    let mut builder = tar::Builder::new(std::io::BufWriter::new(out.reopen().map_err(io_error)?));
    let mut seen = Sanity::new(limit);
    if magic.starts_with(b"PK\x03\x04") || magic.starts_with(b"PK\x05\x06") {
        let mut zip = zip::ZipArchive::new(f)
            .map_err(|e| refuse(crate::msg!("files-archive-not-zip", "error" => e.to_string())))?;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).map_err(|e| {
                refuse(crate::msg!("files-archive-damaged", "error" => e.to_string()))
            })?;
            let name = entry
                .name()
                .map_err(|_| refuse(crate::msg!("files-archive-not-utf8")))?
                .to_string();
            let path = entry_path(&name).map_err(&refuse)?;
            let Some(path) = path else { continue };
            let mode = entry.unix_mode().unwrap_or(0o644);
            if entry.is_symlink() {
                return Err(refuse(crate::msg!("files-archive-link", "entry" => &name)));
            }
            let item = if entry.is_dir() {
                Item::Folder
            } else {
                Item::File(mode)
            };
            seen.add(&path, &item, entry.size()).map_err(&refuse)?;
            append(&mut builder, &path, &item, entry.size(), &mut entry).map_err(|e| {
                refuse(crate::msg!("files-archive-damaged", "error" => e.to_string()))
            })?;
        }
    } else {
        let gz = magic.starts_with(&[0x1f, 0x8b]);
        let plain = n >= 262 && &magic[257..262] == b"ustar";
        if !gz && !plain {
            return Err(refuse(crate::msg!("files-archive-unknown")));
        }
        let reader: Box<dyn Read> = if gz {
            Box::new(flate2::read::GzDecoder::new(f))
        } else {
            Box::new(f)
        };
        let mut ar = tar::Archive::new(reader);
        let entries = ar
            .entries()
            .map_err(|e| refuse(crate::msg!("files-archive-damaged", "error" => e.to_string())))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| {
                refuse(crate::msg!("files-archive-damaged", "error" => e.to_string()))
            })?;
            let raw = entry.path_bytes().into_owned();
            let name = String::from_utf8(raw)
                .map_err(|_| refuse(crate::msg!("files-archive-not-utf8")))?;
            let path = entry_path(&name).map_err(&refuse)?;
            let kind = entry.header().entry_type();
            let item = match kind {
                tar::EntryType::Directory => Item::Folder,
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    Item::File(entry.header().mode().unwrap_or(0o644))
                }
                tar::EntryType::Symlink | tar::EntryType::Link => {
                    return Err(refuse(crate::msg!("files-archive-link", "entry" => &name)));
                }
                tar::EntryType::XGlobalHeader | tar::EntryType::XHeader => continue,
                _ => {
                    return Err(refuse(
                        crate::msg!("files-archive-special", "entry" => &name),
                    ));
                }
            };
            let Some(path) = path else { continue };
            let size = entry.header().size().unwrap_or(0);
            seen.add(&path, &item, size).map_err(&refuse)?;
            append(&mut builder, &path, &item, size, &mut entry).map_err(|e| {
                refuse(crate::msg!("files-archive-damaged", "error" => e.to_string()))
            })?;
        }
    }
    builder
        .into_inner()
        .and_then(|mut w| w.flush())
        .map_err(io_error)?;
    Ok((out, seen.tops))
}

fn read_full(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Running checks over an archive's entries: count, total size, duplicates, top-level names.
struct Sanity {
    limit: u64,
    total: u64,
    count: usize,
    tops: Vec<String>,
    paths: std::collections::HashSet<DataPath>,
}

impl Sanity {
    fn new(limit: u64) -> Sanity {
        Sanity {
            limit,
            total: 0,
            count: 0,
            tops: Vec::new(),
            paths: Default::default(),
        }
    }

    fn add(&mut self, path: &DataPath, item: &Item, size: u64) -> Result<(), String> {
        self.count += 1;
        if self.count > MAX_ENTRIES {
            return Err(crate::msg!("files-archive-too-many", "max" => MAX_ENTRIES));
        }
        self.total = self.total.saturating_add(size);
        if self.total > self.limit {
            return Err(crate::msg!("files-archive-too-big", "max" => self.limit / 1024 / 1024));
        }
        let top = path.parts()[0].clone();
        if !self.tops.contains(&top) {
            self.tops.push(top);
        }
        if !self.paths.insert(path.clone()) && matches!(item, Item::File(_)) {
            return Err(crate::msg!("files-archive-twice", "entry" => path.to_string()));
        }
        Ok(())
    }
}

fn append<W: Write>(
    b: &mut tar::Builder<W>,
    path: &DataPath,
    item: &Item,
    size: u64,
    data: &mut dyn Read,
) -> std::io::Result<()> {
    let mut h = tar::Header::new_gnu();
    let name = path.parts().join("/");
    match item {
        Item::Folder => {
            h.set_entry_type(tar::EntryType::Directory);
            h.set_mode(0o755);
            h.set_size(0);
            b.append_data(&mut h, format!("{name}/"), std::io::empty())
        }
        Item::File(mode) => {
            h.set_entry_type(tar::EntryType::Regular);
            // no set-id or sticky bits; always readable and writable by the owner
            h.set_mode((mode & 0o777) | 0o600);
            h.set_size(size);
            b.append_data(&mut h, name, data.take(size))
        }
    }
}

/// Converts a tar (as the container's `tar -cf` wrote it) into a zip of its files and folders.
fn tar_to_zip(tar_file: tempfile::NamedTempFile) -> Result<tempfile::NamedTempFile, AppError> {
    let out = tempfile::NamedTempFile::new().map_err(io_error)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(out.reopen().map_err(io_error)?));
    let mut ar = tar::Archive::new(tar_file.reopen().map_err(io_error)?);
    let zip_err = |e: zip::result::ZipError| {
        tracing::error!(error = %e, "zip");
        AppError::internal()
    };
    for entry in ar.entries().map_err(io_error)? {
        let mut entry = entry.map_err(io_error)?;
        let raw = entry.path_bytes().into_owned();
        let name = String::from_utf8_lossy(&raw);
        let name = name
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_string();
        if name.is_empty() || name == "." {
            continue;
        }
        let mode = entry.header().mode().unwrap_or(0o644) & 0o777;
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(mode)
            .large_file(entry.header().size().unwrap_or(0) >= u32::MAX as u64);
        match entry.header().entry_type() {
            tar::EntryType::Directory => {
                zip.add_directory(format!("{name}/"), opts)
                    .map_err(zip_err)?;
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                zip.start_file(name, opts).map_err(zip_err)?;
                std::io::copy(&mut entry, &mut zip).map_err(io_error)?;
            }
            // links and special files are left out of zips
            _ => {}
        }
    }
    zip.finish().map_err(zip_err)?.flush().map_err(io_error)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_paths_stay_inside() {
        assert_eq!(
            entry_path("world/region/r.0.0.mca")
                .unwrap()
                .unwrap()
                .to_string(),
            "/world/region/r.0.0.mca"
        );
        assert_eq!(
            entry_path("./plugins/").unwrap().unwrap().to_string(),
            "/plugins"
        );
        assert!(entry_path("./").unwrap().is_none());
        for bad in [
            "../evil.txt",
            "a/../../evil",
            "/etc/passwd",
            "C:/windows",
            "..\\evil",
            "a/\nb",
        ] {
            assert!(entry_path(bad).is_err(), "{bad:?}");
        }
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        let mut z = zip::ZipWriter::new(f.reopen().unwrap());
        for (name, data) in entries {
            z.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
        f
    }

    fn names_of(clean: &tempfile::NamedTempFile) -> Vec<String> {
        let mut ar = tar::Archive::new(clean.reopen().unwrap());
        ar.entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn a_zip_becomes_a_clean_tar_with_its_top_level_names() {
        let z = zip_of(&[("a/b.txt", b"hello"), ("c.txt", b"x"), ("a/d/", b"")]);
        let (clean, tops) = clean_tar(z, 1 << 20, "/x.zip").unwrap();
        assert_eq!(tops, ["a", "c.txt"]);
        assert_eq!(names_of(&clean), ["a/b.txt", "c.txt", "a/d/"]);
    }

    #[test]
    fn zip_slip_and_bombs_are_refused() {
        let z = zip_of(&[("ok.txt", b"fine"), ("../evil.txt", b"x")]);
        let e = clean_tar(z, 1 << 20, "/x.zip").unwrap_err();
        assert!(e.to_string().contains("../evil.txt"), "{e}");
        let z = zip_of(&[("/abs.txt", b"x")]);
        assert!(clean_tar(z, 1 << 20, "/x.zip").is_err());
        let z = zip_of(&[("big.bin", &[0u8; 4096])]);
        let e = clean_tar(z, 1024, "/x.zip").unwrap_err();
        assert!(e.to_string().contains("more than"), "{e}");
        let mut junk = tempfile::NamedTempFile::new().unwrap();
        junk.write_all(b"not an archive at all").unwrap();
        assert!(
            clean_tar(junk, 1024, "/x")
                .unwrap_err()
                .to_string()
                .contains("knows")
        );
    }

    #[test]
    fn refusals_are_said_whole() {
        let mut junk = tempfile::NamedTempFile::new().unwrap();
        junk.write_all(b"not an archive at all").unwrap();
        assert_eq!(
            clean_tar(junk, 1024, "/x").unwrap_err().to_string(),
            "/x cannot be unpacked: it is not an archive the panel knows (zip, tar.gz or tar). \
             Nothing was changed."
        );
        let f = tempfile::NamedTempFile::new().unwrap();
        {
            let mut b = tar::Builder::new(f.reopen().unwrap());
            for _ in 0..2 {
                let mut h = tar::Header::new_gnu();
                h.set_size(1);
                b.append_data(&mut h, "a.txt", &b"x"[..]).unwrap();
            }
            b.finish().unwrap();
        }
        assert_eq!(
            clean_tar(f, 1 << 20, "/x.tar").unwrap_err().to_string(),
            "/x.tar cannot be unpacked: it holds /a.txt twice. Nothing was changed."
        );
    }

    #[tokio::test]
    async fn the_blocking_work_speaks_the_language_of_the_request() {
        let z = zip_of(&[("../evil.txt", b"x")]);
        let e = crate::i18n::scope(crate::i18n::Lang::De, async {
            blocking(move || clean_tar(z, 1 << 20, "/x.zip"))
                .await
                .unwrap()
                .unwrap_err()
        })
        .await;
        assert_eq!(
            e.to_string(),
            "/x.zip lässt sich nicht entpacken: es enthält einen Pfad, der aus dem Ordner \
             hinausführt (../evil.txt). Nichts wurde geändert."
        );
    }

    #[test]
    fn tar_links_are_refused_and_names_normalised() {
        let f = tempfile::NamedTempFile::new().unwrap();
        {
            let mut b = tar::Builder::new(flate2::write::GzEncoder::new(
                f.reopen().unwrap(),
                flate2::Compression::fast(),
            ));
            let mut h = tar::Header::new_gnu();
            h.set_size(2);
            h.set_mode(0o4755);
            b.append_data(&mut h, "./dir/file", &b"hi"[..]).unwrap();
            b.into_inner().unwrap().finish().unwrap();
        }
        let (clean, tops) = clean_tar(f, 1 << 20, "/x.tar.gz").unwrap();
        assert_eq!(tops, ["dir"]);
        let mut ar = tar::Archive::new(clean.reopen().unwrap());
        let e = ar.entries().unwrap().next().unwrap().unwrap();
        assert_eq!(e.header().mode().unwrap(), 0o755, "set-uid dropped");

        let f = tempfile::NamedTempFile::new().unwrap();
        {
            let mut b = tar::Builder::new(f.reopen().unwrap());
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(tar::EntryType::Symlink);
            h.set_size(0);
            b.append_link(&mut h, "etc", "/etc").unwrap();
            b.finish().unwrap();
        }
        let e = clean_tar(f, 1 << 20, "/x.tar").unwrap_err();
        assert!(e.to_string().contains("link"), "{e}");
    }

    #[test]
    fn a_tar_becomes_a_zip() {
        let f = tempfile::NamedTempFile::new().unwrap();
        {
            let mut b = tar::Builder::new(f.reopen().unwrap());
            let mut h = tar::Header::new_gnu();
            h.set_size(5);
            h.set_mode(0o640);
            b.append_data(&mut h, "./world/level.dat", &b"level"[..])
                .unwrap();
            b.finish().unwrap();
        }
        let z = tar_to_zip(f).unwrap();
        let mut zip = zip::ZipArchive::new(z.reopen().unwrap()).unwrap();
        let mut e = zip.by_name("world/level.dat").unwrap();
        let mut s = String::new();
        e.read_to_string(&mut s).unwrap();
        assert_eq!(s, "level");
        assert_eq!(e.unix_mode().unwrap() & 0o777, 0o640);
    }
}
