DELETE FROM templates t WHERE t.slug = 'modpack' AND NOT EXISTS (SELECT 1 FROM servers s WHERE s.template_id = t.id);
