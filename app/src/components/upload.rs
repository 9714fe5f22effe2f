//! Uploads from the browser: each file is sent as the raw body of a `PUT` to the file
//! manager's upload route (streamed on the server), by `XMLHttpRequest` for its progress
//! events, one file at a time.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// One file's upload, as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadItem {
    /// The file's name.
    pub name: String,
    /// Bytes sent.
    pub sent: f64,
    /// Bytes in all.
    pub total: f64,
    /// None while it runs; then Ok or the error to show.
    pub done: Option<Result<(), String>>,
}

/// The upload URL of a server's file.
pub fn upload_url(id: uuid::Uuid, path: &str, overwrite: bool) -> String {
    format!(
        "/api/servers/{id}/files/upload?path={}&overwrite={overwrite}",
        protocol::paths::url_encode(path)
    )
}

/// Uploads `files` into the folder `dir` one after another, updating `items`; calls `done`
/// when all have ended.
pub fn upload_all(
    id: uuid::Uuid,
    dir: String,
    files: Vec<web_sys::File>,
    overwrite: bool,
    items: RwSignal<Vec<UploadItem>>,
    done: Callback<()>,
) {
    let start = items.with_untracked(Vec::len);
    items.update(|v| {
        v.extend(files.iter().map(|f| UploadItem {
            name: f.name(),
            sent: 0.0,
            total: f.size(),
            done: None,
        }))
    });
    next(id, dir, files, 0, start, overwrite, items, done);
}

#[allow(clippy::too_many_arguments)]
fn next(
    id: uuid::Uuid,
    dir: String,
    files: Vec<web_sys::File>,
    i: usize,
    slot0: usize,
    overwrite: bool,
    items: RwSignal<Vec<UploadItem>>,
    done: Callback<()>,
) {
    let Some(file) = files.get(i).cloned() else {
        done.run(());
        return;
    };
    let slot = slot0 + i;
    // the XHR's callbacks run outside the component tree
    let i18n = crate::i18n::i18n();
    let set = move |f: &dyn Fn(&mut UploadItem)| {
        items.update(|v| {
            if let Some(it) = v.get_mut(slot) {
                f(it)
            }
        })
    };
    let path = format!("{}/{}", dir.trim_end_matches('/'), file.name());
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        set(&|it| it.done = Some(Err(tr!(i18n, "upload-unsupported"))));
        return;
    };
    let url = upload_url(id, &path, overwrite);
    let _ = xhr.open("PUT", &url);
    let _ = xhr.set_request_header("x-panel-request", "upload");
    let _ = xhr.set_request_header("content-type", "application/octet-stream");
    if let Ok(up) = xhr.upload() {
        let progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                let loaded = e.loaded();
                set(&|it| it.sent = loaded);
            });
        up.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        progress.forget();
    }
    let x2 = xhr.clone();
    let onend = Closure::<dyn FnMut()>::new(move || {
        let status = x2.status().unwrap_or(0);
        let result = if (200..300).contains(&status) {
            Ok(())
        } else {
            let text = x2.response_text().ok().flatten().unwrap_or_default();
            Err(serde_json::from_str::<protocol::AppError>(&text)
                .map(|e| e.to_string())
                .unwrap_or_else(|_| {
                    if status == 0 {
                        tr!(i18n, "upload-interrupted")
                    } else {
                        tr!(i18n, "upload-failed", {"status" => status.to_string()})
                    }
                }))
        };
        set(&|it| {
            if result.is_ok() {
                it.sent = it.total;
            }
            it.done = Some(result.clone());
        });
        next(
            id,
            dir.clone(),
            files.clone(),
            i + 1,
            slot0,
            overwrite,
            items,
            done,
        );
    });
    xhr.set_onloadend(Some(onend.as_ref().unchecked_ref()));
    onend.forget();
    if xhr.send_with_opt_blob(Some(&file)).is_err() {
        set(&|it| it.done = Some(Err(tr!(i18n, "upload-not-started"))));
    }
}

/// The files of a file list (an input's or a drop's).
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The progress list.
#[component]
pub fn UploadList(items: RwSignal<Vec<UploadItem>>) -> impl IntoView {
    view! {
        <Show when=move || items.with(|v| !v.is_empty())>
            <ul class="uploads" data-testid="uploads" aria-live="polite">
                <For each=move || items.get().into_iter().enumerate() key=|(i, it)| (*i, it.sent as u64, it.done.is_some()) let((_, it))>
                    <li class="upload">
                        <span class="upload-name">{it.name.clone()}</span>
                        {match it.done.clone() {
                            None => {
                                let percent = (it.sent / it.total.max(1.0) * 100.0).round() as u64;
                                view! {
                                    <progress max=it.total.max(1.0) value=it.sent></progress>
                                    <span class="small muted">{move_tr!("upload-percent", {"percent" => percent})}</span>
                                }.into_any()
                            }
                            Some(Ok(())) => view! { <span class="small ok">{move_tr!("upload-done")}</span> }.into_any(),
                            Some(Err(e)) => view! { <span class="small error" role="alert">{e}</span> }.into_any(),
                        }}
                    </li>
                </For>
            </ul>
            <button class="btn btn-ghost btn-small" on:click=move |_| items.update(|v| v.retain(|i| i.done.is_none()))>{move_tr!("upload-clear")}</button>
        </Show>
    }
}
