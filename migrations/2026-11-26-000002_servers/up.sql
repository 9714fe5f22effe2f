-- Templates, plans, quotas, servers and the audit log.

CREATE TABLE templates (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    slug        TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    spec        JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE plans (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    slug               TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
    name               TEXT NOT NULL,
    cpu_request_millis INT NOT NULL CHECK (cpu_request_millis > 0),
    cpu_limit_millis   INT NOT NULL CHECK (cpu_limit_millis >= cpu_request_millis),
    memory_mib         INT NOT NULL CHECK (memory_mib >= 512),
    disk_gib           INT NOT NULL CHECK (disk_gib >= 1),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

ALTER TABLE users
    ADD COLUMN max_servers    INT NOT NULL DEFAULT 3,
    ADD COLUMN max_memory_mib INT NOT NULL DEFAULT 8192,
    ADD COLUMN max_disk_gib   INT NOT NULL DEFAULT 60;

CREATE TABLE servers (
    id            UUID PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
    owner_id      UUID NOT NULL REFERENCES users (id),
    template_id   UUID NOT NULL REFERENCES templates (id),
    plan_id       UUID NOT NULL REFERENCES plans (id),
    variables     JSONB NOT NULL DEFAULT '{}',
    desired       TEXT NOT NULL CHECK (desired IN ('running', 'stopped')),
    status        TEXT NOT NULL DEFAULT 'installing',
    status_reason TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX servers_owner_id_idx ON servers (owner_id);

CREATE TABLE audit_log (
    id        BIGSERIAL PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_id  UUID,
    server_id UUID,
    action    TEXT NOT NULL,
    target    TEXT,
    outcome   TEXT NOT NULL,
    ip        TEXT
);
CREATE INDEX audit_log_server_at_idx ON audit_log (server_id, at);

INSERT INTO plans (slug, name, cpu_request_millis, cpu_limit_millis, memory_mib, disk_gib) VALUES
    ('small',  'Small: 2 GiB, 1 CPU',  250, 1000, 2048, 10),
    ('medium', 'Medium: 4 GiB, 2 CPU', 500, 2000, 4096, 20),
    ('large',  'Large: 8 GiB, 4 CPU', 1000, 4000, 8192, 40);

INSERT INTO templates (slug, name, description, spec) VALUES ('vanilla', 'Vanilla', 'The official server from Mojang.', '{"slug": "vanilla", "image": "itzg/minecraft-server:java21", "startup_command": null, "fixed_env": {"EULA": "TRUE", "TYPE": "VANILLA", "ENABLE_RCON": "true"}, "variables": [{"name": "VERSION", "description": "Minecraft version: LATEST, or a release such as 1.21.4", "default": "LATEST", "required": true, "rule": "^(LATEST|SNAPSHOT|[0-9]+\\.[0-9]+(\\.[0-9]+)?)$", "user_editable": true}, {"name": "MOTD", "description": "The message shown in the players'' server list", "default": "A Minecraft server", "required": false, "rule": "^[^\\n]{0,59}$", "user_editable": true}, {"name": "DIFFICULTY", "description": "peaceful, easy, normal or hard", "default": "normal", "required": true, "rule": "^(peaceful|easy|normal|hard)$", "user_editable": true}, {"name": "MAX_PLAYERS", "description": "The most players online at once (1 to 1000)", "default": "20", "required": true, "rule": "^([1-9][0-9]{0,2}|1000)$", "user_editable": true}, {"name": "ONLINE_MODE", "description": "Check players'' accounts with Mojang: true or false", "default": "true", "required": true, "rule": "^(true|false)$", "user_editable": true}], "console": {"kind": "attach"}, "started_pattern": "Done \\([0-9.]+s\\)! For help", "stop_command": "stop", "stop_timeout_secs": 60, "data_path": "/data", "game_port": 25565, "health_command": ["mc-health"], "init": null}'::jsonb);
INSERT INTO templates (slug, name, description, spec) VALUES ('paper', 'Paper', 'High-performance server with Bukkit and Spigot plugins.', '{"slug": "paper", "image": "itzg/minecraft-server:java21", "startup_command": null, "fixed_env": {"EULA": "TRUE", "TYPE": "PAPER", "ENABLE_RCON": "true"}, "variables": [{"name": "VERSION", "description": "Minecraft version: LATEST, or a release such as 1.21.4", "default": "LATEST", "required": true, "rule": "^(LATEST|SNAPSHOT|[0-9]+\\.[0-9]+(\\.[0-9]+)?)$", "user_editable": true}, {"name": "MOTD", "description": "The message shown in the players'' server list", "default": "A Minecraft server", "required": false, "rule": "^[^\\n]{0,59}$", "user_editable": true}, {"name": "DIFFICULTY", "description": "peaceful, easy, normal or hard", "default": "normal", "required": true, "rule": "^(peaceful|easy|normal|hard)$", "user_editable": true}, {"name": "MAX_PLAYERS", "description": "The most players online at once (1 to 1000)", "default": "20", "required": true, "rule": "^([1-9][0-9]{0,2}|1000)$", "user_editable": true}, {"name": "ONLINE_MODE", "description": "Check players'' accounts with Mojang: true or false", "default": "true", "required": true, "rule": "^(true|false)$", "user_editable": true}], "console": {"kind": "attach"}, "started_pattern": "Done \\([0-9.]+s\\)! For help", "stop_command": "stop", "stop_timeout_secs": 60, "data_path": "/data", "game_port": 25565, "health_command": ["mc-health"], "init": null}'::jsonb);
INSERT INTO templates (slug, name, description, spec) VALUES ('purpur', 'Purpur', 'A Paper fork with extra gameplay settings.', '{"slug": "purpur", "image": "itzg/minecraft-server:java21", "startup_command": null, "fixed_env": {"EULA": "TRUE", "TYPE": "PURPUR", "ENABLE_RCON": "true"}, "variables": [{"name": "VERSION", "description": "Minecraft version: LATEST, or a release such as 1.21.4", "default": "LATEST", "required": true, "rule": "^(LATEST|SNAPSHOT|[0-9]+\\.[0-9]+(\\.[0-9]+)?)$", "user_editable": true}, {"name": "MOTD", "description": "The message shown in the players'' server list", "default": "A Minecraft server", "required": false, "rule": "^[^\\n]{0,59}$", "user_editable": true}, {"name": "DIFFICULTY", "description": "peaceful, easy, normal or hard", "default": "normal", "required": true, "rule": "^(peaceful|easy|normal|hard)$", "user_editable": true}, {"name": "MAX_PLAYERS", "description": "The most players online at once (1 to 1000)", "default": "20", "required": true, "rule": "^([1-9][0-9]{0,2}|1000)$", "user_editable": true}, {"name": "ONLINE_MODE", "description": "Check players'' accounts with Mojang: true or false", "default": "true", "required": true, "rule": "^(true|false)$", "user_editable": true}], "console": {"kind": "attach"}, "started_pattern": "Done \\([0-9.]+s\\)! For help", "stop_command": "stop", "stop_timeout_secs": 60, "data_path": "/data", "game_port": 25565, "health_command": ["mc-health"], "init": null}'::jsonb);
INSERT INTO templates (slug, name, description, spec) VALUES ('fabric', 'Fabric', 'Lightweight mod loader; mods from Modrinth.', '{"slug": "fabric", "image": "itzg/minecraft-server:java21", "startup_command": null, "fixed_env": {"EULA": "TRUE", "TYPE": "FABRIC", "ENABLE_RCON": "true"}, "variables": [{"name": "VERSION", "description": "Minecraft version: LATEST, or a release such as 1.21.4", "default": "LATEST", "required": true, "rule": "^(LATEST|SNAPSHOT|[0-9]+\\.[0-9]+(\\.[0-9]+)?)$", "user_editable": true}, {"name": "MOTD", "description": "The message shown in the players'' server list", "default": "A Minecraft server", "required": false, "rule": "^[^\\n]{0,59}$", "user_editable": true}, {"name": "DIFFICULTY", "description": "peaceful, easy, normal or hard", "default": "normal", "required": true, "rule": "^(peaceful|easy|normal|hard)$", "user_editable": true}, {"name": "MAX_PLAYERS", "description": "The most players online at once (1 to 1000)", "default": "20", "required": true, "rule": "^([1-9][0-9]{0,2}|1000)$", "user_editable": true}, {"name": "ONLINE_MODE", "description": "Check players'' accounts with Mojang: true or false", "default": "true", "required": true, "rule": "^(true|false)$", "user_editable": true}, {"name": "MODRINTH_PROJECTS", "description": "Modrinth projects to install, comma separated (e.g. fabric-api,lithium)", "default": "", "required": false, "rule": "^[a-z0-9,:._-]{0,500}$", "user_editable": true}], "console": {"kind": "attach"}, "started_pattern": "Done \\([0-9.]+s\\)! For help", "stop_command": "stop", "stop_timeout_secs": 60, "data_path": "/data", "game_port": 25565, "health_command": ["mc-health"], "init": null}'::jsonb);
INSERT INTO templates (slug, name, description, spec) VALUES ('forge', 'Forge', 'The classic mod loader; console through RCON.', '{"slug": "forge", "image": "itzg/minecraft-server:java21", "startup_command": null, "fixed_env": {"EULA": "TRUE", "TYPE": "FORGE", "ENABLE_RCON": "true"}, "variables": [{"name": "VERSION", "description": "Minecraft version: LATEST, or a release such as 1.21.4", "default": "LATEST", "required": true, "rule": "^(LATEST|SNAPSHOT|[0-9]+\\.[0-9]+(\\.[0-9]+)?)$", "user_editable": true}, {"name": "MOTD", "description": "The message shown in the players'' server list", "default": "A Minecraft server", "required": false, "rule": "^[^\\n]{0,59}$", "user_editable": true}, {"name": "DIFFICULTY", "description": "peaceful, easy, normal or hard", "default": "normal", "required": true, "rule": "^(peaceful|easy|normal|hard)$", "user_editable": true}, {"name": "MAX_PLAYERS", "description": "The most players online at once (1 to 1000)", "default": "20", "required": true, "rule": "^([1-9][0-9]{0,2}|1000)$", "user_editable": true}, {"name": "ONLINE_MODE", "description": "Check players'' accounts with Mojang: true or false", "default": "true", "required": true, "rule": "^(true|false)$", "user_editable": true}], "console": {"kind": "exec", "command": ["rcon-cli", "{command}"]}, "started_pattern": "Done \\([0-9.]+s\\)! For help", "stop_command": "stop", "stop_timeout_secs": 60, "data_path": "/data", "game_port": 25565, "health_command": ["mc-health"], "init": null}'::jsonb);
