ALTER TABLE servers DROP COLUMN idle_stop_minutes;
