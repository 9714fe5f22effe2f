//! The wasm entry point: mounts the panel's app into the page.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    // the static shell painted before the wasm loaded (web/index.html)
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
}
