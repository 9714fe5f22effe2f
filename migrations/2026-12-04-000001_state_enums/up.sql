-- A server's desired state and status as Postgres enums: the database refuses a state the
-- panel does not know, and the code reads them as types (protocol::Desired, ServerState).
CREATE TYPE server_desired AS ENUM ('running', 'stopped');
CREATE TYPE server_status AS ENUM
    ('installing', 'starting', 'running', 'stopping', 'stopped', 'crashed', 'error');

ALTER TABLE servers DROP CONSTRAINT IF EXISTS servers_desired_check;
ALTER TABLE servers ALTER COLUMN desired TYPE server_desired USING desired::server_desired;
ALTER TABLE servers ALTER COLUMN status DROP DEFAULT;
ALTER TABLE servers ALTER COLUMN status TYPE server_status USING status::server_status;
ALTER TABLE servers ALTER COLUMN status SET DEFAULT 'installing';
