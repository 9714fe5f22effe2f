-- Two-factor sign-in (TOTP): the confirmed secret, one being set up, the last time step
-- accepted (a code works once), and single-use recovery codes stored as SHA-256.
ALTER TABLE users
    ADD COLUMN totp_secret TEXT,
    ADD COLUMN totp_pending TEXT,
    ADD COLUMN totp_last_step BIGINT;
CREATE TABLE recovery_codes (
    user_id   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);
