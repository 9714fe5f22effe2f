//! A server's files: breadcrumbs, a sortable list with multi-select and bulk actions, per-entry
//! actions (rename, copy, download, unpack, permissions, delete), new files and folders, packing
//! into archives, and uploads by button or drag-and-drop with progress.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_fluent::{I18n, move_tr, tr};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;

use crate::components::guard::Protected;
use crate::components::shell::Loading;
use crate::components::upload::{UploadItem, UploadList, files_of, upload_all};
use api::files::{
    chmod_file, compress_files, copy_file, decompress_file, delete_files, list_files, make_folder,
    rename_file, write_file,
};
use protocol::dto::{ArchiveFormat, FileEntry, FileKind};
use protocol::paths::{DataPath, is_archive, is_text_name, url_encode};

/// The files page.
#[component]
pub fn FilesPage() -> impl IntoView {
    view! { <Protected><FilesView/></Protected> }
}

/// The link to a folder (or, with `edit`, the editor of a file) of a server.
pub fn files_href(id: Uuid, path: &str) -> String {
    format!("/servers/{id}/files?path={}", url_encode(path))
}

/// The download link of a file or folder.
pub fn download_href(id: Uuid, path: &str) -> String {
    format!("/api/servers/{id}/files/download?path={}", url_encode(path))
}

const ICON_FOLDER: &str = r#"<svg viewBox="0 0 24 24" fill="currentColor"><path d="M3 6a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/></svg>"#;
const ICON_FILE: &str = r#"<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><path d="M6 3h8l4 4v14H6z"/><path d="M14 3v4h4"/></svg>"#;
const ICON_ARCHIVE: &str = r#"<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><rect x="4" y="4" width="16" height="16" rx="2"/><path d="M12 4v2m0 2v2m0 2v2"/></svg>"#;
const ICON_LINK: &str = r#"<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><path d="M10 14a4 4 0 0 0 6 0l3-3a4 4 0 0 0-6-6l-1 1"/><path d="M14 10a4 4 0 0 0-6 0l-3 3a4 4 0 0 0 6 6l1-1"/></svg>"#;
const ICON_SPECIAL: &str = r#"<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><circle cx="12" cy="12" r="3"/><circle cx="12" cy="12" r="8"/></svg>"#;

/// What the list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Name,
    Size,
    Modified,
}

/// The open form, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Dialog {
    NewFolder,
    NewFile,
    Rename(String),
    Copy(String),
    Chmod(String, u32),
    Pack,
    Delete(Vec<String>),
}

