-- The built-in Forge template's console: `--` ends rcon-cli's options, so a console command
-- that starts with `-` (`--host=elsewhere …`) is sent as a command, never read as an option.
UPDATE templates
SET spec = jsonb_set(spec, '{console,command}', '["rcon-cli", "--", "{command}"]'::jsonb)
WHERE slug = 'forge' AND spec -> 'console' -> 'command' = '["rcon-cli", "{command}"]'::jsonb;
