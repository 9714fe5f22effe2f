-- A built-in template for Modrinth modpacks: the itzg image's TYPE=MODRINTH installs the pack's
-- loader, its game version and its mods at each start, and cleans up what an upgrade or a
-- downgrade of the pack left. The pack is a variable (slug or id, and a version id when
-- pinned); the Mods section sets both. No VERSION: the pack decides the game's version.
INSERT INTO templates (slug, name, description, spec) VALUES ('modpack', 'Modrinth modpack',
'A modpack from Modrinth, with its loader and mods; choose or change it in the Mods section.',
'{"slug": "modpack", "image": "itzg/minecraft-server:java21", "startup_command": null,
  "fixed_env": {"EULA": "TRUE", "TYPE": "MODRINTH", "ENABLE_RCON": "true"},
  "variables": [
    {"name": "MODRINTH_MODPACK", "label": "Modpack",
     "description": "The modpack''s Modrinth slug or id, e.g. cobblemon-fabric; the Mods section finds and changes it",
     "default": "", "required": true, "rule": "^[A-Za-z0-9._-]{1,64}$", "user_editable": true},
    {"name": "MODRINTH_VERSION", "label": "Modpack version",
     "description": "A version id of the pack to stay on; empty for its newest release at each start",
     "default": "", "required": false, "rule": "^[A-Za-z0-9._+-]{0,64}$", "user_editable": true},
    {"name": "MOTD", "label": "Message of the day", "description": "The message shown in the players'' server list",
     "default": "A Minecraft server", "required": false, "rule": "^[^\\n]{0,59}$", "user_editable": true},
    {"name": "DIFFICULTY", "label": "Difficulty", "description": "How dangerous the world is: peaceful has no hostile mobs",
     "default": "normal", "required": true, "rule": "^(peaceful|easy|normal|hard)$", "user_editable": true,
     "kind": {"type": "choice", "options": [
        {"value": "peaceful", "label": "Peaceful"}, {"value": "easy", "label": "Easy"},
        {"value": "normal", "label": "Normal"}, {"value": "hard", "label": "Hard"}]}},
    {"name": "MAX_PLAYERS", "label": "Most players online", "description": "How many players may be online at once",
     "default": "20", "required": true, "rule": "^([1-9][0-9]{0,2}|1000)$", "user_editable": true,
     "kind": {"type": "number", "min": 1, "max": 1000}},
    {"name": "ONLINE_MODE", "label": "Check accounts (online mode)",
     "description": "Only players with a Mojang account join; turn off only behind a proxy that checks them",
     "default": "true", "required": true, "rule": "^(true|false)$", "user_editable": true, "kind": {"type": "bool"}}],
  "console": {"kind": "attach"}, "started_pattern": "Done \\([0-9.]+s\\)! For help", "stop_command": "stop",
  "stop_timeout_secs": 60, "data_path": "/data", "game_port": 25565, "health_command": ["mc-health"], "init": null}'::jsonb)
ON CONFLICT (slug) DO NOTHING;
