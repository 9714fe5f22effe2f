DROP TABLE kept_backups;
