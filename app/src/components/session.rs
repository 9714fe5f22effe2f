//! The client's view of who is signed in, shared through Leptos context.

use leptos::prelude::*;
use leptos::task::spawn_local;

use api::auth::{get_panel_info, me};
use protocol::AppError;
use protocol::dto::{PanelInfo, UserDto};

/// What the app knows about the panel and the signed-in user.
#[derive(Clone, Copy)]
pub struct SessionCtx {
    /// The signed-in user, once known (`None` when signed out).
    pub user: RwSignal<Option<UserDto>>,
    /// Panel facts (setup pending, sandbox).
    pub info: RwSignal<Option<PanelInfo>>,
    /// True once the first check of the session has answered.
    pub checked: RwSignal<bool>,
    /// Set when the panel could not be reached at start.
    pub error: RwSignal<Option<String>>,
}

impl SessionCtx {
    /// Asks the server again who is signed in and what the panel needs. While the panel's
    /// database is switching (`unavailable`), asks again by itself after the `Retry-After` the
    /// answer gave (reads only: it changes nothing).
    pub fn refresh(self) {
        spawn_local(async move {
            let mut retry = None;
            match get_panel_info().await {
                Ok(info) => {
                    self.info.set(Some(info));
                    self.error.set(None);
                }
                Err(e) => {
                    retry = retry.or(retry_after(&e));
                    self.error.set(Some(e.to_string()));
                }
            }
            match me().await {
                Ok(user) => self.user.set(Some(user)),
                Err(AppError::Unauthenticated { .. }) => self.user.set(None),
                Err(e) => {
                    retry = retry.or(retry_after(&e));
                    self.error.set(Some(e.to_string()));
                }
            }
            self.checked.set(true);
            if let Some(secs) = retry {
                gloo_timers::future::sleep(std::time::Duration::from_secs(secs.clamp(1, 30))).await;
                self.refresh();
            }
        });
    }
}

/// The wait an `unavailable` answer asks for, else None.
fn retry_after(e: &AppError) -> Option<u64> {
    match e {
        AppError::Unavailable {
            retry_after_secs, ..
        } => Some(*retry_after_secs),
        _ => None,
    }
}

/// Puts a [`SessionCtx`] in context and starts the first check.
pub fn provide_session() {
    let ctx = SessionCtx {
        user: RwSignal::new(None),
        info: RwSignal::new(None),
        checked: RwSignal::new(false),
        error: RwSignal::new(None),
    };
    provide_context(ctx);
    ctx.refresh();
    // back online after a failed check: check again without waiting for a click
    let handle = window_event_listener(leptos::ev::online, move |_| {
        if ctx.error.get_untracked().is_some() {
            ctx.refresh();
        }
    });
    on_cleanup(move || handle.remove());
}

/// The [`SessionCtx`] of the app.
pub fn use_session() -> SessionCtx {
    expect_context::<SessionCtx>()
}
