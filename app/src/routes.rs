//! The pages loaded on demand: everything but sign-in and setup. With the `split` feature each
//! one's code (and what only it uses) is a wasm chunk of its own, fetched the first time its
//! route is visited, so the first load carries the sign-in page and the app's frame only.
//! Without it they are ordinary routes in one wasm.

use leptos::prelude::*;

use crate::pages::{
    account::AccountPage, api_reference::ApiReferencePage, audit::AuditPage,
    dashboard::DashboardPage, file_editor::EditorPage, files::FilesPage, new_server::NewServerPage,
    server::ServerPage, templates::TemplatesPage, users::UsersPage,
};

/// A route whose page `$page` is loaded on demand.
#[cfg(feature = "split")]
macro_rules! on_demand {
    ($(#[$doc:meta])* $route:ident => $page:ident) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $route;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    };
}

/// A route whose page `$page` is in the one wasm (no `split` feature).
#[cfg(not(feature = "split"))]
macro_rules! on_demand {
    ($(#[$doc:meta])* $route:ident => $page:ident) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $route;

        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    };
}

on_demand!(
    /// `/`: the servers.
    Dashboard => DashboardPage
);
on_demand!(
    /// `/servers/new`.
    NewServer => NewServerPage
);
on_demand!(
    /// `/servers/:id`: console, players, settings, members, activity.
    Server => ServerPage
);
on_demand!(
    /// `/servers/:id/files`.
    Files => FilesPage
);
on_demand!(
    /// `/servers/:id/edit`: the file editor.
    Editor => EditorPage
);
on_demand!(
    /// `/templates`.
    Templates => TemplatesPage
);
on_demand!(
    /// `/account`.
    Account => AccountPage
);
on_demand!(
    /// `/users`.
    Users => UsersPage
);
on_demand!(
    /// `/audit`.
    Audit => AuditPage
);
on_demand!(
    /// `/api-reference`: the API's endpoints, from its OpenAPI document.
    ApiReference => ApiReferencePage
);
