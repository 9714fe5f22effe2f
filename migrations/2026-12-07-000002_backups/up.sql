-- Backups: one row per restic snapshot the panel made (or tried to make) of a server's world.
-- At most one runs per server at a time (the partial unique index), so two replicas or two
-- clicks never start two; a row stays `running` only while its driver beats (`updated_at`).
CREATE TYPE backup_state AS ENUM ('running', 'done', 'failed');
CREATE TABLE backups (
    id uuid PRIMARY KEY,
    server_id uuid NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    state backup_state NOT NULL DEFAULT 'running',
    locked boolean NOT NULL DEFAULT false,
    snapshot_id text,
    files bigint NOT NULL DEFAULT 0,
    bytes bigint NOT NULL DEFAULT 0,
    added_bytes bigint NOT NULL DEFAULT 0,
    error text,
    started_by uuid REFERENCES users (id) ON DELETE SET NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE UNIQUE INDEX backups_one_running ON backups (server_id) WHERE state = 'running';
CREATE INDEX backups_of_server ON backups (server_id, started_at DESC);
-- How many backups a plan's servers keep (0: none).
ALTER TABLE plans ADD COLUMN max_backups integer NOT NULL DEFAULT 3 CHECK (max_backups BETWEEN 0 AND 1000);