#[component]
fn FilesView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let navigate = use_navigate();
    let i18n = crate::i18n::i18n();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<Uuid>().ok())));
    let path = Memo::new(move |_| {
        let raw = query.with(|q| q.get("path")).unwrap_or_default();
        DataPath::parse(&raw).unwrap_or_default()
    });
    let reload = RwSignal::new(0u32);
    // set once the person started a stopped server from here
    let starting = RwSignal::new(false);
    let listing = LocalResource::new(move || {
        reload.track();
        let (id, p) = (id.get(), path.get());
        async move {
            match id {
                Some(id) => list_files(id, p.to_string()).await,
                None => Err(protocol::AppError::not_found(tr!(
                    i18n,
                    "files-no-such-server"
                ))),
            }
        }
    });
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let dialog = RwSignal::new(None::<Dialog>);
    let notice = RwSignal::new(None::<Result<String, String>>);
    Effect::new(move |_| {
        path.track();
        selected.set(BTreeSet::new());
        dialog.set(None);
    });
    let sort = RwSignal::new((Sort::Name, false));
    let uploads = RwSignal::new(Vec::<UploadItem>::new());
    let overwrite = RwSignal::new(false);
    let dragging = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();

    let finish = move |r: Result<String, protocol::AppError>| {
        match r {
            Ok(m) => {
                notice.set(Some(Ok(m)));
                dialog.set(None);
                selected.set(BTreeSet::new());
            }
            Err(e) => notice.set(Some(Err(e.to_string()))),
        }
        reload.update(|n| *n += 1);
    };
    let run = Action::new_local(move |job: &Job| {
        let job = job.clone();
        async move { job.run(i18n).await }
    });
    Effect::new(move |_| {
        if let Some(r) = run.value().get() {
            finish(r);
        }
    });
    let start_upload = move |files: Vec<web_sys::File>| {
        let Some(id) = id.get_untracked() else { return };
        if files.is_empty() {
            return;
        }
        notice.set(None);
        let done = Callback::new(move |()| reload.update(|n| *n += 1));
        upload_all(
            id,
            path.get_untracked().to_string(),
            files,
            overwrite.get_untracked(),
            uploads,
            done,
        );
    };

    let open = move |e: &FileEntry| {
        let Some(id) = id.get_untracked() else { return };
        let Ok(p) = path.get_untracked().join(&e.name) else {
            return;
        };
        match e.kind {
            FileKind::Folder | FileKind::Link => {
                navigate(&files_href(id, &p.to_string()), Default::default())
            }
            FileKind::File if is_text_name(&e.name) => navigate(
                &format!("/servers/{id}/edit?path={}", url_encode(&p.to_string())),
                Default::default(),
            ),
            _ => {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_href(&download_href(id, &p.to_string()));
                }
            }
        }
    };
    let open = StoredValue::new_local(open);

    // a stopped server's folder cannot be read: its tools are hidden until it runs
    let stopped =
        move || listing.with(|r| matches!(r, Some(Err(protocol::AppError::NotRunning { .. }))));
    view! {
        <section class="section files-page">
            {move || id.get().map(|id| view! { <a class="back" href=format!("/servers/{id}")>{move_tr!("files-back")}</a> })}
            <nav class="crumbs" aria-label=move_tr!("files-crumbs")>
                {move || id.get().map(|id| path.get().crumbs().into_iter().map(|(name, p)| {
                    view! { <a class="crumb" href=files_href(id, &p.to_string())>{name}</a> }
                }).collect_view())}
            </nav>
            <div class="file-toolbar" class:hidden=stopped>
                <button class="btn btn-ghost btn-small" data-testid="new-folder" on:click=move |_| dialog.set(Some(Dialog::NewFolder))>{move_tr!("files-new-folder")}</button>
                <button class="btn btn-ghost btn-small" data-testid="new-file" on:click=move |_| dialog.set(Some(Dialog::NewFile))>{move_tr!("files-new-file")}</button>
                <button class="btn btn-primary btn-small" data-testid="upload" on:click=move |_| {
                    if let Some(i) = file_input.get() { i.click(); }
                }>{move_tr!("files-upload")}</button>
                <input type="file" multiple class="hidden" node_ref=file_input data-testid="upload-input"
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        start_upload(files_of(input.files()));
                        input.set_value("");
                    }/>
                <label class="check small">
                    <input type="checkbox" prop:checked=move || overwrite.get() on:change=move |ev| overwrite.set(event_target_checked(&ev))/>
                    " "{move_tr!("files-replace")}
                </label>
                <span class="topbar-spacer"></span>
                <select class="sort" aria-label=move_tr!("files-sort-by") on:change=move |ev| {
                    let v = event_target_value(&ev);
                    sort.update(|s| s.0 = match v.as_str() { "size" => Sort::Size, "modified" => Sort::Modified, _ => Sort::Name });
                }>
                    <option value="name">{move_tr!("files-name")}</option>
                    <option value="size">{move_tr!("files-size")}</option>
                    <option value="modified">{move_tr!("files-modified")}</option>
                </select>
                <button class="btn btn-ghost btn-small" aria-label=move_tr!("files-reverse") on:click=move |_| sort.update(|s| s.1 = !s.1)>
                    {move || if sort.get().1 { "↑" } else { "↓" }}
                </button>
            </div>
            <Show when=move || selected.with(|s| !s.is_empty())>
                <div class="bulk-bar" data-testid="bulk-bar">
                    <span class="small">{move || tr!("files-selected", {"count" => selected.with(BTreeSet::len)})}</span>
                    <button class="btn btn-ghost btn-small" on:click=move |_| dialog.set(Some(Dialog::Pack))>{move_tr!("files-pack-open")}</button>
                    <button class="btn btn-danger-outline btn-small" data-testid="bulk-delete"
                        on:click=move |_| dialog.set(Some(Dialog::Delete(selected.get_untracked().into_iter().collect())))>{move_tr!("files-delete-open")}</button>
                    <button class="btn btn-ghost btn-small" on:click=move |_| selected.set(BTreeSet::new())>{move_tr!("files-clear")}</button>
                </div>
            </Show>
            {move || dialog.get().map(|d| view! { <DialogForm dialog=d id=id.get().unwrap_or_default() dir=path.get() close=Callback::new(move |()| dialog.set(None)) run selected/> })}
            {move || notice.get().map(|n| match n {
                Ok(m) => view! { <p class="banner banner-ok" role="status">{m}</p> }.into_any(),
                Err(e) => view! { <p class="banner banner-error" role="alert">{e}</p> }.into_any(),
            })}
            <UploadList items=uploads/>
            <div class="file-list" class:dragging=move || dragging.get() data-testid="file-list"
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=move |ev: leptos::ev::DragEvent| {
                    ev.prevent_default();
                    dragging.set(false);
                    start_upload(files_of(ev.data_transfer().and_then(|d| d.files())));
                }>
                <Suspense fallback=|| view! { <Loading label=move_tr!("files-reading")/> }>
                    {move || listing.get().map(|r| match r {
                        Err(protocol::AppError::NotRunning { .. }) => {
                            view! { <Stopped reload starting/> }.into_any()
                        }
                        Err(e) => view! { <p class="banner banner-error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(l) => {
                            let mut entries = l.entries.clone();
                            let (by, rev) = sort.get();
                            match by {
                                Sort::Name => {}
                                Sort::Size => entries.sort_by_key(|e| (e.kind != FileKind::Folder, std::cmp::Reverse(e.size))),
                                Sort::Modified => entries.sort_by_key(|e| (e.kind != FileKind::Folder, std::cmp::Reverse(e.modified))),
                            }
                            if rev { entries.reverse(); }
                            let empty = entries.is_empty();
                            let truncated = l.truncated;
                            let all: Vec<String> = entries.iter().filter(|e| !e.odd).map(|e| e.name.clone()).collect();
                            view! {
                                <div class="file-row file-head">
                                    <input type="checkbox" aria-label=move_tr!("files-select-all")
                                        prop:checked=move || !all.is_empty() && selected.with(|s| s.len() == all.len())
                                        on:change={
                                            let all = l.entries.iter().filter(|e| !e.odd).map(|e| e.name.clone()).collect::<Vec<_>>();
                                            move |ev| selected.set(if event_target_checked(&ev) { all.iter().cloned().collect() } else { BTreeSet::new() })
                                        }/>
                                    <span>{move_tr!("files-name")}</span><span class="col-size">{move_tr!("files-size")}</span><span class="col-date">{move_tr!("files-modified")}</span><span class="col-mode">{move_tr!("files-mode")}</span><span></span>
                                </div>
                                {empty.then(|| view! { <p class="muted empty-folder">{move_tr!("files-empty")}</p> })}
                                {entries.into_iter().map(|e| view! { <Row e id=id.get().unwrap_or_default() dir=path.get() selected dialog run open/> }).collect_view()}
                                {(truncated > 0).then(|| view! { <p class="muted small">{move_tr!("files-truncated", {"count" => truncated})}</p> })}
                            }.into_any()
                        }
                    })}
                </Suspense>
            </div>
        </section>
    }
}

