ALTER TABLE servers DROP COLUMN pending_variables;
