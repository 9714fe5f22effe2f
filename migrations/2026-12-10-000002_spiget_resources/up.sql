-- Plugins from SpigotMC on the built-in plugin templates: SPIGET_RESOURCES (resource numbers,
-- comma separated), which the itzg image downloads at each start (their newest version; it
-- neither pins a version nor removes a plugin taken off the list). The Mods section keeps it.
UPDATE templates SET spec = jsonb_set(spec, '{variables}', (spec->'variables') || jsonb_build_array(jsonb_build_object(
    'name', 'SPIGET_RESOURCES',
    'label', 'SpigotMC plugins',
    'description', 'SpigotMC resource numbers, comma separated (28140 is LuckPerms); the Mods section keeps it',
    'default', '',
    'required', false,
    'rule', '^([1-9][0-9]{0,9}(,[1-9][0-9]{0,9})*)?$',
    'user_editable', true)))
WHERE slug IN ('paper', 'purpur')
  AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(spec->'variables') v WHERE v->>'name' = 'SPIGET_RESOURCES');
