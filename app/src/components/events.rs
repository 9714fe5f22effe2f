//! The signed-in person's status feed (`/api/events`): one socket for the whole app, opened by
//! the [`Notifier`](super::notifier::Notifier) while someone is signed in, shared by whoever
//! subscribes (the dashboard), so a page never opens a second one.

use std::rc::Rc;

use leptos::prelude::*;

use super::live_socket::Conn;
use protocol::live::ServerMsg;

type Subscriber = (u64, Rc<dyn Fn(&ServerMsg)>);

/// The feed, in context from the app's root.
#[derive(Clone, Copy)]
pub struct EventsFeed {
    /// The socket's state.
    pub conn: RwSignal<Conn>,
    subscribers: StoredValue<Vec<Subscriber>, LocalStorage>,
    next: StoredValue<u64>,
}

impl EventsFeed {
    /// Calls `f` with every message until the calling component is cleaned up.
    pub fn subscribe(self, f: impl Fn(&ServerMsg) + 'static) {
        let key = self.next.get_value();
        self.next.set_value(key + 1);
        self.subscribers
            .update_value(|s| s.push((key, Rc::new(f) as Rc<dyn Fn(&ServerMsg)>)));
        on_cleanup(move || {
            self.subscribers
                .try_update_value(|s| s.retain(|(k, _)| *k != key));
        });
    }

    /// Hands a message to every subscriber.
    pub fn publish(self, msg: &ServerMsg) {
        // a copy of the list: a subscriber may subscribe or leave while called
        let subs: Vec<_> = self
            .subscribers
            .with_value(|s| s.iter().map(|(_, f)| f.clone()).collect());
        for f in subs {
            f(msg);
        }
    }
}

/// Puts an [`EventsFeed`] in context (the app's root does, once).
pub fn provide_events() {
    provide_context(EventsFeed {
        conn: RwSignal::new(Conn::Connecting),
        subscribers: StoredValue::new_local(Vec::new()),
        next: StoredValue::new(0),
    });
}

/// The app's [`EventsFeed`].
pub fn use_events() -> EventsFeed {
    expect_context::<EventsFeed>()
}
