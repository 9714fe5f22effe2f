-- What a server's backups leave out (restic exclude patterns, set by its owner), and how many
-- GiB of backups a plan's servers may keep (what their backups added to the repository; 0: no
-- limit).
CREATE TABLE backup_settings (
    server_id uuid PRIMARY KEY REFERENCES servers (id) ON DELETE CASCADE,
    exclude text[] NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE plans ADD COLUMN max_backup_gib integer NOT NULL DEFAULT 0 CHECK (max_backup_gib BETWEEN 0 AND 100000);