/// One entry's row.
#[component]
fn Row(
    e: FileEntry,
    id: Uuid,
    dir: DataPath,
    selected: RwSignal<BTreeSet<String>>,
    dialog: RwSignal<Option<Dialog>>,
    run: Action<Job, Result<String, protocol::AppError>>,
    open: StoredValue<impl Fn(&FileEntry) + 'static, LocalStorage>,
) -> impl IntoView {
    let menu = RwSignal::new(false);
    let name = e.name.clone();
    let full = dir.join(&e.name).map(|p| p.to_string()).unwrap_or_default();
    let (icon_class, icon) = match e.kind {
        FileKind::Folder => ("folder", ICON_FOLDER),
        FileKind::Link => ("link", ICON_LINK),
        FileKind::Special => ("special", ICON_SPECIAL),
        FileKind::File if is_archive(&e.name) => ("archive", ICON_ARCHIVE),
        FileKind::File => ("file", ICON_FILE),
    };
    let modified = e.modified;
    let when = move || crate::i18n::date_time_secs(modified);
    let (is_folder, bytes) = (e.kind == FileKind::Folder, e.size);
    let size = move || {
        if is_folder {
            "—".to_string()
        } else {
            crate::i18n::bytes(bytes)
        }
    };
    let odd = e.odd;
    let (n1, n2) = (name.clone(), name.clone());
    let stored = StoredValue::new(name.clone());
    let entry = e.clone();
    let archive = e.kind == FileKind::File && is_archive(&e.name);
    let mode = e.mode;
    let full_stored = StoredValue::new(full);
    let (n_select, n_actions) = (name.clone(), name.clone());
    view! {
        <div class="file-row" class:odd=odd data-testid="file-row" data-name=name.clone()>
            <input type="checkbox" aria-label=move_tr!("files-select-entry", {"name" => n_select.clone()}) disabled=odd
                prop:checked=move || selected.with(|s| s.contains(&n1))
                on:change=move |ev| { let on = event_target_checked(&ev); selected.update(|s| { if on { s.insert(n2.clone()); } else { s.remove(&n2); } }); }/>
            <button class="file-name" disabled=odd title=move || if odd { tr!("files-odd-name") } else { String::new() }
                on:click=move |_| open.with_value(|f| f(&entry))>
                <span class=format!("file-icon {icon_class}") aria-hidden="true" inner_html=icon></span>
                <span class="file-label">{name.clone()}</span>
                <span class="file-sub small muted">{size}</span>
            </button>
            <span class="col-size small">{size}</span>
            <span class="col-date small muted">{when}</span>
            <span class="col-mode small muted">{format!("{mode:03o}")}</span>
            <div class="row-menu">
                <button class="btn btn-ghost btn-small" aria-label=move_tr!("files-actions", {"name" => n_actions.clone()}) disabled=odd
                    data-testid="row-menu" on:click=move |_| menu.update(|m| *m = !*m)>"⋯"</button>
                {move || menu.get().then(|| {
                    let n = stored.get_value();
                    let (n_rename, n_copy, n_mode, n_delete) = (n.clone(), n.clone(), n.clone(), n);
                    let p = full_stored.get_value();
                    let href = download_href(id, &p);
                    view! {
                        <div class="menu" role="menu" on:click=move |_| menu.set(false)>
                            <button role="menuitem" on:click=move |_| dialog.set(Some(Dialog::Rename(n_rename.clone())))>{move_tr!("files-rename-move")}</button>
                            <button role="menuitem" on:click=move |_| dialog.set(Some(Dialog::Copy(n_copy.clone())))>{move_tr!("files-copy")}</button>
                            <a role="menuitem" href=href download="">{move_tr!("files-download")}</a>
                            {archive.then(|| view! {
                                <button role="menuitem" data-testid="unpack" on:click=move |_| { run.dispatch(Job::Unpack(id, p.clone())); }>{move_tr!("files-unpack")}</button>
                            })}
                            <button role="menuitem" on:click=move |_| dialog.set(Some(Dialog::Chmod(n_mode.clone(), mode)))>{move_tr!("files-permissions")}</button>
                            <button role="menuitem" class="danger" on:click=move |_| dialog.set(Some(Dialog::Delete(vec![n_delete.clone()])))>{move_tr!("files-delete")}</button>
                        </div>
                    }
                })}
            </div>
        </div>
    }
}

