-- Webhooks: where the panel tells another service what happened (Discord, or any receiver of
-- signed JSON). A server's own (server_id), or the panel's for every server (server_id NULL,
-- administrators'). The secret signs each delivery (HMAC-SHA256); it is shown once.
CREATE TABLE webhooks (
    id uuid PRIMARY KEY,
    server_id uuid REFERENCES servers (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    url text NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
    format text NOT NULL CHECK (format IN ('discord', 'json')),
    secret text NOT NULL,
    events text[] NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_of_server ON webhooks (server_id);

-- Each event for each webhook, and how its delivery went: pending (with when to try next),
-- delivered, or failed after the last try. `dedupe` keeps one event from being queued twice
-- (two replicas seeing the same player join).
CREATE TABLE webhook_deliveries (
    id uuid PRIMARY KEY,
    webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event text NOT NULL,
    dedupe text NOT NULL,
    payload jsonb NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_at timestamptz NOT NULL DEFAULT now(),
    last_status integer,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    UNIQUE (webhook_id, dedupe)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, created_at DESC);
