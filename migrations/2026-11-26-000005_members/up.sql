-- Sub-users: people an owner shares a server with, each with a set of permissions
-- (`console.read`, `files.write`, ...). Removing the user or the server removes the share.
CREATE TABLE server_members (
    server_id   UUID NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    permissions TEXT[] NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (server_id, user_id)
);
CREATE INDEX server_members_user ON server_members (user_id);
