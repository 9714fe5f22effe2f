//! The browser app: the Leptos pages and components of the single-page app and its UI helpers
//! (ANSI parsing, highlighting, `server.properties`). It calls the server through the functions
//! of [`api`] and speaks the types of [`protocol`]; the server does not depend on it.

#![recursion_limit = "256"]

mod routes;

pub mod ansi;
pub mod components;
pub mod highlight;
pub mod i18n;
pub mod labels;
pub mod motd;
pub mod pages;
pub mod properties;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, path};

/// The root component: auth context, router and pages.
#[component]
pub fn App() -> impl IntoView {
    components::session::provide_session();
    components::events::provide_events();
    view! {
        <i18n::I18nProvider>
        <i18n::RememberLanguage/>
        <Router>
            <components::notifier::Notifier/>
            <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                <Route path=path!("/") view={Lazy::<routes::Dashboard>::new()}/>
                <Route path=path!("/login") view=pages::login::LoginPage/>
                <Route path=path!("/setup") view=pages::setup::SetupPage/>
                <Route path=path!("/servers/new") view={Lazy::<routes::NewServer>::new()}/>
                <Route path=path!("/servers/:id") view={Lazy::<routes::Server>::new()}/>
                <Route path=path!("/servers/:id/files") view={Lazy::<routes::Files>::new()}/>
                <Route path=path!("/servers/:id/edit") view={Lazy::<routes::Editor>::new()}/>
                <Route path=path!("/templates") view={Lazy::<routes::Templates>::new()}/>
                <Route path=path!("/account") view={Lazy::<routes::Account>::new()}/>
                <Route path=path!("/users") view={Lazy::<routes::Users>::new()}/>
                <Route path=path!("/audit") view={Lazy::<routes::Audit>::new()}/>
                <Route path=path!("/api-reference") view={Lazy::<routes::ApiReference>::new()}/>
            </Routes>
        </Router>
        </i18n::I18nProvider>
    }
}
