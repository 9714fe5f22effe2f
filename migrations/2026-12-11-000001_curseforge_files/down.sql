-- The variable goes; a server's value of it stays in its row, unused (as other removed
-- variables' values do), and the image keeps what it installed.
UPDATE templates SET spec = jsonb_set(spec, '{variables}', (
    SELECT COALESCE(jsonb_agg(v ORDER BY i), '[]'::jsonb)
    FROM jsonb_array_elements(spec->'variables') WITH ORDINALITY AS a(v, i)
    WHERE v->>'name' <> 'CURSEFORGE_FILES'))
WHERE slug IN ('paper', 'purpur', 'fabric', 'forge');
