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
        max_servers -> Int4,
        max_memory_mib -> Int4,
        max_disk_gib -> Int4,
        totp_secret -> Nullable<Text>,
        totp_pending -> Nullable<Text>,
        totp_last_step -> Nullable<Int8>,
        email -> Nullable<Text>,
    }
}

diesel::table! {
    recovery_codes (user_id, code_hash) {
        user_id -> Uuid,
        code_hash -> Text,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    templates (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        description -> Text,
        spec -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    plans (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        cpu_request_millis -> Int4,
        cpu_limit_millis -> Int4,
        memory_mib -> Int4,
        disk_gib -> Int4,
        created_at -> Timestamptz,
        max_backups -> Int4,
        max_backup_gib -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use protocol::sql::{ServerDesired, ServerStatus};

    servers (id) {
        id -> Uuid,
        name -> Text,
        owner_id -> Uuid,
        template_id -> Uuid,
        plan_id -> Uuid,
        variables -> Jsonb,
        desired -> ServerDesired,
        status -> ServerStatus,
        status_reason -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        pending_variables -> Nullable<Jsonb>,
        claim_gib -> Nullable<Int4>,
        pending_plan_id -> Nullable<Uuid>,
        object_name -> Text,
        storage_class -> Nullable<Text>,
        node_port -> Nullable<Int4>,
        idle_stop_minutes -> Nullable<Int4>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use protocol::sql::BackupStatus;

    backups (id) {
        id -> Uuid,
        server_id -> Uuid,
        name -> Text,
        state -> BackupStatus,
        locked -> Bool,
        snapshot_id -> Nullable<Text>,
        files -> Int8,
        bytes -> Int8,
        added_bytes -> Int8,
        error -> Nullable<Text>,
        started_by -> Nullable<Uuid>,
        started_at -> Timestamptz,
        updated_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    server_ports (server_id, name) {
        server_id -> Uuid,
        name -> Text,
        node_port -> Int4,
    }
}

diesel::table! {
    kept_worlds (object_name) {
        object_name -> Text,
        owner_id -> Uuid,
        server_name -> Text,
        disk_gib -> Int4,
        kept_at -> Timestamptz,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        at -> Timestamptz,
        actor_id -> Nullable<Uuid>,
        server_id -> Nullable<Uuid>,
        action -> Text,
        target -> Nullable<Text>,
        outcome -> Text,
        ip -> Nullable<Text>,
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
        source -> Nullable<Text>,
    }
}

diesel::table! {
    server_members (server_id, user_id) {
        server_id -> Uuid,
        user_id -> Uuid,
        permissions -> Array<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        name -> Text,
        prefix -> Text,
        token_hash -> Text,
        scopes -> Array<Text>,
        expires_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::table! {
    backup_settings (server_id) {
        server_id -> Uuid,
        exclude -> Array<Text>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    schedules (id) {
        id -> Uuid,
        server_id -> Uuid,
        name -> Text,
        trigger -> Text,
        cron -> Text,
        time_zone -> Text,
        idle_minutes -> Nullable<Int4>,
        pattern -> Nullable<Text>,
        active -> Bool,
        only_when_online -> Bool,
        tasks -> Jsonb,
        author_id -> Nullable<Uuid>,
        next_run_at -> Nullable<Timestamptz>,
        last_run_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    schedule_runs (id) {
        id -> Uuid,
        schedule_id -> Uuid,
        cause -> Text,
        due_at -> Nullable<Timestamptz>,
        state -> Text,
        detail -> Nullable<Text>,
        tasks -> Jsonb,
        started_at -> Timestamptz,
        updated_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(audit_log -> servers (server_id));
diesel::joinable!(server_members -> users (user_id));
diesel::joinable!(server_members -> servers (server_id));
diesel::joinable!(servers -> users (owner_id));
diesel::joinable!(kept_worlds -> users (owner_id));
diesel::joinable!(servers -> templates (template_id));
diesel::joinable!(servers -> plans (plan_id));
diesel::joinable!(server_ports -> servers (server_id));
diesel::joinable!(backups -> servers (server_id));
diesel::joinable!(schedules -> servers (server_id));
diesel::joinable!(schedule_runs -> schedules (schedule_id));
diesel::table! {
    user_identities (issuer, subject) {
        issuer -> Text,
        subject -> Text,
        user_id -> Uuid,
        created_at -> Timestamptz,
        last_used_at -> Timestamptz,
    }
}

diesel::table! {
    sso_logins (state_hash) {
        state_hash -> Text,
        browser_hash -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Uuid,
        server_id -> Nullable<Uuid>,
        name -> Text,
        url -> Text,
        format -> Text,
        secret -> Text,
        events -> Array<Text>,
        active -> Bool,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Uuid,
        webhook_id -> Uuid,
        event -> Text,
        dedupe -> Text,
        payload -> Jsonb,
        state -> Text,
        attempts -> Int4,
        next_at -> Timestamptz,
        last_status -> Nullable<Int4>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    server_samples (server_id, at) {
        server_id -> Uuid,
        at -> Timestamptz,
        cpu_millis -> Nullable<Int4>,
        memory_mib -> Nullable<Int4>,
        players -> Nullable<Int4>,
    }
}

diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(user_identities -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    user_identities,
    webhooks,
    webhook_deliveries,
    server_samples,
    sso_logins,
    sessions,
    login_attempts,
    templates,
    plans,
    servers,
    server_members,
    api_tokens,
    recovery_codes,
    audit_log,
    kept_worlds,
    server_ports,
    backups,
    schedules,
    schedule_runs,
    backup_settings
);

diesel::define_sql_function! {
    /// SQL `lower(text)`, for case-insensitive usernames.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}