/// A change to make, run by the page's action.
#[derive(Debug, Clone)]
pub enum Job {
    Mkdir(Uuid, String),
    NewFile(Uuid, String),
    Rename(Uuid, String, String),
    Copy(Uuid, String, String),
    Chmod(Uuid, String, u32),
    Delete(Uuid, Vec<String>),
    Pack(Uuid, String, Vec<String>, String, ArchiveFormat),
    Unpack(Uuid, String),
}

impl Job {
    /// Makes the change; what happened, in the current language (`i18n`: it runs outside the
    /// component tree).
    async fn run(self, i18n: I18n) -> Result<String, protocol::AppError> {
        match self {
            Job::Mkdir(id, p) => make_folder(id, p.clone())
                .await
                .map(|()| tr!(i18n, "files-created", {"path" => p})),
            Job::NewFile(id, p) => write_file(id, p.clone(), String::new(), None)
                .await
                .map(|_| tr!(i18n, "files-created", {"path" => p})),
            Job::Rename(id, a, b) => rename_file(id, a, b.clone())
                .await
                .map(|()| tr!(i18n, "files-moved", {"path" => b})),
            Job::Copy(id, a, b) => copy_file(id, a, b.clone())
                .await
                .map(|()| tr!(i18n, "files-copied", {"path" => b})),
            Job::Chmod(id, p, m) => chmod_file(id, p, m)
                .await
                .map(|()| tr!(i18n, "files-mode-set", {"mode" => format!("{m:03o}")})),
            Job::Delete(id, ps) => {
                let n = ps.len();
                delete_files(id, ps)
                    .await
                    .map(|()| tr!(i18n, "files-deleted", {"count" => n}))
            }
            Job::Pack(id, dir, names, archive, f) => {
                compress_files(id, dir, names, archive.clone(), f)
                    .await
                    .map(|()| tr!(i18n, "files-packed", {"archive" => archive}))
            }
            Job::Unpack(id, p) => decompress_file(id, p)
                .await
                .map(|names| tr!(i18n, "files-unpacked", {"names" => names.join(", ")})),
        }
    }
}

