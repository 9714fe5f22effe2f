-- The node ports of a server's extra ports (a template's Bedrock or map port) in `nodeport`
-- exposure: allocated from the operator's range like the game port's, under the same lock, and
-- freed with the server's row.
CREATE TABLE server_ports (
    server_id uuid NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    name text NOT NULL,
    node_port integer NOT NULL UNIQUE CHECK (node_port BETWEEN 1 AND 65535),
    PRIMARY KEY (server_id, name)
);
