-- Schedules: a trigger (a cron of five fields read in a time zone, a crash, no player for N
-- minutes, or a console line matching a pattern) and tasks run in order. `next_run_at` is
-- the claim: a replica runs a due schedule only if it moves `next_run_at` on from the value it
-- read (compare-and-set), in the same transaction that writes the run, so a run happens once
-- whatever the number of replicas. Runs keep each task's outcome.
CREATE TABLE schedules (
    id uuid PRIMARY KEY,
    server_id uuid NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    trigger text NOT NULL DEFAULT 'cron' CHECK (trigger IN ('cron', 'crash', 'idle', 'console')),
    cron text NOT NULL DEFAULT '' CHECK (length(cron) <= 200),
    time_zone text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 64),
    idle_minutes integer CHECK (idle_minutes BETWEEN 1 AND 1440),
    pattern text CHECK (length(pattern) BETWEEN 1 AND 200),
    active boolean NOT NULL DEFAULT true,
    only_when_online boolean NOT NULL DEFAULT false,
    tasks jsonb NOT NULL,
    -- whose rights the tasks act with: the person who saved it last
    author_id uuid REFERENCES users (id) ON DELETE SET NULL,
    next_run_at timestamptz,
    last_run_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (server_id, name)
);
CREATE INDEX schedules_due ON schedules (next_run_at) WHERE active;
CREATE TABLE schedule_runs (
    id uuid PRIMARY KEY,
    schedule_id uuid NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    cause text NOT NULL CHECK (cause IN ('cron', 'now', 'crash', 'idle', 'console')),
    due_at timestamptz,
    state text NOT NULL CHECK (state IN ('running', 'done', 'failed', 'skipped')),
    detail text,
    tasks jsonb NOT NULL DEFAULT '[]',
    started_at timestamptz NOT NULL DEFAULT now(),
    -- the driver's last beat (running), or its last change
    updated_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    UNIQUE (schedule_id, due_at)
);
CREATE INDEX schedule_runs_latest ON schedule_runs (schedule_id, started_at DESC);
