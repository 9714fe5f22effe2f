//! A websocket to the panel that reconnects with back-off (1, 2, 4 ... 30 s) and says so, and
//! stops for good when the panel closes it with a reason (session ended, access removed).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use protocol::live::{ClientMsg, ServerMsg};

/// The connection as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conn {
    /// Opening.
    Connecting,
    /// Open.
    Open,
    /// Lost; the next attempt is in this many seconds.
    Reconnecting(u32),
    /// Closed by the panel, for this reason; no more attempts.
    Closed(String),
}

struct Inner {
    path: String,
    ws: Option<web_sys::WebSocket>,
    attempt: u32,
    stopped: bool,
    timer: Option<TimeoutHandle>,
    on_msg: Rc<dyn Fn(ServerMsg)>,
    conn: RwSignal<Conn>,
}

/// A live socket; dropping the owner (component cleanup) closes it.
#[derive(Clone)]
pub struct LiveSocket {
    inner: Rc<RefCell<Inner>>,
}

fn url(path: &str) -> String {
    let loc = window().location();
    let scheme = if loc.protocol().unwrap_or_default() == "https:" {
        "wss"
    } else {
        "ws"
    };
    format!("{scheme}://{}{path}", loc.host().unwrap_or_default())
}

impl LiveSocket {
    /// Opens a socket to `path`; every message goes to `on_msg`; `conn` shows the state.
    /// Closed when the calling component is cleaned up.
    pub fn open(path: String, conn: RwSignal<Conn>, on_msg: impl Fn(ServerMsg) + 'static) -> Self {
        let s = LiveSocket {
            inner: Rc::new(RefCell::new(Inner {
                path,
                ws: None,
                attempt: 0,
                stopped: false,
                timer: None,
                on_msg: Rc::new(on_msg),
                conn,
            })),
        };
        s.connect();
        // Cleanup closures must be Send; this one only ever runs on the browser's one thread.
        let weak = send_wrapper::SendWrapper::new(Rc::downgrade(&s.inner));
        on_cleanup(move || {
            if let Some(inner) = weak.upgrade() {
                LiveSocket { inner }.stop(None);
            }
        });
        s
    }

    /// Sends a message; false when the socket is not open.
    pub fn send(&self, msg: &ClientMsg) -> bool {
        let inner = self.inner.borrow();
        match &inner.ws {
            Some(ws) if ws.ready_state() == web_sys::WebSocket::OPEN => ws
                .send_with_str(&serde_json::to_string(msg).unwrap_or_default())
                .is_ok(),
            _ => false,
        }
    }

    fn stop(&self, reason: Option<String>) {
        let mut inner = self.inner.borrow_mut();
        inner.stopped = true;
        if let Some(t) = inner.timer.take() {
            t.clear();
        }
        if let Some(ws) = inner.ws.take() {
            ws.set_onclose(None);
            ws.set_onmessage(None);
            let _ = ws.close();
        }
        if let Some(r) = reason {
            inner.conn.set(Conn::Closed(r));
        }
    }

    fn connect(&self) {
        let Ok(ws) = web_sys::WebSocket::new(&url(&self.inner.borrow().path)) else {
            self.retry();
            return;
        };
        let conn = self.inner.borrow().conn;
        conn.set(Conn::Connecting);
        let me = self.clone();
        let onopen = Closure::<dyn FnMut()>::new(move || {
            me.inner.borrow_mut().attempt = 0;
            conn.set(Conn::Open);
        });
        let me = self.clone();
        let onmessage =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let Some(text) = e.data().as_string() else {
                    return;
                };
                let Ok(msg) = serde_json::from_str::<ServerMsg>(&text) else {
                    return;
                };
                if let ServerMsg::Closed { reason } = &msg {
                    me.stop(Some(reason.clone()));
                }
                let f = me.inner.borrow().on_msg.clone();
                f(msg);
            });
        let me = self.clone();
        let onclose = Closure::<dyn FnMut()>::new(move || {
            if !me.inner.borrow().stopped {
                me.retry();
            }
        });
        ws.set_onopen(Some(onopen.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        ws.set_onclose(Some(onclose.as_ref().unchecked_ref()));
        // The socket lives as long as the page; so do its handlers.
        onopen.forget();
        onmessage.forget();
        onclose.forget();
        self.inner.borrow_mut().ws = Some(ws);
    }

    fn retry(&self) {
        let mut inner = self.inner.borrow_mut();
        if inner.stopped {
            return;
        }
        inner.ws = None;
        let secs = (1u32 << inner.attempt.min(5)).min(30);
        inner.attempt += 1;
        inner.conn.set(Conn::Reconnecting(secs));
        let me = self.clone();
        inner.timer =
            set_timeout_with_handle(move || me.connect(), Duration::from_secs(secs.into())).ok();
    }
}
