ALTER TABLE servers DROP COLUMN pending_plan_id;
ALTER TABLE servers DROP COLUMN claim_gib;
