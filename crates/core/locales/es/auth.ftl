## Who is calling: API tokens that are missing or not valid.

auth-token-header = Enviar un token de API como «Authorization: Bearer mcp_…».
auth-token-invalid = Este token de API no es válido: puede haber caducado o haber sido revocado.
