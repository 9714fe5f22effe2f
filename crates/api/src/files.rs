//! The file manager: list, read and write text, create folders, rename, copy, delete, change
//! permissions, pack and unpack archives. Uploads and downloads stream over plain HTTP routes
//! (see the README); paths are relative to the server's data folder, written `/a/b`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::{Permission, files};
use protocol::AppError;
use protocol::dto::{ArchiveFormat, FileText, FolderListing};

/// A folder's entries (folders first).
#[server(prefix = "/api", endpoint = "files_list", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_files(id: Uuid, path: String) -> Result<FolderListing, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let path = files::parse(&path)?;
    let t = files::target(&state, &actor, id, Permission::FilesRead).await?;
    files::list(&state, &t, &path).await
}

/// A text file, for the editor (at most 4 MiB of UTF-8), with its version.
#[server(prefix = "/api", endpoint = "file_read", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn read_file(id: Uuid, path: String) -> Result<FileText, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let path = files::parse(&path)?;
    let t = files::target(&state, &actor, id, Permission::FilesRead).await?;
    files::read_text(&state, &t, &path).await
}

/// Saves a text file: over the `version` read (refused if the file changed on disk since), or,
/// without a version, as a new file (refused if one exists). Returns the new version.
#[server(prefix = "/api", endpoint = "file_write", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn write_file(
    id: Uuid,
    path: String,
    content: String,
    version: Option<String>,
) -> Result<String, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let path = files::parse(&path)?;
    let t = files::target(&state, &actor, id, Permission::FilesWrite).await?;
    files::write_text(&state, &actor, &t, &path, &content, version.as_deref()).await
}

/// Creates a folder.
#[server(prefix = "/api", endpoint = "file_mkdir", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn make_folder(id: Uuid, path: String) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let path = files::parse(&path)?;
    let t = files::target(&state, &actor, id, Permission::FilesWrite).await?;
    files::mkdir(&state, &actor, &t, &path).await
}

/// Renames or moves a file or folder; `to` must not exist.
#[server(prefix = "/api", endpoint = "file_rename", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn rename_file(id: Uuid, from: String, to: String) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let (from, to) = (files::parse(&from)?, files::parse(&to)?);
    let t = files::target(&state, &actor, id, Permission::FilesWrite).await?;
    files::relocate(&state, &actor, &t, &from, &to, false).await
}

/// Copies a file or folder; `to` must not exist.
#[server(prefix = "/api", endpoint = "file_copy", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn copy_file(id: Uuid, from: String, to: String) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let (from, to) = (files::parse(&from)?, files::parse(&to)?);
    let t = files::target(&state, &actor, id, Permission::FilesWrite).await?;
    files::relocate(&state, &actor, &t, &from, &to, true).await
}

/// Deletes files and folders (folders with all they hold). All must exist, or none is deleted.
#[server(prefix = "/api", endpoint = "files_delete", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn delete_files(id: Uuid, paths: Vec<String>) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let paths = paths
        .iter()
        .map(|p| files::parse(p))
        .collect::<Result<Vec<_>, _>>()?;
    let t = files::target(&state, &actor, id, Permission::FilesDelete).await?;
    files::delete(&state, &actor, &t, &paths).await
}

/// Sets permission bits (`mode`, 0 to 0o777) of a file or folder.
#[server(prefix = "/api", endpoint = "file_chmod", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn chmod_file(id: Uuid, path: String, mode: u32) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let path = files::parse(&path)?;
    let t = files::target(&state, &actor, id, Permission::FilesWrite).await?;
    files::chmod(&state, &actor, &t, &path, mode).await
}

/// Packs entries (`names`) of `folder` into the new archive `archive` in that folder.
#[server(prefix = "/api", endpoint = "files_compress", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn compress_files(
    id: Uuid,
    folder: String,
    names: Vec<String>,
    archive: String,
    format: ArchiveFormat,
) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let folder = files::parse(&folder)?;
    let t = files::target(&state, &actor, id, Permission::FilesWrite).await?;
    files::compress(&state, &actor, &t, &folder, &names, &archive, format).await
}

/// Unpacks a zip, tar.gz or tar into its folder; returns the names it created there. Entries
/// leading outside the folder, links and devices refuse the whole archive, as does any name
/// that exists already.
#[server(prefix = "/api", endpoint = "file_decompress", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn decompress_file(id: Uuid, path: String) -> Result<Vec<String>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let path = files::parse(&path)?;
    let t = files::target(&state, &actor, id, Permission::FilesWrite).await?;
    files::decompress(&state, &actor, &t, &path).await
}
