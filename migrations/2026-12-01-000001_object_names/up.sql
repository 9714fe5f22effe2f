-- A server's Kubernetes objects are named from its id, not from the name a person chose: a
-- Service name must start with a letter (DNS-1035), and a name freed by a deletion must never
-- lead a new server (of anyone) onto the volume a deleted server left behind.
ALTER TABLE servers ADD COLUMN object_name TEXT;
-- Existing servers keep their objects' names (a StatefulSet cannot be renamed); a name starting
-- with a digit never got a Service on a real cluster, so it takes the new form.
UPDATE servers SET object_name = CASE
    WHEN name ~ '^[a-z]' THEN name
    ELSE 'mc-' || replace(id::text, '-', '') END;
ALTER TABLE servers
    ALTER COLUMN object_name SET NOT NULL,
    ADD CONSTRAINT servers_object_name_key UNIQUE (object_name),
    ADD CONSTRAINT servers_object_name_check CHECK (object_name ~ '^[a-z]([a-z0-9-]{0,50}[a-z0-9])?$');

-- The storage class a server's world was created on (a claim template cannot change later, so
-- a new setting applies to new servers only). NULL: the cluster's default class.
ALTER TABLE servers ADD COLUMN storage_class TEXT;

-- Worlds kept when their server was deleted: only their owner gets them back, by creating a
-- server of the same name, and no other server is ever given their objects' name.
CREATE TABLE kept_worlds (
    object_name TEXT PRIMARY KEY,
    owner_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    server_name TEXT NOT NULL,
    disk_gib    INT NOT NULL,
    kept_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX kept_worlds_owner_name_idx ON kept_worlds (owner_id, server_name);
