ALTER TABLE plans DROP COLUMN max_backup_gib; DROP TABLE backup_settings;
