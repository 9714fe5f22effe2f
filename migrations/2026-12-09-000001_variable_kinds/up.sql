-- The built-in templates' variables gain a name for people and a kind (a toggle, a number with
-- its range, a list of choices), so the forms stop showing environment names and text boxes.
-- Variables that already have a label (a later edit) are left alone.
WITH extra(name, doc) AS (VALUES
    ('VERSION', '{"label": "Minecraft version"}'::jsonb),
    ('MOTD', '{"label": "Message of the day"}'::jsonb),
    ('DIFFICULTY', '{"label": "Difficulty", "description": "How dangerous the world is: peaceful has no hostile mobs",
        "kind": {"type": "choice", "options": [
            {"value": "peaceful", "label": "Peaceful"}, {"value": "easy", "label": "Easy"},
            {"value": "normal", "label": "Normal"}, {"value": "hard", "label": "Hard"}]}}'::jsonb),
    ('MAX_PLAYERS', '{"label": "Most players online", "description": "How many players may be online at once",
        "kind": {"type": "number", "min": 1, "max": 1000}}'::jsonb),
    ('ONLINE_MODE', '{"label": "Check accounts (online mode)", "description": "Only players with a Mojang account join; turn off only behind a proxy that checks them",
        "kind": {"type": "bool"}}'::jsonb),
    ('MODRINTH_PROJECTS', '{"label": "Modrinth projects"}'::jsonb)
)
UPDATE templates t SET spec = jsonb_set(t.spec, '{variables}', (
    SELECT COALESCE(jsonb_agg(CASE WHEN v ? 'label' THEN v ELSE v || COALESCE(e.doc, '{}'::jsonb) END ORDER BY i), '[]'::jsonb)
    FROM jsonb_array_elements(t.spec->'variables') WITH ORDINALITY AS a(v, i)
    LEFT JOIN extra e ON e.name = v->>'name'
))
WHERE t.slug IN ('vanilla', 'paper', 'purpur', 'fabric', 'forge')
  AND jsonb_typeof(t.spec->'variables') = 'array';
