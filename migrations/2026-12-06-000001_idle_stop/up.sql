-- Idle stop: a server nobody has played on for this many minutes is stopped by the panel (off
-- when null). Per server, set by whoever may change its settings.
ALTER TABLE servers ADD COLUMN idle_stop_minutes integer
    CHECK (idle_stop_minutes BETWEEN 1 AND 1440);
