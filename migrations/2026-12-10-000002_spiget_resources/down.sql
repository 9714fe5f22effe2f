UPDATE templates SET spec = jsonb_set(spec, '{variables}', (
    SELECT COALESCE(jsonb_agg(v ORDER BY i), '[]'::jsonb)
    FROM jsonb_array_elements(spec->'variables') WITH ORDINALITY AS a(v, i)
    WHERE v->>'name' <> 'SPIGET_RESOURCES'))
WHERE slug IN ('paper', 'purpur');
