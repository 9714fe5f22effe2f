## Authorization: what administrators alone may do, tokens' scopes and members' permissions.

authorize-admin-templates = Nur Administratoren verwalten Vorlagen.
authorize-admin-plans = Nur Administratoren verwalten Tarife.
authorize-admin-users = Nur Administratoren verwalten Benutzer.
authorize-admin-webhooks = Nur Administratoren verwalten die Webhooks des Panels.
authorize-token-scope = Der Geltungsbereich dieses API-Tokens umfasst { $permission } nicht.
authorize-member-lacks = Für diesen Server fehlt die Berechtigung { $permission }.
authorize-server-not-found = Server nicht gefunden.
