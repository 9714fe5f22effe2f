-- Variable changes made while a server runs wait here until its next start or restart.
ALTER TABLE servers ADD COLUMN pending_variables JSONB;
