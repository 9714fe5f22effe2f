WITH described(name, description) AS (VALUES
    ('DIFFICULTY', 'peaceful, easy, normal or hard'),
    ('MAX_PLAYERS', 'The most players online at once (1 to 1000)'),
    ('ONLINE_MODE', 'Check players'' accounts with Mojang: true or false')
)
UPDATE templates t SET spec = jsonb_set(t.spec, '{variables}', (
    SELECT COALESCE(jsonb_agg(
        CASE WHEN d.name IS NULL THEN v - 'label' - 'kind'
             ELSE (v - 'label' - 'kind') || jsonb_build_object('description', d.description) END
        ORDER BY i), '[]'::jsonb)
    FROM jsonb_array_elements(t.spec->'variables') WITH ORDINALITY AS a(v, i)
    LEFT JOIN described d ON d.name = v->>'name'
))
WHERE t.slug IN ('vanilla', 'paper', 'purpur', 'fabric', 'forge')
  AND jsonb_typeof(t.spec->'variables') = 'array';
