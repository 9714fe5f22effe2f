//! The file manager's plain HTTP routes, for what JSON carries badly: an upload streams a
//! file's bytes as the request body into the container, a download streams them out (a folder
//! as a `.tar.gz`). Neither holds a whole file in the panel's memory. Both authenticate and
//! authorize like every server function ([`super::target`]).

use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use futures::TryStreamExt;
use http::{HeaderValue, header};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncReadExt;
use uuid::Uuid;

use super::{Target, listing, scripts, target};
use crate::auth::actor_from_headers;
use crate::{AppState, Permission, missing, request};
use protocol::AppError;
use protocol::dto::FileKind;
use protocol::paths::DataPath;

/// Path of the download route.
pub const DOWNLOAD_PATH: &str = "/api/servers/{id}/files/download";
/// Path of the upload route.
pub const UPLOAD_PATH: &str = "/api/servers/{id}/files/upload";

/// The plain routes as `(path, method, permission)`: the router mounts exactly these, and the
/// authorization test walks them.
pub const ROUTES: &[(&str, &str, Permission)] = &[
    (DOWNLOAD_PATH, "GET", Permission::FilesRead),
    (UPLOAD_PATH, "PUT", Permission::FilesWrite),
];

/// The download's query.
#[derive(Debug, Deserialize)]
pub struct DownloadQuery {
    /// The file or folder.
    pub path: String,
}

/// `GET /api/servers/{id}/files/download?path=...`: the file's bytes, or a folder as a gzipped
/// tar, as an attachment.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(q): Query<DownloadQuery>,
    req: Request,
) -> Response {
    match download_inner(&state, id, &q.path, req).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn download_inner(
    state: &AppState,
    id: Uuid,
    path: &str,
    req: Request,
) -> Result<Response, AppError> {
    let actor = actor_from_headers(
        state,
        req.headers(),
        request::peer_address(req.extensions(), req.headers(), &state.auth.trust_proxy),
    )
    .await?;
    let path = super::parse(path)?;
    let t = target(state, &actor, id, Permission::FilesRead).await?;
    let shown = path.to_string();
    let out = t
        .run(state, scripts::STAT, &[&t.path(&path)], None, 256, &shown)
        .await?;
    let (kind, _, size, _) = listing::stat_line(&String::from_utf8_lossy(&out))
        .ok_or_else(missing("the answer of stat"))?;
    let name = path.name().unwrap_or(&t.server.name).to_string();
    let (script, filename, mime, length) = match kind {
        FileKind::File => (scripts::SEND, name, "application/octet-stream", Some(size)),
        FileKind::Folder => (
            scripts::TAR_OUT,
            format!("{name}.tar.gz"),
            "application/gzip",
            None,
        ),
        _ => {
            let m = crate::msg!("files-http-not-file-or-folder", "path" => &shown);
            return Err(AppError::bad_request(m));
        }
    };
    let body = stream_out(state, &t, script, &path).await?;
    let mut res = Response::new(body);
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Some(len) = length {
        h.insert(header::CONTENT_LENGTH, len.into());
    }
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&filename)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// A body streaming the script's standard output; the exec lives as long as the body.
async fn stream_out(
    state: &AppState,
    t: &Target,
    script: &str,
    path: &DataPath,
) -> Result<Body, AppError> {
    let argv = t.argv(script, &[&t.path(path)]);
    let mut ex = state
        .kube
        .exec_stream(t.pod(), &argv, false)
        .await
        .map_err(super::exec_error)?;
    let out = ex
        .stdout
        .take()
        .ok_or_else(missing("the output of the command run in the server"))?;
    let shown = path.to_string();
    let chunks = tokio_util::io::ReaderStream::with_capacity(out, 64 * 1024);
    // When the output ends, read the exit code: a failure mid-way cuts the download (the
    // browser reports it) rather than passing for a complete file.
    let tail = futures::stream::once(async move {
        let code = ex.finish().await;
        if code == 0 {
            Ok(None)
        } else {
            tracing::warn!(code, path = %shown, "download failed mid-way");
            Err(std::io::Error::other("the download failed"))
        }
    })
    .try_filter_map(|x: Option<axum::body::Bytes>| async move { Ok(x) });
    Ok(Body::from_stream(futures::StreamExt::chain(chunks, tail)))
}

/// `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266).
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The upload's query.
#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    /// Where the file goes (its folder and name).
    pub path: String,
    /// Replace an existing file of that name.
    #[serde(default)]
    pub overwrite: bool,
}

