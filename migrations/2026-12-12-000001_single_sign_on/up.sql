-- Single sign-on through an OpenID Connect provider.
--
-- A user's e-mail address: what a provider's verified address is matched against when the
-- operator lets accounts be linked by address. Unique without regard to case.
ALTER TABLE users ADD COLUMN email text CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Who a provider says a user is: its issuer and the subject it names them by. One identity per
-- issuer and user.
CREATE TABLE user_identities (
    issuer text NOT NULL,
    subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (issuer, subject),
    UNIQUE (user_id, issuer)
);

-- Sign-ins under way: the hash of the state sent to the provider (each is used once), the hash
-- of the cookie that ties it to the browser that started it, and what the answer is checked
-- with. Rows older than ten minutes are of no use and are removed.
CREATE TABLE sso_logins (
    state_hash text PRIMARY KEY,
    browser_hash text NOT NULL,
    nonce text NOT NULL,
    pkce_verifier text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sso_logins_by_age ON sso_logins (created_at);
