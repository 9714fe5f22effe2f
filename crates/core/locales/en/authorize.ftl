## Authorization: what administrators alone may do, tokens' scopes and members' permissions.

authorize-admin-templates = Only administrators manage templates.
authorize-admin-plans = Only administrators manage plans.
authorize-admin-users = Only administrators manage users.
authorize-admin-webhooks = Only administrators manage the panel's webhooks.
authorize-token-scope = This API token's scope does not include { $permission }.
authorize-member-lacks = You do not have the { $permission } permission on this server.
authorize-server-not-found = No such server.
