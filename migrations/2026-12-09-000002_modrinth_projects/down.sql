UPDATE templates SET spec = jsonb_set(spec #- '{fixed_env,MODRINTH_DOWNLOAD_DEPENDENCIES}', '{variables}', (
    SELECT COALESCE(jsonb_agg(v ORDER BY i), '[]'::jsonb)
    FROM jsonb_array_elements(spec->'variables') WITH ORDINALITY AS a(v, i)
    WHERE v->>'name' <> 'MODRINTH_PROJECTS'))
WHERE slug IN ('paper', 'purpur', 'forge');

UPDATE templates t SET spec = jsonb_set(t.spec #- '{fixed_env,MODRINTH_DOWNLOAD_DEPENDENCIES}', '{variables}', (
    SELECT jsonb_agg(CASE WHEN v->>'name' = 'MODRINTH_PROJECTS'
        THEN v || '{"rule": "^[a-z0-9,:._-]{0,500}$", "description": "Modrinth projects to install, comma separated (e.g. fabric-api,lithium)"}'::jsonb
        ELSE v END ORDER BY i)
    FROM jsonb_array_elements(t.spec->'variables') WITH ORDINALITY AS a(v, i)))
WHERE t.slug = 'fabric';