/// The form of the open dialog.
#[component]
fn DialogForm(
    dialog: Dialog,
    id: Uuid,
    dir: DataPath,
    close: Callback<()>,
    run: Action<Job, Result<String, protocol::AppError>>,
    selected: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let i18n = crate::i18n::i18n();
    let initial = match &dialog {
        Dialog::NewFolder | Dialog::NewFile | Dialog::Delete(_) => String::new(),
        Dialog::Rename(n) => n.clone(),
        Dialog::Copy(n) => tr!("files-copy-name", {"name" => n.clone()}),
        Dialog::Chmod(_, m) => format!("{m:03o}"),
        Dialog::Pack => tr!("files-archive-name-default"),
    };
    let d_title = dialog.clone();
    let title = move || match &d_title {
        Dialog::NewFolder => tr!("files-new-folder"),
        Dialog::NewFile => tr!("files-new-file"),
        Dialog::Rename(_) => tr!("files-rename-title"),
        Dialog::Copy(_) => tr!("files-copy-title"),
        Dialog::Chmod(..) => tr!("files-mode-title"),
        Dialog::Pack => tr!("files-archive-name"),
        Dialog::Delete(_) => String::new(),
    };
    let d_button = dialog.clone();
    let button = move || match &d_button {
        Dialog::NewFolder | Dialog::NewFile => tr!("files-create"),
        Dialog::Rename(_) => tr!("files-rename"),
        Dialog::Copy(_) => tr!("files-copy"),
        Dialog::Chmod(..) => tr!("files-set"),
        Dialog::Pack => tr!("files-pack"),
        Dialog::Delete(_) => tr!("files-delete"),
    };
    let value = RwSignal::new(initial);
    let format = RwSignal::new(ArchiveFormat::Zip);
    let error = RwSignal::new(None::<String>);
    let d2 = dialog.clone();
    let submit = move || {
        let v = value.get_untracked().trim().to_string();
        // A name is in this folder; a path (with /) is from the server's folder.
        let target = |v: &str| -> Result<String, String> {
            let p = if v.starts_with('/') {
                DataPath::parse(v).map_err(|_| path_problem(i18n, v))?
            } else if v.contains('/') {
                let full = format!("{dir}/{v}");
                DataPath::parse(&full).map_err(|_| path_problem(i18n, &full))?
            } else {
                dir.join(v).map_err(|_| name_problem(i18n, v))?
            };
            Ok(p.to_string())
        };
        let here = |n: &str| dir.join(n).map(|p| p.to_string()).unwrap_or_default();
        let job = match &d2 {
            Dialog::NewFolder => target(&v).map(|p| Job::Mkdir(id, p)),
            Dialog::NewFile => target(&v).map(|p| Job::NewFile(id, p)),
            Dialog::Rename(n) => target(&v).map(|p| Job::Rename(id, here(n), p)),
            Dialog::Copy(n) => target(&v).map(|p| Job::Copy(id, here(n), p)),
            Dialog::Chmod(n, _) => u32::from_str_radix(&v, 8)
                .ok()
                .filter(|m| *m <= 0o777)
                .map(|m| Job::Chmod(id, here(n), m))
                .ok_or_else(|| tr!(i18n, "files-mode-invalid")),
            Dialog::Pack => protocol::paths::check_name(&v)
                .map_err(|_| name_problem(i18n, &v))
                .map(|()| {
                    let names = selected.get_untracked().into_iter().collect();
                    Job::Pack(
                        id,
                        dir.to_string(),
                        names,
                        v.clone(),
                        format.get_untracked(),
                    )
                }),
            Dialog::Delete(names) => Ok(Job::Delete(id, names.iter().map(|n| here(n)).collect())),
        };
        match job {
            Ok(j) => {
                error.set(None);
                run.dispatch(j);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let submit = StoredValue::new_local(submit);
    let is_delete = matches!(dialog, Dialog::Delete(_));
    let is_pack = matches!(dialog, Dialog::Pack);
    let d_delete = dialog.clone();
    let delete_text = move || match &d_delete {
        Dialog::Delete(n) if n.len() == 1 => {
            tr!("files-delete-one", {"name" => n[0].clone()})
        }
        Dialog::Delete(n) => tr!("files-delete-many", {"count" => n.len()}),
        _ => String::new(),
    };
    view! {
        <form class="card dialog" data-testid="file-dialog" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); submit.with_value(|f| f()); }>
            {if is_delete {
                view! { <p><strong>{delete_text}</strong></p> }.into_any()
            } else {
                view! {
                    <label class="field">
                        <span class="field-label small">{title}</span>
                        <input type="text" bind:value=value autofocus data-testid="dialog-input"/>
                    </label>
                }.into_any()
            }}
            {is_pack.then(|| view! {
                <div class="choices">
                    <label class="check"><input type="radio" name="fmt" prop:checked=move || format.get() == ArchiveFormat::Zip on:change=move |_| format.set(ArchiveFormat::Zip)/>" .zip"</label>
                    <label class="check"><input type="radio" name="fmt" prop:checked=move || format.get() == ArchiveFormat::TarGz on:change=move |_| format.set(ArchiveFormat::TarGz)/>" .tar.gz"</label>
                </div>
            })}
            {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            <div class="power-bar">
                <button type="submit" class=if is_delete { "btn btn-danger" } else { "btn btn-primary" } data-testid="dialog-ok"
                    disabled=move || run.pending().get()>{move || if run.pending().get() { tr!("files-working") } else { button() }}</button>
                <button type="button" class="btn btn-ghost" on:click=move |_| close.run(())>{move_tr!("files-cancel")}</button>
            </div>
        </form>
    }
}

/// The Files page while the server starts or stops (neither its container nor its maintenance
/// pod holds the world): it looks again every two seconds and shows the folder once one does.
#[component]
fn Stopped(reload: RwSignal<u32>, starting: RwSignal<bool>) -> impl IntoView {
    // look again every two seconds until the server has started or stopped
    Effect::new(move |_| {
        starting.set(true);
        set_timeout(
            move || {
                reload.try_update(|n| *n += 1);
            },
            std::time::Duration::from_secs(2),
        );
    });
    view! {
        <div class="empty-state" data-testid="files-stopped">
            <h2>{move_tr!("files-stopped-title")}</h2>
            <p class="muted">{move_tr!("files-stopped-text")}</p>
            <Loading label=move_tr!("files-waiting")/>
        </div>
    }
}

/// Why `name` is not a name, in the catalogue's words (`protocol::paths::check_name` decides
/// that it is not; this says which of its rules it breaks).
fn name_problem(i18n: crate::i18n::I18n, name: &str) -> String {
    use protocol::paths::NAME_MAX;
    if name.is_empty() {
        tr!(i18n, "files-name-empty")
    } else if name == "." || name == ".." {
        tr!(i18n, "files-name-dots", {"name" => name})
    } else if name.len() > NAME_MAX {
        tr!(i18n, "files-name-long", {"max" => NAME_MAX})
    } else if name.contains('/') {
        tr!(i18n, "files-name-slash")
    } else {
        tr!(i18n, "files-name-control")
    }
}

/// Why `path` is not a path, in the catalogue's words (`DataPath::parse` decides).
fn path_problem(i18n: crate::i18n::I18n, path: &str) -> String {
    use protocol::paths::{PATH_MAX, check_name};
    if path.len() > PATH_MAX {
        tr!(i18n, "files-path-long", {"max" => PATH_MAX})
    } else if path.split('/').any(|p| p == "..") {
        tr!(i18n, "files-path-dotdot")
    } else {
        path.split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .find(|p| check_name(p).is_err())
            .map(|p| name_problem(i18n, p))
            .unwrap_or_else(|| tr!(i18n, "files-name-control"))
    }
}
