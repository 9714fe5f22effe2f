-- What each running server used, minute by minute, for the graphs: a bounded ring (rows
-- older than a day are removed as new ones come). One row per server and minute, whichever
-- replica sampled it first.
CREATE TABLE server_samples (
    server_id uuid NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    at timestamptz NOT NULL,
    cpu_millis integer,
    memory_mib integer,
    players integer,
    PRIMARY KEY (server_id, at)
);
CREATE INDEX server_samples_by_time ON server_samples (at);
