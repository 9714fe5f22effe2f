## Who is calling: API tokens that are missing or not valid.

auth-token-header = Ein API-Token als „Authorization: Bearer mcp_…“ senden.
auth-token-invalid = Dieses API-Token ist ungültig: Es ist möglicherweise abgelaufen oder wurde widerrufen.
