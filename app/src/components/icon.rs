//! The server's icon in the players' server list: any picture, cropped to a square and drawn at
//! 64×64 in the browser (a canvas), then saved as `server-icon.png` in the server's folder,
//! where the game reads it at its next start.

use base64::Engine;
use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::components::upload::upload_url;
use crate::pages::files::download_href;

/// Where the game looks for the icon.
const ICON: &str = "/server-icon.png";
/// Largest picture read, in bytes.
const PICTURE_MAX: f64 = 10.0 * 1024.0 * 1024.0;
/// The icon's side, in pixels.
const SIDE: u32 = 64;

// these run in the save action, outside the component tree: the words come through `i18n()`

fn js(e: JsValue) -> String {
    let i18n = crate::i18n::i18n();
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| tr!(i18n, "icon-browser-failed"))
}

/// The picture as a 64×64 PNG: its bytes and a `data:` URL to show it (the CSP allows those).
async fn to_icon(file: web_sys::File) -> Result<(Vec<u8>, String), String> {
    let i18n = crate::i18n::i18n();
    if file.size() > PICTURE_MAX {
        return Err(tr!(i18n, "icon-too-large"));
    }
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(js)?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let kind = file.type_();
    if !kind.starts_with("image/") {
        return Err(tr!(i18n, "icon-not-picture"));
    }
    let url = format!(
        "data:{kind};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    );
    let img = web_sys::HtmlImageElement::new().map_err(js)?;
    img.set_src(&url);
    JsFuture::from(img.decode())
        .await
        .map_err(|_| tr!(i18n, "icon-unreadable"))?;
    let (w, h) = (
        f64::from(img.natural_width()),
        f64::from(img.natural_height()),
    );
    if w < 1.0 || h < 1.0 {
        return Err(tr!(i18n, "icon-empty"));
    }
    // the middle square, scaled to 64×64
    let side = w.min(h);
    let canvas: web_sys::HtmlCanvasElement = document()
        .create_element("canvas")
        .map_err(js)?
        .unchecked_into();
    canvas.set_width(SIDE);
    canvas.set_height(SIDE);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js)?
        .ok_or_else(|| tr!(i18n, "icon-no-canvas"))?
        .unchecked_into();
    ctx.draw_image_with_html_image_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
        &img,
        (w - side) / 2.0,
        (h - side) / 2.0,
        side,
        side,
        0.0,
        0.0,
        f64::from(SIDE),
        f64::from(SIDE),
    )
    .map_err(js)?;
    let png = canvas.to_data_url_with_type("image/png").map_err(js)?;
    let data = png
        .strip_prefix("data:image/png;base64,")
        .ok_or_else(|| tr!(i18n, "icon-no-png"))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|e| e.to_string())?;
    Ok((bytes, png))
}

/// PUTs `bytes` to the upload route, as the file manager does.
async fn put(id: Uuid, bytes: &[u8]) -> Result<(), String> {
    let i18n = crate::i18n::i18n();
    let xhr = web_sys::XmlHttpRequest::new().map_err(js)?;
    xhr.open("PUT", &upload_url(id, ICON, true)).map_err(js)?;
    let _ = xhr.set_request_header("x-panel-request", "upload");
    let _ = xhr.set_request_header("content-type", "application/octet-stream");
    let x2 = xhr.clone();
    let ended = js_sys::Promise::new(&mut |resolve, _| {
        let done = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        x2.set_onloadend(Some(done.unchecked_ref()));
    });
    xhr.send_with_opt_u8_array(Some(bytes)).map_err(js)?;
    JsFuture::from(ended).await.map_err(js)?;
    let status = xhr.status().unwrap_or(0);
    if (200..300).contains(&status) {
        return Ok(());
    }
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    Err(serde_json::from_str::<protocol::AppError>(&text)
        .map(|e| e.to_string())
        .unwrap_or_else(|_| tr!(i18n, "icon-upload-failed", {"status" => status.to_string()})))
}

/// The icon form: the current icon, a picture to replace it, a preview of what players see.
#[component]
pub fn IconForm(id: Uuid) -> impl IntoView {
    let i18n = crate::i18n::i18n();
    // a new query string after each save: the browser shows the new file, not its cached one
    let saved = RwSignal::new(0u32);
    let missing = RwSignal::new(false);
    let preview = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<Result<String, String>>);
    let save = Action::new_local(move |file: &send_wrapper::SendWrapper<web_sys::File>| {
        let file = (**file).clone();
        async move {
            let (bytes, url) = to_icon(file).await?;
            preview.set(Some(url));
            put(id, &bytes).await
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            message.set(Some(Ok(tr!(i18n, "icon-saved"))));
            missing.set(false);
            saved.update(|n| *n += 1);
        }
        Some(Err(e)) => message.set(Some(Err(e))),
        None => {}
    });
    view! {
        <div class="settings icon-form" data-testid="icon-form">
            <h2>{move_tr!("icon-title")}</h2>
            <div class="icon-row">
                {move || match preview.get() {
                    Some(url) => view! { <img class="server-icon" src=url width="64" height="64" alt=move_tr!("icon-new-alt") data-testid="icon-preview"/> }.into_any(),
                    None => view! {
                        <img class="server-icon" width="64" height="64" alt=move_tr!("icon-current-alt")
                            class:hidden=move || missing.get()
                            src=move || format!("{}&v={}", download_href(id, ICON), saved.get())
                            on:error=move |_| missing.set(true)/>
                    }.into_any(),
                }}
                <label class="field" for="icon-file">
                    <span class="field-label small">{move_tr!("icon-picture")}</span>
                    <input id="icon-file" type="file" accept="image/png,image/jpeg,image/gif,image/webp" data-testid="icon-file"
                        disabled=move || save.pending().get()
                        on:change=move |ev| {
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                                save.dispatch(send_wrapper::SendWrapper::new(f));
                            }
                        }/>
                </label>
            </div>
            {move || save.pending().get().then(|| view! { <p class="muted small" role="status">{move_tr!("icon-saving")}</p> })}
            {move || message.get().map(|m| match m {
                Ok(t) => view! { <p class="banner banner-ok" role="status" data-testid="icon-message">{t}</p> }.into_any(),
                Err(t) => view! { <p class="banner banner-error" role="alert" data-testid="icon-message">{t}</p> }.into_any(),
            })}
        </div>
    }
}
