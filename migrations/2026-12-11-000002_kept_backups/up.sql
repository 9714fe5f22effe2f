-- The backups of a world kept when its server was deleted: the snapshots stay in the world's
-- repository (named by its objects' name), and these rows keep what the list showed, so that
-- the server that takes the world back lists them again. Removed with the world for good.
CREATE TABLE kept_backups (
    id uuid PRIMARY KEY,
    object_name text NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    locked boolean NOT NULL,
    snapshot_id text NOT NULL,
    files bigint NOT NULL,
    bytes bigint NOT NULL,
    added_bytes bigint NOT NULL,
    error text,
    started_by uuid REFERENCES users (id) ON DELETE SET NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz
);
CREATE INDEX kept_backups_of_world ON kept_backups (object_name);
