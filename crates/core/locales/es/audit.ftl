## Reading the audit log.

audit-filter-too-long = El filtro de acciones admite como máximo 64 caracteres.
audit-server-not-found = No existe ese servidor.
