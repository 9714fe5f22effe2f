DROP TABLE kept_worlds;
ALTER TABLE servers DROP COLUMN object_name, DROP COLUMN storage_class;