/// What an upload answers.
#[derive(Debug, Serialize, Deserialize)]
pub struct Uploaded {
    /// The file, as `/a/b`.
    pub path: String,
    /// Its bytes.
    pub size: u64,
    /// Its new version (size and modification time).
    pub version: String,
}

/// `PUT /api/servers/{id}/files/upload?path=...&overwrite=...`: streams the body (whose
/// `Content-Length` is required, and at most the upload limit) into the file.
pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(q): Query<UploadQuery>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let stream = body.into_data_stream().map_err(std::io::Error::other);
    let mut reader = tokio_util::io::StreamReader::new(stream);
    match upload_inner(&state, id, q, &parts, &mut reader).await {
        Ok(up) => axum::Json(up).into_response(),
        Err(e) => {
            // A refusal may come before the body is read (the file exists, no permission): a
            // small body is read to its end first, so that the client, still sending, gets the
            // answer rather than a connection closed under it.
            let small = announced_size(&parts).is_some_and(|n| n <= DRAIN_MAX);
            if small {
                let mut sink = tokio::io::sink();
                let _ = tokio::time::timeout(
                    std::time::Duration::from_secs(5),
                    tokio::io::copy(&mut (&mut reader).take(DRAIN_MAX), &mut sink),
                )
                .await;
            }
            e.into_response()
        }
    }
}

/// The most of a refused upload's body read before answering.
const DRAIN_MAX: u64 = 1024 * 1024;

/// The `Content-Length` of a request.
fn announced_size(parts: &http::request::Parts) -> Option<u64> {
    parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

async fn upload_inner(
    state: &AppState,
    id: Uuid,
    q: UploadQuery,
    parts: &http::request::Parts,
    reader: &mut (dyn tokio::io::AsyncRead + Unpin + Send),
) -> Result<Uploaded, AppError> {
    let ip = request::client_ip(parts, &state.auth.trust_proxy);
    let actor = actor_from_headers(state, &parts.headers, Some(ip)).await?;
    let path = super::parse(&q.path)?;
    let size: u64 = announced_size(parts)
        .ok_or_else(|| AppError::bad_request(crate::msg!("files-http-no-length")))?;
    if size > state.upload_limit {
        return Err(AppError::TooLarge {
            message: crate::msg!("files-http-too-large", "max" => state.upload_limit / 1024 / 1024),
        });
    }
    let t = target(state, &actor, id, Permission::FilesWrite).await?;
    let res = super::write_from(state, &t, &path, size, q.overwrite, reader).await;
    let outcome = match &res {
        Ok(_) => "ok".to_string(),
        Err(e) => format!("refused: {e}"),
    };
    crate::audit::record(
        state,
        &actor,
        Some(id),
        "file.upload",
        Some(&format!("{path} ({size} bytes)")),
        &outcome,
    )
    .await;
    Ok(Uploaded {
        path: path.to_string(),
        size,
        version: res?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_survive_any_characters() {
        assert_eq!(
            content_disposition("server.properties"),
            "attachment; filename=\"server.properties\"; filename*=UTF-8''server.properties"
        );
        let d = content_disposition("été \"x\".txt");
        assert!(d.starts_with("attachment; filename=\"_t_ _x_.txt\""), "{d}");
        assert!(d.ends_with("UTF-8''%C3%A9t%C3%A9%20%22x%22.txt"), "{d}");
        assert!(HeaderValue::from_str(&content_disposition("a\u{7f}b")).is_ok());
    }
}
