-- Where a sign-in attempt came from: NULL for a stranger (no known-device cookie for the
-- account), 'device:<uuid>' for a browser the account signed in from before, 'session:<uuid>'
-- for a password confirmation inside a session. A stranger's failures lock the account for
-- strangers only; a known device or a session is limited on its own.
ALTER TABLE login_attempts ADD COLUMN source TEXT;
