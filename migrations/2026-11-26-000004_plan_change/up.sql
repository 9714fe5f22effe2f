-- The size a server's volume claim template was created with (NULL: its plan's disk). A
-- StatefulSet's claim templates cannot change, so a larger plan grows the claim itself.
ALTER TABLE servers ADD COLUMN claim_gib INT CHECK (claim_gib > 0);
-- A plan chosen while the server runs, applied at its next start or restart.
ALTER TABLE servers ADD COLUMN pending_plan_id UUID REFERENCES plans (id);
