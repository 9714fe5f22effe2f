//! Open sockets and their right to stay open. Every second one sweep re-reads, in two queries
//! for all sockets together, their sessions and servers, and runs [`authorize`] again: a
//! revoked session, a removed permission or a deleted server closes the socket within a second.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::watch;
use uuid::Uuid;

use crate::{Actor, AppState, Permission, authorize, conn};

/// Whether a socket may go on.
#[derive(Debug, Clone)]
pub enum Access {
    /// Yes, as this actor (re-read: an admin flag may have changed), with their share of the
    /// socket's server when they are a member (re-read: permissions may have changed).
    Granted(Box<Actor>, Option<Box<db::Member>>),
    /// No, for this reason (said to the person before closing).
    Revoked(String),
}

struct Entry {
    user: Uuid,
    session: Uuid,
    /// Whether `session` is an API token's id.
    token: bool,
    server: Option<Uuid>,
    tx: watch::Sender<Access>,
}

/// The open sockets.
#[derive(Default)]
pub struct Registry {
    next: AtomicU64,
    entries: Mutex<HashMap<u64, Entry>>,
}

/// A socket's registration; dropping it unregisters.
pub struct Registration<'a> {
    registry: &'a Registry,
    key: u64,
    /// Access decisions, updated every sweep.
    pub access: watch::Receiver<Access>,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        self.registry
            .entries
            .lock()
            .expect("sockets")
            .remove(&self.key);
    }
}

impl Registry {
    /// Registers a socket of `actor`, about `server` (None: the status socket), with the share
    /// of it the socket was opened with (so the first sweep sees no change unless there was one).
    pub fn register(
        &self,
        actor: &Actor,
        server: Option<Uuid>,
        member: Option<&db::Member>,
    ) -> Registration<'_> {
        self.register_within(actor, server, member, usize::MAX)
            .expect("no limit")
    }

    /// How many status sockets (`server` None) or server sockets `user` has open.
    pub fn open_by(&self, user: Uuid, status: bool) -> usize {
        let entries = self.entries.lock().expect("sockets");
        entries
            .values()
            .filter(|e| e.user == user && e.server.is_none() == status)
            .count()
    }

    /// [`Registry::register`] unless the user already has `limit` sockets of that kind open
    /// (checked and registered under one lock, so parallel opens cannot pass it together).
    pub fn register_within(
        &self,
        actor: &Actor,
        server: Option<Uuid>,
        member: Option<&db::Member>,
        limit: usize,
    ) -> Option<Registration<'_>> {
        let key = self.next.fetch_add(1, Ordering::Relaxed);
        let (tx, access) = watch::channel(Access::Granted(
            Box::new(actor.clone()),
            member.cloned().map(Box::new),
        ));
        let mut entries = self.entries.lock().expect("sockets");
        let open = entries
            .values()
            .filter(|e| e.user == actor.user.id && e.server.is_none() == server.is_none())
            .count();
        if open >= limit {
            return None;
        }
        entries.insert(
            key,
            Entry {
                user: actor.user.id,
                session: actor.session_id,
                token: actor.scopes.is_some(),
                server,
                tx,
            },
        );
        drop(entries);
        Some(Registration {
            registry: self,
            key,
            access,
        })
    }

    /// How many sockets are open.
    pub fn len(&self) -> usize {
        self.entries.lock().expect("sockets").len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One sweep over every open socket.
pub async fn sweep(state: &AppState) {
    // The sockets this sweep decides for: one registered while the queries run is decided by
    // the next sweep (its session or server is not in what was asked, and must not be taken
    // for ended or deleted).
    let (keys, sessions, tokens, servers): (HashSet<u64>, Vec<Uuid>, Vec<Uuid>, Vec<Uuid>) = {
        let entries = state.live.sockets().entries.lock().expect("sockets");
        if entries.is_empty() {
            return;
        }
        (
            entries.keys().copied().collect(),
            entries
                .values()
                .filter(|e| !e.token)
                .map(|e| e.session)
                .collect(),
            entries
                .values()
                .filter(|e| e.token)
                .map(|e| e.session)
                .collect(),
            entries.values().filter_map(|e| e.server).collect(),
        )
    };
    let Ok(mut c) = conn(state).await else {
        return;
    };
    let Ok(active) = db::Session::find_active_many(&mut c, &sessions).await else {
        return;
    };
    let Ok(live_tokens) = db::ApiToken::find_active_many(&mut c, &tokens).await else {
        return;
    };
    let Ok(rows) = db::Server::find_many(&mut c, &servers).await else {
        return;
    };
    let Ok(shares) = db::Member::of_servers(&mut c, &servers).await else {
        return;
    };
    drop(c);
    let mut users: HashMap<Uuid, (db::User, Option<Vec<String>>)> =
        active.into_iter().map(|(s, u)| (s.id, (u, None))).collect();
    users.extend(
        live_tokens
            .into_iter()
            .map(|(t, u)| (t.id, (u, Some(t.scopes)))),
    );
    let rows: HashMap<Uuid, db::Server> = rows.into_iter().map(|s| (s.id, s)).collect();
    let entries = state.live.sockets().entries.lock().expect("sockets");
    for (key, e) in entries.iter() {
        if !keys.contains(key) {
            continue;
        }
        let decision = match users.get(&e.session) {
            None if e.token => Access::Revoked("This API token was revoked or has expired.".into()),
            None => Access::Revoked("Your session has ended. Sign in again.".into()),
            Some((user, scopes)) => {
                let actor = Actor {
                    user: user.clone(),
                    session_id: e.session,
                    scopes: scopes.clone(),
                    ip: None,
                };
                let member = e.server.and_then(|id| {
                    shares
                        .iter()
                        .find(|m| m.server_id == id && m.user_id == user.id)
                });
                match e.server.map(|id| rows.get(&id)) {
                    Some(None) => Access::Revoked("The server was deleted.".into()),
                    Some(Some(server))
                        if authorize(&actor, server, member, Permission::ConsoleRead).is_err() =>
                    {
                        Access::Revoked("Your access to this server was removed.".into())
                    }
                    _ => Access::Granted(Box::new(actor), member.cloned().map(Box::new)),
                }
            }
        };
        e.tx.send_if_modified(|cur| {
            let changed = match (&*cur, &decision) {
                (Access::Granted(a, ma), Access::Granted(b, mb)) => {
                    a.acts_as_admin() != b.acts_as_admin()
                        || ma.as_ref().map(|m| &m.permissions)
                            != mb.as_ref().map(|m| &m.permissions)
                }
                (Access::Revoked(_), Access::Revoked(_)) => false,
                _ => true,
            };
            if changed {
                *cur = decision.clone();
            }
            changed
        });
    }
}

/// Sweeps every second until the process ends.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        sweep(&state).await;
    }
}
