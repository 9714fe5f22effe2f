## Who is calling: API tokens that are missing or not valid.

auth-token-header = Send an API token as "Authorization: Bearer mcp_…".
auth-token-invalid = This API token is not valid: it may have expired or been revoked.
