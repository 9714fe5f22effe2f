ALTER TABLE servers DROP COLUMN node_port;
