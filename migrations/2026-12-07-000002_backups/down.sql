ALTER TABLE plans DROP COLUMN max_backups;
DROP TABLE backups;
DROP TYPE backup_state;
