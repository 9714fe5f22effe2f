UPDATE templates
SET spec = jsonb_set(spec, '{console,command}', '["rcon-cli", "{command}"]'::jsonb)
WHERE slug = 'forge' AND spec -> 'console' -> 'command' = '["rcon-cli", "--", "{command}"]'::jsonb;
