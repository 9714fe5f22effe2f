-- Mods and plugins from Modrinth on every built-in template with a loader or a plugin platform:
-- MODRINTH_PROJECTS (the itzg image installs the listed projects at each start and removes what
-- left the list), its rule widened for version ids (`sodium:AbCd1234`, mixed case), and the
-- image told to fetch each project's required dependencies.
UPDATE templates SET spec = jsonb_set(spec, '{variables}', (spec->'variables') || jsonb_build_array(jsonb_build_object(
    'name', 'MODRINTH_PROJECTS',
    'label', 'Modrinth projects',
    'description', 'Mods and plugins from Modrinth, comma separated (project or project:version); the Mods section keeps it',
    'default', '',
    'required', false,
    'rule', '^[A-Za-z0-9,:._?-]{0,2000}$',
    'user_editable', true)))
WHERE slug IN ('paper', 'purpur', 'forge')
  AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(spec->'variables') v WHERE v->>'name' = 'MODRINTH_PROJECTS');

UPDATE templates t SET spec = jsonb_set(t.spec, '{variables}', (
    SELECT jsonb_agg(CASE WHEN v->>'name' = 'MODRINTH_PROJECTS'
        THEN v || '{"rule": "^[A-Za-z0-9,:._?-]{0,2000}$", "description": "Mods and plugins from Modrinth, comma separated (project or project:version); the Mods section keeps it"}'::jsonb
        ELSE v END ORDER BY i)
    FROM jsonb_array_elements(t.spec->'variables') WITH ORDINALITY AS a(v, i)))
WHERE t.slug = 'fabric';

UPDATE templates SET spec = jsonb_set(spec, '{fixed_env,MODRINTH_DOWNLOAD_DEPENDENCIES}', '"required"')
WHERE slug IN ('fabric', 'paper', 'purpur', 'forge');
