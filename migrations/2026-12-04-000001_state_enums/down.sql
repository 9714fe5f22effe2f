ALTER TABLE servers ALTER COLUMN status DROP DEFAULT;
ALTER TABLE servers ALTER COLUMN status TYPE TEXT USING status::text;
ALTER TABLE servers ALTER COLUMN status SET DEFAULT 'installing';
ALTER TABLE servers ALTER COLUMN desired TYPE TEXT USING desired::text;
ALTER TABLE servers ADD CONSTRAINT servers_desired_check CHECK (desired IN ('running', 'stopped'));
DROP TYPE server_status;
DROP TYPE server_desired;
