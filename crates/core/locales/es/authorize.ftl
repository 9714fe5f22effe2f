## Authorization: what administrators alone may do, tokens' scopes and members' permissions.

authorize-admin-templates = Solo los administradores gestionan las plantillas.
authorize-admin-plans = Solo los administradores gestionan los planes.
authorize-admin-users = Solo los administradores gestionan los usuarios.
authorize-admin-webhooks = Solo los administradores gestionan los webhooks del panel.
authorize-token-scope = El alcance de este token de API no incluye { $permission }.
authorize-member-lacks = Falta el permiso { $permission } en este servidor.
authorize-server-not-found = No existe ese servidor.
