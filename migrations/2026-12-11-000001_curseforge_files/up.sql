-- Mods and plugins from CurseForge on the built-in templates with a loader or a plugin platform:
-- CURSEFORGE_FILES (project:file numbers, comma separated, or any form the itzg image takes),
-- which the image installs at each start and cleans up after (it removes what left the list).
-- The Mods section keeps it when the operator gives the panel a CurseForge API key; the game
-- pods take theirs from the Secret PANEL_CURSEFORGE_SECRET names.
UPDATE templates SET spec = jsonb_set(spec, '{variables}', (spec->'variables') || jsonb_build_array(jsonb_build_object(
    'name', 'CURSEFORGE_FILES',
    'label', 'CurseForge files',
    'description', 'Mods and plugins from CurseForge, comma separated (project:file numbers, e.g. 238222:4593548); the Mods section keeps it',
    'default', '',
    'required', false,
    'rule', '^[A-Za-z0-9,:@._/-]{0,1024}$',
    'user_editable', true)))
WHERE slug IN ('paper', 'purpur', 'fabric', 'forge')
  AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(spec->'variables') v WHERE v->>'name' = 'CURSEFORGE_FILES');
