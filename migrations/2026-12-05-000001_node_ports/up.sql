-- The node port a server's game Service is given in `nodeport` exposure: allocated by the
-- panel from the operator's range when the server is made, unique across servers, freed with
-- its row.
ALTER TABLE servers ADD COLUMN node_port integer UNIQUE CHECK (node_port BETWEEN 1 AND 65535);
