//! The diesel schema, kept in step with `migrations/` by hand (and checked by the tests, which
//! run every query against a migrated database).

diesel::table! {
    users (id) {
        id -> Uuid,
        username -> Text,
        password_hash -> Text,
        is_admin -> Bool,
        disabled -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> Int8,
        username -> Text,
        ip -> Text,
        success -> Bool,
        at -> Timestamptz,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, sessions, login_attempts);

diesel::define_sql_function! {
    /// SQL `lower(text)`, for case-insensitive usernames.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}
