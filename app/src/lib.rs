//! The browser app: the Leptos pages and components of the single-page app and its UI helpers
//! (ANSI parsing, highlighting, `server.properties`). It calls the server through the functions
//! of [`api`] and speaks the types of [`protocol`]; the server does not depend on it.

#![recursion_limit = "256"]

pub mod ansi;
pub mod components;
pub mod highlight;
pub mod pages;
pub mod properties;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The root component: auth context, router and pages.
#[component]
pub fn App() -> impl IntoView {
    components::session::provide_session();
    components::events::provide_events();
    view! {
        <Router>
            <components::notifier::Notifier/>
            <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                <Route path=path!("/") view=pages::dashboard::DashboardPage/>
                <Route path=path!("/login") view=pages::login::LoginPage/>
                <Route path=path!("/setup") view=pages::setup::SetupPage/>
                <Route path=path!("/servers/new") view=pages::new_server::NewServerPage/>
                <Route path=path!("/servers/:id") view=pages::server::ServerPage/>
                <Route path=path!("/servers/:id/files") view=pages::files::FilesPage/>
                <Route path=path!("/servers/:id/edit") view=pages::file_editor::EditorPage/>
                <Route path=path!("/templates") view=pages::templates::TemplatesPage/>
                <Route path=path!("/account") view=pages::account::AccountPage/>
                <Route path=path!("/users") view=pages::users::UsersPage/>
                <Route path=path!("/audit") view=pages::audit::AuditPage/>
            </Routes>
        </Router>
    }
}
