DROP TABLE audit_log;
DROP TABLE servers;
ALTER TABLE users DROP COLUMN max_servers, DROP COLUMN max_memory_mib, DROP COLUMN max_disk_gib;
DROP TABLE plans;
DROP TABLE templates;
